package batch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/internal/bigdoc"
	"github.com/finsam/ansokan/isolate"
	"github.com/finsam/ansokan/schema"
)

// slowTimeout is far above a sample's reading time (under 10 ms, a
// hundred times that on a loaded machine) and far below the slow file's
// (about six seconds); race_test.go raises it.
var slowTimeout = 1500 * time.Millisecond

// One file that takes too long to read is stopped at the time limit and
// becomes its submission's document.unreadable finding; the other
// submissions, read by the children after it, are unharmed.
func TestSlowFileIsAFinding(t *testing.T) {
	dir := t.TempDir()
	samples := loadSamples(t)
	for i, s := range samples[:3] {
		sub := filepath.Join(dir, "in", string(rune('a'+i)))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for ext, data := range map[string][]byte{".docx": s.docx, ".pdf": s.pdf, "-budget.xlsx": s.xlsx} {
			if data == nil {
				continue
			}
			if err := os.WriteFile(filepath.Join(sub, "ansokan"+ext), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "in", "arsredovisning.docx"), bigdoc.DOCX(2_000_000), 0o644); err != nil {
		t.Fatal(err)
	}
	pool, err := isolate.New(isolate.Config{Children: 2, Timeout: slowTimeout, Limits: extractor.Limits{MaxZipUncompressedBytes: 4 << 30, MaxXMLElements: 1 << 30}})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	out := filepath.Join(dir, "records.jsonl")
	st, err := Run(context.Background(), Options{Paths: []string{filepath.Join(dir, "in")}, Out: out, Jobs: 2, Reader: pool, Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	recs := readRecords(t, out)
	if len(recs) != 4 || st.Unreadable != 1 {
		for _, r := range recs {
			for _, f := range r.Findings {
				if f.Code == schema.CodeDocumentUnreadable {
					t.Logf("%s: %s", names(r), f.Message)
				}
			}
		}
		t.Fatalf("%d records, %d unreadable: want 4, one unreadable", len(recs), st.Unreadable)
	}
	for _, r := range recs {
		slow := r.Source.Files[0].Name == "arsredovisning.docx"
		var msg string
		for _, f := range r.Findings {
			if f.Code == schema.CodeDocumentUnreadable {
				msg = f.Message
			}
		}
		switch {
		case slow && !strings.Contains(msg, "limit Timeout"):
			t.Errorf("the slow file: unreadable finding %q, want one naming the time limit", msg)
		case !slow && msg != "":
			t.Errorf("%s: %s", names(r), msg)
		}
	}
	if ps := pool.Stats(); ps.Stopped != 1 {
		t.Errorf("pool %+v: want one child stopped", ps)
	}
	if !slices.ContainsFunc(recs, func(r schema.Record) bool { return len(r.Source.Files) > 1 }) {
		t.Error("no submission kept its files together")
	}
}
