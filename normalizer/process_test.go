package normalizer

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/schema"
)

func TestProcessSubmission(t *testing.T) {
	var files []File
	for _, n := range []string{"a-sprangbradan.docx", "a-sprangbradan-budget.xlsx"} {
		b, err := os.ReadFile("../samples/" + n)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, File{Name: "/inbox/" + n, Data: b})
	}
	files = append(files, File{Name: "bilaga.docx", Data: []byte("not a zip")})
	rec := Process(context.Background(), files, nil, nil)
	if len(rec.Source.Files) != 3 || rec.Source.Files[0].Name != "a-sprangbradan.docx" || rec.Budget == nil || rec.Title == nil {
		t.Fatalf("record: %s", js(rec.Source))
	}
	bad := rec.Source.Files[2]
	if bad.Format != "docx" || bad.Bytes != 9 || len(bad.SHA256) != 64 {
		t.Errorf("unreadable file: %+v", bad)
	}
	if f := withCode(rec.Findings, schema.CodeDocumentUnreadable); len(f) != 1 || *f[0].Subject != "bilaga.docx" {
		t.Errorf("findings: %s", js(rec.Findings))
	}
}

func TestProcessCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := ReadInput(ctx, File{Name: "x.pdf", Data: []byte("%PDF-1.4")}, InProcess{})
	if !errors.Is(in.Err, context.Canceled) || in.Doc != nil {
		t.Errorf("input = %+v", in)
	}
	var _ Reader = InProcess{}
	_ = extractor.FormatPDF
}
