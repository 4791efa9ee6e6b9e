package score

import (
	"fmt"
	"sort"
	"strings"

	"github.com/finsam/ansokan/schema"
)

// scoreBudget counts every figure of the gold budget that the record
// holds exactly: each line's total and party amounts, each Summa row's
// total and party amounts, the three totals, and each summary row's
// requested, own financing and total. A party amount the record does not
// carry counts as 0 (the record leaves empty cells out). Lines are
// aligned by label within their cost group.
func scoreBudget(r *Result, want, got *schema.Budget) {
	if got == nil {
		got = &schema.Budget{}
	}
	halves := []struct {
		name      string
		want, got *schema.CostGroups
	}{
		{"requested", want.Requested, got.Requested},
		{"own_financing", want.OwnFinancing, got.OwnFinancing},
	}
	for _, h := range halves {
		if h.want == nil {
			continue
		}
		g := h.got
		if g == nil {
			g = &schema.CostGroups{}
		}
		groups := []struct {
			name      string
			want, got *schema.CostGroup
		}{
			{"salaries", h.want.Salaries, g.Salaries},
			{"premises", h.want.Premises, g.Premises},
			{"other", h.want.Other, g.Other},
		}
		for _, cg := range groups {
			if cg.want != nil {
				scoreGroup(r, h.name+"."+cg.name, cg.want, cg.got)
			}
		}
	}
	totals := []struct {
		name      string
		want, got *schema.Total
	}{
		{"requested_total", want.RequestedTotal, got.RequestedTotal},
		{"own_financing_total", want.OwnFinancingTotal, got.OwnFinancingTotal},
		{"total_cost", want.TotalCost, got.TotalCost},
	}
	for _, t := range totals {
		if t.want == nil {
			continue
		}
		var g schema.Total
		if t.got != nil {
			g = *t.got
		}
		scoreAmounts(r, t.name, t.want.Amounts, t.want.Total, g.Amounts, g.Total, t.got != nil)
	}
	used := make([]bool, len(got.Summary))
	for _, w := range want.Summary {
		var g schema.SummaryRow // nil figures when the party has no row
		for i, s := range got.Summary {
			if !used[i] && strings.EqualFold(norm(s.Party), norm(w.Party)) {
				used[i] = true
				g = s
				break
			}
		}
		key := "summary " + w.Party
		figure(r, key+".requested", w.Requested, g.Requested)
		figure(r, key+".own_financing", w.OwnFinancing, g.OwnFinancing)
		figure(r, key+".total", w.Total, g.Total)
	}
}

func scoreGroup(r *Result, name string, want, got *schema.CostGroup) {
	if got == nil {
		got = &schema.CostGroup{}
	}
	used := make([]bool, len(got.Lines))
	for _, w := range want.Lines {
		var g schema.BudgetLine
		found := false
		for i, l := range got.Lines {
			if !used[i] && strings.EqualFold(norm(l.Label), norm(w.Label)) {
				used[i], found = true, true
				g = l
				break
			}
		}
		scoreAmounts(r, name+" "+w.Label, w.Amounts, w.Total, g.Amounts, g.Total, found)
	}
	if want.Sum != nil {
		var g schema.SumRow
		if got.Sum != nil {
			g = *got.Sum
		}
		scoreAmounts(r, name+" Summa", want.Sum.Amounts, want.Sum.Total, g.Amounts, g.Total, got.Sum != nil)
	}
}

// scoreAmounts scores a row's total and its gold party amounts; when the
// record has no such row (found false) every figure is a miss, zeros
// included.
func scoreAmounts(r *Result, key string, want map[string]int64, wantTotal *int64, got map[string]int64, gotTotal *int64, found bool) {
	figure(r, key+" total", wantTotal, gotTotal)
	parties := make([]string, 0, len(want))
	for p := range want {
		parties = append(parties, p)
	}
	sort.Strings(parties)
	for _, p := range parties {
		w, g := want[p], got[p]
		gs := fmt.Sprint(g)
		if !found {
			gs = "no row"
		}
		r.item("budget", &r.Budget, fmt.Sprintf("%s [%s]", key, p), found && w == g, fmt.Sprint(w), gs)
	}
}

func figure(r *Result, key string, want, got *int64) {
	if want == nil {
		return
	}
	r.item("budget", &r.Budget, key, eqPtr(want, got), want, got)
}
