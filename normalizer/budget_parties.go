package normalizer

import (
	"strings"
	"unicode"

	"github.com/finsam/ansokan/schema"
)

// The budget's party names cross-checked. A header band read with a piece
// lost or a word left broken gives a column a name that is no
// organisation on the list ("Arbetsför medlinge", "Region Västerbott").
// The same party is usually named right elsewhere: in the other block's
// header, in the Budgetsammanställning, or in the form (owner and
// partners). A budget name that is not a known organisation is replaced
// by the one name from those that it matches — the same letters with the
// spaces gone, one the beginning of the other (five letters or more), or
// within two edits — wherever it stands: the party list, every row's
// amounts, the summary and the evidence pointers.

// budgetReconcileParties applies the cross-check; named are the
// organisations the form names.
func budgetReconcileParties(b *schema.Budget, locs map[string]BudgetLoc, named []string) {
	if b == nil {
		return
	}
	var keys []string
	seen := map[string]bool{}
	add := func(k string) {
		if k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, p := range b.Parties {
		add(p)
	}
	budgetEachAmounts(b, func(m map[string]int64) {
		for k := range m {
			add(k)
		}
	})
	for _, s := range b.Summary {
		add(s.Party)
	}
	// Known: a canonical name on the national list ("Region Västerbott"
	// reads as a region's name but is on no list).
	list := orgData().kinds
	known := func(k string) bool { _, ok := list[k]; return ok }
	var candidates []string
	for _, c := range append(append([]string(nil), named...), keys...) {
		if known(c) && !budgetContains(candidates, c) {
			candidates = append(candidates, c)
		}
	}
	for _, k := range keys {
		if k == "NAMN" || known(k) || strings.ContainsFunc(k, unicode.IsDigit) {
			continue // a name with figures is not a misread one (and may hold a personnummer)
		}
		var match []string
		for _, c := range candidates {
			if budgetSameParty(k, c) {
				match = append(match, c)
			}
		}
		if len(match) == 1 {
			budgetRenameParty(b, locs, k, match[0])
		}
	}
}

// budgetSameParty tells whether a misread name k stands for c.
func budgetSameParty(k, c string) bool {
	fold := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, orgFold(s))
	}
	kf, cf := fold(k), fold(c)
	if len(kf) < 5 {
		return false
	}
	switch {
	case kf == cf:
		return true
	case strings.HasPrefix(cf, kf) || strings.HasPrefix(kf, cf):
		return true
	}
	return len(kf) >= 8 && orgDistance(kf, cf, 3) <= 2
}

// budgetEachAmounts calls fn for every amounts map of the budget.
func budgetEachAmounts(b *schema.Budget, fn func(map[string]int64)) {
	for _, g := range []*schema.CostGroups{b.Requested, b.OwnFinancing} {
		if g == nil {
			continue
		}
		for _, cg := range []*schema.CostGroup{g.Salaries, g.Premises, g.Other} {
			if cg == nil {
				continue
			}
			for i := range cg.Lines {
				fn(cg.Lines[i].Amounts)
			}
			if cg.Sum != nil {
				fn(cg.Sum.Amounts)
			}
		}
	}
	for _, t := range []*schema.Total{b.RequestedTotal, b.OwnFinancingTotal, b.TotalCost} {
		if t != nil {
			fn(t.Amounts)
		}
	}
}

// budgetRenameParty renames party from to to everywhere in the budget.
func budgetRenameParty(b *schema.Budget, locs map[string]BudgetLoc, from, to string) {
	var parties []string
	for _, p := range b.Parties {
		if p == from {
			p = to
		}
		if !budgetContains(parties, p) {
			parties = append(parties, p)
		}
	}
	if parties == nil {
		parties = []string{}
	}
	b.Parties = parties
	budgetEachAmounts(b, func(m map[string]int64) {
		if v, ok := m[from]; ok {
			delete(m, from)
			m[to] += v
		}
	})
	for i := range b.Summary {
		if b.Summary[i].Party == from {
			b.Summary[i].Party = to
		}
	}
	old, repl := "/amounts/"+budgetPointerEscape(from), "/amounts/"+budgetPointerEscape(to)
	for ptr, l := range locs {
		if strings.HasSuffix(ptr, old) {
			delete(locs, ptr)
			locs[strings.TrimSuffix(ptr, old)+repl] = l
		}
	}
}

// namedOrganisations lists the owner and partners the form names.
func namedOrganisations(rec *schema.Record) []string {
	var out []string
	if rec.Owner != nil && rec.Owner.Organisation != nil {
		out = append(out, *rec.Owner.Organisation)
	}
	for _, p := range rec.Partners {
		out = append(out, p.Organisation)
	}
	return out
}
