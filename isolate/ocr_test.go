package isolate

import (
	"context"
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
