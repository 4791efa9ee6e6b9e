package normalizer

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

// The same application in several wordings and layouts: every section
// must be found, with its whole answer and nothing more.

var wordings = map[string][]string{ // in the order of sectionOrder
	"nouns": {"Syfte med insatsen", "Mål", "Bakgrund och behov", "Målgrupp", "Metod och arbetssätt",
		"Uppföljning och utvärdering", "Implementering och långsiktighet", "Budget och finansiering"},
	"questions": {"Vad är syftet med insatsen?", "Vilka mål har insatsen?", "Vilket behov ska insatsen möta?",
		"Vilken målgrupp riktar sig insatsen till?", "Hur ska insatsen genomföras?", "Hur ska insatsen följas upp?",
		"Hur ska resultaten tas tillvara?", "Vad kostar insatsen?"},
	"compounds": {"Projektets syfte", "Projektmål", "Problembeskrivning", "Målgruppsbeskrivning", "Genomförandeplan",
		"Utvärdering", "Implementeringsplan", "Projektbudget"},
}

var sectionOrder = []string{schema.SectionPurpose, schema.SectionGoals, schema.SectionBackground, schema.SectionTargetGroup,
	schema.SectionMethods, schema.SectionEvaluation, schema.SectionResultsUse, schema.SectionBudgetText}

func answerOf(key string) string {
	return "Här står svaret om " + key + ". Det är skrivet av sökanden."
}

func boldPara(text string) extractor.Block {
	b := p(text)
	b.Bold = true
	return b
}

func oneCell(rows ...[]extractor.Block) extractor.Block {
	t := &extractor.Table{Columns: 1}
	for _, r := range rows {
		c := extractor.Cell{Col: 0, Span: 1, Blocks: r}
		for i, b := range r {
			if i > 0 {
				c.Text += "\n"
			}
			c.Text += b.Text
		}
		t.Rows = append(t.Rows, extractor.Row{Cells: []extractor.Cell{c}})
	}
	return extractor.Block{Kind: extractor.KindTable, Table: t}
}

func twoCell(label, answer extractor.Block) extractor.Block {
	t := &extractor.Table{Columns: 2, Rows: []extractor.Row{{Cells: []extractor.Cell{
		{Col: 0, Span: 1, Blocks: []extractor.Block{label}, Text: label.Text},
		{Col: 1, Span: 1, Blocks: []extractor.Block{answer}, Text: answer.Text},
	}}}}
	return extractor.Block{Kind: extractor.KindTable, Table: t}
}

// layouts put one heading and its answer (one or more paragraphs) into blocks.
var layouts = map[string]struct {
	put     func(heading string, answer []extractor.Block) []extractor.Block
	format  extractor.Format
	unknown bool // an unknown heading in this layout ends the section before it
}{
	"word heading style": {func(hd string, a []extractor.Block) []extractor.Block {
		return append([]extractor.Block{h(hd)}, a...)
	}, extractor.FormatDOCX, true},
	"bold paragraph": {func(hd string, a []extractor.Block) []extractor.Block {
		return append([]extractor.Block{boldPara(hd)}, a...)
	}, extractor.FormatDOCX, true},
	"pdf larger line": {func(hd string, a []extractor.Block) []extractor.Block {
		b := p(hd)
		b.Level, b.Page = 2, 1
		return append([]extractor.Block{b}, a...)
	}, extractor.FormatPDF, true},
	"numbered plain": {func(hd string, a []extractor.Block) []extractor.Block {
		return append([]extractor.Block{p("3. " + hd)}, a...)
	}, extractor.FormatDOCX, false},
	"plain line": {func(hd string, a []extractor.Block) []extractor.Block {
		return append([]extractor.Block{p(hd)}, a...)
	}, extractor.FormatDOCX, false},
	"shaded cell, answer below": {func(hd string, a []extractor.Block) []extractor.Block {
		return []extractor.Block{oneCell([]extractor.Block{boldPara(hd)}, a)}
	}, extractor.FormatDOCX, true},
	"plain header row, answer below": {func(hd string, a []extractor.Block) []extractor.Block {
		return []extractor.Block{oneCell([]extractor.Block{p(hd)}, a)}
	}, extractor.FormatDOCX, true},
	"bold cell, answer right": {func(hd string, a []extractor.Block) []extractor.Block {
		var out []extractor.Block
		for i, b := range a {
			label := boldPara(hd)
			if i > 0 {
				label = p("")
			}
			out = append(out, twoCell(label, b))
		}
		return out
	}, extractor.FormatDOCX, false},
}

