package anyformat

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
)

func limitsTestFile(t *testing.T, parts ...string) []byte {
	t.Helper()
	// parts: the reader's package ("pdf", "docx", "xlsx") and the file
	// under its testdata.
	b, err := os.ReadFile(filepath.Join(append([]string{"..", parts[0], "testdata"}, parts[1:]...)...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Each limit, set low, refuses a real fixture that reads fine with the
// defaults; the error wraps extractor.ErrLimit and names the limit and its value.
func TestLimits(t *testing.T) {
	pdfFile := limitsTestFile(t, "pdf", "ansokan.pdf")
	objstm := limitsTestFile(t, "pdf", "cid_objstm.pdf")
	docxFile := limitsTestFile(t, "docx", "writer.docx")
	xlsxFile := limitsTestFile(t, "xlsx", "budget_lo.xlsx")
	// A generated budget: formulas without cached values.
	generated, err := os.ReadFile(filepath.Join("..", "..", "samples", "seed000-samordnat-stod-budget.xlsx"))
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		data []byte
		lim  extractor.Limits
		want string // the whole error message after the file name
	}{
		{"MaxFileBytes", pdfFile, extractor.Limits{MaxFileBytes: 1 << 10},
			"too large: the file is 67.4 KB, more than 1 KB (limit MaxFileBytes)"},
		{"MaxZipEntries docx", docxFile, extractor.Limits{MaxZipEntries: 3},
			"too large: the package has 11 entries, more than 3 (limit MaxZipEntries)"},
		{"MaxZipEntries xlsx", xlsxFile, extractor.Limits{MaxZipEntries: 3},
			"too large: the package has 11 entries, more than 3 (limit MaxZipEntries)"},
		{"MaxZipUncompressedBytes docx", docxFile, extractor.Limits{MaxZipUncompressedBytes: 1 << 10},
			"too large: the package declares more than 1 KB unpacked (limit MaxZipUncompressedBytes)"},
		{"MaxZipUncompressedBytes xlsx", xlsxFile, extractor.Limits{MaxZipUncompressedBytes: 1 << 10},
			"too large: the package declares more than 1 KB unpacked (limit MaxZipUncompressedBytes)"},
		{"MaxXMLDepth docx", docxFile, extractor.Limits{MaxXMLDepth: 4},
			"too large: word/styles.xml nests elements deeper than 4 (limit MaxXMLDepth)"},
		{"MaxXMLDepth xlsx", xlsxFile, extractor.Limits{MaxXMLDepth: 3},
			"too large: xl/workbook.xml nests elements deeper than 3 (limit MaxXMLDepth)"},
		{"MaxXMLElements docx", docxFile, extractor.Limits{MaxXMLElements: 20},
			"too large: word/styles.xml has more than 20 elements (limit MaxXMLElements)"},
		{"MaxXMLElements xlsx", xlsxFile, extractor.Limits{MaxXMLElements: 20},
			"too large: xl/styles.xml has more than 20 elements (limit MaxXMLElements)"},
		{"MaxPDFPages", pdfFile, extractor.Limits{MaxPDFPages: 5},
			"too large: more than 5 pages (limit MaxPDFPages)"},
		{"MaxPDFObjects", pdfFile, extractor.Limits{MaxPDFObjects: 10},
			"too large: the cross-reference data declares 61 objects, more than 10 (limit MaxPDFObjects)"},
		{"MaxPDFStreamBytes", pdfFile, extractor.Limits{MaxPDFStreamBytes: 100},
			"page 1: too large: a stream unpacks to more than 100 bytes (limit MaxPDFStreamBytes)"},
		{"MaxPDFStreamBytes object stream", objstm, extractor.Limits{MaxPDFStreamBytes: 100},
			"too large: a stream unpacks to more than 100 bytes (limit MaxPDFStreamBytes)"},
		{"MaxPDFTotalStreamBytes", pdfFile, extractor.Limits{MaxPDFTotalStreamBytes: 20 << 10},
			"too large: the streams unpack to more than 20 KB (limit MaxPDFTotalStreamBytes)"},
		{"MaxPDFPageOps", pdfFile, extractor.Limits{MaxPDFPageOps: 50},
			"page 1: too large: more than 50 content operators on one page (limit MaxPDFPageOps)"},
		{"MaxPDFOps", pdfFile, extractor.Limits{MaxPDFOps: 3000},
			"too large: more than 3000 content operators in the document (limit MaxPDFOps)"},
		{"MaxXLSXRowsPerSheet", xlsxFile, extractor.Limits{MaxXLSXRowsPerSheet: 3},
			`sheet "Budget - detaljerad": too large: the sheet has more than 3 used rows (limit MaxXLSXRowsPerSheet)`},
		{"MaxXLSXCells", xlsxFile, extractor.Limits{MaxXLSXCells: 10},
			`sheet "Budget - detaljerad": too large: the workbook has more than 10 cells (limit MaxXLSXCells)`},
		{"MaxXLSXTextBytes", xlsxFile, extractor.Limits{MaxXLSXTextBytes: 100},
			`sheet "Budget - detaljerad": too large: the workbook has more than 100 bytes of cell text (limit MaxXLSXTextBytes)`},
		{"MaxXLSXMergesPerSheet", xlsxFile, extractor.Limits{MaxXLSXMergesPerSheet: 1},
			"too large: worksheet xl/worksheets/sheet1.xml has more than 1 merged ranges (limit MaxXLSXMergesPerSheet)"},
		{"MaxXLSXFormulaCalcs", generated, extractor.Limits{MaxXLSXFormulaCalcs: 2},
			`sheet "Budget - detaljerad": too large: the workbook has more than 2 formulas without a saved value (limit MaxXLSXFormulaCalcs)`},
		{"MaxXLSXFormulaCells", generated, extractor.Limits{MaxXLSXFormulaCells: 3},
			`sheet "Budget - detaljerad": too large: computing the workbook's formulas would visit more than 3 cells (limit MaxXLSXFormulaCells)`},
		{"MaxDocumentTextBytes", docxFile, extractor.Limits{MaxDocumentTextBytes: 100},
			"too large: the document holds 256 bytes of text, more than 100 bytes (limit MaxDocumentTextBytes)"},
		{"MaxDocumentItems", pdfFile, extractor.Limits{MaxDocumentItems: 10},
			"too large: the document holds 218 paragraphs, rows and cells, more than 10 (limit MaxDocumentItems)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The fixture reads with the defaults.
			if _, err := ReadLimited(bytes.NewReader(tc.data), int64(len(tc.data)), "f", extractor.Limits{}); err != nil {
				t.Fatalf("default limits: %v", err)
			}
			doc, err := ReadLimited(bytes.NewReader(tc.data), int64(len(tc.data)), "f", tc.lim)
			if doc != nil {
				t.Errorf("got a document with the limit at %+v", tc.lim)
			}
			if !errors.Is(err, extractor.ErrLimit) {
				t.Fatalf("err = %v, want ErrLimit", err)
			}
			var e *extractor.Error
			if !errors.As(err, &e) || e.File != "f" {
				t.Errorf("err = %#v, want an *extractor.Error naming the file", err)
			}
			for _, other := range []error{extractor.ErrCorrupt, extractor.ErrEncrypted, extractor.ErrUnsupported, extractor.ErrEmpty} {
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

// A page tree that understates its /Count is still stopped: the pages
// are counted while the tree is walked.
func TestLimitsPDFPagesLyingCount(t *testing.T) {
	data := limitsTestFile(t, "pdf", "ansokan.pdf")
	if !bytes.Contains(data, []byte("/Count 11")) {
		t.Fatal("fixture: no /Count 11")
	}
	data = bytes.ReplaceAll(data, []byte("/Count 11"), []byte("/Count 1 ")) // same length: offsets hold
	_, err := ReadLimited(bytes.NewReader(data), int64(len(data)), "f.pdf", extractor.Limits{MaxPDFPages: 5})
	if !errors.Is(err, extractor.ErrLimit) || err.Error() != "f.pdf: too large: more than 5 pages (limit MaxPDFPages)" {
		t.Errorf("err = %v", err)
	}
}
