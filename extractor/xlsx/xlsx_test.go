package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/internal/corpus"
)

// xlsxBudgetWorkbook builds a small workbook shaped like the budget
// template with excelize itself. excelize writes formulas without cached
// values, so the reader has to compute them.
func xlsxBudgetWorkbook(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const det = "Budget - detaljerad"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", det))
	set := func(sheet, ref string, v any) { t.Helper(); must(f.SetCellValue(sheet, ref, v)) }
	formula := func(sheet, ref, fx string) { t.Helper(); must(f.SetCellFormula(sheet, ref, fx)) }
	style := func(code string) int {
		t.Helper()
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		must(err)
		return id
	}
	amount, kr, pct, date := style("#,##0"), style(`#,##0 "kr"`), style("0%"), style("yy-mm-dd")

	set(det, "A1", "Budget - detaljerad Förstärkt stöd")
	must(f.MergeCell(det, "A1", "I1"))
	set(det, "A2", "Insatsens löptid:")
	set(det, "C2", 44927.0) // 2023-01-01
	set(det, "D2", 45291.0) // 2023-12-31
	must(f.SetCellStyle(det, "C2", "D2", date))
	set(det, "A4", "Kostnader i tkr")
	set(det, "E4", "Huvudinsatsägare")
	set(det, "F4", "Delinsatsägare")
	set(det, "E5", "Älvkarleby kommun")
	set(det, "F5", "Region Uppsala")
	set(det, "C5", "tidsperiod (ååmmdd)")
	must(f.MergeCell(det, "C5", "D5"))
	set(det, "I5", "ATT REKVIRERA - ALLA INSATSÄGARE")
	must(f.MergeCell(det, "I5", "I6"))
	set(det, "A6", "Lönekostnader")
	set(det, "B6", "tjänst i %")
	set(det, "C6", "från")
	set(det, "D6", "till")

	set(det, "A7", "Arbetsmarknadsstödjare")
	set(det, "B7", 1.0)
	must(f.SetCellStyle(det, "B7", "B7", pct))
	set(det, "C7", 44927.0)
	set(det, "D7", 45291.0)
	must(f.SetCellStyle(det, "C7", "D7", date))
	set(det, "E7", 1362000)
	formula(det, "I7", "SUM(E7:H7)")

	set(det, "A8", "Socialsekreterare")
	set(det, "B8", 0.5)
	must(f.SetCellStyle(det, "B8", "B8", pct))
	set(det, "C8", "1/1-2023")
	set(det, "D8", "31/12-2023")
	set(det, "F8", "680\u00a0400") // an amount typed as text
	formula(det, "I8", "SUM(E8:H8)")
	must(f.SetCellStyle(det, "E7", "I8", amount))
	must(f.SetCellStyle(det, "B7", "B8", pct))

	set(det, "A9", "Summa lönekostnader")
	formula(det, "B9", "SUM(B7:B8)")
	must(f.SetCellStyle(det, "B9", "B9", pct))
	formula(det, "E9", "SUM(E7:E8)")
	formula(det, "I9", "SUM(I7:I8)")
	must(f.SetCellStyle(det, "E9", "I9", kr))

	const sum = "Budgetsammanställning"
	_, err := f.NewSheet(sum)
	must(err)
	set(sum, "A1", "Huvudinsatsägare\nÄlvkarleby kommun")
	formula(sum, "B1", "'Budget - detaljerad'!E9")
	must(f.SetCellStyle(sum, "B1", "B1", amount))
	set(sum, "A2", "Summa")
	set(sum, "B2", 2.5) // General format keeps the decimal
	set(sum, "C2", 2023)
	set(sum, "D2", true)

	const draft = "Utkast"
	_, err = f.NewSheet(draft)
	must(err)
	set(draft, "A1", "Socialsekreterare, 100%")
	set(draft, "B1", "672 000")
	set(draft, "B2", -1500.5)
	must(f.SetCellStyle(draft, "B2", "B2", style("#,##0.00")))

	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xlsxRead(t *testing.T, b []byte) *extractor.Document {
	t.Helper()
	doc, err := Read(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("ReadXLSX: %v", err)
	}
	return doc
}

// xlsxCellAt finds a cell by reference in a document's sheet.
func xlsxCellAt(t *testing.T, doc *extractor.Document, sheet, ref string) extractor.Cell {
	t.Helper()
	for _, b := range doc.Blocks {
		if b.Sheet != sheet || b.Table == nil {
			continue
		}
		for _, r := range b.Table.Rows {
			for _, c := range r.Cells {
				if c.Ref == ref {
					return c
				}
			}
		}
	}
	t.Fatalf("no cell %s!%s", sheet, ref)
	return extractor.Cell{}
}

func TestReadXLSXGenerated(t *testing.T) {
	doc := xlsxRead(t, xlsxBudgetWorkbook(t))
	if got, want := strings.Join(doc.Sheets, "|"), "Budget - detaljerad|Budgetsammanställning|Utkast"; got != want {
		t.Errorf("Sheets = %q, want %q", got, want)
	}
	if len(doc.Blocks) != 3 {
		t.Fatalf("%d blocks, want 3", len(doc.Blocks))
	}
	for i, b := range doc.Blocks {
		if b.Kind != extractor.KindTable || b.Table == nil || b.Table.Sheet != doc.Sheets[i] || b.Sheet != doc.Sheets[i] {
			t.Errorf("block %d = %+v, want a table of sheet %q", i, b, doc.Sheets[i])
		}
	}

	const det = "Budget - detaljerad"
	num := func(f float64) *float64 { return &f }
	tests := []struct {
		sheet, ref string
		text       string
		value      *float64
		formula    string
		numFmt     string
		isDate     bool
	}{
		{det, "A1", "Budget - detaljerad Förstärkt stöd", nil, "", "", false},
		{det, "C2", "2023-01-01", num(44927), "", "yy-mm-dd", true},
		{det, "B7", "100%", num(1), "", "0%", false},
		{det, "B8", "50%", num(0.5), "", "0%", false},
		{det, "C7", "2023-01-01", num(44927), "", "yy-mm-dd", true},
		{det, "C8", "1/1-2023", nil, "", "", false},
		{det, "E7", "1 362 000", num(1362000), "", "#,##0", false},
		{det, "F8", "680\u00a0400", nil, "", "", false}, // text stays text
		// Formulas without cached values are computed; SUM skips the text amount.
		{det, "I7", "1 362 000", num(1362000), "SUM(E7:H7)", "#,##0", false},
		{det, "I8", "0", num(0), "SUM(E8:H8)", "#,##0", false},
		{det, "B9", "150%", num(1.5), "SUM(B7:B8)", "0%", false},
		{det, "E9", "1 362 000 kr", num(1362000), "SUM(E7:E8)", `#,##0 "kr"`, false},
		{"Budgetsammanställning", "A1", "Huvudinsatsägare\nÄlvkarleby kommun", nil, "", "", false},
		{"Budgetsammanställning", "B1", "1 362 000", num(1362000), "'Budget - detaljerad'!E9", "#,##0", false},
		{"Budgetsammanställning", "B2", "2,5", num(2.5), "", "General", false},
		{"Budgetsammanställning", "C2", "2023", num(2023), "", "General", false},
		{"Budgetsammanställning", "D2", "SANT", nil, "", "", false},
		{"Utkast", "B1", "672 000", nil, "", "", false},
		{"Utkast", "B2", "-1 500,50", num(-1500.5), "", "#,##0.00", false},
	}
	for _, tc := range tests {
		c := xlsxCellAt(t, doc, tc.sheet, tc.ref)
		if c.Text != tc.text {
			t.Errorf("%s!%s Text = %q, want %q", tc.sheet, tc.ref, c.Text, tc.text)
		}
		switch {
		case tc.value == nil && c.Value != nil:
			t.Errorf("%s!%s Value = %v, want nil", tc.sheet, tc.ref, *c.Value)
		case tc.value != nil && (c.Value == nil || *c.Value != *tc.value):
			t.Errorf("%s!%s Value = %v, want %v", tc.sheet, tc.ref, c.Value, *tc.value)
		}
		if c.Formula != tc.formula {
			t.Errorf("%s!%s Formula = %q, want %q", tc.sheet, tc.ref, c.Formula, tc.formula)
		}
		if c.NumFmt != tc.numFmt || c.IsDate != tc.isDate {
			t.Errorf("%s!%s NumFmt, IsDate = %q, %v, want %q, %v", tc.sheet, tc.ref, c.NumFmt, c.IsDate, tc.numFmt, tc.isDate)
		}
	}
}

func TestReadXLSXGridAndMerges(t *testing.T) {
	doc := xlsxRead(t, xlsxBudgetWorkbook(t))
	tbl := doc.Blocks[0].Table
	if tbl.Columns != 9 {
		t.Errorf("Columns = %d, want 9 (A:I)", tbl.Columns)
	}
	var nums []int
	for _, r := range tbl.Rows {
		nums = append(nums, r.Num)
		for i := 1; i < len(r.Cells); i++ {
			if r.Cells[i].Col <= r.Cells[i-1].Col {
				t.Errorf("row %d: cells out of column order: %s after %s", r.Num, r.Cells[i].Ref, r.Cells[i-1].Ref)
			}
		}
	}
	// Row 3 is empty and skipped.
	if got, want := nums, []int{1, 2, 4, 5, 6, 7, 8, 9}; !equalInts(got, want) {
		t.Errorf("row numbers = %v, want %v", got, want)
	}
	row := func(n int) extractor.Row {
		for _, r := range tbl.Rows {
			if r.Num == n {
				return r
			}
		}
		t.Fatalf("no row %d", n)
		return extractor.Row{}
	}
	// A1:I1: the anchor spans 9 columns, B1..I1 follow as merged cells.
	r1 := row(1)
	if len(r1.Cells) != 9 || r1.Cells[0].Span != 9 || r1.Cells[0].Merged || r1.Cells[0].Text == "" {
		t.Fatalf("row 1 = %+v", r1.Cells)
	}
	for _, c := range r1.Cells[1:] {
		if !c.Merged || c.Text != "" || c.Value != nil {
			t.Errorf("row 1 %s = %+v, want an empty merged cell", c.Ref, c)
		}
	}
	// C5:D5 and I5:I6.
	c5 := xlsxCellAt(t, doc, tbl.Sheet, "C5")
	if c5.Span != 2 || c5.Col != 2 || c5.Text != "tidsperiod (ååmmdd)" {
		t.Errorf("C5 = %+v", c5)
	}
	if d5 := xlsxCellAt(t, doc, tbl.Sheet, "D5"); !d5.Merged || d5.Col != 3 {
		t.Errorf("D5 = %+v", d5)
	}
	if i6 := xlsxCellAt(t, doc, tbl.Sheet, "I6"); !i6.Merged || i6.Col != 8 || i6.Text != "" {
		t.Errorf("I6 = %+v", i6)
	}
	if i5 := xlsxCellAt(t, doc, tbl.Sheet, "I5"); i5.Span != 1 || i5.Merged || !strings.HasPrefix(i5.Text, "ATT REKVIRERA") {
		t.Errorf("I5 = %+v", i5)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// budget_lo.xlsx is xlsxBudgetWorkbook re-saved by LibreOffice (see
// testdata/xlsx/README.md): cached formula values and shared strings.
func TestReadXLSXLibreOffice(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "budget_lo.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	// The file really has cached values and shared strings.
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	hasSST := false
	for _, zf := range zr.File {
		if zf.Name == "xl/sharedStrings.xml" {
			hasSST = true
		}
	}
	if !hasSST {
		t.Fatal("budget_lo.xlsx has no shared strings part")
	}

	doc := xlsxRead(t, b)
	const det = "Budget - detaljerad"
	for _, tc := range []struct {
		sheet, ref, text, formula string
		value                     float64
	}{
		{det, "I7", "1 362 000", "SUM(E7:H7)", 1362000},
		{det, "E9", "1 362 000 kr", "SUM(E7:E8)", 1362000},
		{det, "B9", "150%", "SUM(B7:B8)", 1.5},
		{"Budgetsammanställning", "B1", "1 362 000", "'Budget - detaljerad'!E9", 1362000},
		{det, "C7", "2023-01-01", "", 44927},
	} {
		c := xlsxCellAt(t, doc, tc.sheet, tc.ref)
		if c.Text != tc.text || c.Formula != tc.formula || c.Value == nil || *c.Value != tc.value {
			t.Errorf("%s!%s = %q %q %v, want %q %q %v", tc.sheet, tc.ref, c.Text, c.Formula, c.Value, tc.text, tc.formula, tc.value)
		}
	}
	if c := xlsxCellAt(t, doc, det, "A8"); c.Text != "Socialsekreterare" {
		t.Errorf("A8 (shared string) = %q", c.Text)
	}
	if c := xlsxCellAt(t, doc, det, "F8"); c.Text != "680\u00a0400" || c.Value != nil {
		t.Errorf("F8 = %+v, want the text amount as written", c)
	}
	if c := xlsxCellAt(t, doc, det, "D5"); !c.Merged {
		t.Errorf("D5 = %+v, want merged", c)
	}
}

// TestXLSXWriteSource writes the source of testdata/xlsx/budget_lo.xlsx
// when ANSOKAN_XLSX_SRC names a directory (see testdata/xlsx/README.md).
func TestXLSXWriteSource(t *testing.T) {
	dir := os.Getenv("ANSOKAN_XLSX_SRC")
	if dir == "" {
		t.Skip("set ANSOKAN_XLSX_SRC=DIR to write budget.xlsx there")
	}
	if err := os.WriteFile(filepath.Join(dir, "budget.xlsx"), xlsxBudgetWorkbook(t), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReadXLSXErrors(t *testing.T) {
	good := xlsxBudgetWorkbook(t)
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"truncated zip", good[:len(good)/2], extractor.ErrCorrupt},
		{"not a zip", []byte("PK\x03\x04 this is not really a zip file at all"), extractor.ErrCorrupt},
		{"empty", nil, extractor.ErrEmpty},
		{"encrypted OOXML", xlsxFakeOLE2("EncryptedPackage"), extractor.ErrEncrypted},
		{"legacy xls", xlsxFakeOLE2("Workbook"), extractor.ErrUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Read(bytes.NewReader(tc.data), int64(len(tc.data)))
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if doc != nil {
				t.Errorf("got a document with an error")
			}
		})
	}
}

// xlsxFakeOLE2 is an OLE2 header followed by a stream name in UTF-16, as
// Sniff sees the start of a compound file.
func xlsxFakeOLE2(stream string) []byte {
	b := append([]byte{}, xlsxOLE2Magic...)
	b = append(b, make([]byte, 504)...)
	for _, r := range stream {
		b = append(b, byte(r), 0) // UTF-16LE, ASCII names only
	}
	return b
}

func TestXLSXFormatNumber(t *testing.T) {
	tests := []struct {
		v    float64
		code string
		want string
	}{
		{1362000, "#,##0", "1 362 000"},
		{0, "#,##0", "0"},
		{2402400, `#,##0 "kr"`, "2 402 400 kr"},
		{1, "0%", "100%"},
		{3.5, "0%", "350%"},
		{0.015, "0.0%", "1,5%"},
		{1500.5, "#,##0.00", "1 500,50"},
		{-86400, "#,##0;-#,##0", "-86 400"},
		{-86400, "#,##0", "-86 400"},
		{1540400, "#,##0,", "1 540"}, // scaled to thousands
		{0, `_-* #,##0 "kr"_-;-* #,##0 "kr"_-;_-* "-" "kr"_-;_-@_-`, "- kr"},
		{12345, `_-* #,##0 "kr"_-;-* #,##0 "kr"_-;_-* "-" "kr"_-;_-@_-`, "12 345 kr"},
		{2023, "General", "2023"},
		{0.25, "General", "0,25"},
		{42, "0.00", "42,00"},
		{7, "00", "07"},
	}
	for _, tc := range tests {
		if got := xlsxFormatNumber(tc.v, tc.code); got != tc.want {
			t.Errorf("xlsxFormatNumber(%v, %q) = %q, want %q", tc.v, tc.code, got, tc.want)
		}
	}
}

func TestXLSXIsDateFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"yy-mm-dd": true, "yyyy-mm-dd": true, "d/m/yyyy": true, "[$-41D]d mmmm yyyy": true,
		"h:mm": true, "[h]:mm:ss": true, "mm-dd-yy": true,
		"General": false, "#,##0": false, "0%": false, `#,##0 "kr"`: false, `0 "dagar"`: false,
		"[Red]#,##0": false, "0.00E+00": false, "@": false,
	} {
		if got := xlsxIsDateFormat(code); got != want {
			t.Errorf("xlsxIsDateFormat(%q) = %v, want %v", code, got, want)
		}
	}
}

