package web

import (
	"strconv"
	"strings"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/schema"
)

// The budget is drawn as the template's table: a row per cost line,
// Summa row and total, a column per party, each cell carrying the JSON
// Pointer of the record's value it shows. A cell a finding's path points
// at (or that lies under it: a finding on a whole line marks the line's
// cells) is flagged with the finding's number.

// cell is one cell of the budget table.
type cell struct {
	Text  string
	Ptr   string
	Flags []int // numbers of the findings that point at it (1-based)
}

// Flagged reports whether a finding points at the cell.
func (c cell) Flagged() bool { return len(c.Flags) > 0 }

// budgetRow is one row of the budget table.
type budgetRow struct {
	Kind    string // "head" (a group's heading), "line", "sum", "total"
	Label   cell
	Percent cell
	From    cell
	To      cell
	Amounts []cell // in the order of budgetView.Parties
	Total   cell
	Notes   []findingRef // the findings flagged in the row, for the notes column
}

// summaryRow is one row of the Budgetsammanställning.
type summaryRow struct {
	Party                                 cell
	Requested, OwnFinancing, Other, Total cell
	Notes                                 []findingRef
}

// findingRef is a finding as the budget's notes show it.
type findingRef struct {
	N       int
	Message string
}

// budgetView is the budget as the page draws it.
type budgetView struct {
	Unit    string
	Period  string
	Parties []string
	Rows    []budgetRow
	Summary []summaryRow
	// Elsewhere are the budget's findings that point at no cell of the
	// tables (the unit, the period, the parties).
	Elsewhere []findingRef
}

func ptrKey(s string) string { return strings.NewReplacer("~", "~0", "/", "~1").Replace(s) }

func kronor(v *int64) string {
	if v == nil {
		return ""
	}
	return strings.TrimSuffix(normalizer.FormatKronor(*v), " kr")
}

func percent(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64) + " %"
}

