package checks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

// The fixtures are the samples' golden records (../samples), with their
// findings removed and one thing changed: each test says what it breaks
// and asserts the finding's code, subject and path.

func load(t *testing.T, name string) *schema.Record {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "samples", name+".golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r schema.Record
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	r.Findings = nil
	return &r
}

func formCtx() *Context {
	return &Context{Profile: profile.Default(), HasForm: true, Where: map[string]schema.Evidence{}}
}

func run(r *schema.Record, c *Context) []schema.Finding {
	Run(r, c)
	return r.Findings
}

// want asserts that exactly one finding has the code, subject and path,
// with the severity, and returns it.
func want(t *testing.T, fs []schema.Finding, code, subject, path, severity string) schema.Finding {
	t.Helper()
	var hits []schema.Finding
	for _, f := range fs {
		if f.Code == code && f.Path == path && (f.Subject == nil && subject == "" || f.Subject != nil && *f.Subject == subject) {
			hits = append(hits, f)
		}
	}
	if len(hits) != 1 {
		t.Fatalf("want one %s (subject %q, path %s), got %d; all findings:\n%s", code, subject, path, len(hits), dump(fs))
	}
	if hits[0].Severity != severity {
		t.Errorf("%s %s: severity %s, want %s", code, path, hits[0].Severity, severity)
	}
	if hits[0].Message == "" || !strings.HasSuffix(hits[0].Message, ".") {
		t.Errorf("%s: message %q is not a sentence", code, hits[0].Message)
	}
	return hits[0]
}

func none(t *testing.T, fs []schema.Finding, codes ...string) {
	t.Helper()
	for _, f := range fs {
		for _, c := range codes {
			if f.Code == c || strings.HasSuffix(c, ".") && strings.HasPrefix(f.Code, c) {
				t.Errorf("unexpected finding: %s", dump([]schema.Finding{f}))
			}
		}
	}
}

func dump(fs []schema.Finding) string {
	b, _ := json.MarshalIndent(fs, "", "  ")
	return string(b)
}

func i64(v int64) *int64   { return &v }
func str(s string) *string { return &s }

func TestCleanSamplesRaiseNothing(t *testing.T) {
	for _, name := range []string{"a-sprangbradan.submission", "a-sprangbradan.docx", "a-sprangbradan.pdf", "a-sprangbradan-budget.xlsx"} {
		r := load(t, name)
		c := formCtx()
		c.HasForm = !strings.HasSuffix(name, ".xlsx")
		for _, f := range run(r, c) {
			if f.Severity != schema.SeverityInfo {
				t.Errorf("%s: %s", name, dump([]schema.Finding{f}))
			}
		}
		if !r.Complete {
			t.Errorf("%s: not complete", name)
		}
	}
}

func TestSeedBudgetsAddUp(t *testing.T) {
	for _, name := range []string{"seed000-samordnat-stod.submission", "seed003-arbetsstegen.submission"} {
		fs := run(load(t, name), formCtx())
		none(t, fs, "budget.row_sum_mismatch", "budget.column_sum_mismatch", "budget.total_mismatch",
			"budget.summary_mismatch", "budget.requested_amount_mismatch", "budget.percent_mismatch",
			schema.CodeTemplatePlaceholder, schema.CodePartiesMismatch, schema.CodePeriodBudgetMismatch, schema.CodePeriodInvalid)
	}
}

