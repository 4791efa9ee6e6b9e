package batch

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/finsam/ansokan/schema"
)

func writeZip(t *testing.T, path string, entries map[string][]byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(entries[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestZipLimits: an archive with too many entries, or unpacking to too
// much, is refused whole; an entry over the file limit gets a record
// saying so; nested archives are not opened.
func TestZipLimits(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	zeros := make([]byte, 1<<20) // compresses to about 1 KB
	writeZip(t, filepath.Join(in, "many.zip"), map[string][]byte{"a.pdf": {1}, "b.pdf": {2}, "c.pdf": {3}, "d.pdf": {4}, "e.pdf": {5}})
	writeZip(t, filepath.Join(in, "bomb.zip"), map[string][]byte{"a.docx": zeros, "b.docx": zeros, "c.docx": zeros})
	writeZip(t, filepath.Join(in, "large.zip"), map[string][]byte{"stor.docx": zeros[:600<<10], "inre.zip": {1}})
	lim := Limits{MaxFileBytes: 512 << 10, MaxZipEntries: 4, MaxZipBytes: 2 << 20}
	out := filepath.Join(dir, "records.jsonl")
	st, err := Run(context.Background(), Options{Paths: []string{in}, Out: out, Limits: lim, Jobs: 2, Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	recs := readRecords(t, out)
	if len(recs) != 1 || st.Written != 1 {
		t.Fatalf("%d records, want 1 (the large entry): %v", len(recs), recs)
	}
	r := recs[0]
	if names(r) != "stor.docx" || r.Source.Files[0].Bytes != 600<<10 || r.Source.Files[0].SHA256 != sum(zeros[:600<<10]) {
		t.Errorf("large entry: files %+v", r.Source.Files)
	}
	if len(r.Findings) == 0 || r.Findings[0].Code != schema.CodeDocumentUnreadable || !strings.Contains(r.Findings[0].Message, ErrTooLarge.Error()) {
		t.Errorf("large entry: findings %+v", r.Findings)
	}
	if st.Skipped != 3 { // many.zip, bomb.zip, inre.zip
		t.Errorf("skipped %d, want 3", st.Skipped)
	}
}

// TestOpenerArchiveBudget: an entry that unpacks to more than it
// declared still stops at the archive's budget.
func TestOpenerArchiveBudget(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.zip")
	zeros := make([]byte, 3<<20)
	writeZip(t, p, map[string][]byte{"a.docx": zeros})
	o := &opener{lim: Limits{MaxFileBytes: 1 << 20, MaxZipEntries: 10, MaxZipBytes: 2 << 20}}
	defer o.close()
	_, _, _, err := o.read(Source{Path: p + "/a.docx", Disk: p, Entry: "a.docx"})
	if !errors.Is(err, ErrZipRefused) {
		t.Errorf("err = %v, want %v", err, ErrZipRefused)
	}
	// A file on disk over the limit: hashed, no bytes.
	f := filepath.Join(dir, "stor.pdf")
	os.WriteFile(f, zeros, 0o644)
	data, s, n, err := o.read(Source{Path: f, Disk: f})
	if !errors.Is(err, ErrTooLarge) || data != nil || s != sum(zeros) || n != int64(len(zeros)) {
		t.Errorf("large file: %d bytes held, sum %s, size %d, err %v", len(data), s, n, err)
	}
}

func TestOutputLog(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.jsonl")
	rec := func(sums ...string) string {
		var files []string
		for _, s := range sums {
			files = append(files, fmt.Sprintf(`{"name":"x","sha256":%q}`, s))
		}
		return `{"source":{"files":[` + strings.Join(files, ",") + `]}}` + "\n"
	}
	whole := rec("b", "a") + rec("c")
	os.WriteFile(p, []byte(whole+`{"source":{"fi`), 0o644)

	if _, err := openLog(p, false, quietLog(), func(string) {}); !errors.Is(err, ErrOutputExists) {
		t.Errorf("without resume: err = %v, want %v", err, ErrOutputExists)
	}
	var keys []string
	l, err := openLog(p, true, quietLog(), func(k string) { keys = append(keys, k) })
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(keys, []string{"a,b", "c"}) {
		t.Errorf("keys %q", keys)
	}
	if err := l.append(&schema.Record{Source: schema.Source{Files: []schema.File{{SHA256: "d"}}}}); err != nil {
		t.Fatal(err)
	}
	if err := l.close(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if !strings.HasPrefix(string(b), whole) || strings.Count(string(b), "\n") != 3 || !strings.HasSuffix(string(b), "\n") {
		t.Errorf("after resume and one record:\n%s", b)
	}
	// A broken line in the middle is not ours to cut.
	os.WriteFile(p, []byte(rec("a")+"garbage\n"+rec("b")), 0o644)
	if _, err := openLog(p, true, quietLog(), func(string) {}); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("broken middle line: err = %v", err)
	}
}
