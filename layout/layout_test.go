package layout

import (
	"slices"
	"testing"

	"github.com/finsam/ansokan/extractor"
)

func para(text string) extractor.Block {
	return extractor.Block{Kind: extractor.KindParagraph, Text: text}
}

func bold(text string) extractor.Block {
	b := para(text)
	b.Bold = true
	return b
}

func styled(text string, level int) extractor.Block {
	b := para(text)
	b.Level = level
	return b
}

func cell(col int, blocks ...extractor.Block) extractor.Cell {
	c := extractor.Cell{Col: col, Span: 1, Blocks: blocks}
	for i, b := range blocks {
		if i > 0 {
			c.Text += "\n"
		}
		c.Text += b.Text
	}
	return c
}

func table(cols int, rows ...[]extractor.Cell) extractor.Block {
	t := &extractor.Table{Columns: cols}
	for _, r := range rows {
		t.Rows = append(t.Rows, extractor.Row{Cells: r})
	}
	return extractor.Block{Kind: extractor.KindTable, Table: t}
}

func docOf(format extractor.Format, blocks ...extractor.Block) *extractor.Document {
	return &extractor.Document{Name: "t." + string(format), Format: format, Blocks: blocks}
}

// cuesOf returns the cues of the item whose text is text, or nil when it
// is no candidate.
func cuesOf(t *testing.T, items []Item, text string) ([]Cue, int, bool) {
	t.Helper()
	for i := range items {
		if items[i].Text == text {
			c, ok := Classify(items, i)
			return c.Cues, c.Strength, ok
		}
	}
	t.Fatalf("no item %q", text)
	return nil, 0, false
}

