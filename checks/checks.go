// Package checks turns a normalized record into findings a förbund
// officer can act on: missing signatures and sections, budgets that do
// not add up, bad periods, personal identity numbers anywhere in the
// record (which Run masks). Each check is a small function over the
// record; adding one means adding it to All, never touching the
// extractors.
package checks

import (
	"slices"
	"strconv"
	"strings"

	"github.com/finsam/ansokan/privacy"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

// Context is what the checks know beyond the record itself.
type Context struct {
	// Profile gives the required sections, the canonical agreement text
	// and the template's guidance phrases.
	Profile *profile.Profile
	// Where maps JSON pointers into the record to where the value was seen
	// in the source. A finding's evidence is the entry of its path or of
	// the nearest parent path that has one.
	Where map[string]schema.Evidence
	// Scanned lists, per file, the pages whose content could not be
	// checked: pages without a text layer that OCR did not read, and
	// pages it read with low confidence. What stands there (a signature,
	// typically) is reported as not verified, not as missing.
	Scanned map[string][]int
	// OCR lists, per file, the pages read by OCR (scanned pages): a
	// signature block there is signed by hand or not at all
	// (Signature.Handwritten).
	OCR map[string][]int
	// Doubtful lists, per file, the pages OCR read with low confidence.
	// A finding whose evidence is on such a page is not raised (the
	// page's extraction.uncertain finding says why), and a budget with
	// figures there is not summed (budget_gate.go).
	Doubtful map[string][]int
	// HasForm tells that the submission holds an application form (a
	// Word or PDF file that was read). The form's checks (sections,
	// signatures, period, parties) run only then: a budget workbook sent
	// alone is checked as a budget.
	HasForm bool
	// MemberParty tells whether a canonical organisation name is a kommun,
	// a region, Arbetsförmedlingen or Försäkringskassan. The normalizer
	// answers from its national list ("Stockholms stad" is a kommun);
	// when nil, memberParty's rule of thumb answers.
	MemberParty func(org string) bool
	// Uncertain lists the parts the normalizer could not read with
	// certainty (see Uncertain).
	Uncertain []Uncertain

	// gate is the budget's plausibility gate, computed once per record
	// (budget_gate.go).
	gate *budgetGate

	// masked is where Run's first masking pass found personnummer.
	masked []privacy.Place
}

// Check is one rule.
type Check struct {
	Name string
	Run  func(r *schema.Record, c *Context) []schema.Finding
}

// All is every check, in the order their findings are listed.
var All = []Check{
	{"uncertain", checkUncertain},
	{"sections", checkSections},
	{"placeholders", checkPlaceholders},
	{"period", checkPeriod},
	{"signatures", checkSignatures},
	{"digital_signatures", checkDigital},
	{"parties", checkParties},
	{"agreement", checkAgreement},
	{"budget_doubt", checkBudgetDoubt},
	{"budget_rows", checkBudgetRows},
	{"budget_sums", checkBudgetSums},
	{"budget_totals", checkBudgetTotals},
	{"budget_summary", checkBudgetSummary},
	{"requested_amount", checkRequestedAmount},
	{"budget_unit", checkBudgetUnit},
	{"privacy", checkPersonnummer},
}

// Run applies every check to the record, appends the findings and sets
// Complete. It masks every personnummer in the record before the checks
// run, so that they compare and quote masked text, and once more at the
// end, findings included (see privacy.go).
func Run(r *schema.Record, c *Context) {
	if c == nil {
		c = &Context{}
	}
	if c.Profile == nil {
		c.Profile = profile.Default()
	}
	c.maskBefore(r)
	var misreadable []schema.Finding
	for _, ch := range All {
		for _, f := range ch.Run(r, c) {
			if c.guessed(f) {
				continue
			}
			if c.characterExact(f) {
				misreadable = append(misreadable, f)
				continue
			}
			r.Findings = append(r.Findings, f)
		}
	}
	r.Findings = append(r.Findings, c.unverifiedOnScans(misreadable)...)
	if r.Findings == nil {
		r.Findings = []schema.Finding{}
	}
	privacy.MaskValue(r)
	r.Complete = schema.Complete(r.Findings)
}

// finding builds a finding with the code's default severity and the
// evidence of its path.
func (c *Context) finding(code, subject, path, msg string) schema.Finding {
	f := schema.Finding{
		Code: code, Severity: schema.DefaultSeverity[code], Message: msg, Path: path,
		Evidence: c.evidence(path),
	}
	if subject != "" {
		f.Subject = &subject
	}
	return f
}

// absent builds a finding about something missing: it has no evidence.
func (c *Context) absent(code, subject, path, msg string) schema.Finding {
	f := c.finding(code, subject, path, msg)
	f.Evidence = nil
	return f
}

func (c *Context) evidence(path string) *schema.Evidence {
	for p := path; ; {
		if e, ok := c.Where[p]; ok {
			return &e
		}
		i := strings.LastIndexByte(p, '/')
		if i <= 0 {
			return nil
		}
		p = p[:i]
	}
}

// onPage tells whether the evidence is on one of the pages listed for
// its file.
func onPage(e *schema.Evidence, pages map[string][]int) bool {
	return e != nil && e.Page != nil && slices.Contains(pages[e.File], *e.Page)
}

// guessed tells whether a finding is built on the reading of a page OCR
// read with low confidence: it is then not raised. The page's own
// extraction.uncertain finding stays, and so does a personnummer
// finding (what was masked is said, however it was read).
func (c *Context) guessed(f schema.Finding) bool {
	switch f.Code {
	case schema.CodeExtractionUncertain, schema.CodePrivacyPersonnummer, schema.CodeDocumentNoText, schema.CodeDocumentUnreadable:
		return false
	}
	return onPage(f.Evidence, c.Doubtful)
}

// characterExact tells whether a finding rests on every character of
// what OCR read on a scanned page: an e-mail address (one misread '@'),
// a date, a budget figure (one misread digit makes a sum fail).
// Tesseract's confidence does not flag such a character, so on a
// scanned page these are not claims about the applicant: they become
// extraction.uncertain (unverifiedOnScans), naming what to look at.
func (c *Context) characterExact(f schema.Finding) bool {
	switch f.Code {
	case schema.CodeSignatureEmailInvalid, schema.CodeSignatureDateIncomplete,
		schema.CodeBudgetRowSum, schema.CodeBudgetColumnSum, schema.CodeBudgetTotal,
		schema.CodeBudgetSummary, schema.CodeBudgetPercent, schema.CodeBudgetRequestedAmount:
		return onPage(f.Evidence, c.OCR)
	}
	return false
}

// unverifiedOnScans turns the character-exact findings on scanned pages
// into one extraction.uncertain per part (signatures, budget) and file,
// whose message lists what the reading would have reported, for the
// officer to check against the page.
func (c *Context) unverifiedOnScans(fs []schema.Finding) []schema.Finding {
	type key struct{ part, file string }
	var order []key
	groups := map[key][]schema.Finding{}
	for _, f := range fs {
		part := "signatures"
		if strings.HasPrefix(f.Code, "budget.") {
			part = "budget"
		}
		k := key{part, f.Evidence.File}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], f)
	}
	var out []schema.Finding
	for _, k := range order {
		g := groups[k]
		pages := map[int]bool{}
		var plist []int
		var claims []string
		for _, f := range g {
			if !pages[*f.Evidence.Page] {
				pages[*f.Evidence.Page] = true
				plist = append(plist, *f.Evidence.Page)
			}
			claims = append(claims, f.Message)
		}
		slices.Sort(plist)
		where := "sidan " + strconv.Itoa(plist[0])
		if len(plist) > 1 {
			var ps []string
			for _, p := range plist {
				ps = append(ps, strconv.Itoa(p))
			}
			where = "sidorna " + strings.Join(ps, ", ")
		}
		what := "underskrifternas uppgifter"
		if k.part == "budget" {
			what = "budgetens belopp"
		}
		f := g[0]
		subject := k.part
		f.Code, f.Severity, f.Subject = schema.CodeExtractionUncertain, schema.DefaultSeverity[schema.CodeExtractionUncertain], &subject
		f.Message = "På " + where + " i " + k.file + " är " + what + " inskannade och lästes med OCR, som kan ha läst enstaka tecken fel: " +
			"följande kunde därför inte kontrolleras säkert – jämför med sidan. " + strings.Join(claims, " ")
		out = append(out, f)
	}
	return out
}

// scannedPages lists the pages without text, for messages ("sidan 7 i
// ansokan.pdf").
func (c *Context) scannedPages() string {
	var parts []string
	for file, pages := range c.Scanned {
		for _, p := range pages {
			parts = append(parts, "sidan "+strconv.Itoa(p)+" i "+file)
		}
	}
	return strings.Join(parts, ", ")
}

// ptrKey escapes a key for a JSON pointer (RFC 6901).
func ptrKey(s string) string { return pointerEscaper.Replace(s) }

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// kr formats whole kronor the Swedish way: "1 540 400 kr".
func kr(v int64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	var b strings.Builder
	if neg {
		b.WriteString("−")
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	b.WriteString(" kr")
	return b.String()
}

// pct formats a percentage: "145 %", "12,5 %".
func pct(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	return strings.Replace(s, ".", ",", 1) + " %"
}

func quote(s string) string { return "”" + s + "”" }
