package checks

import (
	"math"
	"sort"
	"strconv"

	"github.com/finsam/ansokan/schema"
)

// Budget checks. Figures are recorded as written; these checks say where
// they disagree.
//
// Rounding rule: the template works in whole kronor, and a spreadsheet
// that computes percentages of salaries rounds each cell on display, so
// a sum can be off by one krona without anyone having made a mistake. A
// difference of exactly the rounding unit (1 kr; 1 000 kr when the
// figures are in tkr) is reported with severity warning, anything larger
// as an error.

var groupNames = []struct{ key, sv, sum string }{
	{"salaries", "lönekostnader", "Summa lönekostnader"},
	{"premises", "lokalkostnader", "Summa lokalkostnader"},
	{"other", "övriga kostnader", "Summa övriga kostnader"},
}

var sectionNames = []struct{ key, sv string }{
	{"requested", "att rekvirera från förbundet"},
	{"own_financing", "egenfinansiering"},
}

func costGroups(b *schema.Budget, section string) *schema.CostGroups {
	if section == "requested" {
		return b.Requested
	}
	return b.OwnFinancing
}

func group(g *schema.CostGroups, key string) *schema.CostGroup {
	if g == nil {
		return nil
	}
	switch key {
	case "salaries":
		return g.Salaries
	case "premises":
		return g.Premises
	}
	return g.Other
}

type lineRef struct {
	line  *schema.BudgetLine
	path  string
	where string // "under lönekostnader (egenfinansiering)"
}

// eachLine calls fn for every budget line.
func eachLine(b *schema.Budget, fn func(lineRef)) {
	for _, s := range sectionNames {
		for _, gn := range groupNames {
			g := group(costGroups(b, s.key), gn.key)
			if g == nil {
				continue
			}
			for i := range g.Lines {
				fn(lineRef{
					line:  &g.Lines[i],
					path:  "/budget/" + s.key + "/" + gn.key + "/lines/" + strconv.Itoa(i),
					where: "under " + gn.sv + " (" + s.sv + ")",
				})
			}
		}
	}
}

func sumAmounts(m map[string]int64) int64 {
	var t int64
	for _, v := range m {
		t += v
	}
	return t
}

// roundingUnit is the difference that rounding can explain.
func roundingUnit(b *schema.Budget) int64 {
	if b.Unit == "tkr" {
		return 1000
	}
	return 1
}

// mismatch builds a sum finding: a warning when the difference is the
// rounding unit, else the code's default severity.
func (c *Context) mismatch(b *schema.Budget, code, subject, path, msg string, written, computed int64) schema.Finding {
	f := c.finding(code, subject, path, msg)
	diff := written - computed
	if diff < 0 {
		diff = -diff
	}
	if diff <= roundingUnit(b) {
		f.Severity = schema.SeverityWarning
		f.Message += " Skillnaden är " + kr(diff) + " och kan bero på avrundning."
	}
	return f
}

