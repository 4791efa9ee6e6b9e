package normalizer

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/internal/fakeocr"
)

// inProcessScanChild is set in the process TestInProcessScan starts:
// scan.Find looks for the engine once per process, so the fake
// Tesseract has to be named before any test of this package reads a
// scan.
const inProcessScanChild = "ANSOKAN_TEST_INPROCESS_SCAN"

// TestInProcessScan: the in-process read (--in-process, extract) gives
// a scan Timeout again from each page read by OCR, as the reading
// children do, and still stops a read that stops making progress. The
// OCR engine is a fake Tesseract (ANSOKAN_TESSERACT, fakeocr) taking
// 0.4 s a page, pages read one at a time (GOMAXPROCS=1), in a process
// of its own.
func TestInProcessScan(t *testing.T) {
	if os.Getenv(inProcessScanChild) == "" {
		dir := t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^TestInProcessScan$", "-test.v")
		cmd.Env = append(os.Environ(), inProcessScanChild+"="+dir, "GOMAXPROCS=1", "ANSOKAN_OCR=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if !strings.Contains(string(out), "--- PASS: TestInProcessScan") {
			t.Fatalf("the child did not run the test:\n%s", out)
		}
		return
	}
	dir := os.Getenv(inProcessScanChild)
	// Page runs count from 0 across both reads: the first reads pages
	// 0-9, the second hangs on its fourth page (run 13).
	fake, err := fakeocr.Tesseract(dir, 400*time.Millisecond, 13)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("ANSOKAN_TESSERACT", fake)
	const timeout = 2 * time.Second

	const pages = 10
	r := InProcess{Timeout: timeout, Limits: extractor.Limits{OCRPageTimeout: 20 * time.Second}}
	start := time.Now()
	doc, err := r.Extract(context.Background(), "skannad.pdf", fakeocr.ScanPDF(pages))
	took := time.Since(start)
	if err != nil {
		t.Fatalf("after %v: %v", took, err)
	}
	if took < timeout {
		t.Errorf("took %v, less than the Timeout %v: the test proves nothing", took, timeout)
	}
	if len(doc.Scans) != pages {
		t.Fatalf("%d scans, want %d", len(doc.Scans), pages)
	}
	for _, s := range doc.Scans {
		if s.Err != "" || s.Words != 1 {
			t.Errorf("page %d: %+v", s.Page, s)
		}
	}

	// Three pages read, then one that hangs within its 20 s: the read
	// is given up Timeout after the third page.
	start = time.Now()
	_, err = r.Extract(context.Background(), "fastnar.pdf", fakeocr.ScanPDF(pages))
	took = time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "after the last page read by OCR (limit Timeout)") {
		t.Fatalf("after %v: error %v, want the extended Timeout's", took, err)
	}
	if took < timeout || took > 10*time.Second {
		t.Errorf("stopped after %v: want Timeout (%v) after the third page, long before the page's own 20 s", took, timeout)
	}
}
