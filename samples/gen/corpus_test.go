package main

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/finsam/ansokan/batch"
)

// TestCorpus: the corpus is the same for the same seed, and batch's
// grouping finds one submission per application in it.
func TestCorpus(t *testing.T) {
	const n = 12
	a, b := t.TempDir(), t.TempDir()
	if err := writeCorpus(a, n, 7); err != nil {
		t.Fatal(err)
	}
	if err := writeCorpus(b, n, 7); err != nil {
		t.Fatal(err)
	}
	files := 0
	err := filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with one seed (%v)", rel, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	found, err := batch.Discover([]string{a}, batch.GroupStem, batch.Limits{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if len(found.Submissions) != n || found.Files != files {
		t.Errorf("%d submissions of %d files, want %d of %d", len(found.Submissions), found.Files, n, files)
	}
}
