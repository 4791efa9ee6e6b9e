package scan

import (
	"os/exec"
	"testing"
)

// engine is the machine's Tesseract, or the test skips.
func engine(t testing.TB) *Engine {
	t.Helper()
	if _, err := exec.LookPath("tesseract"); err != nil {
		t.Skip("tesseract not installed (Debian: tesseract-ocr tesseract-ocr-swe tesseract-ocr-osd)")
	}
	e, err := Find()
	if err != nil {
		t.Skipf("OCR unavailable: %v", err)
	}
	return e
}
