package extractor

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestReadKinds reads the wrong files people send instead of a .docx,
// .pdf or .xlsx (testdata/kinds, made by make.sh there, and the
// encrypted PDFs): each is told apart by its content, whatever its name,
// and refused with a sentence that says what it is. Right files under a
// wrong name are read.
func TestReadKinds(t *testing.T) {
	tests := []struct {
		file   string // under testdata
		name   string // the name it is sent under
		want   error  // nil: read
		msg    string // the whole error message
		format Format // when read
	}{
		{"kinds/legacy.doc", "ansokan.doc", ErrUnsupported, "ansokan.doc: unsupported format: a legacy Word 97-2003 .doc file; save it as .docx or PDF", ""},
		{"kinds/legacy.doc", "ansokan.docx", ErrUnsupported, "ansokan.docx: unsupported format: a legacy Word 97-2003 .doc file; save it as .docx or PDF", ""},
		{"kinds/legacy.xls", "budget.xls", ErrUnsupported, "budget.xls: unsupported format: a legacy Excel 97-2003 .xls file; save it as .xlsx", ""},
		{"kinds/legacy.xls", "budget.xlsx", ErrUnsupported, "budget.xlsx: unsupported format: a legacy Excel 97-2003 .xls file; save it as .xlsx", ""},
		{"kinds/text.odt", "ansokan.docx", ErrUnsupported, "ansokan.docx: unsupported format: an OpenDocument text (.odt) file; save it as .docx or PDF", ""},
		{"kinds/budget.ods", "budget.xlsx", ErrUnsupported, "budget.xlsx: unsupported format: an OpenDocument spreadsheet (.ods) file; save it as .xlsx", ""},
		{"kinds/scan.png", "ansokan.pdf", ErrUnsupported, "ansokan.pdf: unsupported format: an image (PNG), not a document; scan OCR is not supported", ""},
		{"kinds/scan.jpg", "scan.jpg", ErrUnsupported, "scan.jpg: unsupported format: an image (JPEG), not a document; scan OCR is not supported", ""},
		{"kinds/scan.gif", "scan.gif", ErrUnsupported, "scan.gif: unsupported format: an image (GIF), not a document; scan OCR is not supported", ""},
		{"kinds/scan.tif", "scan.pdf", ErrUnsupported, "scan.pdf: unsupported format: an image (TIFF), not a document; scan OCR is not supported", ""},
		{"kinds/scan.heic", "IMG_0001.HEIC", ErrUnsupported, "IMG_0001.HEIC: unsupported format: an image (HEIC), not a document; scan OCR is not supported", ""},
		{"kinds/text.rtf", "ansokan.docx", ErrUnsupported, "ansokan.docx: unsupported format: an RTF file; save it as .docx or PDF", ""},
		{"kinds/page.html", "ansokan.pdf", ErrUnsupported, "ansokan.pdf: unsupported format: an HTML page; save it as PDF", ""},
		{"kinds/text.txt", "ansokan.txt", ErrUnsupported, "ansokan.txt: unsupported format: a plain text file, not a PDF, Word (.docx) or Excel (.xlsx) file", ""},
		{"kinds/empty.pdf", "ansokan.pdf", ErrEmpty, "ansokan.pdf: empty file", ""},
		{"pdf/enc_userpw.pdf", "signerad.pdf", ErrEncrypted, "signerad.pdf: encrypted: the PDF is password-protected; send it without a password", ""},
		{"pdf/enc_aes256_userpw.pdf", "signerad.pdf", ErrEncrypted, "signerad.pdf: encrypted: the PDF is password-protected; send it without a password", ""},
		{"pdf/trunc.pdf", "ansokan.pdf", ErrCorrupt, "", ""},
		// Read: encrypted without a user password, and right files under wrong names.
		{"pdf/enc_aes256.pdf", "signerad.pdf", nil, "", FormatPDF},
		{"pdf/enc_rc4.pdf", "signerad.pdf", nil, "", FormatPDF},
		{"docx/writer.docx", "ansokan.pdf", nil, "", FormatDOCX},
		{"pdf/ansokan.pdf", "ansokan.docx", nil, "", FormatPDF},
		{"xlsx/budget_lo.xlsx", "budget.docx", nil, "", FormatXLSX},
		{"pdf/image_only.pdf", "skannad.pdf", nil, "", FormatPDF},
	}
	for _, tc := range tests {
		t.Run(tc.file+" as "+tc.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
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

// Sniff looks at content only: the name plays no part.
func TestSniffIgnoresName(t *testing.T) {
	for _, name := range []string{"", "x.pdf", "x.docx", "x.png"} {
		if f, err := Sniff([]byte("%PDF-1.7\n"), name); f != FormatPDF || err != nil {
			t.Errorf("Sniff(%%PDF, %q) = %q, %v", name, f, err)
		}
		if _, err := Sniff([]byte("hej hopp\n"), name); !errors.Is(err, ErrUnsupported) {
			t.Errorf("Sniff(text, %q) = %v", name, err)
		}
	}
}

// Packages whose parts are not under word/ or xl/ are told apart by the
// content type of their main part; Windows separators in part names are
// read as '/'.
func TestSniffZipParts(t *testing.T) {
	mk := func(files map[string]string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, s := range files {
			w, _ := zw.Create(name)
			io.WriteString(w, s)
		}
		zw.Close()
		return buf.Bytes()
	}
	ct := func(main string) string {
		return `<Types><Override PartName="/book.xml" ContentType="application/vnd.openxmlformats-officedocument.` + main + `"/></Types>`
	}
	for _, tc := range []struct {
		name string
		data []byte
		want Format
	}{
		{"workbook at the root", mk(map[string]string{"[Content_Types].xml": ct("spreadsheetml.sheet.main+xml"), "book.xml": "<x/>"}), FormatXLSX},
		{"document at the root", mk(map[string]string{"[Content_Types].xml": ct("wordprocessingml.document.main+xml"), "book.xml": "<x/>"}), FormatDOCX},
		{"backslashes", mk(map[string]string{`xl\workbook.xml`: "<x/>"}), FormatXLSX},
	} {
		got, err := sniffZipParts(bytes.NewReader(tc.data), int64(len(tc.data)), DefaultLimits())
		if got != tc.want || err != nil {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	plain := mk(map[string]string{"readme.txt": "hej"})
	if _, err := sniffZipParts(bytes.NewReader(plain), int64(len(plain)), DefaultLimits()); !errors.Is(err, ErrUnsupported) {
		t.Errorf("plain zip: %v", err)
	}
}
