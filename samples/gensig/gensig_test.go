package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// -update is accepted by every package's tests so that
// "go test ./... -update" runs; the golden files it rewrites are the
// samples' (samples/golden_test.go).
var _ = flag.Bool("update", false, "rewrite golden files (see samples/golden_test.go)")

// TestUpToDate: the committed signed samples, their gold and the test
// CA's certificate are what gensig writes from the committed samples,
// byte for byte. A change to a signed sample's source PDF or gold, or to
// gensig, shows up here until they are regenerated
// (go run ./samples/gensig).
func TestUpToDate(t *testing.T) {
	out := t.TempDir()
	if err := generate("..", out); err != nil {
		t.Fatal(err)
	}
	var made []string
	for _, s := range specs {
		made = append(made, s.stem+".pdf", s.stem+"-budget.xlsx", filepath.Join("gold", s.stem+".json"))
	}
	made = append(made, filepath.Join("gensig", "testca.pem"))
	for _, m := range made {
		got, err := os.ReadFile(filepath.Join(out, m))
		if err != nil {
			t.Fatalf("gensig did not write %s: %v", m, err)
		}
		want, err := os.ReadFile(filepath.Join("..", m))
		if err != nil {
			t.Errorf("samples/%s is not committed: %v", m, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("samples/%s differs from what gensig writes: regenerate it (go run ./samples/gensig)", m)
		}
	}
}
