package score

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/schema"
)

func sp(s string) *string { return &s }
func ip(n int64) *int64   { return &n }
func bp(b bool) *bool     { return &b }
func intp(n int) *int     { return &n }

// pair is a record and a gold that agree on everything.
func pair() (*Gold, *schema.Record) {
	n := 20
	rec := &schema.Record{
		Title:                sp("Språngbrädan"),
		Owner:                &schema.Owner{Organisation: sp("Enköpings kommun")},
		Partners:             []schema.Partner{{Organisation: "Arbetsförmedlingen"}, {Organisation: "Region Uppsala"}},
		Period:               &schema.Period{Start: sp("2024-01-01"), End: sp("2025-12-31"), IntakeEnd: sp("2025-09-30")},
		ExpectedParticipants: &schema.ExpectedParticipants{Count: &n, PerYear: true, Text: "20 per år"},
		RequestedAmountSEK:   ip(2073600),
		Anchoring:            &schema.Anchoring{Discussed: bp(true)},
		Sections: map[string]schema.Section{
			"purpose": {Heading: "Syfte", Text: "Syftet med insatsen är att ge unga vuxna stöd."},
			"goals":   {Heading: "Mål", Text: "- Att 60 procent går vidare.\n- Att alla har en plan."},
		},
		ExtraSections: []schema.Section{{Heading: "Roller i teamet", Text: "Arbetscoach och arbetsterapeut."}},
		Signatures: []schema.Signature{
			{Role: "owner", Organisation: sp("Enköpings kommun"), Date: sp("2023-10-16"), Name: sp("Helena Norberg"), Email: sp("h@enkoping.se")},
			{Role: "partner", Organisation: sp("Arbetsförmedlingen"), Date: sp("2023-10-18"), Name: sp("Johan Ekström"), Email: sp("j@af.se")},
		},
		Budget: &schema.Budget{
			Requested: &schema.CostGroups{Salaries: &schema.CostGroup{
				Lines: []schema.BudgetLine{{Label: "1. Arbetscoach", Amounts: map[string]int64{"Enköpings kommun": 1296000}, Total: ip(1296000)}},
				Sum:   &schema.SumRow{Amounts: map[string]int64{"Enköpings kommun": 1296000, "Arbetsförmedlingen": 0}, Total: ip(1296000)},
			}},
			RequestedTotal: &schema.Total{Amounts: map[string]int64{"Enköpings kommun": 1296000}, Total: ip(1296000)},
			Summary:        []schema.SummaryRow{{Party: "Enköpings kommun", Requested: ip(1296000), OwnFinancing: ip(0), Total: ip(1296000)}},
		},
		Findings: []schema.Finding{
			{Code: "signature.date_incomplete", Severity: "warning", Subject: sp("Region Uppsala")},
			{Code: "budget.unit_mismatch", Severity: "info", Subject: sp("Kostnader i tkr")},
		},
		Complete: true,
	}
	b, _ := json.Marshal(rec)
	var g Gold
	if err := json.Unmarshal(b, &g); err != nil {
		panic(err)
	}
	g.Findings = []GoldFinding{{Code: "signature.date_incomplete", Subject: sp("Region Uppsala")}, {Code: "budget.unit_mismatch", Subject: sp("kostnader i tkr")}}
	return &g, rec
}

type want struct {
	fields, sections, signatures, budget float64
	precision, recall                    float64
	complete                             bool
}