// TestReadXLSXCorpus runs the reader over the shared robustness corpus:
// no panic, and for each file either a document or a clean error.
func TestReadXLSXCorpus(t *testing.T) {
	root, _ := corpus.Dir()
	dir := filepath.Join(root, "xlsx")
	files, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	if len(files) == 0 {
		t.Skip("corpus not present")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Read(bytes.NewReader(b), int64(len(b)))
			switch {
			case err == nil && doc == nil:
				t.Fatal("no document and no error")
			case err != nil && doc != nil:
				t.Fatalf("document and error %v", err)
			case err != nil:
				if !errors.Is(err, extractor.ErrCorrupt) && !errors.Is(err, extractor.ErrEncrypted) &&
					!errors.Is(err, extractor.ErrUnsupported) && !errors.Is(err, extractor.ErrEmpty) && !errors.Is(err, extractor.ErrLimit) {
					t.Errorf("error without a sentinel: %v", err)
				}
				if strings.Contains(err.Error(), "panicked") {
					t.Errorf("recovered panic: %v", err)
				}
				if bytes.HasPrefix(b, xlsxOLE2Magic) && !errors.Is(err, extractor.ErrEncrypted) && !errors.Is(err, extractor.ErrUnsupported) {
					t.Errorf("OLE2 file: err = %v, want encrypted or unsupported", err)
				}
			default:
				if len(doc.Sheets) != len(doc.Blocks) {
					t.Errorf("%d sheets, %d blocks", len(doc.Sheets), len(doc.Blocks))
				}
			}
		})
	}
}
