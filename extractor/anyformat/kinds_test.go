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

// TestReadKinds reads the wrong files people send instead of a .docx,
// .pdf, .xlsx or scan image (testdata/kinds, made by make.sh there, and the
// encrypted PDFs): each is told apart by its content, whatever its name,
// and refused with a sentence that says what it is. Right files under a
// wrong name are read.
func TestReadKinds(t *testing.T) {
	tests := []struct {
		file   string           // under testdata
		name   string           // the name it is sent under
		want   error            // nil: read
		msg    string           // the whole error message
		format extractor.Format // when read
	}{
		{"kinds/legacy.doc", "ansokan.doc", extractor.ErrUnsupported, "ansokan.doc: unsupported format: a legacy Word 97-2003 .doc file; save it as .docx or PDF", ""},
		{"kinds/legacy.doc", "ansokan.docx", extractor.ErrUnsupported, "ansokan.docx: unsupported format: a legacy Word 97-2003 .doc file; save it as .docx or PDF", ""},
		{"kinds/legacy.xls", "budget.xls", extractor.ErrUnsupported, "budget.xls: unsupported format: a legacy Excel 97-2003 .xls file; save it as .xlsx", ""},
		{"kinds/legacy.xls", "budget.xlsx", extractor.ErrUnsupported, "budget.xlsx: unsupported format: a legacy Excel 97-2003 .xls file; save it as .xlsx", ""},
		{"kinds/text.odt", "ansokan.docx", extractor.ErrUnsupported, "ansokan.docx: unsupported format: an OpenDocument text (.odt) file; save it as .docx or PDF", ""},
		{"kinds/budget.ods", "budget.xlsx", extractor.ErrUnsupported, "budget.xlsx: unsupported format: an OpenDocument spreadsheet (.ods) file; save it as .xlsx", ""},
		{"kinds/scan.gif", "scan.gif", extractor.ErrUnsupported, "scan.gif: unsupported format: an image (GIF) ansokan does not read; send it as PDF, PNG, JPEG or TIFF", ""},
		{"kinds/scan.heic", "IMG_0001.HEIC", extractor.ErrUnsupported, "IMG_0001.HEIC: unsupported format: an image (HEIC) ansokan does not read; send it as PDF, PNG, JPEG or TIFF", ""},
		{"kinds/text.rtf", "ansokan.docx", extractor.ErrUnsupported, "ansokan.docx: unsupported format: an RTF file; save it as .docx or PDF", ""},
		{"kinds/page.html", "ansokan.pdf", extractor.ErrUnsupported, "ansokan.pdf: unsupported format: an HTML page; save it as PDF", ""},
		{"kinds/text.txt", "ansokan.txt", extractor.ErrUnsupported, "ansokan.txt: unsupported format: a plain text file, not a PDF, Word (.docx) or Excel (.xlsx) file", ""},
		{"kinds/empty.pdf", "ansokan.pdf", extractor.ErrEmpty, "ansokan.pdf: empty file", ""},
		{"pdf/enc_userpw.pdf", "signerad.pdf", extractor.ErrEncrypted, "signerad.pdf: encrypted: the PDF is password-protected; send it without a password", ""},
		{"pdf/enc_aes256_userpw.pdf", "signerad.pdf", extractor.ErrEncrypted, "signerad.pdf: encrypted: the PDF is password-protected; send it without a password", ""},
		{"pdf/trunc.pdf", "ansokan.pdf", extractor.ErrCorrupt, "", ""},
		// Read: encrypted without a user password, and right files under wrong names.
		{"pdf/enc_aes256.pdf", "signerad.pdf", nil, "", extractor.FormatPDF},
		{"pdf/enc_rc4.pdf", "signerad.pdf", nil, "", extractor.FormatPDF},
		{"docx/writer.docx", "ansokan.pdf", nil, "", extractor.FormatDOCX},
		{"pdf/ansokan.pdf", "ansokan.docx", nil, "", extractor.FormatPDF},
		{"xlsx/budget_lo.xlsx", "budget.docx", nil, "", extractor.FormatXLSX},
		{"pdf/image_only.pdf", "skannad.pdf", nil, "", extractor.FormatPDF},
		// Images are read as the pages of a scan, whatever their name.
		{"kinds/scan.png", "ansokan.pdf", nil, "", extractor.FormatPNG},
		{"kinds/scan.jpg", "scan.jpg", nil, "", extractor.FormatJPEG},
		{"kinds/scan.tif", "scan.pdf", nil, "", extractor.FormatTIFF},
	}
	for _, tc := range tests {
		t.Run(tc.file+" as "+tc.name, func(t *testing.T) {
			data, err := os.ReadFile(testFile(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Read(bytes.NewReader(data), int64(len(data)), tc.name)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("err = %v, want a document", err)
				}
				if doc.Format != tc.format || doc.Name != tc.name {
					t.Errorf("format %q name %q, want %q %q", doc.Format, doc.Name, tc.format, tc.name)
				}
				return
			}
			if doc != nil {
				t.Errorf("got a document and err %v", err)
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if tc.msg != "" && err.Error() != tc.msg {
				t.Errorf("message\n got %q\nwant %q", err.Error(), tc.msg)
			}
		})
	}
}

// testFile finds a fixture: "kinds/x" under this package's testdata,
// "pdf/x" (docx, xlsx) under that reader's.
func testFile(file string) string {
	if dir, name, ok := strings.Cut(file, "/"); ok && dir != "kinds" {
		return filepath.Join("..", dir, "testdata", name)
	}
	return filepath.Join("testdata", file)
}
