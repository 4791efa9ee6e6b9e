package normalizer

import (
	"os"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/pdf"
	"github.com/finsam/ansokan/schema"
)

// budgetWithoutColumn reads a sample PDF and drops, from every budget
// table, the cells whose text sits in the party column that header holds:
// the reader lost that column.
func budgetWithoutColumn(t *testing.T, name, party string) *extractor.Document {
	t.Helper()
	f, err := os.Open("../samples/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := pdf.Read(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	doc.Name = name
	dropped := 0
	for i := range doc.Blocks {
		tb := doc.Blocks[i].Table
		if tb == nil || !budgetIsBudgetTable(tb) {
			continue
		}
		// The column's x-range: the header cell naming the party.
		var x0, x1 float64
		for _, r := range tb.Rows {
			for _, c := range r.Cells {
				if RejoinBroken(strings.Join(strings.Fields(c.Text), " ")) == party {
					x0, x1 = c.X0-1, c.X1+1
				}
			}
		}
		if x1 == 0 {
			continue
		}
		for k := range tb.Rows {
			r := &tb.Rows[k]
			var keep []extractor.Cell
			for _, c := range r.Cells {
				if c.Text != "" && c.X0 >= x0-30 && c.X1 <= x1+30 && (c.X0+c.X1)/2 > x0 && (c.X0+c.X1)/2 < x1 {
					dropped++
					continue
				}
				keep = append(keep, c)
			}
			r.Cells = keep
		}
	}
	if dropped == 0 {
		t.Fatalf("%s: no column %q found", name, party)
	}
	return doc
}

func budgetFindings(rec *schema.Record) (uncertain []schema.Finding, sums []string) {
	for _, f := range rec.Findings {
		switch {
		case f.Code == schema.CodeExtractionUncertain && f.Subject != nil && *f.Subject == "budget":
			uncertain = append(uncertain, f)
		case strings.HasPrefix(f.Code, "budget.") && f.Code != schema.CodeBudgetUnitMismatch:
			sums = append(sums, f.Code+": "+f.Message)
		}
	}
	return uncertain, sums
}

// TestBudgetGateColumnLost: a budget read with a party column lost gives
// one extraction.uncertain finding, not a cascade of sum errors; the
// same budget read whole gives neither.
func TestBudgetGateColumnLost(t *testing.T) {
	const name = "h-langa-namn.pdf"
	for _, party := range []string{"Skellefteå kommun", "Arbetsförmedlingen", "Region Västerbotten"} {
		t.Run(party, func(t *testing.T) {
			rec := Normalize([]Input{{Doc: budgetWithoutColumn(t, name, party)}}, nil)
			unc, sums := budgetFindings(rec)
			if len(unc) != 1 {
				t.Fatalf("got %d extraction.uncertain findings on the budget, want 1 (sum findings: %q)", len(unc), sums)
			}
			if len(sums) != 0 {
				t.Errorf("sum findings behind the gate: %q", sums)
			}
			msg := unc[0].Message
			if !strings.HasSuffix(msg, "granska manuellt.") || !strings.Contains(msg, name) {
				t.Errorf("message %q: want the file named and ending in \"granska manuellt.\"", msg)
			}
			if e := unc[0].Evidence; e == nil || e.File != name || e.Page == nil {
				t.Errorf("evidence %+v: want file %s and a page", e, name)
			}
		})
	}
	t.Run("whole", func(t *testing.T) {
		f, err := os.ReadFile("../samples/" + name)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := pdf.Read(strings.NewReader(string(f)), int64(len(f)))
		if err != nil {
			t.Fatal(err)
		}
		doc.Name = name
		unc, sums := budgetFindings(Normalize([]Input{{Doc: doc}}, nil))
		if len(unc) != 0 || len(sums) != 0 {
			t.Errorf("whole budget: uncertain %v, sums %q; want none", unc, sums)
		}
	})
}

// TestBudgetPeriodParagraph: the budget's löptid written in a paragraph
// beside the table, not in its rows, is read as its period; a paragraph
// far from any budget table is not.
func TestBudgetPeriodParagraph(t *testing.T) {
	var blocks []extractor.Block
	para := func(s string) {
		blocks = append(blocks, extractor.Block{Kind: extractor.KindParagraph, Text: s, Paragraph: len(blocks) + 1})
	}
	para("Budgetens löptid: 2025-01-01 – 2026-12-31")
	for _, bt := range seed000Grid() {
		tb := bt.Table
		var rows []extractor.Row
		for _, r := range tb.Rows {
			if len(r.Cells) > 0 && strings.Contains(strings.ToLower(r.Cells[0].Text), "löptid") {
				continue // the period only in the paragraph
			}
			rows = append(rows, r)
		}
		tb.Rows = rows
		blocks = append(blocks, extractor.Block{Kind: extractor.KindTable, Table: tb})
	}
	para("Text om något annat.")
	para("Text om något annat igen.")
	para("Projektets löptid var tidigare 2020-01-01 – 2020-12-31.")
	doc := &extractor.Document{Name: "ansokan.docx", Format: extractor.FormatDOCX, Blocks: blocks}
	_, _, tables := flatten(doc)
	b, locs := parseBudget(tables)
	if b == nil || b.Period == nil || b.Period.Start == nil || b.Period.End == nil {
		t.Fatalf("budget period: %+v", b)
	}
	if *b.Period.Start != "2025-01-01" || *b.Period.End != "2026-12-31" {
		t.Errorf("period %s – %s, want 2025-01-01 – 2026-12-31", *b.Period.Start, *b.Period.End)
	}
	if l := locs["/budget/period"]; l.Paragraph != 1 {
		t.Errorf("period evidence %+v, want paragraph 1", l)
	}
}
