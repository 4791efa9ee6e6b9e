package isolate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/internal/fakeocr"
)

// A scan whose OCR takes longer than the pool's Timeout is read: every
// page read gives the document Timeout again. One page over its own
// OCR limit is that page's error; the others are read. The OCR engine
// is a fake Tesseract (ANSOKAN_TESSERACT) that takes 0.5 s a page and
// hangs on its third page (fakeocr).
func TestScanOutlivesTimeout(t *testing.T) {
	fake, err := fakeocr.Tesseract(t.TempDir(), 500*time.Millisecond, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("ANSOKAN_TESSERACT", fake)
	t.Setenv("ANSOKAN_OCR", "")
	const pages = 8
	timeout := 3 * time.Second
	p := newPool(t, Config{Children: 1, ChildProcs: 1, Timeout: timeout,
		Limits: extractor.Limits{OCRPageTimeout: 2 * time.Second}})
	start := time.Now()
	doc, err := p.Extract(context.Background(), "skannad.pdf", fakeocr.ScanPDF(pages))
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
		case strings.Contains(s.Err, "tesseract killed after 2 s"):
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
	doc, err := p.Extract(context.Background(), "skannad.pdf", fakeocr.ScanPDF(pages))
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