func TestSectionsInAnyLayout(t *testing.T) {
	for wname, headings := range wordings {
		for lname, lay := range layouts {
			t.Run(wname+"/"+lname, func(t *testing.T) {
				blocks := []extractor.Block{p("Ansökan om medel")}
				for i, key := range sectionOrder {
					answer := []extractor.Block{p(answerOf(key))}
					if key == schema.SectionGoals {
						// Sub-labels of the goals answer stay in it.
						answer = append(answer, p("Övergripande mål:"), p("Fler i arbete."), p("Effektmål:"), p("Kortare väntan."))
					}
					if key == schema.SectionMethods {
						answer = append(answer, p("Syftet är att deltagarna ska få stöd"))
					}
					blocks = append(blocks, lay.put(headings[i], answer)...)
					if key == schema.SectionMethods && lay.unknown {
						blocks = append(blocks, lay.put("Roller i teamet", []extractor.Block{p("En coach och en handläggare.")})...)
					}
				}
				rec := normalizeDoc(t, lay.format, blocks)
				for _, key := range sectionOrder {
					s, ok := rec.Sections[key]
					if !ok {
						t.Errorf("%s: missing (sections %v, extras %v)", key, keysOf(rec.Sections), rec.ExtraSections)
						continue
					}
					if !strings.HasPrefix(s.Text, answerOf(key)) {
						t.Errorf("%s: text %q", key, s.Text)
					}
					want := answerOf(key)
					switch key {
					case schema.SectionGoals:
						want += "\n\nÖvergripande mål:\n\nFler i arbete.\n\nEffektmål:\n\nKortare väntan."
					case schema.SectionMethods:
						want += "\n\nSyftet är att deltagarna ska få stöd"
					}
					if s.Text != want {
						t.Errorf("%s: text\n got %q\nwant %q", key, s.Text, want)
					}
				}
				if lay.unknown {
					if len(rec.ExtraSections) != 1 || rec.ExtraSections[0].Heading != "Roller i teamet" {
						t.Errorf("extra sections %v", rec.ExtraSections)
					}
				}
				for _, f := range rec.Findings {
					if f.Code == schema.CodeSectionMissing {
						t.Errorf("finding %s %s", f.Code, f.Message)
					}
				}
			})
		}
	}
}

func keysOf(m map[string]schema.Section) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return fmt.Sprint(ks)
}

func TestUncertainReadings(t *testing.T) {
	long := strings.Repeat("Deltagarna får stöd av en coach varje vecka. ", 5)
	full := func(skip string, extra ...extractor.Block) []extractor.Block {
		var out []extractor.Block
		for _, key := range sectionOrder {
			if key == skip {
				continue
			}
			out = append(out, h(wordings["nouns"][slices.Index(sectionOrder, key)]), p(answerOf(key)))
		}
		return append(out, extra...)
	}
	findings := func(rec *schema.Record, code, subject string) []schema.Finding {
		var out []schema.Finding
		for _, f := range rec.Findings {
			if f.Code == code && deref(f.Subject) == subject {
				out = append(out, f)
			}
		}
		return out
	}

	// A long answer under a heading nobody can place, and no purpose: the
	// purpose is uncertain, not missing.
	rec := normalizeDoc(t, extractor.FormatDOCX, full(schema.SectionPurpose, h("Insatsens idé"), p(long)))
	u := findings(rec, schema.CodeExtractionUncertain, schema.SectionPurpose)
	if len(u) != 1 || !strings.Contains(u[0].Message, "”Insatsens idé”") || !strings.HasSuffix(u[0].Message, "granska manuellt.") ||
		u[0].Evidence == nil || u[0].Severity != schema.SeverityWarning {
		t.Errorf("uncertain = %+v", u)
	}
	if m := findings(rec, schema.CodeSectionMissing, schema.SectionPurpose); len(m) != 0 {
		t.Errorf("section.missing raised: %+v", m)
	}

	// A short answer under an unknown heading proves nothing: the purpose
	// is missing.
	rec = normalizeDoc(t, extractor.FormatDOCX, full(schema.SectionPurpose, h("Övrigt"), p("Inget.")))
	if len(findings(rec, schema.CodeSectionMissing, schema.SectionPurpose)) != 1 ||
		len(findings(rec, schema.CodeExtractionUncertain, schema.SectionPurpose)) != 0 {
		t.Errorf("findings = %+v", rec.Findings)
	}

	// The same section twice with different answers.
	rec = normalizeDoc(t, extractor.FormatDOCX, full("", h("Projektets syfte"), p("Ett annat syfte.")))
	if u := findings(rec, schema.CodeExtractionUncertain, schema.SectionPurpose); len(u) != 1 || !strings.Contains(u[0].Message, "två gånger") {
		t.Errorf("uncertain = %+v", u)
	}
	if got := rec.Sections[schema.SectionPurpose].Text; got != answerOf(schema.SectionPurpose) {
		t.Errorf("purpose = %q, want the first answer", got)
	}

	// A later answer wins over an earlier empty one, without doubt.
	blocks := append([]extractor.Block{h("Syfte")}, full("")...)
	rec = normalizeDoc(t, extractor.FormatDOCX, blocks)
	if got := rec.Sections[schema.SectionPurpose].Text; got != answerOf(schema.SectionPurpose) {
		t.Errorf("purpose = %q", got)
	}
	if u := findings(rec, schema.CodeExtractionUncertain, schema.SectionPurpose); len(u) != 0 {
		t.Errorf("uncertain = %+v", u)
	}
}

