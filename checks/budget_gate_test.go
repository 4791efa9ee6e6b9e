package checks

import (
	"testing"

	"github.com/finsam/ansokan/schema"
)

func gateI64(v int64) *int64 { return &v }

// gateBudget is a small consistent budget: two parties, three requested
// lines, their Summa rows and totals.
func gateBudget() *schema.Budget {
	line := func(label string, a, b int64) schema.BudgetLine {
		return schema.BudgetLine{Label: label, Amounts: map[string]int64{"Mora kommun": a, "Region Dalarna": b}, Total: gateI64(a + b)}
	}
	sum := func(a, b int64) *schema.SumRow {
		return &schema.SumRow{Amounts: map[string]int64{"Mora kommun": a, "Region Dalarna": b}, Total: gateI64(a + b)}
	}
	total := func(a, b int64) *schema.Total {
		return &schema.Total{Amounts: map[string]int64{"Mora kommun": a, "Region Dalarna": b}, Total: gateI64(a + b)}
	}
	return &schema.Budget{
		Parties: []string{"Mora kommun", "Region Dalarna"},
		Unit:    "kr",
		Requested: &schema.CostGroups{
			Salaries: &schema.CostGroup{Lines: []schema.BudgetLine{line("1. Samordnare", 600000, 0), line("2. Arbetsterapeut", 0, 300000)}, Sum: sum(600000, 300000)},
			Premises: &schema.CostGroup{Lines: []schema.BudgetLine{line("Lokalhyra", 60000, 0)}, Sum: sum(60000, 0)},
			Other:    &schema.CostGroup{Lines: []schema.BudgetLine{line("Resor", 20000, 10000)}, Sum: sum(20000, 10000)},
		},
		RequestedTotal: total(680000, 310000),
		TotalCost:      total(680000, 310000),
	}
}

func gateRun(b *schema.Budget) (uncertain, sums int) {
	r := &schema.Record{Budget: b}
	Run(r, &Context{})
	for _, f := range r.Findings {
		switch f.Code {
		case schema.CodeExtractionUncertain:
			uncertain++
		case schema.CodeBudgetRowSum, schema.CodeBudgetColumnSum, schema.CodeBudgetTotal, schema.CodeBudgetSummary:
			sums++
		}
	}
	return uncertain, sums
}

func TestBudgetGate(t *testing.T) {
	tests := []struct {
		name              string
		edit              func(b *schema.Budget)
		uncertain, sumsAt int // sumsAt: the least number of sum findings
	}{
		{"consistent", func(*schema.Budget) {}, 0, 0},
		{"one wrong line is the applicant's", func(b *schema.Budget) {
			b.Requested.Other.Lines[0].Total = gateI64(31000)
		}, 0, 1},
		{"a column lost: lines without its figures", func(b *schema.Budget) {
			for _, g := range []*schema.CostGroup{b.Requested.Salaries, b.Requested.Premises, b.Requested.Other} {
				for i := range g.Lines {
					delete(g.Lines[i].Amounts, "Mora kommun")
				}
			}
		}, 1, 0},
		{"figures credited to the neighbour column", func(b *schema.Budget) {
			b.Requested.Salaries.Lines[0].Amounts = map[string]int64{"Region Dalarna": 600000}
			b.Requested.Premises.Lines[0].Amounts = map[string]int64{"Region Dalarna": 60000}
			b.Requested.Other.Lines[0].Amounts = map[string]int64{"Region Dalarna": 30000}
		}, 1, 0},
		{"a column dropped everywhere", func(b *schema.Budget) {
			b.Parties = []string{"Region Dalarna"}
			for _, g := range []*schema.CostGroup{b.Requested.Salaries, b.Requested.Premises, b.Requested.Other} {
				for i := range g.Lines {
					delete(g.Lines[i].Amounts, "Mora kommun")
				}
				delete(g.Sum.Amounts, "Mora kommun")
			}
			delete(b.RequestedTotal.Amounts, "Mora kommun")
			delete(b.TotalCost.Amounts, "Mora kommun")
		}, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := gateBudget()
			tt.edit(b)
			u, s := gateRun(b)
			if u != tt.uncertain {
				t.Errorf("extraction.uncertain: got %d, want %d", u, tt.uncertain)
			}
			if tt.uncertain > 0 && s != 0 {
				t.Errorf("got %d sum findings behind the gate, want none", s)
			}
			if tt.uncertain == 0 && s < tt.sumsAt {
				t.Errorf("got %d sum findings, want at least %d", s, tt.sumsAt)
			}
		})
	}
}

// Figures on a page OCR read with low confidence are guesses: one wrong
// line there is not the applicant's error but the budget's doubt; the
// same line on a page read well (or a text layer) is reported.
func TestBudgetOnDoubtfulPage(t *testing.T) {
	page := func(n int) schema.Evidence { return schema.Evidence{File: "b.pdf", Page: &n} }
	for _, tc := range []struct {
		name      string
		doubtful  map[string][]int
		uncertain int
		sums      int
	}{
		{"page read well", map[string][]int{"b.pdf": {}}, 0, 1},
		{"another page doubtful", map[string][]int{"b.pdf": {7}}, 0, 1},
		{"another file's page doubtful", map[string][]int{"a.pdf": {4}}, 0, 1},
		{"the budget's page doubtful", map[string][]int{"b.pdf": {4}}, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := gateBudget()
			b.Requested.Other.Lines[0].Total = gateI64(31000)
			r := &schema.Record{Budget: b}
			c := &Context{Doubtful: tc.doubtful, Where: map[string]schema.Evidence{
				"/budget/requested/other/lines/0": page(4), "/budget/requested_total": page(4),
			}}
			Run(r, c)
			var u, sums []schema.Finding
			for _, f := range r.Findings {
				switch f.Code {
				case schema.CodeExtractionUncertain:
					u = append(u, f)
				case schema.CodeBudgetRowSum, schema.CodeBudgetColumnSum, schema.CodeBudgetTotal:
					sums = append(sums, f)
				}
			}
			if len(u) != tc.uncertain || len(sums) < tc.sums || tc.sums == 0 && len(sums) > 0 {
				t.Fatalf("uncertain %d, sums %d: %+v", len(u), len(sums), r.Findings)
			}
			if len(u) == 1 && (u[0].Evidence == nil || *u[0].Evidence.Page != 4 || deref(u[0].Subject) != "budget") {
				t.Errorf("uncertain %+v", u[0])
			}
		})
	}
}