func TestSeedSignatures(t *testing.T) {
	// seed000: e-signed; Region Uppsala dated "2022-06-", AF and FK
	// undated, FK's e-mail without its local part.
	fs := run(load(t, "seed000-samordnat-stod.submission"), formCtx())
	want(t, fs, schema.CodeSignatureDateIncomplete, "Region Uppsala", "/signatures/1/date", schema.SeverityInfo)
	want(t, fs, schema.CodeSignatureDateMissing, "Arbetsförmedlingen", "/signatures/2/date", schema.SeverityInfo)
	want(t, fs, schema.CodeSignatureDateMissing, "Försäkringskassan", "/signatures/3/date", schema.SeverityInfo)
	want(t, fs, schema.CodeSignatureEmailInvalid, "Försäkringskassan", "/signatures/3/email", schema.SeverityWarning)
	none(t, fs, schema.CodeSignatureMissing)

	// The same blocks without e-signature evidence are warnings.
	r := load(t, "seed000-samordnat-stod.submission")
	for i := range r.Signatures {
		r.Signatures[i].Electronic = false
	}
	fs = run(r, formCtx())
	want(t, fs, schema.CodeSignatureDateMissing, "Arbetsförmedlingen", "/signatures/2/date", schema.SeverityWarning)
	want(t, fs, schema.CodeSignatureDateIncomplete, "Region Uppsala", "/signatures/1/date", schema.SeverityWarning)

	// seed003: "16 juni" (no year) and "2022-06-".
	fs = run(load(t, "seed003-arbetsstegen.submission"), formCtx())
	f := want(t, fs, schema.CodeSignatureDateIncomplete, "Uppsala kommun", "/signatures/0/date", schema.SeverityWarning)
	if !strings.Contains(f.Message, "året saknas") {
		t.Errorf("message %q does not say the year is missing", f.Message)
	}
	want(t, fs, schema.CodeSignatureDateIncomplete, "Region Uppsala", "/signatures/1/date", schema.SeverityWarning)
}

func TestSignatureMissing(t *testing.T) {
	r := load(t, "a-sprangbradan.submission")
	r.Signatures = r.Signatures[:3] // Försäkringskassan's block is gone
	r.Signatures[1].Name = nil      // Arbetsförmedlingen's printed name is gone
	fs := run(r, formCtx())
	f := want(t, fs, schema.CodeSignatureMissing, "Försäkringskassan", "/signatures", schema.SeverityError)
	if f.Evidence != nil {
		t.Errorf("evidence of something absent: %+v", f.Evidence)
	}
	want(t, fs, schema.CodeSignatureMissing, "Arbetsförmedlingen", "/signatures/1/name", schema.SeverityError)
	if r.Complete {
		t.Error("complete with a missing signature")
	}

	// On a scanned page it could not be verified: info, not an error.
	r = load(t, "a-sprangbradan.submission")
	r.Signatures = r.Signatures[:3]
	c := formCtx()
	c.Scanned = map[string][]int{"a-sprangbradan.pdf": {7}}
	fs = run(r, c)
	f = want(t, fs, schema.CodeSignatureMissing, "Försäkringskassan", "/signatures", schema.SeverityInfo)
	if !strings.Contains(f.Message, "sidan 7 i a-sprangbradan.pdf") {
		t.Errorf("message %q does not name the scanned page", f.Message)
	}
}

func TestEmail(t *testing.T) {
	for _, tc := range []struct {
		email string
		ok    bool
	}{
		{"sara.lindgren@regionuppsala.se", true},
		{"Maria.Lundgren@uppsala.se", true},
		{"per.o'neil@kommun.se", true},
		{"@forsakringskassan.se", false},
		{"karin.aberg@svedala", false},
		{"karin aberg@svedala.se", false},
		{"karin..aberg@svedala.se", false},
		{"karin.aberg@@svedala.se", false},
		{"", false},
	} {
		if got := validEmail(tc.email); got != tc.ok {
			t.Errorf("validEmail(%q) = %v", tc.email, got)
		}
	}
}

func TestSections(t *testing.T) {
	r := load(t, "a-sprangbradan.submission")
	delete(r.Sections, "background")
	s := r.Sections["purpose"]
	s.Text = "Beskriv här syftet med insatsen. Vad vill ni uppnå?"
	r.Sections["purpose"] = s
	g := r.Sections["goals"]
	g.Text = g.Heading
	r.Sections["goals"] = g
	m := r.Sections["methods"]
	m.Text = "Klicka eller tryck här för att ange text.\n\n" + m.Text
	r.Sections["methods"] = m
	fs := run(r, formCtx())
	f := want(t, fs, schema.CodeSectionMissing, "background", "/sections/background", schema.SeverityError)
	if f.Evidence != nil {
		t.Errorf("absent section has evidence %+v", f.Evidence)
	}
	f = want(t, fs, schema.CodeSectionMissing, "purpose", "/sections/purpose/text", schema.SeverityError)
	if !strings.Contains(f.Message, "instruktion") {
		t.Errorf("message %q", f.Message)
	}
	want(t, fs, schema.CodeSectionMissing, "goals", "/sections/goals/text", schema.SeverityError)
	// Guidance left above a real answer: a placeholder, not a missing section.
	want(t, fs, schema.CodeTemplatePlaceholder, "methods", "/sections/methods/text", schema.SeverityWarning)
	none(t, fs, schema.CodeSectionMissing+"x")
	for _, f := range fs {
		if f.Code == schema.CodeSectionMissing && *f.Subject == "methods" {
			t.Errorf("methods has an answer: %s", dump([]schema.Finding{f}))
		}
	}
}