func TestAgreementKeepsItsSubheadings(t *testing.T) {
	rec := normalizeDoc(t, extractor.FormatDOCX, []extractor.Block{
		h("Syfte"), p("Ett syfte."),
		h("Överenskommelse"), p("Inledning."),
		h("Kostnader"), p("De beviljade medlen utgör ett maxbelopp."),
		boldPara("Budgetuppföljning"), p("Sker varje kvartal."),
		h("Underskrifter"), p("Parterna skriver under."),
		h("Underskrift (*)"), p("Organisation och datum"), p("Enköpings kommun 2024-01-02"),
	})
	a := rec.Sections[schema.SectionAgreement].Text
	for _, want := range []string{"Kostnader", "Budgetuppföljning", "Underskrifter", "Parterna skriver under."} {
		if !strings.Contains(a, want) {
			t.Errorf("agreement lacks %q: %q", want, a)
		}
	}
	if _, ok := rec.Sections[schema.SectionBudgetText]; ok {
		t.Error("a budget section was opened inside the agreement")
	}
	if len(rec.Signatures) != 1 {
		t.Errorf("signatures = %s", js(rec.Signatures))
	}
}

func TestStrictProfilePinsTheTemplate(t *testing.T) {
	pr := profile.Default()
	pr.StrictHeadings = true
	doc := &extractor.Document{Name: "a.docx", Format: extractor.FormatDOCX, Blocks: []extractor.Block{
		h("Syfte"), p("Ett syfte."), boldPara("Metod och arbetssätt"), p("Stöd."),
	}}
	rec := Normalize([]Input{{Doc: doc}}, pr)
	if _, ok := rec.Sections[schema.SectionMethods]; ok {
		t.Error("a pinned profile used the lexicon")
	}
	if got := rec.Sections[schema.SectionPurpose].Text; got != "Ett syfte.\n\nMetod och arbetssätt\n\nStöd." {
		t.Errorf("purpose = %q", got)
	}
	rec = Normalize([]Input{{Doc: doc}}, nil)
	if _, ok := rec.Sections[schema.SectionMethods]; !ok {
		t.Error("the default reading missed the methods")
	}
}

