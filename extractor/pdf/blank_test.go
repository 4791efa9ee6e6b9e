package pdf

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"
)

// pdfBuild writes a PDF whose pages have the given content streams; every
// page has the font F1 (Helvetica) and the 1×1 image Im1 as resources.
func pdfBuild(contents ...string) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.4\n")
	n := len(contents)
	// 1 catalog, 2 pages, 3 font, 4 image, then per page: page, content.
	kids := ""
	for i := range n {
		kids += fmt.Sprintf("%d 0 R ", 5+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, n))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	obj("<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream")
	for i, c := range contents {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> /Contents %d 0 R >>", 6+2*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(c), c))
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, x)
	return b.Bytes()
}

// TestReadPDFBlankPages: a page with neither text nor an image is blank,
// not a scan; a page with an image and no text is (NoTextPages).
func TestReadPDFBlankPages(t *testing.T) {
	const (
		text   = "BT /F1 12 Tf 72 700 Td (Sida med text.) Tj ET"
		blank  = ""
		rules  = "0 0 m 500 0 l S" // a rule only: still blank
		image  = "q 200 0 0 200 72 400 cm /Im1 Do Q"
		inline = "q 100 0 0 100 72 400 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q"
	)
	tests := []struct {
		name   string
		pages  []string
		notext []int
	}{
		{"text, blank, image", []string{text, blank, image}, []int{3}},
		{"blank page with a rule", []string{text, rules}, nil},
		{"inline image", []string{text, inline}, []int{2}},
		{"no text anywhere", []string{blank, image}, []int{1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := pdfBuild(tt.pages...)
			doc, err := Read(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Pages != len(tt.pages) || !reflect.DeepEqual(doc.NoTextPages, tt.notext) {
				t.Errorf("pages=%d notext=%v, want %d and %v", doc.Pages, doc.NoTextPages, len(tt.pages), tt.notext)
			}
		})
	}
}