func TestBudgetOnlyRunsNoFormChecks(t *testing.T) {
	c := formCtx()
	c.HasForm = false
	fs := run(load(t, "seed003-arbetsstegen-budget.xlsx"), c)
	none(t, fs, schema.CodeSectionMissing, schema.CodeSignatureMissing, schema.CodePartiesMismatch)
}

func TestPeriod(t *testing.T) {
	r := load(t, "a-sprangbradan.submission")
	r.Period.End = str("2023-12-31") // before the start, 2024-01-01
	fs := run(r, formCtx())
	want(t, fs, schema.CodePeriodInvalid, "period", "/period/end", schema.SeverityError)
	want(t, fs, schema.CodePeriodInvalid, "period", "/period/intake_end", schema.SeverityError) // 2025-09-30 after the end
	want(t, fs, schema.CodePeriodBudgetMismatch, "period", "/budget/period", schema.SeverityWarning)

	r = load(t, "a-sprangbradan.submission")
	r.Period.IntakeEnd = str("2023-06")
	fs = run(r, formCtx())
	want(t, fs, schema.CodePeriodInvalid, "period", "/period/intake_end", schema.SeverityError)
	none(t, fs, schema.CodePeriodBudgetMismatch)

	// Month precision that cannot be ordered is not reported.
	r = load(t, "a-sprangbradan.submission")
	r.Period.IntakeEnd = str("2025-12")
	none(t, run(r, formCtx()), schema.CodePeriodInvalid)
}

func TestRowSum(t *testing.T) {
	r := load(t, "a-sprangbradan.submission")
	l := &r.Budget.Requested.Salaries.Lines[0] // 1. Arbetscoach, 1 296 000
	l.Total = i64(1296000 + 72000)
	fs := run(r, formCtx())
	f := want(t, fs, schema.CodeBudgetRowSum, "1. Arbetscoach", "/budget/requested/salaries/lines/0/total", schema.SeverityError)
	if !strings.Contains(f.Message, "1 368 000 kr") || !strings.Contains(f.Message, "1 296 000 kr") {
		t.Errorf("message %q does not give both figures", f.Message)
	}

	// One krona off: rounding, a warning.
	r = load(t, "a-sprangbradan.submission")
	r.Budget.Requested.Salaries.Lines[0].Total = i64(1296001)
	fs = run(r, formCtx())
	f = want(t, fs, schema.CodeBudgetRowSum, "1. Arbetscoach", "/budget/requested/salaries/lines/0/total", schema.SeverityWarning)
	if !strings.Contains(f.Message, "avrundning") {
		t.Errorf("message %q", f.Message)
	}
	if !r.Complete {
		t.Error("a rounding difference made the record incomplete")
	}
}

func TestColumnSum(t *testing.T) {
	// The example: Region Uppsala's salary line reads 608 400
	// while Summa lönekostnader says 680 400.
	r := load(t, "seed003-arbetsstegen.submission")
	lines := r.Budget.Requested.Salaries.Lines
	k := -1
	for i, l := range lines {
		if l.Amounts["Region Uppsala"] == 680400 {
			k = i
		}
	}
	if k < 0 {
		t.Fatalf("fixture changed: no Region Uppsala line of 680 400 in %+v", lines)
	}
	lines[k].Amounts["Region Uppsala"] = 608400
	lines[k].Total = i64(608400)
	fs := run(r, formCtx())
	f := want(t, fs, schema.CodeBudgetColumnSum, "Summa lönekostnader", "/budget/requested/salaries/sum/amounts/Region Uppsala", schema.SeverityError)
	if !strings.Contains(f.Message, "Summa lönekostnader för Region Uppsala") || !strings.Contains(f.Message, "680 400 kr men raderna ovan summerar till 608 400 kr") {
		t.Errorf("message %q", f.Message)
	}
	want(t, fs, schema.CodeBudgetColumnSum, "Summa lönekostnader", "/budget/requested/salaries/sum/total", schema.SeverityError)
	none(t, fs, schema.CodeBudgetRowSum)
}

