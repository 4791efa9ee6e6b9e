package main

// The e-signature stamp page that make.sh overlays (qpdf --overlay) onto
// one page of the seed 000 reconstruction, imitating a Visma Sign stamp:
// a verification link, the multilingual "Electronically signed" line and
// the service's address, in small Helvetica at the foot of an A4 page.

import (
	"bytes"
	"fmt"
	"strings"
)

// stampUUID is invented.
const stampUUID = "5d0c8e2a-7b41-4f3e-9a6d-2c81f4b07e93"

var stampLines = []string{
	"https://sign.visma.net/sv/document-check/" + stampUUID,
	"Electronically signed / Sähköisesti allekirjoitettu / Elektroniskt signerats / Elektronisk signert / Elektronisk underskrevet",
	"www.vismasign.com",
}

// pdfString encodes s as a PDF literal string in WinAnsiEncoding (the
// characters used here are all in Latin-1).
func pdfString(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x80:
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, "\\%03o", r)
		default:
			b.WriteByte('?')
		}
	}
	b.WriteByte(')')
	return b.String()
}

// stampPDF returns a one-page A4 PDF holding the stamp.
func stampPDF() []byte {
	var content strings.Builder
	content.WriteString("q 0.5 w 0.35 0.35 0.35 RG 56 34 m 539 34 l S Q\n")
	content.WriteString("BT /F1 6 Tf 0.2 0.2 0.2 rg\n")
	for i, l := range stampLines {
		fmt.Fprintf(&content, "1 0 0 1 56 %d Tm %s Tj\n", 27-i*8, pdfString(l))
	}
	content.WriteString("ET\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.304 841.89] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
