package batch

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/isolate"
	"github.com/finsam/ansokan/schema"
)

// slowDOCX is a real Word file that takes far longer to read than the
// time limit the test sets: hundreds of thousands of paragraphs, within
// the extractor's own limits.
func slowDOCX(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)
	add("word/document.xml", `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`+
		strings.Repeat(`<w:p><w:r><w:t>Bilaga: årsredovisning.</w:t></w:r></w:p>`, 400_000)+`</w:body></w:document>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// slowTimeout is far above a sample's reading time (under 10 ms) and far
// below the slow file's (over a second); race_test.go raises it.
var slowTimeout = 400 * time.Millisecond

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
	if err := os.WriteFile(filepath.Join(dir, "in", "arsredovisning.docx"), slowDOCX(t), 0o644); err != nil {
		t.Fatal(err)
	}
	pool, err := isolate.New(isolate.Config{Children: 2, Timeout: slowTimeout})
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
