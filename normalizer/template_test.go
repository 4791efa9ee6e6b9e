package normalizer

import (
	"slices"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/profile"
)

func hl(level int, text string) extractor.Block {
	return extractor.Block{Kind: extractor.KindParagraph, Text: text, Level: level}
}

// A blank template: its headings become the profile's, its marks the
// required sections, its Överenskommelse the agreement, its answer text
// the guidance; what the lexicon cannot place is left for the officer.
func TestDraftProfile(t *testing.T) {
	doc := &extractor.Document{Name: "mall.docx", Format: extractor.FormatDOCX, Blocks: []extractor.Block{
		boldPara("Ansökan om medel för samverkansinsats"),
		p("Samordningsförbundet Exempel"),
		hl(2, "Projektnamn"),
		hl(2, "Projektägare"),
		hl(2, "Samverkansparter"),
		hl(2, "Syfte med insatsen *"), p("Beskriv här syftet med insatsen. Vad vill ni uppnå?"),
		hl(2, "Målgrupp (obligatorisk)"), p("Beskriv här vilka deltagarna är."),
		hl(2, "Metod"), p("Skriv här hur arbetet ska gå till."),
		hl(2, "Samverkansvinster"), p("Beskriv här vad parterna vinner."),
		hl(2, "Har ansökan diskuterats i beredningsgruppen?"), tbl([]string{"Ja", "Nej"}),
		hl(1, "Överenskommelse"), p("Parterna förbinder sig att följa ansökan."),
		hl(2, "Kostnader"), p("Medlen är ett maxbelopp."),
		hl(1, "Underskrifter"), tbl([]string{"Organisation", "Datum"}),
	}}
	prof, notes := DraftProfile(doc, "Exempel 2025")
	if prof.Name != "Exempel 2025" {
		t.Errorf("name %q", prof.Name)
	}
	var keys []string
	for _, s := range prof.Sections {
		keys = append(keys, s.Key)
	}
	if want := []string{"purpose", "target_group", "methods", "agreement"}; !slices.Equal(keys, want) {
		t.Errorf("sections %v, want %v", keys, want)
	}
	req := func(key string) bool { return prof.Section(key) != nil && prof.Section(key).Required }
	if !req("purpose") || !req("target_group") || req("methods") {
		t.Errorf("required: purpose %v target_group %v methods %v", req("purpose"), req("target_group"), req("methods"))
	}
	if s := prof.Section("purpose"); s == nil || !slices.Equal(s.Headings, []string{"Syfte med insatsen", "Syfte med insatsen *"}) {
		t.Errorf("purpose headings %v", s)
	}
	if !slices.Equal(prof.Fields.Title, []string{"Projektnamn"}) || !slices.Equal(prof.Fields.Owner, []string{"Projektägare"}) ||
		!slices.Equal(prof.Fields.Partners, []string{"Samverkansparter"}) || len(prof.Fields.Anchoring) != 1 || !slices.Equal(prof.Fields.Signature, []string{"Underskrifter"}) {
		t.Errorf("fields %+v", prof.Fields)
	}
	if len(prof.Unnamed) != 1 || prof.Unnamed[0].Heading != "Samverkansvinster" || prof.Unnamed[0].Key != "" || prof.Unnamed[0].Note == "" {
		t.Errorf("unnamed %+v", prof.Unnamed)
	}
	if !strings.Contains(strings.Join(notes, "\n"), "Samverkansvinster") {
		t.Errorf("notes %v", notes)
	}
	if want := "Parterna förbinder sig att följa ansökan.\n\nKostnader\n\nMedlen är ett maxbelopp."; prof.Agreement.Text != want {
		t.Errorf("agreement %q, want %q", prof.Agreement.Text, want)
	}
	if !slices.Equal(prof.Agreement.Subheadings, []string{"Kostnader"}) {
		t.Errorf("agreement sub-headings %v", prof.Agreement.Subheadings)
	}
	for _, g := range []string{"Beskriv här syftet med insatsen", "Skriv här hur arbetet ska gå till", "Beskriv här vad parterna vinner"} {
		if !slices.Contains(prof.Guidance, g) {
			t.Errorf("guidance %q missing: %q", g, prof.Guidance)
		}
	}
	// Must not be guidance: the Ja/Nej labels, the signature labels, the
	// form's title and intro (template text).
	for _, g := range prof.Guidance {
		if g == "Ja" || g == "Nej" || strings.Contains(g, "Organisation") || strings.Contains(g, "Exempel") {
			t.Errorf("guidance %q", g)
		}
	}
	if !slices.Equal(prof.TemplateText, []string{"Ansökan om medel för samverkansinsats", "Samordningsförbundet Exempel"}) {
		t.Errorf("template text %q", prof.TemplateText)
	}
	// The draft is a valid profile once marshalled, and reads a filled
	// application of the template with its own headings.
	filled := []extractor.Block{
		hl(2, "Projektnamn"), p("Vägen in"),
		hl(2, "Syfte med insatsen *"), p("Att fler kommer i arbete."),
		hl(2, "Samverkansvinster"), p("Parterna delar på kostnaderna."),
	}
	rec := Normalize([]Input{{Doc: &extractor.Document{Name: "a.docx", Format: extractor.FormatDOCX, Blocks: filled}}}, prof)
	if deref(rec.Title) != "Vägen in" || rec.Sections["purpose"].Text != "Att fler kommer i arbete." || len(rec.ExtraSections) != 1 {
		t.Errorf("read with the draft: title %s, sections %s, extra %s", js(rec.Title), js(rec.Sections), js(rec.ExtraSections))
	}
}

