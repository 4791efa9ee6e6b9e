package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/internal/corpus"
	"github.com/finsam/ansokan/isolate"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

// Every file of the shared robustness corpus (real documents from other
// projects' test suites), read as the extract command reads it: in child
// processes with the default memory, CPU and time limits. Each yields a
// record, and a file that cannot be read carries a document.unreadable
// finding with a reason an officer can act on: encrypted, not a
// supported format, damaged, empty, or over a limit. A child that died
// any other way, or an error without one of those reasons, fails the
// test. Skipped when the corpus is absent (see internal/corpus).
func TestCorpusThroughChildren(t *testing.T) {
	dir, ok := corpus.Dir()
	if !ok {
		t.Skipf("no corpus (set %s or put it at ../shared/corpus beside the project)", corpus.Env)
	}
	entries, err := corpus.Manifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	pool, err := isolate.New(isolate.Config{Children: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	prof := profile.Default()

	type tally struct{ read, findings, refused int }
	by := map[string]*tally{}
	reasons := map[string]int{}
	jobs := make(chan corpus.Entry)
	type result struct {
		e   corpus.Entry
		in  normalizer.Input
		rec *schema.Record
	}
	results := make(chan result)
	for range 2 {
		go func() {
			for e := range jobs {
				in := readInput(context.Background(), filepath.Join(dir, e.Path), pool, normalizer.ReadInput)
				results <- result{e, in, normalizer.Normalize([]normalizer.Input{in}, prof)}
			}
		}()
	}
	go func() {
		for _, e := range entries {
			jobs <- e
		}
		close(jobs)
	}()
	for range entries {
		r := <-results
		name := r.e.Path
		if by[r.e.Format] == nil {
			by[r.e.Format] = &tally{}
		}
		tl := by[r.e.Format]
		var unreadable *schema.Finding
		for i, f := range r.rec.Findings {
			if f.Code == schema.CodeDocumentUnreadable {
				unreadable = &r.rec.Findings[i]
			}
		}
		if r.in.Err == nil {
			if unreadable != nil {
				t.Errorf("%s: read, yet the record says unreadable: %s", name, unreadable.Message)
			}
			if len(r.rec.Findings) == 0 {
				tl.read++
			} else {
				tl.findings++
			}
			continue
		}
		tl.refused++
		why := reasonClass(r.in.Err)
		reasons[r.e.Format+": "+why]++
		switch {
		case unreadable == nil:
			t.Errorf("%s: %v, but the record has no document.unreadable finding", name, r.in.Err)
		case why == "":
			t.Errorf("%s: refused without a clear reason: %v", name, r.in.Err)
		case errors.Is(r.in.Err, isolate.ErrKilled) && !errors.Is(r.in.Err, extractor.ErrLimit):
			t.Errorf("%s: the reading process died: %v", name, r.in.Err)
		case !strings.Contains(unreadable.Message, filepath.Base(name)):
			t.Errorf("%s: the finding does not name the file: %s", name, unreadable.Message)
		}
	}
	s := pool.Stats()
	t.Logf("corpus %s: %d files; %d reading processes, %d stopped, largest %d MB resident", dir, len(entries), s.Started, s.Stopped, s.MaxRSSKB>>10)
	for f, tl := range by {
		t.Logf("  %-5s read %3d (%3d records without findings), refused with a reason %3d", f, tl.read+tl.findings, tl.read, tl.refused)
	}
	for why, n := range reasons {
		t.Logf("  %3d × %s", n, why)
	}
}

// reasonClass names the reason a file was refused, "" when it is none of
// the reasons an officer can act on.
func reasonClass(err error) string {
	for _, c := range []struct {
		sentinel error
		name     string
	}{
		{extractor.ErrEncrypted, "encrypted"},
		{extractor.ErrUnsupported, "unsupported format"},
		{extractor.ErrCorrupt, "damaged"},
		{extractor.ErrEmpty, "empty"},
		{extractor.ErrLimit, "over a limit"},
	} {
		if errors.Is(err, c.sentinel) {
			return fmt.Sprint(c.name)
		}
	}
	return ""
}