func TestPercent(t *testing.T) {
	r := load(t, "a-sprangbradan.submission")
	p := 150.0 // the lines say 100 + 20 + 25 = 145
	r.Budget.Requested.Salaries.Sum.Percent = &p
	fs := run(r, formCtx())
	f := want(t, fs, schema.CodeBudgetPercent, "Summa lönekostnader", "/budget/requested/salaries/sum/percent", schema.SeverityWarning)
	if !strings.Contains(f.Message, "150 %") || !strings.Contains(f.Message, "145 %") {
		t.Errorf("message %q", f.Message)
	}
}

func TestTotals(t *testing.T) {
	r := load(t, "a-sprangbradan.submission")
	party := r.Budget.Parties[0]
	r.Budget.RequestedTotal.Amounts[party] += 10000
	fs := run(r, formCtx())
	want(t, fs, schema.CodeBudgetTotal, "Totalt från Samordningsförbundet", "/budget/requested_total/amounts/"+party, schema.SeverityError)
	// The total row's own total no longer matches its cells either, and
	// Total kostnad no longer matches requested + own financing.
	want(t, fs, schema.CodeBudgetTotal, "Totalt från Samordningsförbundet", "/budget/requested_total/total", schema.SeverityError)
	want(t, fs, schema.CodeBudgetTotal, "Total kostnad för insatsen", "/budget/total_cost/amounts/"+party, schema.SeverityError)

	r = load(t, "a-sprangbradan.submission")
	*r.Budget.OwnFinancingTotal.Total -= 50000
	fs = run(r, formCtx())
	want(t, fs, schema.CodeBudgetTotal, "Summa egenfinansiering", "/budget/own_financing_total/total", schema.SeverityError)
	want(t, fs, schema.CodeBudgetTotal, "Total kostnad för insatsen", "/budget/total_cost/total", schema.SeverityError)
}

func TestSummary(t *testing.T) {
	r := load(t, "a-sprangbradan.submission")
	if len(r.Budget.Summary) == 0 {
		t.Fatal("fixture changed: no Budgetsammanställning")
	}
	row := &r.Budget.Summary[0]
	*row.Requested += 1000
	fs := run(r, formCtx())
	want(t, fs, schema.CodeBudgetSummary, row.Party, "/budget/summary/0/requested", schema.SeverityError)
	want(t, fs, schema.CodeBudgetSummary, row.Party, "/budget/summary/0/total", schema.SeverityError)
}

func TestRequestedAmount(t *testing.T) {
	r := load(t, "a-sprangbradan.submission")
	*r.RequestedAmountSEK = 2000000
	fs := run(r, formCtx())
	f := want(t, fs, schema.CodeBudgetRequestedAmount, "Totalt från Samordningsförbundet", "/requested_amount_sek", schema.SeverityError)
	if !strings.Contains(f.Message, "2 000 000 kr") || !strings.Contains(f.Message, "2 073 600 kr") {
		t.Errorf("message %q", f.Message)
	}
}

func TestUnitMismatch(t *testing.T) {
	fs := run(load(t, "a-sprangbradan-budget.xlsx"), &Context{})
	want(t, fs, schema.CodeBudgetUnitMismatch, "Kostnader i tkr", "/budget/unit_stated", schema.SeverityInfo)
	r := load(t, "a-sprangbradan-budget.xlsx")
	r.Budget.UnitStated = str("kr")
	none(t, run(r, &Context{}), schema.CodeBudgetUnitMismatch)
}

