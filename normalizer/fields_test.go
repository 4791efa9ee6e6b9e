package normalizer

import (
	"testing"

	"github.com/finsam/ansokan/extractor"
)

func kv(rows ...[2]string) extractor.Block {
	t := &extractor.Table{Columns: 2}
	for _, r := range rows {
		t.Rows = append(t.Rows, extractor.Row{Cells: []extractor.Cell{
			{Col: 0, Span: 1, Text: r[0], Blocks: []extractor.Block{boldPara(r[0])}},
			{Col: 1, Span: 1, Text: r[1], Blocks: []extractor.Block{p(r[1])}},
		}})
	}
	return extractor.Block{Kind: extractor.KindTable, Table: t}
}

// Another förbund's form: the fields in a key–value table, the amount
// and the anchoring in prose.
func TestFieldsFromAnotherForm(t *testing.T) {
	rec := normalizeDoc(t, extractor.FormatDOCX, []extractor.Block{
		boldPara("Ansökan om medel"),
		kv([2]string{"Projektnamn", "Vägen in"},
			[2]string{"Sökande organisation", "Trelleborgs kommun, Arbetsmarknadsenheten"},
			[2]string{"Medverkande parter", "Arbetsförmedlingen, Region Skåne och Försäkringskassan"},
			[2]string{"Projektperiod", "2025-03-01 – 2026-02-28"},
			[2]string{"Antal deltagare", "40 per år"}),
		boldPara("Syfte med insatsen"), p("Att fler unga vuxna kommer i arbete."),
		boldPara("Metod och arbetssätt"), p("Vi arbetar med stegvis stöd."),
		p("Intag av nya deltagare sker till och med 30 november 2025."),
		boldPara("Budget och finansiering"),
		p("Från förbundet söks 1 200 000 kr. Den totala kostnaden är 1 500 000 kr, varav egenfinansiering 300 000 kr."),
		boldPara("Förankring"),
		p("Ansökan har förankrats i beredningsgruppen den 12 mars 2025."),
	})
	if deref(rec.Title) != "Vägen in" {
		t.Errorf("title = %s", js(rec.Title))
	}
	if rec.Owner == nil || deref(rec.Owner.Organisation) != "Trelleborgs kommun" || len(rec.Owner.Units) != 1 || rec.Owner.Units[0] != "Arbetsmarknadsenheten" {
		t.Errorf("owner = %s", js(rec.Owner))
	}
	if len(rec.Partners) != 3 {
		t.Errorf("partners = %s", js(rec.Partners))
	}
	if rec.Period == nil || deref(rec.Period.Start) != "2025-03-01" || deref(rec.Period.End) != "2026-02-28" || deref(rec.Period.IntakeEnd) != "2025-11-30" {
		t.Errorf("period = %s", js(rec.Period))
	}
	if rec.ExpectedParticipants == nil || rec.ExpectedParticipants.Count == nil || *rec.ExpectedParticipants.Count != 40 || !rec.ExpectedParticipants.PerYear {
		t.Errorf("participants = %s", js(rec.ExpectedParticipants))
	}
	if rec.RequestedAmountSEK == nil || *rec.RequestedAmountSEK != 1200000 {
		t.Errorf("requested = %s", js(rec.RequestedAmountSEK))
	}
	if rec.Anchoring == nil || rec.Anchoring.Discussed == nil || !*rec.Anchoring.Discussed {
		t.Errorf("anchoring = %s", js(rec.Anchoring))
	}
}

