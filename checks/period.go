package checks

import (
	"strings"

	"github.com/finsam/ansokan/schema"
)

// compareDates compares two record dates (YYYY-MM-DD, or YYYY-MM when the
// day is missing) at the precision both have. ok is false when they
// cannot be compared (a year-less date, or equal at the shared precision
// so that the order is unknown).
func compareDates(a, b string) (cmp int, ok bool) {
	if strings.HasPrefix(a, "--") || strings.HasPrefix(b, "--") || a == "" || b == "" {
		return 0, false
	}
	n := min(len(a), len(b))
	a, b = a[:n], b[:n]
	switch {
	case a < b:
		return -1, true
	case a > b:
		return 1, true
	}
	return 0, n == 10
}

// checkPeriod: the end after the start, the intake end within the
// period, and the budget's period the same as the application's.
func checkPeriod(r *schema.Record, c *Context) []schema.Finding {
	var out []schema.Finding
	p := r.Period
	if c.HasForm && p != nil {
		if p.Start != nil && p.End != nil {
			if cmp, ok := compareDates(*p.End, *p.Start); ok && cmp < 0 {
				out = append(out, c.finding(schema.CodePeriodInvalid, "period", "/period/end",
					"Insatstiden slutar ("+*p.End+") innan den börjar ("+*p.Start+")."))
			}
		}
		if p.IntakeEnd != nil {
			if p.Start != nil {
				if cmp, ok := compareDates(*p.IntakeEnd, *p.Start); ok && cmp < 0 {
					out = append(out, c.finding(schema.CodePeriodInvalid, "period", "/period/intake_end",
						"Slutdatum för intag ("+*p.IntakeEnd+") ligger före insatstidens start ("+*p.Start+")."))
				}
			}
			if p.End != nil {
				if cmp, ok := compareDates(*p.IntakeEnd, *p.End); ok && cmp > 0 {
					out = append(out, c.finding(schema.CodePeriodInvalid, "period", "/period/intake_end",
						"Slutdatum för intag ("+*p.IntakeEnd+") ligger efter insatstidens slut ("+*p.End+")."))
				}
			}
		}
	}
	if b := r.Budget; b != nil && b.Period != nil {
		bp := b.Period
		if bp.Start != nil && bp.End != nil {
			if cmp, ok := compareDates(*bp.End, *bp.Start); ok && cmp < 0 {
				out = append(out, c.finding(schema.CodePeriodInvalid, "budget", "/budget/period/end",
					"Budgetens löptid slutar ("+*bp.End+") innan den börjar ("+*bp.Start+")."))
			}
		}
		// Each salary line's dates inside the budget's period.
		eachLine(b, func(ln lineRef) {
			l := ln.line
			if l.From != nil && bp.Start != nil {
				if cmp, ok := compareDates(*l.From, *bp.Start); ok && cmp < 0 {
					out = append(out, c.finding(schema.CodePeriodBudgetMismatch, l.Label, ln.path+"/from",
						"Raden "+quote(l.Label)+" "+ln.where+" börjar "+*l.From+", före budgetens löptid ("+*bp.Start+")."))
				}
			}
			if l.To != nil && bp.End != nil {
				if cmp, ok := compareDates(*l.To, *bp.End); ok && cmp > 0 {
					out = append(out, c.finding(schema.CodePeriodBudgetMismatch, l.Label, ln.path+"/to",
						"Raden "+quote(l.Label)+" "+ln.where+" slutar "+*l.To+", efter budgetens löptid ("+*bp.End+")."))
				}
			}
		})
		if c.HasForm && p != nil {
			var diffs []string
			if p.Start != nil && bp.Start != nil && *p.Start != *bp.Start {
				diffs = append(diffs, "start "+*bp.Start+" mot ansökans "+*p.Start)
			}
			if p.End != nil && bp.End != nil && *p.End != *bp.End {
				diffs = append(diffs, "slut "+*bp.End+" mot ansökans "+*p.End)
			}
			if len(diffs) > 0 {
				out = append(out, c.finding(schema.CodePeriodBudgetMismatch, "period", "/budget/period",
					"Budgetens löptid skiljer sig från ansökans insatstid: "+strings.Join(diffs, ", ")+"."))
			}
		}
	}
	return out
}
