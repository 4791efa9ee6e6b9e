// Package fakeocr holds what the tests of a long OCR read share (the
// reading children of isolate, the in-process read of normalizer): a
// PDF of scanned pages and a fake Tesseract that takes a set time a
// page, so a test can prove that a scan outlives a document's time
// limit without spending Tesseract's CPU.
package fakeocr

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ScanPDF returns a PDF of n pages, each one small white grey image
// covering the page: a scan, as far as the reader can tell.
func ScanPDF(n int) []byte {
	var px bytes.Buffer
	zw := zlib.NewWriter(&px)
	zw.Write(bytes.Repeat([]byte{0xFF}, 8*8))
	zw.Close()
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.4\n")
	var kids []string
	for i := range n {
		kids = append(kids, fmt.Sprintf("%d 0 R", 3+i))
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n))
	content, image := 3+n, 4+n
	for range n {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>", image, content))
	}
	cs := "q 200 0 0 200 0 0 cm /Im0 Do Q"
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(cs), cs))
	obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", px.Len(), px.Bytes()))
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

// Tesseract writes a fake tesseract program into dir (a test's
// TempDir) and returns its path, for ANSOKAN_TESSERACT. It has the
// Swedish model; each page takes delay and reads one word, "Hej", at
// confidence 95; the page run numbered hang (counted from 0 across
// every process using dir) sleeps 30 s instead, to be stopped by a
// limit (a negative hang: none hangs).
func Tesseract(dir string, delay time.Duration, hang int) (string, error) {
	path := filepath.Join(dir, "tesseract")
	script := `#!/bin/sh
case "$1" in
--list-langs) printf 'List of available languages in "/x" (2):\neng\nswe\n'; exit 0;;
--version) echo 'tesseract 5.3.0 (fake)'; exit 0;;
esac
cat >/dev/null
# The run's number: the first call$i this run creates (noclobber: an
# exclusive create, atomic between runs, and no process per try; true,
# not the special builtin ':', whose failed redirection ends the shell).
set -C
i=0
while ! true 2>/dev/null >"` + dir + `/call$i"; do i=$((i+1)); done
if [ "$i" = ` + strconv.Itoa(hang) + ` ]; then exec sleep 30; fi
sleep ` + strconv.FormatFloat(delay.Seconds(), 'f', -1, 64) + `
printf 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n'
printf '5\t1\t1\t1\t1\t1\t10\t10\t40\t12\t95\tHej\n'
`
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		return "", err
	}
	return path, nil
}