// newBudgetView draws the record's budget; nil when it has none.
func newBudgetView(r *schema.Record) *budgetView {
	b := r.Budget
	if b == nil {
		return nil
	}
	v := &budgetView{Unit: b.Unit, Parties: b.Parties}
	if b.Period != nil {
		v.Period = strings.TrimSpace(deref(b.Period.Start) + " – " + deref(b.Period.End))
	}
	amountCells := func(base string, m map[string]int64) []cell {
		out := make([]cell, len(b.Parties))
		for i, p := range b.Parties {
			out[i].Ptr = base + "/amounts/" + ptrKey(p)
			if a, ok := m[p]; ok {
				out[i].Text = kronor(&a)
			}
		}
		return out
	}
	halves := []struct {
		key, label, totalKey, totalLabel string
		groups                           *schema.CostGroups
		total                            *schema.Total
	}{
		{"requested", "Kostnader att rekvirera från Samordningsförbundet", "requested_total", "Totalt från Samordningsförbundet", b.Requested, b.RequestedTotal},
		{"own_financing", "Egenfinansiering", "own_financing_total", "Summa egenfinansiering", b.OwnFinancing, b.OwnFinancingTotal},
	}
	for _, h := range halves {
		v.Rows = append(v.Rows, budgetRow{Kind: "head", Label: cell{Text: h.label}})
		if h.groups != nil {
			for _, g := range []struct {
				key, label, sum string
				g               *schema.CostGroup
			}{
				{"salaries", "Lönekostnader", "Summa lönekostnader", h.groups.Salaries},
				{"premises", "Lokalkostnader", "Summa lokalkostnader", h.groups.Premises},
				{"other", "Övriga kostnader", "Summa övriga kostnader", h.groups.Other},
			} {
				if g.g == nil {
					continue
				}
				base := "/budget/" + h.key + "/" + g.key
				v.Rows = append(v.Rows, budgetRow{Kind: "group", Label: cell{Text: g.label}})
				for i, l := range g.g.Lines {
					lp := base + "/lines/" + strconv.Itoa(i)
					v.Rows = append(v.Rows, budgetRow{
						Kind: "line", Label: cell{Text: l.Label, Ptr: lp + "/label"},
						Percent: cell{Text: percent(l.Percent), Ptr: lp + "/percent"},
						From:    cell{Text: deref(l.From), Ptr: lp + "/from"},
						To:      cell{Text: deref(l.To), Ptr: lp + "/to"},
						Amounts: amountCells(lp, l.Amounts), Total: cell{Text: kronor(l.Total), Ptr: lp + "/total"},
					})
				}
				if s := g.g.Sum; s != nil {
					sp := base + "/sum"
					v.Rows = append(v.Rows, budgetRow{
						Kind: "sum", Label: cell{Text: g.sum, Ptr: sp + "/label"},
						Percent: cell{Text: percent(s.Percent), Ptr: sp + "/percent"},
						Amounts: amountCells(sp, s.Amounts), Total: cell{Text: kronor(s.Total), Ptr: sp + "/total"},
					})
				}
			}
		}
		if t := h.total; t != nil {
			tp := "/budget/" + h.totalKey
			v.Rows = append(v.Rows, budgetRow{Kind: "total", Label: cell{Text: h.totalLabel, Ptr: tp + "/label"},
				Amounts: amountCells(tp, t.Amounts), Total: cell{Text: kronor(t.Total), Ptr: tp + "/total"}})
		}
	}
	if t := b.TotalCost; t != nil {
		v.Rows = append(v.Rows, budgetRow{Kind: "total", Label: cell{Text: "Total kostnad för insatsen", Ptr: "/budget/total_cost/label"},
			Amounts: amountCells("/budget/total_cost", t.Amounts), Total: cell{Text: kronor(t.Total), Ptr: "/budget/total_cost/total"}})
	}
	for i, s := range b.Summary {
		sp := "/budget/summary/" + strconv.Itoa(i)
		v.Summary = append(v.Summary, summaryRow{
			Party:     cell{Text: s.Party, Ptr: sp + "/party"},
			Requested: cell{Text: kronor(s.Requested), Ptr: sp + "/requested"}, OwnFinancing: cell{Text: kronor(s.OwnFinancing), Ptr: sp + "/own_financing"},
			Other: cell{Text: kronor(s.Other), Ptr: sp + "/other"}, Total: cell{Text: kronor(s.Total), Ptr: sp + "/total"},
		})
	}
	v.flag(r.Findings)
	return v
}

// points reports whether a finding's path points at the cell's pointer:
// the same, or the cell lies under it. A row's label pointer ("…/label")
// stands for the row: a finding on the row marks it.
func points(path, ptr string) bool {
	if ptr == "" || path == "" {
		return false
	}
	return ptr == path || strings.HasPrefix(ptr, path+"/")
}

// flag marks the cells the findings point at and lists each finding
// beside its row.
func (v *budgetView) flag(findings []schema.Finding) {
	for i, f := range findings {
		if !strings.HasPrefix(f.Path, "/budget") {
			continue
		}
		n, placed := i+1, false
		ref := findingRef{N: n, Message: f.Message}
		if f.Path == "/budget" { // the budget as a whole: no one cell
			v.Elsewhere = append(v.Elsewhere, ref)
			continue
		}
		mark := func(c *cell) bool {
			if points(f.Path, c.Ptr) {
				c.Flags = append(c.Flags, n)
				return true
			}
			return false
		}
		for ri := range v.Rows {
			row := &v.Rows[ri]
			hit := false
			for _, c := range []*cell{&row.Label, &row.Percent, &row.From, &row.To, &row.Total} {
				hit = mark(c) || hit
			}
			for ci := range row.Amounts {
				hit = mark(&row.Amounts[ci]) || hit
			}
			if hit {
				row.Notes = append(row.Notes, ref)
				placed = true
			}
		}
		for ri := range v.Summary {
			row := &v.Summary[ri]
			hit := false
			for _, c := range []*cell{&row.Party, &row.Requested, &row.OwnFinancing, &row.Other, &row.Total} {
				hit = mark(c) || hit
			}
			if hit {
				row.Notes = append(row.Notes, ref)
				placed = true
			}
		}
		if !placed {
			v.Elsewhere = append(v.Elsewhere, ref)
		}
	}
}