func TestAnchoringInEveryForm(t *testing.T) {
	q := "Har ansökan diskuterats i beredningsgruppen?"
	row := func(cells ...string) []extractor.Cell {
		var out []extractor.Cell
		for i, c := range cells {
			out = append(out, extractor.Cell{Col: i, Span: 1, Text: c})
		}
		return out
	}
	grid := func(rows ...[]extractor.Cell) extractor.Block {
		t := &extractor.Table{Columns: len(rows[0])}
		for _, r := range rows {
			t.Rows = append(t.Rows, extractor.Row{Cells: r})
		}
		return extractor.Block{Kind: extractor.KindTable, Table: t}
	}
	tests := []struct {
		name    string
		heading string
		answer  []extractor.Block
		want    *bool
	}{
		{"check boxes", q, []extractor.Block{p("☒ Ja ☐ Nej")}, ptr(true)},
		{"brackets", q, []extractor.Block{p("[ ] Ja [X] Nej")}, ptr(false)},
		{"x under", q, []extractor.Block{grid(row("Ja", "Nej"), row("x", ""))}, ptr(true)},
		{"x beside", q, []extractor.Block{grid(row("Ja", ""), row("Nej", "X"))}, ptr(false)},
		{"typed yes", q, []extractor.Block{p("Ja.")}, ptr(true)},
		{"typed no", q, []extractor.Block{p("Nej, det sker i maj.")}, ptr(false)},
		{"prose", "Förankring", []extractor.Block{p("Ansökan har förankrats i beredningsgruppen den 12 mars 2025.")}, ptr(true)},
		{"negated prose", "Förankring", []extractor.Block{p("Ansökan har ännu inte diskuterats i utvecklingsgruppen.")}, ptr(false)},
		{"nothing", q, []extractor.Block{p("Se bilaga.")}, nil},
		// An offered choice left unmarked is unanswered: its labels are no
		// typed answer, and the "how" prose does not answer it either.
		{"unmarked cells", q, []extractor.Block{grid(row("Ja", "Nej")), h("Hur och när har ansökan diskuterats?"),
			p("Ansökan diskuterades vid mötet den 3 juni.")}, nil},
		{"unmarked boxes", q, []extractor.Block{p("☐ Ja ☐ Nej")}, nil},
		{"unmarked brackets", q, []extractor.Block{p("[ ] Ja [ ] Nej")}, nil},
		// Only a "how" question: its prose answers.
		{"how only", "Hur har ansökan förankrats?", []extractor.Block{p("Ansökan har förankrats i beredningsgruppen den 12 mars 2025.")}, ptr(true)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks := append([]extractor.Block{h("Syfte"), p("Ett syfte."), h(tt.heading)}, tt.answer...)
			blocks = append(blocks, h("Budget"), p("Se bilaga."))
			rec := normalizeDoc(t, extractor.FormatDOCX, blocks)
			var got *bool
			if rec.Anchoring != nil {
				got = rec.Anchoring.Discussed
			}
			if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
				t.Errorf("discussed = %s, want %s", js(got), js(tt.want))
			}
		})
	}
}

func TestRequestedAmountFromProse(t *testing.T) {
	tests := []struct {
		text string
		want int64
	}{
		{"Från förbundet söks 1 200 000 kr. Den totala kostnaden är 1 500 000 kr, varav egenfinansiering 300 000 kr.", 1200000},
		{"Den totala kostnaden är 1 500 000 kr. Egenfinansieringen är 300 000 kr. Vi ansöker om 1 200 000 kr.", 1200000},
		{"Total kostnad 900 000 kr, egen finansiering 100 000 kr och 800 000 kr från förbundet.", 800000},
		{"Ansökt belopp för förlängningen: 2 904 400 kr, varav 500 000 kr avser upphandlade insatser.", 2904400},
		{"Budget: 2 073 600 kr", 2073600},
	}
	for _, tt := range tests {
		got := requestedAmount(tt.text)
		if got == nil || *got != tt.want {
			t.Errorf("%q: got %s, want %d", tt.text, js(got), tt.want)
		}
	}
}

func TestRequestedAmountOutsideBudget(t *testing.T) {
	rec := normalizeDoc(t, extractor.FormatDOCX, []extractor.Block{
		h("Syfte"), p("Ett syfte."),
		h("Sammanfattning"), p("Insatsen kostar totalt 1 500 000 kr. Från förbundet söks 1 100 000 kr för två år."),
		h("Metod"), p("Stöd."),
	})
	if rec.RequestedAmountSEK == nil || *rec.RequestedAmountSEK != 1100000 {
		t.Errorf("requested = %s", js(rec.RequestedAmountSEK))
	}
}