func TestPlaceholdersInBudget(t *testing.T) {
	r := load(t, "a-sprangbradan.submission")
	o := r.Budget.Requested.Other
	o.Lines[0].Label = "Kostnadsbeteckning"
	o.Lines[1].Amounts[placeholderParty] = 5000
	fs := run(r, formCtx())
	want(t, fs, schema.CodeTemplatePlaceholder, "Kostnadsbeteckning", "/budget/requested/other/lines/0/label", schema.SeverityWarning)
	want(t, fs, schema.CodeTemplatePlaceholder, o.Lines[1].Label, "/budget/requested/other/lines/1/amounts/NAMN", schema.SeverityWarning)

	// An unused template row is normal.
	r = load(t, "a-sprangbradan.submission")
	r.Budget.Requested.Other.Lines = append(r.Budget.Requested.Other.Lines, schema.BudgetLine{Label: "Kostnadsbeteckning", Amounts: map[string]int64{}, Total: i64(0)})
	none(t, run(r, formCtx()), schema.CodeTemplatePlaceholder)

	r = load(t, "a-sprangbradan.submission")
	s := r.Sections["target_group"]
	s.Text += "\n\nInsatsen startar 20XX."
	r.Sections["target_group"] = s
	want(t, run(r, formCtx()), schema.CodeTemplatePlaceholder, "target_group", "/sections/target_group/text", schema.SeverityWarning)
}

func TestParties(t *testing.T) {
	r := load(t, "a-sprangbradan.submission")
	r.Signatures[3].Organisation = str("Region Gävleborg")
	fs := run(r, formCtx())
	want(t, fs, schema.CodePartiesMismatch, "Region Gävleborg", "/signatures/3/organisation", schema.SeverityWarning)
	want(t, fs, schema.CodeSignatureMissing, "Försäkringskassan", "/signatures", schema.SeverityError)

	r = load(t, "a-sprangbradan.submission")
	r.Partners = r.Partners[:2] // Försäkringskassan no longer named, but has budget figures
	fs = run(r, formCtx())
	k := -1
	for i, p := range r.Budget.Parties {
		if p == "Försäkringskassan" {
			k = i
		}
	}
	want(t, fs, schema.CodePartiesMismatch, "Försäkringskassan", "/budget/parties/"+itoa(k), schema.SeverityWarning)
	want(t, fs, schema.CodePartiesMismatch, "Försäkringskassan", "/signatures/3/organisation", schema.SeverityWarning)

	r = load(t, "a-sprangbradan.submission")
	r.Partners = append(r.Partners, schema.Partner{Organisation: "Region Gävleborg"})
	fs = run(r, formCtx())
	want(t, fs, schema.CodePartiesMismatch, "Region Gävleborg", "/partners/3/organisation", schema.SeverityWarning)
}

func TestAgreement(t *testing.T) {
	r := load(t, "a-sprangbradan.submission")
	s := r.Sections["agreement"]
	if !strings.Contains(s.Text, "det fulla ansvaret") {
		t.Fatalf("fixture changed: %q", s.Text[:200])
	}
	s.Text = strings.Replace(s.Text, "det fulla ansvaret", "ett delat ansvar", 1)
	r.Sections["agreement"] = s
	fs := run(r, formCtx())
	f := want(t, fs, schema.CodeAgreementModified, "agreement", "/sections/agreement/text", schema.SeverityWarning)
	if !strings.Contains(f.Message, "”det fulla ansvaret” har ändrats till ”ett delat ansvar”") {
		t.Errorf("message %q does not show the change", f.Message)
	}
	// The PDF's agreement (line breaks, hyphenation) is the same text.
	none(t, run(load(t, "a-sprangbradan.pdf"), formCtx()), schema.CodeAgreementModified)
}

func TestEvidenceFromParentPath(t *testing.T) {
	c := &Context{Where: map[string]schema.Evidence{"/signatures/2": {File: "a.pdf"}}}
	if e := c.evidence("/signatures/2/date"); e == nil || e.File != "a.pdf" {
		t.Errorf("evidence = %+v", e)
	}
	if e := c.evidence("/signatures/1/date"); e != nil {
		t.Errorf("evidence = %+v, want none", e)
	}
}

func TestKronor(t *testing.T) {
	for v, want := range map[int64]string{0: "0 kr", 999: "999 kr", 1000: "1 000 kr", 1540400: "1 540 400 kr", -72000: "−72 000 kr"} {
		if got := kr(v); got != want {
			t.Errorf("kr(%d) = %q, want %q", v, got, want)
		}
	}
}

