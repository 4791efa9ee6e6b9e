package batch

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/schema"
)

func sp(s string) *string { return &s }
func ip(i int) *int       { return &i }

// registerRecords are two applications written for the register's
// sake: every kind of place a finding can point at, Swedish severities,
// sections with and without a heading, files in folders.
func registerRecords() []schema.Record {
	amount := func(v int64) *int64 { return &v }
	a := schema.Record{
		SchemaVersion: schema.Version,
		Source: schema.Source{Files: []schema.File{
			{Name: "a.docx", Path: "2024/Tierp/a.docx", Format: "docx"},
			{Name: "a.pdf", Path: "2024/Tierp/a.pdf", Format: "pdf"},
		}},
		Title:              sp("Steg för steg"),
		Owner:              &schema.Owner{Organisation: sp("Tierps kommun")},
		Partners:           []schema.Partner{{Organisation: "Region Uppsala"}},
		Period:             &schema.Period{Start: sp("2024-01-01"), End: sp("2025-12-31")},
		RequestedAmountSEK: amount(1_000_000),
		Sections:           map[string]schema.Section{"goals": {Heading: "Beskriv målen med insatsen (*)", Text: "x"}},
		Budget: &schema.Budget{
			Parties:   []string{"Tierps kommun", "Region Uppsala"},
			TotalCost: &schema.Total{Total: amount(1_200_000)},
			Summary:   []schema.SummaryRow{{Party: "Tierps kommun"}, {Party: "Region Uppsala"}},
		},
		SubmissionID: sp("A-2024-1"),
		Findings: []schema.Finding{
			{Code: schema.CodeSignatureDateMissing, Severity: schema.SeverityWarning, Subject: sp("Region Uppsala"), Message: "Datum saknas.",
				Path: "/signatures/1/date", Evidence: &schema.Evidence{File: "a.pdf", Page: ip(3)}},
			{Code: schema.CodeBudgetRowSum, Severity: schema.SeverityError, Subject: sp("3. Arbetsterapeut"), Message: "Raden summerar inte.",
				Path: "/budget/requested/salaries/lines/2/amounts/Region Uppsala", Evidence: &schema.Evidence{File: "a.docx", Paragraph: ip(96)}},
			{Code: schema.CodeSectionMissing, Severity: schema.SeverityError, Subject: sp("purpose"), Message: "Syftet saknas.",
				Path: "/sections/purpose", Evidence: nil},
			{Code: schema.CodeTemplatePlaceholder, Severity: schema.SeverityWarning, Subject: sp("goals"), Message: "Mallens text står kvar.",
				Path: "/sections/goals/text", Evidence: &schema.Evidence{File: "a.docx", Paragraph: ip(40)}},
			{Code: schema.CodeBudgetUnitMismatch, Severity: schema.SeverityInfo, Subject: sp("Kostnader i tkr"), Message: "tkr men kronor.",
				Path: "/budget/unit_stated", Evidence: &schema.Evidence{File: "b.xlsx", Sheet: "Budget", Cell: "A7"}},
		},
	}
	b := schema.Record{
		SchemaVersion:      schema.Version,
		Source:             schema.Source{Files: []schema.File{{Name: "b.docx", Path: "2023/Enköping/b.docx", Format: "docx"}}},
		Title:              sp("Vägen vidare"),
		Owner:              &schema.Owner{Organisation: sp("Enköpings kommun")},
		Period:             &schema.Period{Start: sp("2023-08-01")},
		RequestedAmountSEK: amount(500_000),
		Complete:           true,
	}
	return []schema.Record{a, b}
}

