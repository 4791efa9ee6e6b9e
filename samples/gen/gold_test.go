package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoldUpToDate: the committed gold files (samples/gold) are what the
// generator writes from the samples' data, byte for byte. A change to a
// sample's content shows up here until the gold is regenerated
// (bash samples/gen/make.sh, or go run ./samples/gen -out samples).
func TestGoldUpToDate(t *testing.T) {
	out := t.TempDir()
	if err := generate(out, ""); err != nil {
		t.Fatal(err)
	}
	made, err := filepath.Glob(filepath.Join(out, "gold", "*.json"))
	if err != nil || len(made) == 0 {
		t.Fatalf("the generator wrote no gold (%v)", err)
	}
	all, _ := filepath.Glob(filepath.Join("..", "gold", "*.json"))
	// The scanned samples' gold is samples/genscan's (made from these
	// files and the strokes it draws); their stems end in -skannad or
	// -delskannad (samples/README.md). The digitally signed samples'
	// gold is samples/gensig's (stems with -esign or -verifikat).
	var committed []string
	for _, f := range all {
		if !strings.HasSuffix(f, "skannad.json") && !strings.Contains(f, "-esign") && !strings.HasSuffix(f, "-verifikat.json") {
			committed = append(committed, f)
		}
	}
	if len(committed) != len(made) {
		t.Errorf("%d gold files committed, the generator writes %d", len(committed), len(made))
	}
	for _, m := range made {
		want, err := os.ReadFile(filepath.Join("..", "gold", filepath.Base(m)))
		if err != nil {
			t.Errorf("%s is not committed: %v", filepath.Base(m), err)
			continue
		}
		got, _ := os.ReadFile(m)
		if !bytes.Equal(got, want) {
			t.Errorf("samples/gold/%s differs from what the generator writes: regenerate it", filepath.Base(m))
		}
	}
}