// A profile whose Överenskommelse does not list "Underskrifter" as a
// sub-heading: the signatures' own strong heading ends the agreement; a
// weak line that merely names signatures does not.
func TestSignatureHeadingEndsAgreement(t *testing.T) {
	pr := profile.Default()
	pr.Agreement.Subheadings = []string{"Kostnader"}
	doc := &extractor.Document{Name: "a.docx", Format: extractor.FormatDOCX, Blocks: []extractor.Block{
		h("Syfte"), p("Ett syfte."),
		h("Överenskommelse"), p("Inledning."),
		h("Kostnader"), p("De beviljade medlen utgör ett maxbelopp."),
		p("Underskrift av behörig företrädare krävs"),
		boldPara("5. Underskrifter"), p("Organisation och datum"), p("Enköpings kommun 2024-01-02"),
	}}
	rec := Normalize([]Input{{Doc: doc}}, pr)
	a := rec.Sections[schema.SectionAgreement].Text
	if !strings.Contains(a, "Underskrift av behörig företrädare krävs") || strings.Contains(a, "Underskrifter") || strings.Contains(a, "Enköpings") {
		t.Errorf("agreement %q", a)
	}
	if len(rec.Signatures) != 1 {
		t.Errorf("signatures = %s", js(rec.Signatures))
	}
}

// A Word file printed to PDF loses its heading styles but keeps their
// spacing: a bold label set off from the text above it (or at the top
// of a page, nearer its text than paragraphs are to each other) is an
// applicant's heading; the same bold label standing like the paragraphs
// around it is a sub-label of the answer. A heading with a remark in
// parentheses is not read as a sentence by the remark's verb.
func TestPDFHeadingsBySpacing(t *testing.T) {
	at := func(text string, level int, bold bool, page int, above, below float64) extractor.Block {
		return extractor.Block{Kind: extractor.KindParagraph, Text: text, Level: level, Bold: bold, Page: page, Above: above, Below: below}
	}
	body := func(text string, page int) extractor.Block { return at(text, 0, false, page, 19.9, 19.9) }
	blocks := []extractor.Block{
		at("Beskriv metod/metoder ni kommer använda (*)", 2, true, 1, 33.8, 20.6),
		body("Insatsen bygger på kartläggning och SIP.", 1),
		at("Planerade aktiviteter i insatsen:", 2, true, 1, 19.9, 19.9),
		body("Individuella planer tas fram.", 1),
		body("Teamet träffar deltagarna varje vecka.", 1),
		at("Roller i teamet (resurserna kan fördelas på flera personer)", 2, true, 1, 25.9, 16.9),
		body("En coach på heltid.", 1),
		at("Vårdens roll i insatsen:", 2, true, 2, 0, 16.9),
		body("Vården deltar i SIP.", 2),
		at("Kommunens roll i insatsen:", 2, true, 2, 19.9, 19.9),
		body("Kommunen har en enhet för målgruppen.", 2),
		body("Enheten samordnar arbetet.", 2),
		at("Beskriv metod för uppföljning och utvärdering av målen", 2, true, 2, 33.8, 20.6),
		body("Uppföljning varje kvartal.", 2),
	}
	rec := normalizeDoc(t, extractor.FormatPDF, blocks)
	if got, want := rec.Sections[schema.SectionMethods].Text,
		"Insatsen bygger på kartläggning och SIP.\n\nPlanerade aktiviteter i insatsen:\n\nIndividuella planer tas fram.\n\nTeamet träffar deltagarna varje vecka."; got != want {
		t.Errorf("methods\n got %q\nwant %q", got, want)
	}
	want := []schema.Section{
		{Heading: "Roller i teamet (resurserna kan fördelas på flera personer)", Text: "En coach på heltid."},
		{Heading: "Vårdens roll i insatsen:", Text: "Vården deltar i SIP.\n\nKommunens roll i insatsen:\n\nKommunen har en enhet för målgruppen.\n\nEnheten samordnar arbetet."},
	}
	if !slices.Equal(rec.ExtraSections, want) {
		t.Errorf("extra sections\n got %q\nwant %q", rec.ExtraSections, want)
	}
}

// A sentence keeps being a sentence when it ends in a parenthesis, and
// a heading's remark does not make it one.
func TestStatementIgnoresRemark(t *testing.T) {
	for text, want := range map[string]bool{
		"Roller i teamet (resurserna kan fördelas på flera personer)": false,
		"Ange budget (separat budget ska bifogas)":                    false,
		"Insatsen ska följas upp (se bilaga)":                         true,
		"Syftet är att stödja deltagarna.":                            true,
		"(Texten under hela detta avsnitt skall stå kvar orörd)":      true,
	} {
		if got := statement(text); got != want {
			t.Errorf("statement(%q) = %v, want %v", text, got, want)
		}
	}
}
