package extractor

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func limitsTestFile(t *testing.T, parts ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"testdata"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Each limit, set low, refuses a real fixture that reads fine with the
// defaults; the error wraps ErrLimit and names the limit and its value.
func TestLimits(t *testing.T) {
	pdfFile := limitsTestFile(t, "pdf", "ansokan.pdf")
	objstm := limitsTestFile(t, "pdf", "cid_objstm.pdf")
	docxFile := limitsTestFile(t, "docx", "writer.docx")
	xlsxFile := limitsTestFile(t, "xlsx", "budget_lo.xlsx")
	generated := xlsxBudgetWorkbook(t) // formulas without cached values

	tests := []struct {
		name string
		data []byte
		lim  Limits
		want string // the whole error message after the file name
	}{
		{"MaxFileBytes", pdfFile, Limits{MaxFileBytes: 1 << 10},
			"too large: the file is 67.4 KB, more than 1 KB (limit MaxFileBytes)"},
		{"MaxZipEntries docx", docxFile, Limits{MaxZipEntries: 3},
			"too large: the package has 11 entries, more than 3 (limit MaxZipEntries)"},
		{"MaxZipEntries xlsx", xlsxFile, Limits{MaxZipEntries: 3},
			"too large: the package has 11 entries, more than 3 (limit MaxZipEntries)"},
		{"MaxZipUncompressedBytes docx", docxFile, Limits{MaxZipUncompressedBytes: 1 << 10},
			"too large: the package declares more than 1 KB unpacked (limit MaxZipUncompressedBytes)"},
		{"MaxZipUncompressedBytes xlsx", xlsxFile, Limits{MaxZipUncompressedBytes: 1 << 10},
			"too large: the package declares more than 1 KB unpacked (limit MaxZipUncompressedBytes)"},
		{"MaxXMLDepth docx", docxFile, Limits{MaxXMLDepth: 4},
			"too large: word/styles.xml nests elements deeper than 4 (limit MaxXMLDepth)"},
		{"MaxXMLDepth xlsx", xlsxFile, Limits{MaxXMLDepth: 3},
			"too large: xl/workbook.xml nests elements deeper than 3 (limit MaxXMLDepth)"},
		{"MaxXMLElements docx", docxFile, Limits{MaxXMLElements: 20},
			"too large: word/styles.xml has more than 20 elements (limit MaxXMLElements)"},
		{"MaxXMLElements xlsx", xlsxFile, Limits{MaxXMLElements: 20},
			"too large: xl/styles.xml has more than 20 elements (limit MaxXMLElements)"},
		{"MaxPDFPages", pdfFile, Limits{MaxPDFPages: 5},
			"too large: more than 5 pages (limit MaxPDFPages)"},
		{"MaxPDFObjects", pdfFile, Limits{MaxPDFObjects: 10},
			"too large: the cross-reference data declares 61 objects, more than 10 (limit MaxPDFObjects)"},
		{"MaxPDFStreamBytes", pdfFile, Limits{MaxPDFStreamBytes: 100},
			"page 1: too large: a stream unpacks to more than 100 bytes (limit MaxPDFStreamBytes)"},
		{"MaxPDFStreamBytes object stream", objstm, Limits{MaxPDFStreamBytes: 100},
			"too large: a stream unpacks to more than 100 bytes (limit MaxPDFStreamBytes)"},
		{"MaxPDFTotalStreamBytes", pdfFile, Limits{MaxPDFTotalStreamBytes: 20 << 10},
			"too large: the streams unpack to more than 20 KB (limit MaxPDFTotalStreamBytes)"},
		{"MaxPDFPageOps", pdfFile, Limits{MaxPDFPageOps: 50},
			"page 1: too large: more than 50 content operators on one page (limit MaxPDFPageOps)"},
		{"MaxPDFOps", pdfFile, Limits{MaxPDFOps: 3000},
			"too large: more than 3000 content operators in the document (limit MaxPDFOps)"},
		{"MaxXLSXRowsPerSheet", xlsxFile, Limits{MaxXLSXRowsPerSheet: 3},
			`sheet "Budget - detaljerad": too large: the sheet has more than 3 used rows (limit MaxXLSXRowsPerSheet)`},
		{"MaxXLSXCells", xlsxFile, Limits{MaxXLSXCells: 10},
			`sheet "Budget - detaljerad": too large: the workbook has more than 10 cells (limit MaxXLSXCells)`},
		{"MaxXLSXTextBytes", xlsxFile, Limits{MaxXLSXTextBytes: 100},
			`sheet "Budget - detaljerad": too large: the workbook has more than 100 bytes of cell text (limit MaxXLSXTextBytes)`},
		{"MaxXLSXMergesPerSheet", xlsxFile, Limits{MaxXLSXMergesPerSheet: 1},
			"too large: worksheet xl/worksheets/sheet1.xml has more than 1 merged ranges (limit MaxXLSXMergesPerSheet)"},
		{"MaxXLSXFormulaCalcs", generated, Limits{MaxXLSXFormulaCalcs: 2},
			`sheet "Budget - detaljerad": too large: the workbook has more than 2 formulas without a saved value (limit MaxXLSXFormulaCalcs)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The fixture reads with the defaults.
			if _, err := ReadLimited(bytes.NewReader(tc.data), int64(len(tc.data)), "f", Limits{}); err != nil {
				t.Fatalf("default limits: %v", err)
			}
			doc, err := ReadLimited(bytes.NewReader(tc.data), int64(len(tc.data)), "f", tc.lim)
			if doc != nil {
				t.Errorf("got a document with the limit at %+v", tc.lim)
			}
			if !errors.Is(err, ErrLimit) {
				t.Fatalf("err = %v, want ErrLimit", err)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "f" {
				t.Errorf("err = %#v, want an *Error naming the file", err)
			}
			for _, other := range []error{ErrCorrupt, ErrEncrypted, ErrUnsupported, ErrEmpty} {
				if errors.Is(err, other) {
					t.Errorf("err %v also wraps %v", err, other)
				}
			}
			if got, want := err.Error(), "f"+sepFor(tc.want)+tc.want; got != want {
				t.Errorf("message\n got %q\nwant %q", got, want)
			}
		})
	}
}

func sepFor(msg string) string {
	if strings.HasPrefix(msg, "page ") || strings.HasPrefix(msg, "sheet ") {
		return " "
	}
	return ": "
}

// The inflate budget counts the bytes that come out of the decompressor,
// whatever the entry declared.
func TestZipBudgetCountsInflatedBytes(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("a.xml")
	w.Write(bytes.Repeat([]byte("<a/>"), 1000))
	w, _ = zw.Create("b.xml")
	w.Write(bytes.Repeat([]byte("<b/>"), 1000))
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	b := newZipBudget(Limits{MaxZipUncompressedBytes: 6 << 10})
	var errs []error
	for _, f := range zr.File {
		rc, err := b.open(f)
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		errs = append(errs, err)
	}
	if errs[0] != nil {
		t.Errorf("first entry (4000 bytes): %v", errs[0])
	}
	if !errors.Is(errs[1], ErrLimit) || !strings.Contains(errs[1].Error(), "unpacks to more than 6 KB (limit MaxZipUncompressedBytes)") {
		t.Errorf("second entry: %v, want the inflate limit", errs[1])
	}
}

// The end-of-central-directory record's entry count is read before the
// directory: a package that declares more entries than the limit is
// refused without loading them.
func TestZipDeclaredEntries(t *testing.T) {
	data := limitsTestFile(t, "docx", "writer.docx")
	n, ok := zipDeclaredEntries(bytes.NewReader(data), int64(len(data)))
	if !ok || n != 11 {
		t.Fatalf("declared entries = %d, %v; want 11", n, ok)
	}
	// Claim 60 000 entries: refused by the count, not by zip.NewReader.
	i := bytes.LastIndex(data, []byte("PK\x05\x06"))
	bad := append([]byte(nil), data...)
	bad[i+8], bad[i+9], bad[i+10], bad[i+11] = 0x60, 0xEA, 0x60, 0xEA
	_, err := ReadLimited(bytes.NewReader(bad), int64(len(bad)), "x.docx", Limits{})
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "60000 entries, more than 10000 (limit MaxZipEntries)") {
		t.Errorf("err = %v", err)
	}
}

func TestPlainBytes(t *testing.T) {
	for n, want := range map[int64]string{100: "100 bytes", 1 << 10: "1 KB", 68979: "67.4 KB", 64 << 20: "64 MB", 3 << 19: "1.5 MB"} {
		if got := plainBytes(n); got != want {
			t.Errorf("plainBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestLimitsWithDefaults(t *testing.T) {
	got := Limits{MaxPDFPages: 7}.withDefaults()
	want := DefaultLimits()
	want.MaxPDFPages = 7
	if got != want {
		t.Errorf("withDefaults = %+v, want %+v", got, want)
	}
	if (Limits{}).withDefaults() != DefaultLimits() {
		t.Error("zero Limits is not the defaults")
	}
}

// A page tree that understates its /Count is still stopped: the pages
// are counted while the tree is walked.
func TestLimitsPDFPagesLyingCount(t *testing.T) {
	data := limitsTestFile(t, "pdf", "ansokan.pdf")
	if !bytes.Contains(data, []byte("/Count 11")) {
		t.Fatal("fixture: no /Count 11")
	}
	data = bytes.ReplaceAll(data, []byte("/Count 11"), []byte("/Count 1 ")) // same length: offsets hold
	_, err := ReadLimited(bytes.NewReader(data), int64(len(data)), "f.pdf", Limits{MaxPDFPages: 5})
	if !errors.Is(err, ErrLimit) || err.Error() != "f.pdf: too large: more than 5 pages (limit MaxPDFPages)" {
		t.Errorf("err = %v", err)
	}
}