// No required mark anywhere: the contract's six sections are required.
func TestDraftProfileWithoutMarks(t *testing.T) {
	doc := &extractor.Document{Name: "mall.docx", Format: extractor.FormatDOCX, Blocks: []extractor.Block{
		hl(2, "Syfte"), hl(2, "Implementering"),
	}}
	p, notes := DraftProfile(doc, "x")
	if !p.Section("purpose").Required || p.Section("results_use").Required {
		t.Errorf("required: %+v", p.Sections)
	}
	if len(notes) == 0 || !strings.Contains(notes[0], "required mark") {
		t.Errorf("notes %v", notes)
	}
	// title, owner and partners fall back to the built-in labels.
	if !slices.Equal(p.Fields.Title, profile.Default().Fields.Title) {
		t.Errorf("title labels %v", p.Fields.Title)
	}
}

// profile check's view: every heading with its key, how and cues.
func TestReadHeadings(t *testing.T) {
	doc := &extractor.Document{Name: "a.docx", Format: extractor.FormatDOCX, Blocks: []extractor.Block{
		h("Beskriv syftet med insatsen (*)"), p("Att fler kommer i arbete."),
		boldPara("Arbetsmodell"), p("Vi arbetar i par."),
		boldPara("Risker och beroenden"), p("Få arbetsgivare."),
		p("Startdatum: 2025-01-01"),
	}}
	got := ReadHeadings(doc, profile.Default())
	want := []struct{ heading, target, how string }{
		{"Beskriv syftet med insatsen (*)", "purpose", "profile"},
		{"Arbetsmodell", "methods", "lexicon"},
		{"Risker och beroenden", "extra", "layout"},
		{"Startdatum", "start", "profile"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d headings: %+v", len(got), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Heading != w.heading || g.Target != w.target || g.How != w.how {
			t.Errorf("%d: got %q → %s (%s), want %q → %s (%s)", i, g.Heading, g.Target, g.How, w.heading, w.target, w.how)
		}
	}
	if got[1].Score == 0 || !slices.Contains(got[1].Cues, "bold") {
		t.Errorf("lexicon heading without score or cues: %+v", got[1])
	}
}
