package normalizer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/internal/bigdoc"
	"github.com/finsam/ansokan/schema"
)

// countingReader counts the reads that reach the reader.
type countingReader struct {
	InProcess
	n int
}

func (c *countingReader) Extract(ctx context.Context, name string, data []byte) (*extractor.Document, error) {
	c.n++
	return c.InProcess.Extract(ctx, name, data)
}

func copies(name string, data []byte, n int) []File {
	files := make([]File, n)
	for i := range files {
		files[i] = File{Name: strings.Replace(name, ".", "-"+string(rune('a'+i%26))+".", 1), Data: data}
	}
	return files
}

// unreadableFindings returns the messages of the record's
// document.unreadable findings.
func unreadableFindings(rec *schema.Record) []string {
	var msgs []string
	for _, f := range rec.Findings {
		if f.Code == schema.CodeDocumentUnreadable {
			msgs = append(msgs, f.Message)
		}
	}
	return msgs
}

// The chaos probe's submission: one small .docx holding 30 MB of text,
// listed 40 times. Each copy is refused by the reading limit on the
// document's text (in a child: before it is sent to the parent), the
// content is read once, and the record lists all 40 files.
func TestSubmissionOfCopiesOfAHugeDocument(t *testing.T) {
	data := bigdoc.DOCXText(30 << 20)
	r := &countingReader{}
	rec := Process(context.Background(), copies("bilaga.docx", data, 40), r, nil)
	if len(rec.Source.Files) != 40 {
		t.Fatalf("%d files in the record, want 40", len(rec.Source.Files))
	}
	msgs := unreadableFindings(rec)
	if len(msgs) != 40 || !strings.Contains(msgs[39], "MaxDocumentTextBytes") {
		t.Fatalf("%d unreadable findings (last %q), want 40 naming MaxDocumentTextBytes", len(msgs), msgs[len(msgs)-1])
	}
	if r.n != 1 {
		t.Errorf("the same content was read %d times, want once", r.n)
	}
}

// Documents each within the reading limits, but too much together: the
// submission merges what fits under MaxTextBytes and lists the rest with
// a finding naming the limit, in Swedish first. What the process holds
// stays near the limit.
func TestSubmissionTextLimit(t *testing.T) {
	lim := SubmissionLimits{MaxTextBytes: 24 << 20}
	s := NewSubmission(lim)
	var inputs []Input
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range 12 {
		// Different contents: each is read.
		data := bigdoc.DOCXText((5 << 20) + i<<16)
		inputs = append(inputs, s.Read(context.Background(), File{Name: "bilaga.docx", Data: data}, InProcess{}))
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	held := int64(after.HeapInuse) - int64(before.HeapInuse)
	t.Logf("held after reading: %d MB", held>>20)
	if held > 200<<20 {
		t.Errorf("the submission holds %d MB after reading, want under 200 MB (24 MB of text allowed)", held>>20)
	}
	read := 0
	for _, in := range inputs {
		switch {
		case in.Doc != nil:
			read++
		case !errors.Is(in.Err, ErrSubmissionLimit) || !errors.Is(in.Err, extractor.ErrLimit) || !strings.Contains(in.Err.Error(), "limit SubmissionLimits.MaxTextBytes"):
			t.Errorf("input %s: error %v, want the submission's text limit", in.Name, in.Err)
		}
	}
	if read != 4 {
		t.Errorf("%d documents merged, want 4 (of about 5 MB each under 24 MB)", read)
	}
	rec := s.Record(inputs, nil, Stamp{})
	msgs := unreadableFindings(rec)
	if len(msgs) != 8 || !strings.Contains(msgs[0], "inskickningen är för stor") || !strings.Contains(msgs[0], "MaxTextBytes") {
		t.Errorf("findings %q: want 8, saying in Swedish that the submission is too large and naming the limit", msgs)
	}
}

func TestSubmissionFilesAndBytes(t *testing.T) {
	if err := (SubmissionLimits{}).Check(51, 1); !errors.Is(err, ErrSubmissionLimit) || !strings.Contains(err.Error(), "more than 50 (limit SubmissionLimits.MaxFiles)") {
		t.Errorf("51 files: %v", err)
	}
	if err := (SubmissionLimits{}).Check(3, 300<<20); !errors.Is(err, ErrSubmissionLimit) || !strings.Contains(err.Error(), "MaxBytes") {
		t.Errorf("300 MB: %v", err)
	}
	if err := (SubmissionLimits{}).Check(50, 256<<20); err != nil {
		t.Errorf("at the limits: %v", err)
	}
	data := []byte("not a document at all")
	r := &countingReader{}
	s := NewSubmission(SubmissionLimits{MaxFiles: 3})
	var inputs []Input
	for _, f := range copies("x.pdf", data, 5) {
		inputs = append(inputs, s.Read(context.Background(), f, r))
	}
	for i, in := range inputs {
		if got := errors.Is(in.Err, ErrSubmissionLimit); got != (i >= 3) {
			t.Errorf("file %d: error %v", i, in.Err)
		}
		if in.Name != filepath.Base(copies("x.pdf", data, 5)[i].Name) || in.SHA256 == "" || in.Bytes != int64(len(data)) {
			t.Errorf("file %d: %+v: want its own name, hash and size", i, in)
		}
	}
	if r.n != 1 {
		t.Errorf("%d reads, want 1", r.n)
	}
}

// A record over MaxRecordBytes is made again from its files alone.
func TestSubmissionRecordLimit(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "samples", "a-sprangbradan.docx"))
	if err != nil {
		t.Fatal(err)
	}
	s := NewSubmission(SubmissionLimits{MaxRecordBytes: 4 << 10})
	in := s.Read(context.Background(), File{Name: "inkorg/a.docx", Data: data}, InProcess{})
	if in.Doc == nil {
		t.Fatal(in.Err)
	}
	rec := s.Record([]Input{in}, nil, Stamp{})
	msgs := unreadableFindings(rec)
	if len(rec.Source.Files) != 1 || rec.Source.Files[0].Path != "inkorg/a.docx" || rec.Source.Files[0].SHA256 != in.Doc.SHA256 ||
		len(msgs) != 1 || !strings.Contains(msgs[0], "limit SubmissionLimits.MaxRecordBytes") {
		t.Errorf("files %+v, findings %q: want the file, with a finding naming the record's limit", rec.Source.Files, msgs)
	}
	if len(rec.Sections) != 0 {
		t.Errorf("%d sections: want none", len(rec.Sections))
	}
}

func TestSubmissionItemsLimit(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "samples", "a-sprangbradan.docx"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := InProcess{}.Extract(context.Background(), "a.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	_, items := doc.Size()
	s := NewSubmission(SubmissionLimits{MaxItems: items + 1})
	first := s.Read(context.Background(), File{Name: "a.docx", Data: data}, InProcess{})
	second := s.Read(context.Background(), File{Name: "kopia.docx", Data: data}, InProcess{})
	if first.Doc == nil || second.Doc != nil || !strings.Contains(fmt.Sprint(second.Err), "limit SubmissionLimits.MaxItems") || second.Name != "kopia.docx" {
		t.Errorf("first %v, second %v (%s): want the first merged, the second refused at MaxItems", first.Err, second.Err, second.Name)
	}
}
