package isolate

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/extractor"
)

// scanPDF writes a PDF of n pages, each one small grey image covering
// the page: a scan, as far as the reader can tell.
func scanPDF(n int) []byte {
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

// A scan whose OCR takes longer than the pool's Timeout is read: every
// page read gives the document Timeout again. One page over its own
// OCR limit is that page's error; the others are read. The OCR engine
// is a fake Tesseract (ANSOKAN_TESSERACT) that takes 0.5 s a page and
// hangs on its third call.
func TestScanOutlivesTimeout(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "tesseract")
	script := `#!/bin/sh
case "$1" in --list-langs) printf 'List of available languages in "/x" (2):\neng\nswe\n'; exit 0;; esac
cat >/dev/null
i=0
while ! mkdir "` + dir + `/call$i" 2>/dev/null; do i=$((i+1)); done
if [ "$i" = 2 ]; then exec sleep 30; fi
sleep 0.5
printf 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n'
printf '5\t1\t1\t1\t1\t1\t10\t10\t40\t12\t95\tHej\n'
`
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ANSOKAN_TESSERACT", fake)
	t.Setenv("ANSOKAN_OCR", "")
	const pages = 8
	timeout := 3 * time.Second
	p := newPool(t, Config{Children: 1, ChildProcs: 1, Timeout: timeout,
		Limits: extractor.Limits{OCRPageTimeout: time.Second}})
	start := time.Now()
	doc, err := p.Extract(context.Background(), "skannad.pdf", scanPDF(pages))
	took := time.Since(start)
	if err != nil {
		t.Fatalf("after %v: %v", took, err)
	}
	if took < timeout {
		t.Errorf("took %v, less than the Timeout %v: the test proves nothing", took, timeout)
	}
	if len(doc.Scans) != pages {
		t.Fatalf("%d scans, want %d: %+v", len(doc.Scans), pages, doc.Scans)
	}
	failed := 0
	for _, s := range doc.Scans {
		switch {
		case s.Err == "" && s.Words == 1:
		case strings.Contains(s.Err, "tesseract killed after 1 s"): // the engine's message for its time limit
			failed++
		default:
			t.Errorf("page %d: %+v", s.Page, s)
		}
	}
	if failed != 1 {
		t.Errorf("%d pages over their OCR limit, want 1: %+v", failed, doc.Scans)
	}
}

// Config.Progress hears of every page a child reads by OCR, in order and
// before Extract returns, with the file's name. The OCR engine is a fake
// Tesseract (ANSOKAN_TESSERACT) that answers one word at once; the child
// reads two pages at a time, so frames can come close together.
func TestProgressEveryPage(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "tesseract")
	script := `#!/bin/sh
case "$1" in --list-langs) printf 'List of available languages in "/x" (2):\neng\nswe\n'; exit 0;; esac
cat >/dev/null
printf 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n'
printf '5\t1\t1\t1\t1\t1\t10\t10\t40\t12\t95\tHej\n'
`
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ANSOKAN_TESSERACT", fake)
	t.Setenv("ANSOKAN_OCR", "")
	const pages = 6
	var got []string
	p := newPool(t, Config{Children: 1, ChildProcs: 2, Progress: func(name string, done, total int) {
		got = append(got, fmt.Sprintf("%s %d/%d", name, done, total))
	}})
	doc, err := p.Extract(context.Background(), "skannad.pdf", scanPDF(pages))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Scans) != pages {
		t.Fatalf("%d scans, want %d", len(doc.Scans), pages)
	}
	var want []string
	for i := 1; i <= pages; i++ {
		want = append(want, fmt.Sprintf("skannad.pdf %d/%d", i, pages))
	}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("progress:\n got %q\nwant %q", got, want)
	}
}
