package score

import (
	"strings"

	"github.com/finsam/ansokan/schema"
)

// subjectsMatch compares a gold subject with a record's: nil in the gold
// matches any subject; otherwise equal up to case and white space.
func subjectsMatch(want, got *string) bool {
	if want == nil {
		return true
	}
	return got != nil && strings.EqualFold(norm(*want), norm(*got))
}

// scoreFindings matches the record's findings with the gold's by (code,
// subject), each gold finding at most once. Required gold findings are
// matched first with exact subjects, then wildcards, then optional ones.
func scoreFindings(r *Result, want []GoldFinding, got []schema.Finding) {
	used := make([]bool, len(got))
	matched := make([]bool, len(want))
	pass := func(optional, wildcard bool) {
		for wi, w := range want {
			if matched[wi] || w.Optional != optional || (w.Subject == nil) != wildcard {
				continue
			}
			for gi, f := range got {
				if !used[gi] && f.Code == w.Code && subjectsMatch(w.Subject, f.Subject) {
					used[gi], matched[wi] = true, true
					break
				}
			}
		}
	}
	pass(false, false)
	pass(false, true)
	pass(true, false)
	pass(true, true)
	t := &r.Findings
	for wi, w := range want {
		key := w.Code + " " + show(w.Subject)
		switch {
		case matched[wi] && !w.Optional:
			t.TruePositives++
			r.Items = append(r.Items, Item{Part: "findings", Key: key, OK: true})
		case !matched[wi] && !w.Optional:
			t.FalseNegatives++
			r.Items = append(r.Items, Item{Part: "findings", Key: key, OK: false, Want: "found", Got: "missing"})
		}
	}
	for gi, f := range got {
		if !used[gi] {
			t.FalsePositives++
			r.Items = append(r.Items, Item{Part: "findings", Key: f.Code + " " + show(f.Subject), OK: false, Want: "none", Got: f.Severity + ": " + f.Message})
		}
	}
}
