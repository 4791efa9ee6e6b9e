package isolate

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The PDFs that once made the PDF library loop for ever (kept as the PDF
// fuzz target's seeds) are read through a reading child in well under a
// second each: an answer, never a child stopped at its time limit.
func TestHangSeedsThroughChild(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "extractor", "pdf", "testdata", "fuzz", "FuzzReadPDF", "hang_*"))
	if len(paths) < 5 {
		t.Fatalf("%d hang seeds", len(paths))
	}
	// The time limit is the bound: a seed that loops again is stopped
	// there and fails the test, instead of holding it.
	p := newPool(t, Config{Children: 1, Timeout: 5 * time.Second})
	for _, path := range paths {
		data := fuzzSeedBytes(t, path)
		_, err := p.Extract(context.Background(), filepath.Base(path)+".pdf", data)
		if err != nil && strings.Contains(err.Error(), "limit Timeout") {
			t.Errorf("%s: %v", filepath.Base(path), err)
		}
	}
	if s := p.Stats(); s.Stopped != 0 {
		t.Errorf("stats %+v: a child was stopped", s)
	}
}

// fuzzSeedBytes decodes a "go test fuzz v1" file of one []byte value.
func fuzzSeedBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, lit, ok := strings.Cut(strings.TrimSpace(string(b)), "\n")
	lit, ok2 := strings.CutPrefix(lit, "[]byte(")
	lit, ok3 := strings.CutSuffix(lit, ")")
	s, err := strconv.Unquote(lit)
	if !ok || !ok2 || !ok3 || err != nil {
		t.Fatalf("%s: not a fuzz seed of one []byte: %v", path, err)
	}
	return []byte(s)
}