func TestFewPartiesAndNonMemberOwner(t *testing.T) {
	r := load(t, "seed003-arbetsstegen.submission")
	r.Partners = nil
	r.Owner.Organisation = str("Stiftelsen Arbetsstegen")
	c := formCtx()
	fs := run(r, c)
	want(t, fs, schema.CodePartiesMismatch, "Stiftelsen Arbetsstegen", "/owner/organisation", schema.SeverityWarning)
	want(t, fs, schema.CodePartiesMismatch, "Stiftelsen Arbetsstegen", "/partners", schema.SeverityWarning)
	for _, org := range []string{"Uppsala kommun", "Region Uppsala", "Arbetsförmedlingen", "Försäkringskassan", "Västra Götalandsregionen"} {
		if !memberParty(org) {
			t.Errorf("%s is a member party", org)
		}
	}
}

// TestMemberPartyFromContext: the normalizer's answer on who is a member
// party wins over the rule of thumb ("Stockholms stad" is a kommun).
func TestMemberPartyFromContext(t *testing.T) {
	r := load(t, "seed003-arbetsstegen.submission")
	r.Owner.Organisation = str("Stockholms stad")
	c := formCtx()
	fs := run(r, c)
	want(t, fs, schema.CodePartiesMismatch, "Stockholms stad", "/owner/organisation", schema.SeverityWarning)

	r = load(t, "seed003-arbetsstegen.submission")
	r.Owner.Organisation = str("Stockholms stad")
	c = formCtx()
	c.MemberParty = func(org string) bool { return org == "Stockholms stad" }
	for _, f := range run(r, c) {
		if f.Path == "/owner/organisation" && strings.HasPrefix(f.Message, "Insatsägaren") {
			t.Errorf("a member party as owner: %s", f.Message)
		}
	}
}

func TestLineOutsideBudgetPeriod(t *testing.T) {
	r := load(t, "a-sprangbradan.submission")
	l := &r.Budget.Requested.Salaries.Lines[1]
	l.To = str("2026-06-30") // the budget runs to 2025-12-31
	fs := run(r, formCtx())
	want(t, fs, schema.CodePeriodBudgetMismatch, l.Label, "/budget/requested/salaries/lines/1/to", schema.SeverityWarning)
}

func TestUncertainSilencesDependentChecks(t *testing.T) {
	r := &schema.Record{Sections: map[string]schema.Section{}}
	para := 12
	c := &Context{HasForm: true, Uncertain: []Uncertain{{
		Subject: schema.SectionPurpose, Path: "/sections/purpose",
		Message:  "Avsnittet ”Syfte” kunde inte hittas med säkerhet; rubriken ”Varför insatsen” (stycke 12) har ett längre svar som kan höra dit",
		Evidence: &schema.Evidence{File: "a.docx", Paragraph: &para},
	}}}
	fs := run(r, c)
	u := withCodeChecks(fs, schema.CodeExtractionUncertain)
	if len(u) != 1 || deref(u[0].Subject) != schema.SectionPurpose || u[0].Severity != schema.SeverityWarning ||
		!strings.HasSuffix(u[0].Message, "granska manuellt.") || u[0].Evidence == nil {
		t.Fatalf("uncertain findings %+v", u)
	}
	for _, f := range withCodeChecks(fs, schema.CodeSectionMissing) {
		if deref(f.Subject) == schema.SectionPurpose {
			t.Errorf("section.missing for an uncertain section: %s", f.Message)
		}
	}
	// Without the doubt, the section is missing.
	c.Uncertain = nil
	found := false
	for _, f := range withCodeChecks(run(&schema.Record{Sections: map[string]schema.Section{}}, c), schema.CodeSectionMissing) {
		found = found || deref(f.Subject) == schema.SectionPurpose
	}
	if !found {
		t.Error("no section.missing for purpose")
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func withCodeChecks(fs []schema.Finding, code string) []schema.Finding {
	var out []schema.Finding
	for _, f := range fs {
		if f.Code == code {
			out = append(out, f)
		}
	}
	return out
}