func TestCandidates(t *testing.T) {
	tests := []struct {
		name    string
		doc     *extractor.Document
		text    string
		want    []Cue // cues that must be there
		minimum int   // strength at least
		none    bool  // no candidate at all
	}{
		{"word heading style", docOf(extractor.FormatDOCX, styled("Syfte med insatsen", 1), para("Vi vill.")), "Syfte med insatsen", []Cue{CueStyle}, Strong, false},
		{"bold paragraph", docOf(extractor.FormatDOCX, bold("Metod och arbetssätt"), para("Vi arbetar med SIP.")), "Metod och arbetssätt", []Cue{CueBold, CueShort}, Strong, false},
		{"numbered plain", docOf(extractor.FormatDOCX, para("4. Förankring"), para("Ja.")), "4. Förankring", []Cue{CueNumbered, CueShort}, 2, false},
		{"decimal numbering", docOf(extractor.FormatDOCX, para("2.1 Budget och finansiering"), para("x")), "2.1 Budget och finansiering", []Cue{CueNumbered}, 2, false},
		{"question", docOf(extractor.FormatDOCX, para("Hur ska insatsen följas upp?"), para("Kvartalsvis.")), "Hur ska insatsen följas upp?", []Cue{CueQuestion}, 1, false},
		{"long question", docOf(extractor.FormatDOCX, para("Har ansökan diskuterats i lokal utvecklingsgrupp eller i den strategiska utvecklingsgruppen och i så fall när och med vilket resultat för målgruppen?")), "Har ansökan diskuterats i lokal utvecklingsgrupp eller i den strategiska utvecklingsgruppen och i så fall när och med vilket resultat för målgruppen?", []Cue{CueQuestion}, 1, false},
		{"label", docOf(extractor.FormatDOCX, para("Övergripande mål:"), para("Fler i arbete.")), "Övergripande mål:", []Cue{CueLabel, CueShort}, 2, false},
		{"pdf size level", docOf(extractor.FormatPDF, styled("Bakgrund", 2)), "Bakgrund", []Cue{CueSize}, 3, false},
		{"sentence is no heading", docOf(extractor.FormatDOCX, para("Syftet är att stödja deltagarna.")), "Syftet är att stödja deltagarna.", nil, 0, true},
		{"bold sentence is no heading", docOf(extractor.FormatDOCX, bold("Insatsen ska följas upp varje kvartal.")), "Insatsen ska följas upp varje kvartal.", nil, 0, true},
		{"bullet is no heading", docOf(extractor.FormatDOCX, extractor.Block{Kind: extractor.KindListItem, Text: "Samverkan", ListMarker: "•"}), "Samverkan", nil, 0, true},
		{"digits only", docOf(extractor.FormatDOCX, para("2024-08-01")), "2024-08-01", nil, 0, true},
		{"shaded cell, answer below", docOf(extractor.FormatDOCX, table(1,
			[]extractor.Cell{cell(0, bold("Syfte med insatsen"))},
			[]extractor.Cell{cell(0, para("Vi vill att fler kommer i arbete."))})), "Syfte med insatsen", []Cue{CueCellLabel, CueHeaderRow}, Strong, false},
		{"bold cell, answer right", docOf(extractor.FormatDOCX, table(2,
			[]extractor.Cell{cell(0, bold("Målgrupp")), cell(1, para("Unga vuxna 18–29 år."))})), "Målgrupp", []Cue{CueCellLabel, CueKeyCell}, Strong, false},
		{"plain key cell", docOf(extractor.FormatPDF, table(2,
			[]extractor.Cell{{Col: 0, Text: "Projektägare"}, {Col: 1, Text: "Svedala kommun"}})), "Projektägare", []Cue{CueKeyCell}, 2, false},
		{"one-cell header row in a wide table", docOf(extractor.FormatDOCX, table(3,
			[]extractor.Cell{{Col: 0, Span: 3, Text: "Planerad insatstid"}},
			[]extractor.Cell{{Col: 0, Span: 1, Text: "Start"}, {Col: 1, Span: 1, Text: "Slut"}})), "Planerad insatstid", []Cue{CueHeaderRow}, 2, false},
		{"answer cell is no header", docOf(extractor.FormatDOCX, table(1,
			[]extractor.Cell{cell(0, bold("Syfte"))},
			[]extractor.Cell{cell(0, para("Ökad samverkan"))})), "Ökad samverkan", nil, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := Flatten(tt.doc, Options{})
			cues, strength, ok := cuesOf(t, items, tt.text)
			if tt.none {
				if ok {
					t.Fatalf("candidate with cues %v, want none", cues)
				}
				return
			}
			if !ok {
				t.Fatal("no candidate")
			}
			for _, c := range tt.want {
				if !slices.Contains(cues, c) {
					t.Errorf("cues %v lack %s", cues, c)
				}
			}
			if strength < tt.minimum {
				t.Errorf("strength %d (cues %v), want at least %d", strength, cues, tt.minimum)
			}
		})
	}
}

// An answer cell is weaker than its header: it is not a header row and
// not a cell label.
func TestAnswerCellNotHeader(t *testing.T) {
	items := Flatten(docOf(extractor.FormatDOCX, table(1,
		[]extractor.Cell{cell(0, bold("Syfte"))},
		[]extractor.Cell{cell(0, para("Ökad samverkan"))})), Options{})
	cues, _, _ := cuesOf(t, items, "Ökad samverkan")
	if slices.Contains(cues, CueHeaderRow) || slices.Contains(cues, CueCellLabel) {
		t.Errorf("answer cell got %v", cues)
	}
}