func TestScore(t *testing.T) {
	perfect := want{1, 1, 1, 1, 1, 1, true}
	cases := []struct {
		name   string
		change func(g *Gold, r *schema.Record)
		want   want
	}{
		{"perfect match", func(*Gold, *schema.Record) {}, perfect},
		{"dropped section", func(_ *Gold, r *schema.Record) { delete(r.Sections, "goals") },
			want{1, 2.0 / 3, 1, 1, 1, 1, true}},
		{"section read with the next heading's text", func(_ *Gold, r *schema.Record) {
			s := r.Sections["purpose"]
			s.Text += " Mål Att 60 procent går vidare. Att alla har en plan. Bakgrund Kommunen ser ett behov."
			r.Sections["purpose"] = s
		}, want{1, 2.0 / 3, 1, 1, 1, 1, true}},
		{"list markers and line breaks are not words", func(_ *Gold, r *schema.Record) {
			r.Sections["goals"] = schema.Section{Text: "• Att 60 procent går vidare. • Att alla har en plan."}
		}, perfect},
		{"wrong period date", func(_ *Gold, r *schema.Record) { r.Period.End = sp("2025-12") },
			want{8.0 / 9, 1, 1, 1, 1, 1, true}},
		{"wrong signature date", func(_ *Gold, r *schema.Record) { r.Signatures[1].Date = nil },
			want{1, 1, 11.0 / 12, 1, 1, 1, true}},
		{"signatures in another order", func(_ *Gold, r *schema.Record) {
			r.Signatures[0], r.Signatures[1] = r.Signatures[1], r.Signatures[0]
		}, perfect},
		{"signature block missing and one invented", func(_ *Gold, r *schema.Record) {
			r.Signatures[1].Organisation = sp("Försäkringskassan")
		}, want{1, 1, 6.0 / 13, 1, 1, 1, true}},
		{"digitally signed blocks matched as the gold says", func(g *Gold, r *schema.Record) {
			for i := range 2 {
				g.Signatures[i].Digital, r.Signatures[i].Digital = intp(i), intp(i)
			}
		}, perfect},
		{"a block matched to the wrong digital signature, one not matched", func(g *Gold, r *schema.Record) {
			g.Signatures[0].Digital, g.Signatures[1].Digital = intp(0), intp(1)
			r.Signatures[0].Digital = intp(1)
		}, want{1, 1, 12.0 / 14, 1, 1, 1, true}},
		{"a digital signature matched where the gold has none", func(_ *Gold, r *schema.Record) {
			r.Signatures[1].Digital = intp(0)
		}, want{1, 1, 12.0 / 13, 1, 1, 1, true}},
		{"blocks matched to a verification page's signers as the gold says", func(g *Gold, r *schema.Record) {
			for i := range 2 {
				g.Signatures[i].Verification, r.Signatures[i].Verification = intp(1-i), intp(1-i)
			}
		}, perfect},
		{"a block matched to the wrong verification page's signer, one not matched", func(g *Gold, r *schema.Record) {
			g.Signatures[0].Verification, g.Signatures[1].Verification = intp(0), intp(1)
			r.Signatures[0].Verification = intp(1)
		}, want{1, 1, 12.0 / 14, 1, 1, 1, true}},
		{"a verification page's signer matched where the gold has none", func(_ *Gold, r *schema.Record) {
			r.Signatures[0].Verification = intp(0)
		}, want{1, 1, 12.0 / 13, 1, 1, 1, true}},
		{"a verification match is not a digital one", func(g *Gold, r *schema.Record) {
			g.Signatures[0].Digital = intp(0)
			r.Signatures[0].Verification = intp(0)
		}, want{1, 1, 12.0 / 14, 1, 1, 1, true}},
		{"partners in another order", func(_ *Gold, r *schema.Record) {
			r.Partners[0], r.Partners[1] = r.Partners[1], r.Partners[0]
		}, perfect},
		{"a partner missing", func(_ *Gold, r *schema.Record) { r.Partners = r.Partners[:1] },
			want{8.0 / 9, 1, 1, 1, 1, 1, true}},
		{"wrong budget figure", func(_ *Gold, r *schema.Record) {
			r.Budget.Requested.Salaries.Lines[0].Total = ip(1290000)
		}, want{1, 1, 1, 9.0 / 10, 1, 1, true}},
		{"no budget read", func(_ *Gold, r *schema.Record) { r.Budget = nil },
			want{1, 1, 1, 0, 1, 1, true}},
		{"an extra finding lowers precision", func(_ *Gold, r *schema.Record) {
			r.Findings = append(r.Findings, schema.Finding{Code: "section.missing", Severity: "error", Subject: sp("purpose")})
			r.Complete = false
		}, want{1, 1, 1, 1, 2.0 / 3, 1, false}},
		{"a missing finding lowers recall", func(_ *Gold, r *schema.Record) { r.Findings = r.Findings[1:] },
			want{1, 1, 1, 1, 1, 0.5, true}},
		{"the right code on the wrong subject is both", func(_ *Gold, r *schema.Record) {
			r.Findings[0].Subject = sp("Arbetsförmedlingen")
		}, want{1, 1, 1, 1, 0.5, 0.5, true}},
		{"a gold subject null matches any subject", func(g *Gold, r *schema.Record) {
			g.Findings = append(g.Findings, GoldFinding{Code: "parties.mismatch"})
			r.Findings = append(r.Findings, schema.Finding{Code: "parties.mismatch", Severity: "warning", Subject: sp("signatures")})
		}, perfect},
		{"an optional finding is neither missed nor a false alarm", func(g *Gold, r *schema.Record) {
			g.Findings = append(g.Findings, GoldFinding{Code: "template.placeholder", Subject: sp("purpose"), Optional: true})
		}, perfect},
		{"unannotated parts are not scored", func(g *Gold, r *schema.Record) {
			g.Title, g.Budget, g.Signatures = nil, nil, nil
			r.Title, r.Budget, r.Signatures = sp("Fel"), nil, nil
		}, perfect},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, rec := pair()
			c.change(g, rec)
			res := Score("x", g, rec)
			got := want{res.Fields.Rate(), res.Sections.Rate(), res.Signatures.Rate(), res.Budget.Rate(),
				res.Findings.Precision(), res.Findings.Recall(), res.Complete != nil && *res.Complete}
			if !near(got, c.want) {
				t.Errorf("got %+v, want %+v\nmisses: %v", got, c.want, misses(res))
			}
		})
	}
}