// A field's value that reads like a label of another field ("start",
// "mål", "period" as words of a title) is the field's answer, not a
// heading: an unformatted line right after an unanswered field label.
func TestFieldValueThatReadsLikeALabel(t *testing.T) {
	for _, title := range []string{
		"Ny start 21 - föräldrar långt från arbetsmarknaden",
		"Målgrupp i fokus",
		"Period för förändring",
	} {
		rec := normalizeDoc(t, extractor.FormatDOCX, []extractor.Block{
			boldPara("Insatsens namn"), p(title),
			boldPara("Insatsägare"), p("Organisation: Uppsala kommun"),
			boldPara("Beskriv syftet med insatsen"), p("Att fler kommer i arbete."),
		})
		if deref(rec.Title) != title {
			t.Errorf("title = %s, want %q", js(rec.Title), title)
		}
		for _, f := range rec.Findings {
			if f.Code == "extraction.uncertain" {
				t.Errorf("%q: %s: %s", title, f.Code, f.Message)
			}
		}
	}
}

// The number of participants stated in a sentence of an answer, when no
// field asks for it.
func TestParticipantsFromProse(t *testing.T) {
	tests := []struct {
		name     string
		heading  string
		text     string
		want     int // 0: none
		wantText string
	}{
		{"target group", "Vem riktar sig insatsen till?", "Personer 18–64 år i Umeå. Cirka 60 deltagare under projekttiden.", 60, "Cirka 60 deltagare under projekttiden."},
		{"per year", "Målgrupp", "Unga vuxna 18–29 år, ca 25 personer per år", 25, "Unga vuxna 18–29 år, ca 25 personer per år"},
		{"goals, taking part", "Mål", "Minst 40 personer deltar under projekttiden.", 40, "Minst 40 personer deltar under projekttiden."},
		// Must not match.
		{"age range", "Målgrupp", "Personer 18–64 år som står långt från arbetsmarknaden.", 0, ""},
		{"a share", "Målgrupp", "Sju av tio deltagare är kvinnor; 7 av 10 deltagare har försörjningsstöd.", 0, ""},
		{"an outcome", "Mål", "20 personer ska ha fått arbete vid projektets slut.", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := normalizeDoc(t, extractor.FormatDOCX, []extractor.Block{
				h("Syfte"), p("Ett syfte."), h(tt.heading), p(tt.text), h("Budget"), p("Se bilaga."),
			})
			ep := rec.ExpectedParticipants
			if tt.want == 0 {
				if ep != nil {
					t.Errorf("participants = %s, want none", js(ep))
				}
				return
			}
			if ep == nil || ep.Count == nil || *ep.Count != tt.want || ep.Text != tt.wantText {
				t.Errorf("participants = %s, want %d (%q)", js(ep), tt.want, tt.wantText)
			}
		})
	}
}

// One list of all the parties with the owner marked in it, when no
// field names the owner.
func TestOwnerMarkedInPartyList(t *testing.T) {
	tests := []struct {
		name      string
		lines     []string
		owner     string // "" none
		nPartners int
	}{
		{"parenthesis", []string{"Organisation: Karlskoga kommun (insatsägare)", "Organisation: Region Örebro län", "Organisation: Arbetsförmedlingen"}, "Karlskoga kommun", 2},
		{"dash", []string{"Region Halland", "Falkenbergs kommun – huvudsökande", "Försäkringskassan"}, "Falkenbergs kommun", 2},
		// Must not match.
		{"no mark", []string{"Region Halland", "Falkenbergs kommun", "Försäkringskassan"}, "", 3},
		{"two marks", []string{"Region Halland (insatsägare)", "Falkenbergs kommun (insatsägare)"}, "", 2},
		{"a word inside", []string{"Insatsägarens enhet, Region Halland", "Försäkringskassan"}, "", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks := []extractor.Block{boldPara("Medverkande organisationer")}
			for _, l := range tt.lines {
				blocks = append(blocks, p(l))
			}
			blocks = append(blocks, boldPara("Syfte med insatsen"), p("Att fler kommer i arbete."))
			rec := normalizeDoc(t, extractor.FormatDOCX, blocks)
			got := ""
			if rec.Owner != nil {
				got = deref(rec.Owner.Organisation)
			}
			if got != tt.owner || len(rec.Partners) != tt.nPartners {
				t.Errorf("owner %q, partners %s; want %q and %d partners", got, js(rec.Partners), tt.owner, tt.nPartners)
			}
		})
	}
}