func writeJSONL(t *testing.T, path string, recs []schema.Record) {
	t.Helper()
	var sb strings.Builder
	for _, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		sb.Write(b)
		sb.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The register read back: Swedish severities, section names as the form
// has them, the place in words, the file's path, code and pointer last,
// numeric years, the total row, and a file that is not executable.
func TestRegisterForOfficers(t *testing.T) {
	dir := t.TempDir()
	in, reg := filepath.Join(dir, "records.jsonl"), filepath.Join(dir, "register.xlsx")
	recs := registerRecords()
	writeJSONL(t, in, recs)
	// An executable file from an earlier version must not keep its mode.
	if err := os.WriteFile(reg, []byte("old"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteRegister(in, reg); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(reg)
	if err != nil {
		t.Fatal(err)
	}
	if m := info.Mode().Perm(); m != 0o600 {
		t.Errorf("register mode %v, want 0600: readable and writable by its owner only (personal data), never executable", m)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}

	x, err := excelize.OpenFile(reg)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()

	frows, err := x.GetRows(SheetFindings)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		findingHeader,
		{"Steg för steg", "varning", "Region Uppsala", "Underskrift 2, datum (sida 3)", "Datum saknas.", "2024/Tierp/a.pdf", schema.CodeSignatureDateMissing, "/signatures/1/date"},
		{"Steg för steg", "fel", "3. Arbetsterapeut", "Budget, lönekostnader rad 3, Region Uppsala (stycke 96)", "Raden summerar inte.", "2024/Tierp/a.docx", schema.CodeBudgetRowSum, "/budget/requested/salaries/lines/2/amounts/Region Uppsala"},
		{"Steg för steg", "fel", "Syfte", "Avsnitt: Syfte", "Syftet saknas.", "2024/Tierp/a.docx, 2024/Tierp/a.pdf", schema.CodeSectionMissing, "/sections/purpose"},
		{"Steg för steg", "varning", "Beskriv målen med insatsen (*)", "Avsnitt: Beskriv målen med insatsen (*) (stycke 40)", "Mallens text står kvar.", "2024/Tierp/a.docx", schema.CodeTemplatePlaceholder, "/sections/goals/text"},
		{"Steg för steg", "info", "Kostnader i tkr", "Budget, angiven enhet (blad Budget, cell A7)", "tkr men kronor.", "b.xlsx", schema.CodeBudgetUnitMismatch, "/budget/unit_stated"},
	}
	if len(frows) != len(want) {
		t.Fatalf("%s: %d rows, want %d", SheetFindings, len(frows), len(want))
	}
	for i := range want {
		if strings.Join(frows[i], " | ") != strings.Join(want[i], " | ") {
			t.Errorf("%s row %d:\n got %q\nwant %q", SheetFindings, i+1, frows[i], want[i])
		}
	}

	rows, err := x.GetRows(SheetApplications)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != TotalRow(2) {
		t.Fatalf("%s: %d rows, want %d", SheetApplications, len(rows), TotalRow(2))
	}
	col := func(name string) int {
		for i, h := range applicationHeader {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	if got := rows[1][col("Sökväg")]; got != "2024/Tierp/a.docx, 2024/Tierp/a.pdf" {
		t.Errorf("path column %q", got)
	}
	if got := rows[1][col("Inlämnings-id")]; got != "A-2024-1" {
		t.Errorf("submission column %q", got)
	}
	// The total row: label, sums as cached values over SUBTOTAL formulas.
	tr := strconv.Itoa(TotalRow(2))
	cell := func(c string) (value, formula string) {
		v, err := x.GetCellValue(SheetApplications, c+tr, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		f, err := x.GetCellFormula(SheetApplications, c+tr)
		if err != nil {
			t.Fatal(err)
		}
		return v, f
	}
	if v, _ := cell("A"); v != "Summa (2 ansökningar)" {
		t.Errorf("total row label %q", v)
	}
	for c, w := range map[string]string{"F": "1500000", "G": "1200000", "I": "5"} {
		if v, f := cell(c); v != w || !strings.HasPrefix(f, "SUBTOTAL(109,"+c+"2:"+c+"3") {
			t.Errorf("total %s: %q = %q, want %s over the table's rows", c, f, v, w)
		}
	}
	if v, f := cell("H"); v != "1" || !strings.Contains(f, "COUNTIF(H2:H3") {
		t.Errorf("complete count: %q = %q, want 1", f, v)
	}

	// Years are numbers.
	trows, err := x.GetRows(SheetTotals)
	if err != nil {
		t.Fatal(err)
	}
	years := 0
	for i, r := range trows[1:] {
		if len(r) == 0 || r[0] == "" {
			continue
		}
		ref := "A" + strconv.Itoa(i+2)
		typ, err := x.GetCellType(SheetTotals, ref)
		if err != nil {
			t.Fatal(err)
		}
		if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("%s %s: year %q is text", SheetTotals, ref, r[0])
		}
		years++
	}
	if years != 2 || trows[1][0] != "2023" || trows[2][0] != "2024" {
		t.Errorf("years %q, want 2023 and 2024", trows)
	}
}

// Places in the application in words, for pointers the checks make and
// ones they may make later.
func TestDescribePointer(t *testing.T) {
	r := registerRecords()[0]
	r.ExtraSections = []schema.Section{{Heading: "Roller i teamet", Text: "x"}}
	for ptr, want := range map[string]string{
		"":                                      "Hela ansökan",
		"/title":                                "Insatsens namn",
		"/owner/organisation":                   "Insatsägare",
		"/partners/0/organisation":              "Samverkanspart 1, Region Uppsala",
		"/period/intake_end":                    "Planerad insatstid, slutdatum för intag",
		"/requested_amount_sek":                 "Ansökt belopp",
		"/anchoring/discussed":                  "Lokal förankring, diskuterad i lokal utvecklingsgrupp",
		"/sections/evaluation/text":             "Avsnitt: Uppföljning och utvärdering",
		"/sections/goals/heading":               "Avsnitt: Beskriv målen med insatsen (*), rubrik",
		"/extra_sections/0":                     "Avsnitt: Roller i teamet",
		"/signatures":                           "Underskrifter",
		"/signatures/0/email":                   "Underskrift 1, e-post",
		"/source/files/1":                       "Fil 2024/Tierp/a.pdf",
		"/budget":                               "Budget",
		"/budget/own_financing/premises/sum":    "Budget, egenfinansiering, lokalkostnader, summa",
		"/budget/requested/other/sum/total":     "Budget, övriga kostnader, summa, totalt",
		"/budget/requested_total/amounts/A~1B":  "Budget, totalt från Samordningsförbundet, A/B",
		"/budget/total_cost/total":              "Budget, total kostnad, totalt",
		"/budget/summary/1/own_financing":       "Budget, budgetsammanställning, Region Uppsala, egenfinansiering",
		"/budget/parties/0":                     "Budget, parter, Tierps kommun",
		"/budget/period/start":                  "Budget, period, startdatum",
		"/digital_signatures/0/intact":          "Digital signatur 1, oförändrad",
		"/verification_signers/1/signed_at":     "Signerare enligt verifikat 2, signerad",
		"/digital_signatures/1/covers_document": "Digital signatur 2, täcker dokumentet",
		"/signatures/2/verification":            "Underskrift 3, signeringstjänstens verifikat",
		"/budget/requested/salaries/lines/9/to": "Budget, lönekostnader rad 10, till",
	} {
		if got := describePointer(&r, ptr); got != want {
			t.Errorf("%q: %q, want %q", ptr, got, want)
		}
	}
}
