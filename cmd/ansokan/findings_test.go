package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/schema"
)

// Fixtures built from the samples: one real file changed the way an
// applicant would change it, run through the whole command.

// rewriteDocx copies a .docx, replacing old by new in word/document.xml.
func rewriteDocx(t *testing.T, src, dst, old, new string) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	replaced := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "word/document.xml" {
			if !bytes.Contains(b, []byte(old)) {
				t.Fatalf("%s: %q not found; the sample changed", src, old)
			}
			b = bytes.Replace(b, []byte(old), []byte(new), 1)
			replaced = true
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if !replaced {
		t.Fatalf("%s has no word/document.xml", src)
	}
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func extractOne(t *testing.T, args ...string) schema.Record {
	t.Helper()
	code, stdout, stderr := runCmd(t, append([]string{"extract"}, args...)...)
	var rec schema.Record
	if err := json.Unmarshal([]byte(strings.TrimSpace(stdout)), &rec); err != nil {
		t.Fatalf("exit %d, stderr %s: %v", code, stderr, err)
	}
	return rec
}

func findingAt(t *testing.T, rec schema.Record, code, subject, path string) schema.Finding {
	t.Helper()
	for _, f := range rec.Findings {
		if f.Code == code && f.Path == path && f.Subject != nil && *f.Subject == subject {
			return f
		}
	}
	b, _ := json.MarshalIndent(rec.Findings, "", "  ")
	t.Fatalf("no %s for %q at %s; findings:\n%s", code, subject, path, b)
	return schema.Finding{}
}

func TestPersonnummerInWordFile(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "ansokan.docx")
	rewriteDocx(t, "../../samples/a-sprangbradan.docx", dst,
		"Målgruppen är unga vuxna", "Målgruppen (till exempel 121212-1212) är unga vuxna")
	rec := extractOne(t, dst)
	f := findingAt(t, rec, schema.CodePrivacyPersonnummer, "target_group", "/sections/target_group/text")
	if f.Severity != schema.SeverityWarning || f.Evidence == nil || f.Evidence.File != "ansokan.docx" || f.Evidence.Paragraph == nil {
		t.Errorf("finding = %+v", f)
	}
	text := rec.Sections["target_group"].Text
	if strings.Contains(text, "121212-1212") || !strings.Contains(text, "(till exempel XXXXXX-XXXX)") {
		t.Errorf("not masked in the record: %q", text[:min(len(text), 120)])
	}
	if !rec.Complete {
		t.Error("a personnummer made the application incomplete")
	}
}

func TestTypedOverTotalInWorkbook(t *testing.T) {
	wb, err := excelize.OpenFile("../../samples/a-sprangbradan-budget.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	const sheet = "Budget - detaljerad"
	if v, _ := wb.GetCellValue(sheet, "A11"); !strings.HasPrefix(v, "1. Arbetscoach") {
		t.Fatalf("the sample changed: A11 = %q", v)
	}
	// The applicant types a figure over the line's SUM formula.
	if err := wb.SetCellInt(sheet, "I11", 1269000); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "budget.xlsx")
	if err := wb.SaveAs(dst); err != nil {
		t.Fatal(err)
	}
	rec := extractOne(t, dst)
	f := findingAt(t, rec, schema.CodeBudgetRowSum, "1. Arbetscoach", "/budget/requested/salaries/lines/0/total")
	if f.Severity != schema.SeverityError || f.Evidence == nil || f.Evidence.Sheet != sheet || f.Evidence.Cell != "I11" {
		t.Errorf("finding = %+v, evidence %+v", f, f.Evidence)
	}
	if !strings.Contains(f.Message, "1 269 000 kr") || !strings.Contains(f.Message, "1 296 000 kr") {
		t.Errorf("message %q", f.Message)
	}
	if rec.Complete {
		t.Error("complete with a budget that does not add up")
	}
}

func TestScannedPDF(t *testing.T) {
	rec := extractOne(t, "../../extractor/pdf/testdata/image_only.pdf")
	f := findingAt(t, rec, schema.CodeDocumentNoText, "image_only.pdf", "/source/files/0")
	if f.Severity != schema.SeverityError || rec.Complete {
		t.Errorf("finding = %+v, complete %v", f, rec.Complete)
	}
	for _, f := range rec.Findings {
		if f.Code != schema.CodeDocumentNoText {
			t.Errorf("a scanned PDF should not also report what could not be seen: %+v", f)
		}
	}
}

func TestUnreadableFinding(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "trasig.pdf")
	b, err := os.ReadFile("../../samples/a-sprangbradan.pdf")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(dst, b[:len(b)/3], 0o644) // a download cut short
	code, stdout, stderr := runCmd(t, "extract", dst)
	if code != exitUnreadable || !strings.Contains(stderr, "trasig.pdf") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	var rec schema.Record
	json.Unmarshal([]byte(stdout), &rec)
	f := findingAt(t, rec, schema.CodeDocumentUnreadable, "trasig.pdf", "/source/files/0")
	if f.Severity != schema.SeverityError || !strings.Contains(f.Message, "trasig.pdf") {
		t.Errorf("finding = %+v", f)
	}
}