// sortedKeys returns the map's keys in the budget's column order, then
// any others alphabetically.
func sortedKeys(b *schema.Budget, maps ...map[string]int64) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range b.Parties {
		for _, m := range maps {
			if _, ok := m[p]; ok && !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	var rest []string
	for _, m := range maps {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				rest = append(rest, k)
			}
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// checkBudgetRows: every line's total against its party cells, and every
// Summa row's total against its own party cells.
func checkBudgetRows(r *schema.Record, c *Context) []schema.Finding {
	if c.budgetDoubtful(r) != nil {
		return nil
	}
	return rawBudgetRows(r, c)
}

func rawBudgetRows(r *schema.Record, c *Context) []schema.Finding {
	b := r.Budget
	if b == nil {
		return nil
	}
	var out []schema.Finding
	eachLine(b, func(ln lineRef) {
		l := ln.line
		if l.Total == nil {
			return
		}
		if s := sumAmounts(l.Amounts); s != *l.Total {
			out = append(out, c.mismatch(b, schema.CodeBudgetRowSum, l.Label, ln.path+"/total",
				"Raden "+quote(l.Label)+" "+ln.where+" har totalen "+kr(*l.Total)+" men partskolumnerna summerar till "+kr(s)+".",
				*l.Total, s))
		}
	})
	for _, s := range sectionNames {
		for _, gn := range groupNames {
			g := group(costGroups(b, s.key), gn.key)
			if g == nil || g.Sum == nil || g.Sum.Total == nil || len(g.Sum.Amounts) == 0 {
				continue
			}
			if t := sumAmounts(g.Sum.Amounts); t != *g.Sum.Total {
				out = append(out, c.mismatch(b, schema.CodeBudgetRowSum, gn.sum,
					"/budget/"+s.key+"/"+gn.key+"/sum/total",
					gn.sum+" ("+s.sv+") har totalen "+kr(*g.Sum.Total)+" men partskolumnerna summerar till "+kr(t)+".",
					*g.Sum.Total, t))
			}
		}
	}
	return out
}

// checkBudgetSums: every Summa row (each party's amount, the total and
// the percentage) against the lines above it.
func checkBudgetSums(r *schema.Record, c *Context) []schema.Finding {
	if c.budgetDoubtful(r) != nil {
		return nil
	}
	return rawBudgetSums(r, c)
}

func rawBudgetSums(r *schema.Record, c *Context) []schema.Finding {
	b := r.Budget
	if b == nil {
		return nil
	}
	var out []schema.Finding
	for _, s := range sectionNames {
		for _, gn := range groupNames {
			g := group(costGroups(b, s.key), gn.key)
			if g == nil || g.Sum == nil {
				continue
			}
			base := "/budget/" + s.key + "/" + gn.key + "/sum"
			lineSums := map[string]int64{}
			var lineTotal int64
			var pctSum float64
			pcts := 0
			for _, l := range g.Lines {
				for p, v := range l.Amounts {
					lineSums[p] += v
				}
				if l.Total != nil {
					lineTotal += *l.Total
				} else {
					lineTotal += sumAmounts(l.Amounts)
				}
				if l.Percent != nil {
					pctSum += *l.Percent
					pcts++
				}
			}
			for _, p := range sortedKeys(b, g.Sum.Amounts, lineSums) {
				written, ok := g.Sum.Amounts[p]
				if !ok {
					continue // nothing written for this party: nothing to compare
				}
				if computed := lineSums[p]; written != computed {
					out = append(out, c.mismatch(b, schema.CodeBudgetColumnSum, gn.sum, base+"/amounts/"+ptrKey(p),
						gn.sum+" för "+p+" ("+s.sv+") är "+kr(written)+" men raderna ovan summerar till "+kr(computed)+".",
						written, computed))
				}
			}
			if g.Sum.Total != nil && *g.Sum.Total != lineTotal {
				out = append(out, c.mismatch(b, schema.CodeBudgetColumnSum, gn.sum, base+"/total",
					gn.sum+" ("+s.sv+") är totalt "+kr(*g.Sum.Total)+" men raderna ovan summerar till "+kr(lineTotal)+".",
					*g.Sum.Total, lineTotal))
			}
			if g.Sum.Percent != nil && pcts > 0 && math.Abs(*g.Sum.Percent-pctSum) > 0.5 {
				out = append(out, c.finding(schema.CodeBudgetPercent, gn.sum, base+"/percent",
					gn.sum+" ("+s.sv+") anger tjänstgöringsgraden "+pct(*g.Sum.Percent)+" men raderna ovan summerar till "+pct(pctSum)+"."))
			}
		}
	}
	return out
}

// checkBudgetTotals: Totalt från Samordningsförbundet against the Summa
// rows of the requested costs, Summa egenfinansiering against those of
// the own financing, and Total kostnad against the two, per party and in
// total; and each total row's total against its party cells.
func checkBudgetTotals(r *schema.Record, c *Context) []schema.Finding {
	if c.budgetDoubtful(r) != nil {
		return nil
	}
	return rawBudgetTotals(r, c)
}

func rawBudgetTotals(r *schema.Record, c *Context) []schema.Finding {
	b := r.Budget
	if b == nil {
		return nil
	}
	var out []schema.Finding
	fromGroups := func(section string) (map[string]int64, int64, bool) {
		g := costGroups(b, section)
		if g == nil {
			return nil, 0, false
		}
		amounts := map[string]int64{}
		var total int64
		any := false
		for _, gn := range groupNames {
			cg := group(g, gn.key)
			if cg == nil || cg.Sum == nil {
				continue
			}
			any = true
			for p, v := range cg.Sum.Amounts {
				amounts[p] += v
			}
			if cg.Sum.Total != nil {
				total += *cg.Sum.Total
			} else {
				total += sumAmounts(cg.Sum.Amounts)
			}
		}
		return amounts, total, any
	}
	compare := func(t *schema.Total, label, path, of string, amounts map[string]int64, total int64) {
		if t == nil {
			return
		}
		for _, p := range sortedKeys(b, t.Amounts, amounts) {
			written, ok := t.Amounts[p]
			if !ok {
				continue
			}
			if computed := amounts[p]; written != computed {
				out = append(out, c.mismatch(b, schema.CodeBudgetTotal, label, path+"/amounts/"+ptrKey(p),
					label+" för "+p+" är "+kr(written)+" men "+of+" summerar till "+kr(computed)+".", written, computed))
			}
		}
		if t.Total != nil && *t.Total != total {
			out = append(out, c.mismatch(b, schema.CodeBudgetTotal, label, path+"/total",
				label+" är "+kr(*t.Total)+" men "+of+" summerar till "+kr(total)+".", *t.Total, total))
		}
	}
	if a, t, ok := fromGroups("requested"); ok {
		compare(b.RequestedTotal, "Totalt från Samordningsförbundet", "/budget/requested_total", "summaraderna för kostnaderna att rekvirera", a, t)
	}
	if a, t, ok := fromGroups("own_financing"); ok {
		compare(b.OwnFinancingTotal, "Summa egenfinansiering", "/budget/own_financing_total", "summaraderna för egenfinansieringen", a, t)
	}
	if b.TotalCost != nil && (b.RequestedTotal != nil || b.OwnFinancingTotal != nil) {
		amounts := map[string]int64{}
		var total int64
		for _, t := range []*schema.Total{b.RequestedTotal, b.OwnFinancingTotal} {
			if t == nil {
				continue
			}
			for p, v := range t.Amounts {
				amounts[p] += v
			}
			if t.Total != nil {
				total += *t.Total
			} else {
				total += sumAmounts(t.Amounts)
			}
		}
		compare(b.TotalCost, "Total kostnad för insatsen", "/budget/total_cost", "ansökt belopp och egenfinansiering", amounts, total)
	}
	// Each total row against its own party cells.
	for _, t := range []struct {
		t     *schema.Total
		label string
		path  string
	}{
		{b.RequestedTotal, "Totalt från Samordningsförbundet", "/budget/requested_total"},
		{b.OwnFinancingTotal, "Summa egenfinansiering", "/budget/own_financing_total"},
		{b.TotalCost, "Total kostnad för insatsen", "/budget/total_cost"},
	} {
		if t.t == nil || t.t.Total == nil || len(t.t.Amounts) == 0 || reported(out, t.path+"/total") {
			continue
		}
		if s := sumAmounts(t.t.Amounts); s != *t.t.Total {
			out = append(out, c.mismatch(b, schema.CodeBudgetTotal, t.label, t.path+"/total",
				t.label+" har totalen "+kr(*t.t.Total)+" men partskolumnerna summerar till "+kr(s)+".", *t.t.Total, s))
		}
	}
	return out
}

// reported tells whether a finding at the path is already there: one
// finding per figure, the first reason given.
func reported(fs []schema.Finding, path string) bool {
	for _, f := range fs {
		if f.Path == path {
			return true
		}
	}
	return false
}

// checkBudgetSummary: the Budgetsammanställning against the detailed
// budget, party by party.
func checkBudgetSummary(r *schema.Record, c *Context) []schema.Finding {
	b := r.Budget
	if c.budgetDoubtful(r) != nil {
		return nil
	}
	if b == nil || len(b.Summary) == 0 {
		return nil
	}
	var out []schema.Finding
	amount := func(t *schema.Total, party string) (int64, bool) {
		if t == nil {
			return 0, false
		}
		v, ok := t.Amounts[party]
		return v, ok
	}
	for i, row := range b.Summary {
		base := "/budget/summary/" + strconv.Itoa(i)
		cmp := func(written *int64, field, what string, detailed int64, ok bool) {
			if written == nil || !ok || *written == detailed {
				return
			}
			out = append(out, c.mismatch(b, schema.CodeBudgetSummary, row.Party, base+"/"+field,
				"Budgetsammanställningen anger "+what+" "+kr(*written)+" för "+row.Party+" men den detaljerade budgeten "+kr(detailed)+".",
				*written, detailed))
		}
		req, okReq := amount(b.RequestedTotal, row.Party)
		own, okOwn := amount(b.OwnFinancingTotal, row.Party)
		tot, okTot := amount(b.TotalCost, row.Party)
		cmp(row.Requested, "requested", "ansökt belopp", req, okReq)
		cmp(row.OwnFinancing, "own_financing", "egenfinansiering", own, okOwn)
		cmp(row.Total, "total", "total kostnad", tot, okTot)
		// The row's own arithmetic.
		if row.Total != nil && (row.Requested != nil || row.OwnFinancing != nil || row.Other != nil) {
			var s int64
			for _, v := range []*int64{row.Requested, row.OwnFinancing, row.Other} {
				if v != nil {
					s += *v
				}
			}
			if s != *row.Total {
				out = append(out, c.mismatch(b, schema.CodeBudgetSummary, row.Party, base+"/total",
					"I budgetsammanställningen är totalen för "+row.Party+" "+kr(*row.Total)+" men dess delar summerar till "+kr(s)+".",
					*row.Total, s))
			}
		}
	}
	return out
}

// checkRequestedAmount: the amount stated in the application text
// against the budget's Totalt från Samordningsförbundet.
func checkRequestedAmount(r *schema.Record, c *Context) []schema.Finding {
	b := r.Budget
	if c.budgetDoubtful(r) != nil {
		return nil
	}
	if r.RequestedAmountSEK == nil || b == nil || b.RequestedTotal == nil || b.RequestedTotal.Total == nil {
		return nil
	}
	stated, budget := *r.RequestedAmountSEK, *b.RequestedTotal.Total
	if stated == budget || c.uncertain("requested_amount") {
		return nil
	}
	return []schema.Finding{c.mismatch(b, schema.CodeBudgetRequestedAmount, "Totalt från Samordningsförbundet", "/requested_amount_sek",
		"Ansökan anger att "+kr(stated)+" söks men budgeten begär "+kr(budget)+" från förbundet (Totalt från Samordningsförbundet).",
		stated, budget)}
}

// checkBudgetUnit: the header says tkr over figures in kronor — common in
// the real template, recorded as information.
func checkBudgetUnit(r *schema.Record, c *Context) []schema.Finding {
	b := r.Budget
	if b == nil || b.UnitStated == nil || *b.UnitStated != "tkr" || b.Unit != "kr" {
		return nil
	}
	return []schema.Finding{c.finding(schema.CodeBudgetUnitMismatch, "Kostnader i tkr", "/budget/unit_stated",
		"Budgetens rubrik anger tkr men beloppen är skrivna i kronor; de har lästs som kronor.")}
}
