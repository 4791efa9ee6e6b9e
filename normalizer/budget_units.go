package normalizer

import (
	"sort"

	"github.com/finsam/ansokan/schema"
)

// Units: every figure of a budget, and budgets written in thousands.

// budgetEach calls fn on every figure of the budget.
func budgetEach(b *schema.Budget, fn func(*int64)) {
	amounts := func(m map[string]int64) {
		for k, v := range m {
			fn(&v)
			m[k] = v
		}
	}
	for _, g := range []*schema.CostGroups{b.Requested, b.OwnFinancing} {
		if g == nil {
			continue
		}
		for _, cg := range []*schema.CostGroup{g.Salaries, g.Premises, g.Other} {
			if cg == nil {
				continue
			}
			for i := range cg.Lines {
				amounts(cg.Lines[i].Amounts)
				if cg.Lines[i].Total != nil {
					fn(cg.Lines[i].Total)
				}
			}
			if cg.Sum != nil {
				amounts(cg.Sum.Amounts)
				if cg.Sum.Total != nil {
					fn(cg.Sum.Total)
				}
			}
		}
	}
	for _, t := range []*schema.Total{b.RequestedTotal, b.OwnFinancingTotal, b.TotalCost} {
		if t == nil {
			continue
		}
		amounts(t.Amounts)
		if t.Total != nil {
			fn(t.Total)
		}
	}
	for i := range b.Summary {
		for _, v := range []*int64{b.Summary[i].Requested, b.Summary[i].OwnFinancing, b.Summary[i].Other, b.Summary[i].Total} {
			if v != nil {
				fn(v)
			}
		}
	}
}

// A budget whose figures reach these sizes is in kronor, whatever its
// header says: in thousands they would make a project of tens of
// millions, far above any Finsam insats (a whole budget is typically 1-5
// million kronor; its salary lines are hundreds of thousands).
const (
	budgetKronorMedian = 10_000  // median non-zero figure
	budgetKronorMax    = 100_000 // largest figure
)

// budgetMedianMax gives the median and the largest of the budget's
// non-zero figures, in absolute value; 0, 0 when there are none.
func budgetMedianMax(b *schema.Budget) (median, top int64) {
	var vs []int64
	budgetEach(b, func(v *int64) {
		if *v != 0 {
			vs = append(vs, max(*v, -*v))
		}
	})
	if len(vs) == 0 {
		return 0, 0
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i] < vs[j] })
	return vs[len(vs)/2], vs[len(vs)-1]
}

func budgetScale(b *schema.Budget, k int64) {
	budgetEach(b, func(v *int64) { *v *= k })
}