func TestFlattenProvenance(t *testing.T) {
	b := para("Bakgrund")
	b.Paragraph = 7
	tb := table(2, []extractor.Cell{{Col: 0, Text: "Start", Ref: ""}, {Col: 1, Text: "2024-01-01"}})
	tb.Table.Page = 3
	items := Flatten(docOf(extractor.FormatPDF, b, tb), Options{})
	if len(items) != 3 {
		t.Fatalf("%d items", len(items))
	}
	if items[0].Loc.Paragraph != 7 || items[0].Loc.File != "t.pdf" {
		t.Errorf("paragraph loc %+v", items[0].Loc)
	}
	if items[2].Loc.Page != 3 || items[2].Table != 1 || items[2].Col != 1 {
		t.Errorf("cell loc %+v table %d col %d", items[2].Loc, items[2].Table, items[2].Col)
	}
	// A table the caller takes is not flattened; Skip leaves a block out.
	items = Flatten(docOf(extractor.FormatPDF, b, tb), Options{
		Table: func(*extractor.Table) bool { return false },
		Skip:  func(i int) bool { return i == 0 },
	})
	if len(items) != 0 {
		t.Errorf("%d items, want 0", len(items))
	}
}

func TestSplitInline(t *testing.T) {
	tests := []struct {
		text, label, value string
		ok                 bool
	}{
		{"Startdatum: 2024-08-01", "Startdatum", "2024-08-01", true},
		{"Organisation: Region Uppsala", "Organisation", "Region Uppsala", true},
		{"Ange förväntat antal deltagare: Minst 20 per år", "Ange förväntat antal deltagare", "Minst 20 per år", true},
		{"Mötet börjar kl. 10:30 i Uppsala", "", "", false},
		{"Se https://example.se/x", "", "", false},
		{"Vi har träffats många gånger och diskuterat detta i olika sammanhang, till exempel: SIP", "", "", false},
		{"Mål:", "", "", false},
	}
	for _, tt := range tests {
		l, v, ok := SplitInline(tt.text)
		if ok != tt.ok || l != tt.label || v != tt.value {
			t.Errorf("SplitInline(%q) = %q, %q, %v; want %q, %q, %v", tt.text, l, v, ok, tt.label, tt.value, tt.ok)
		}
	}
}

func TestPairs(t *testing.T) {
	doc := docOf(extractor.FormatDOCX,
		para("Projektägare: Svedala kommun"),
		table(2,
			[]extractor.Cell{cell(0, para("Insatsägare")), cell(1, para("Enköpings kommun"))},
			[]extractor.Cell{cell(0, para("Samverkanspart")), cell(1, para("Region Uppsala"))}),
		table(2,
			[]extractor.Cell{cell(0, para("Startdatum")), cell(1, para("2024-08-01"))},
			[]extractor.Cell{cell(0, para("Slutdatum")), cell(1, para("2026-07-31"))}),
		table(3,
			[]extractor.Cell{cell(0, para("Startdatum")), cell(1, para("Slutdatum")), cell(2, para("Sista intag"))},
			[]extractor.Cell{cell(0, para("2025-03-01")), cell(1, para("2026-02-28")), cell(2, para("2025-11-30"))}),
	)
	var got []string
	for _, p := range Pairs(Flatten(doc, Options{})) {
		got = append(got, p.Label+"="+p.Value)
	}
	want := []string{
		"Projektägare=Svedala kommun",
		"Insatsägare=Enköpings kommun", "Samverkanspart=Region Uppsala",
		"Startdatum=2024-08-01", "Slutdatum=2026-07-31",
		"Startdatum=2025-03-01", "Slutdatum=2026-02-28", "Sista intag=2025-11-30",
	}
	if !slices.Equal(got, want) {
		t.Errorf("pairs\n got %q\nwant %q", got, want)
	}
}

// pdfPara is a PDF paragraph with the baseline distances to the lines
// above and below it, at a size level and weight.
func pdfPara(text string, level int, bold bool, above, below float64) extractor.Block {
	return extractor.Block{Kind: extractor.KindParagraph, Text: text, Level: level, Bold: bold, Page: 2, Above: above, Below: below}
}

// pdfBody is a page of body paragraphs 19.9 points apart (a Word
// paragraph's space after, printed), with blk among them.
func pdfBody(blk ...extractor.Block) *extractor.Document {
	body := func(s string) extractor.Block { return pdfPara(s, 0, false, 19.9, 19.9) }
	blocks := []extractor.Block{body("Första stycket i svaret."), body("Andra stycket i svaret."), body("Tredje stycket.")}
	blocks = append(blocks, blk...)
	return docOf(extractor.FormatPDF, append(blocks, body("Fjärde stycket."))...)
}