// near compares two want values with a tolerance for the rates.
func near(a, b want) bool {
	x := []float64{a.fields, a.sections, a.signatures, a.budget, a.precision, a.recall}
	y := []float64{b.fields, b.sections, b.signatures, b.budget, b.precision, b.recall}
	for i := range x {
		if math.Abs(x[i]-y[i]) > 1e-9 {
			return false
		}
	}
	return a.complete == b.complete
}

func misses(r Result) []Item {
	var out []Item
	for _, it := range r.Items {
		if !it.OK {
			out = append(out, it)
		}
	}
	return out
}

func TestF1(t *testing.T) {
	cases := []struct {
		want, got string
		f1        float64
	}{
		{"", "", 1},
		{"a b", "", 0},
		{"", "a", 0},
		{"Att 60 procent", "att 60 PROCENT", 1},
		{"a b c d", "a b", 2 * 1 * 0.5 / 1.5},
		{"a a b", "a b b", 2.0 / 3},
		{"x", "y", 0},
	}
	for _, c := range cases {
		if got := F1(c.want, c.got); math.Abs(got-c.f1) > 1e-9 {
			t.Errorf("F1(%q, %q) = %v, want %v", c.want, c.got, got, c.f1)
		}
	}
}

func TestSumCountsFalseAlarmsOnCleanSamples(t *testing.T) {
	g, rec := pair()
	g.Findings = []GoldFinding{{Code: "budget.unit_mismatch", Subject: sp("Kostnader i tkr")}}
	clean := Score("clean", g, rec)
	if !clean.Clean || clean.Findings.FalsePositives != 1 {
		t.Fatalf("clean %v, false positives %d", clean.Clean, clean.Findings.FalsePositives)
	}
	g2, rec2 := pair()
	g2.Findings = g2.Findings[:1]
	rec2.Findings = append(rec2.Findings, schema.Finding{Code: "parties.mismatch"})
	dirty := Score("dirty", g2, rec2)
	tot := Sum([]Result{clean, dirty})
	if tot.CleanFalseAlarms != 1 || tot.Findings.FalsePositives != 3 || tot.Records != 2 {
		t.Errorf("totals %+v", tot)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, Report{Results: []Result{clean, dirty}, Totals: tot}, true); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"TOTAL (2)", "1 on clean", "parties.mismatch"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("report lacks %q:\n%s", s, buf.String())
		}
	}
}

func TestLoadGold(t *testing.T) {
	dir := t.TempDir()
	g, _ := pair()
	b, _ := json.Marshal(g)
	if err := os.WriteFile(filepath.Join(dir, "x.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadGold(dir); err == nil || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("a broken gold file: err %v, want one naming bad.json", err)
	}
	os.Remove(filepath.Join(dir, "bad.json"))
	gold, err := LoadGold(dir)
	if err != nil || gold["x"] == nil || *gold["x"].Title != "Språngbrädan" {
		t.Fatalf("LoadGold: %v %v", gold, err)
	}
	if _, err := LoadGold(t.TempDir()); err == nil {
		t.Error("an empty gold folder: no error")
	}
	// A gold without findings does not annotate them: nothing is scored.
	var bare Gold
	if err := json.Unmarshal([]byte(`{"title":"x"}`), &bare); err != nil || bare.Findings != nil || bare.Clean() {
		t.Errorf("bare gold: %+v %v", bare, err)
	}
}