// The form's own title ("Ansökan om …") opens no section, even when its
// words name one (finansiering → budget).
func TestFormTitleIsNoSection(t *testing.T) {
	rec := normalizeDoc(t, extractor.FormatDOCX, []extractor.Block{
		boldPara("Ansökan om finansiering av samverkansinsats"), p("Samordningsförbundet Hallandskusten"),
		boldPara("Syfte med insatsen"), p("Att fler kommer i arbete."),
		boldPara("Budget"), p("Vi söker 850 000 kr från förbundet."),
	})
	if s := rec.Sections["budget_text"]; s.Heading != "Budget" {
		t.Errorf("budget_text = %s", js(s))
	}
	for _, f := range rec.Findings {
		if f.Code == "extraction.uncertain" {
			t.Errorf("%s: %s", f.Code, f.Message)
		}
	}
}

// An intake sentence a PDF table split over two rows of its column is
// read whole; a finished sentence is never joined to the next row.
func TestIntakeSplitOverRows(t *testing.T) {
	grid := func(rows ...[2]string) extractor.Block {
		t := &extractor.Table{Columns: 2}
		for _, r := range rows {
			t.Rows = append(t.Rows, extractor.Row{Cells: []extractor.Cell{
				{Col: 0, Span: 1, Text: r[0], Blocks: []extractor.Block{p(r[0])}},
				{Col: 1, Span: 1, Text: r[1], Blocks: []extractor.Block{p(r[1])}},
			}})
		}
		return extractor.Block{Kind: extractor.KindTable, Table: t}
	}
	tests := []struct {
		name string
		rows [][2]string
		want string
	}{
		{"split", [][2]string{{"Under vilken tid pågår", "Insatsen pågår 1 augusti 2025 till 31 juli 2027. Intag av"}, {"insatsen?", "nya deltagare sker till och med 30 april 2027."}}, "2027-04-30"},
		// Must not join.
		{"finished sentence", [][2]string{{"Tid", "Intag av deltagare sker löpande."}, {"Slut", "Projektet avslutas 2027-07-31."}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := normalizeDoc(t, extractor.FormatPDF, []extractor.Block{
				boldPara("Syfte med insatsen"), p("Att fler kommer i arbete."), grid(tt.rows...),
			})
			got := ""
			if rec.Period != nil && rec.Period.IntakeEnd != nil {
				got = *rec.Period.IntakeEnd
			}
			if got != tt.want {
				t.Errorf("intake_end %q, want %q", got, tt.want)
			}
		})
	}
}

// A numbered heading keeps its number whether the reader gave it in the
// text (Word) or as a list marker (a PDF's typed "1.").
func TestWithNumber(t *testing.T) {
	for _, c := range []struct {
		marker, written, want string
	}{
		{"1.", "Syfte med insatsen", "1. Syfte med insatsen"},
		{"2.1", "Mål", "2.1 Mål"},
		{"", "1. Syfte med insatsen", "1. Syfte med insatsen"},
		{"•", "Syfte", "Syfte"},        // a bullet is no number
		{"a)", "Syfte", "Syfte"},       // nor a letter
		{"3.", "3. Metod", "3. Metod"}, // already there
	} {
		if got := withNumber(item{marker: c.marker}, c.written); got != c.want {
			t.Errorf("withNumber(%q, %q) = %q, want %q", c.marker, c.written, got, c.want)
		}
	}
}

// The Ja/Nej choice is not part of how the application was anchored.
func TestChoiceLine(t *testing.T) {
	for s, want := range map[string]bool{
		"Har ansökan diskuterats i beredningsgruppen?   ☒ Ja   ☐ Nej": true,
		"Har ansökan diskuterats i beredningsgruppen? Ja Nej":         true,
		"☒":              true,
		"[X] Ja [ ] Nej": true,
		"Ja":             true,
		"Ja, ansökan diskuterades i beredningsgruppen den 4 november.": false,
		"Ansökan har diskuterats i beredningsgruppen den 12 mars.":     false,
		"Nej, den har inte diskuterats än.":                            false,
	} {
		if got := choiceLine(s); got != want {
			t.Errorf("choiceLine(%q) = %v, want %v", s, got, want)
		}
	}
}
