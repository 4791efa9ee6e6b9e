package extractor

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

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

// PNG, JPEG and TIFF are read (by OCR); other images are refused with
// their name.
func TestSniffImages(t *testing.T) {
	for _, tc := range []struct {
		head string
		want Format
	}{
		{"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", FormatPNG},
		{"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", FormatJPEG},
		{"II*\x00\x08\x00\x00\x00", FormatTIFF},
		{"MM\x00*\x00\x00\x00\x08", FormatTIFF},
	} {
		got, err := Sniff([]byte(tc.head), "")
		if got != tc.want || err != nil || !got.IsImage() {
			t.Errorf("Sniff(%q) = %q, %v; want %q", tc.head, got, err, tc.want)
		}
	}
	if _, err := Sniff([]byte("GIF89a\x01\x00\x01\x00"), ""); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "GIF") {
		t.Errorf("GIF: %v", err)
	}
}