func TestSetOff(t *testing.T) {
	tests := []struct {
		name string
		doc  *extractor.Document
		text string
		want bool
	}{
		// A Word heading style printed: its space before, a small space after.
		{"heading style in a pdf", pdfBody(pdfPara("Roller i teamet", 2, true, 25.9, 16.9)), "Roller i teamet", true},
		{"heading label in a pdf", pdfBody(pdfPara("Vårdens roll i insatsen:", 2, true, 33.8, 20.6)), "Vårdens roll i insatsen:", true},
		{"page top, closer to its text than paragraphs are", pdfBody(pdfPara("Vårdens roll i insatsen:", 2, true, 0, 16.9)), "Vårdens roll i insatsen:", true},
		// A sub-label inside an answer stands like the paragraphs around it.
		{"sub-label as far above as below", pdfBody(pdfPara("Strukturnivå:", 2, true, 19.9, 19.9)), "Strukturnivå:", false},
		{"sub-label a little nearer its text", pdfBody(pdfPara("Individnivå:", 2, true, 20.6, 19.9)), "Individnivå:", false},
		{"page top at the paragraphs' distance", pdfBody(pdfPara("Strukturnivå:", 2, true, 0, 19.9)), "Strukturnivå:", false},
		{"page top without paragraphs to compare", docOf(extractor.FormatPDF, pdfPara("Strukturnivå:", 2, true, 0, 16.9)), "Strukturnivå:", false},
		{"last line of a page", pdfBody(pdfPara("Roller i teamet", 2, true, 33.8, 0)), "Roller i teamet", false},
		{"no spacing known (a Word file)", docOf(extractor.FormatDOCX, bold("Strukturnivå:"), para("Text.")), "Strukturnivå:", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := Flatten(tt.doc, Options{})
			cues, _, _ := cuesOf(t, items, tt.text)
			if got := slices.Contains(cues, CueSetOff); got != tt.want {
				t.Errorf("set_off %v (cues %v), want %v", got, cues, tt.want)
			}
		})
	}
}

// A heading is found by its spacing alone when a scan's reader missed
// its weight: set off and short is strong.
func TestSetOffPlainLineIsStrong(t *testing.T) {
	text := "Roller i teamet (resurserna kan fördelas på flera personer inom deltagande verksamheter)"
	items := Flatten(pdfBody(pdfPara(text, 0, false, 25.9, 16.6)), Options{})
	cues, strength, ok := cuesOf(t, items, text)
	if !ok || strength < Strong || !slices.Contains(cues, CueShort) {
		t.Errorf("cues %v strength %d, want short and set_off, strong", cues, strength)
	}
}

func TestWithoutRemark(t *testing.T) {
	for in, want := range map[string]string{
		"Roller i teamet (resurserna kan fördelas på flera personer)":        "Roller i teamet",
		"Ange budget/finansiering (separat budget ska bifogas enligt mall):": "Ange budget/finansiering",
		"Insatsägare (*)":                       "Insatsägare",
		"Vilka deltar (och hur många)?":         "Vilka deltar",
		"Metod och arbetssätt":                  "Metod och arbetssätt",
		"(Texten under detta avsnitt ska stå)":  "(Texten under detta avsnitt ska stå)", // all remark
		"Kostnad (lön (brutto))":                "Kostnad (lön (brutto))",               // nested: left as is
		"Budgeten (se bilaga) gäller för 2023.": "Budgeten (se bilaga) gäller för 2023.",
	} {
		if got := WithoutRemark(in); got != want {
			t.Errorf("WithoutRemark(%q) = %q, want %q", in, got, want)
		}
	}
}
