package checks

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/finsam/ansokan/schema"
)

func TestPersonnummerMasked(t *testing.T) {
	r := load(t, "a-sprangbradan.submission")
	s := r.Sections["target_group"]
	s.Text += "\n\nExempel: deltagaren 121212-1212 har redan anmält intresse."
	r.Sections["target_group"] = s
	how := "Diskuterades med handläggaren för 19121212-1212."
	r.Anchoring.How = &how
	fs := run(r, formCtx())
	f := want(t, fs, schema.CodePrivacyPersonnummer, "target_group", "/sections/target_group/text", schema.SeverityWarning)
	if strings.Contains(f.Message, "1212") {
		t.Errorf("the message repeats the number: %q", f.Message)
	}
	want(t, fs, schema.CodePrivacyPersonnummer, "anchoring", "/anchoring/how", schema.SeverityWarning)
	if got := r.Sections["target_group"].Text; strings.Contains(got, "121212-1212") || !strings.Contains(got, "deltagaren XXXXXX-XXXX har") {
		t.Errorf("not masked: %q", got)
	}
	if got := *r.Anchoring.How; got != "Diskuterades med handläggaren för XXXXXXXX-XXXX." {
		t.Errorf("not masked: %q", got)
	}
	if !r.Complete {
		t.Error("a personnummer (a warning) made the record incomplete")
	}
}

// Numbers planted in every kind of place the record holds: the checks
// that quote text (agreement.modified, budget findings) quote it masked,
// privacy.personnummer is raised once per place with its path, and no
// number is left anywhere in the record, findings included.
func TestPersonnummerEverywhere(t *testing.T) {
	r := load(t, "seed003-arbetsstegen.submission")
	plants := map[string]string{ // path → planted number (all valid)
		"/title":                                "19121212-1212",
		"/sections/agreement/text":              "850312-1231",
		"/extra_sections/0/heading":             "701063-2391",
		"/partners/0/organisation":              "121212+1212",
		"/signatures/1/email":                   "000229-1235",
		"/signatures/0/name":                    "20121212-1212",
		"/budget/requested/other/lines/1/label": "19850312-1231",
		"/source/files/0/name":                  "191212121212",
	}
	r.Title = ptr(*r.Title + " " + plants["/title"])
	ag := r.Sections["agreement"]
	ag.Text = strings.Replace(ag.Text, "Lagar och förordningar", "Lagar och förordningar (kontakt "+plants["/sections/agreement/text"]+")", 1)
	r.Sections["agreement"] = ag
	r.ExtraSections[0].Heading += " " + plants["/extra_sections/0/heading"]
	r.Partners[0].Organisation += " " + plants["/partners/0/organisation"]
	r.Signatures[1].Email = ptr("anders." + plants["/signatures/1/email"] + "@regionuppsala.se")
	r.Signatures[0].Name = ptr(*r.Signatures[0].Name + " " + plants["/signatures/0/name"])
	line := &r.Budget.Requested.Other.Lines[1]
	line.Label += " " + plants["/budget/requested/other/lines/1/label"]
	*line.Total += 1000 // a row sum mismatch quotes the label
	r.Source.Files[0].Name = "budget_" + plants["/source/files/0/name"] + ".xlsx"
	// A budget column named with a number: it is the key of every amounts
	// map, and reported once.
	col := "Region Uppsala 850312-1231"
	r.Budget.Parties[1] = col
	renameKey(r.Budget, "Region Uppsala", col)

	fs := run(r, formCtx())
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range append(slices.Collect(maps.Values(plants)), col) {
		if strings.Contains(string(b), n) {
			t.Errorf("%s left in the record", n)
		}
	}
	for path := range plants {
		var hits []schema.Finding
		for _, f := range fs {
			if f.Code == schema.CodePrivacyPersonnummer && f.Path == path {
				hits = append(hits, f)
			}
		}
		if len(hits) != 1 {
			t.Errorf("%d privacy findings at %s, want 1:\n%s", len(hits), path, dump(fs))
		}
	}
	var columns int
	for _, f := range fs {
		if f.Code == schema.CodePrivacyPersonnummer && strings.Contains(f.Message, "kolumnrubrik") {
			columns++
		}
		if f.Code == schema.CodePrivacyPersonnummer && strings.HasPrefix(f.Path, "/findings") {
			t.Errorf("a finding about a finding: %+v", f)
		}
	}
	if columns != 1 {
		t.Errorf("%d findings for the budget column, want 1:\n%s", columns, dump(fs))
	}
	ag1 := want(t, fs, schema.CodeAgreementModified, "agreement", "/sections/agreement/text", schema.SeverityWarning)
	if !strings.Contains(strings.ToUpper(ag1.Message), "XXXXXX") || strings.Contains(ag1.Message, "1231") {
		t.Errorf("agreement.modified does not quote the masked change: %s", ag1.Message)
	}
	rs := want(t, fs, schema.CodeBudgetRowSum, "Övrigt XXXXXXXX-XXXX", "/budget/requested/other/lines/1/total", schema.SeverityError)
	if strings.Contains(rs.Message, "1231") {
		t.Errorf("row sum message: %s", rs.Message)
	}
}

func renameKey(b *schema.Budget, from, to string) {
	re := func(m map[string]int64) {
		if v, ok := m[from]; ok {
			delete(m, from)
			m[to] = v
		}
	}
	for _, cg := range []*schema.CostGroups{b.Requested, b.OwnFinancing} {
		for _, g := range []*schema.CostGroup{cg.Salaries, cg.Premises, cg.Other} {
			for i := range g.Lines {
				re(g.Lines[i].Amounts)
			}
			re(g.Sum.Amounts)
		}
	}
	for _, t := range []*schema.Total{b.RequestedTotal, b.OwnFinancingTotal, b.TotalCost} {
		re(t.Amounts)
	}
	for i := range b.Summary {
		if b.Summary[i].Party == from {
			b.Summary[i].Party = to
		}
	}
}

func ptr[T any](v T) *T { return &v }
