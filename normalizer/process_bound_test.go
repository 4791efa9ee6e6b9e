package normalizer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/schema"
)

// blockedRead is a read that does not end until release is closed, and
// closes returned when it has; the tests release it before they end, so
// no goroutine is left behind.
func blockedRead(release <-chan struct{}, returned chan<- struct{}) func(extractor.Limits) (*extractor.Document, error) {
	return func(extractor.Limits) (*extractor.Document, error) {
		defer close(returned)
		<-release
		return &extractor.Document{}, nil
	}
}

func TestReadBoundedTimeout(t *testing.T) {
	release, returned := make(chan struct{}), make(chan struct{})
	start := time.Now()
	doc, err := readBounded(context.Background(), "slow.pdf", extractor.Limits{}, 20*time.Millisecond, blockedRead(release, returned))
	elapsed := time.Since(start)
	close(release)
	<-returned
	if doc != nil || !errors.Is(err, extractor.ErrLimit) {
		t.Fatalf("doc %v, error %v: want an error wrapping ErrLimit", doc, err)
	}
	var e *extractor.Error
	if !errors.As(err, &e) || e.File != "slow.pdf" || !strings.Contains(err.Error(), "limit Timeout") || !strings.Contains(err.Error(), "20ms") {
		t.Errorf("error %q: want it to name the file, the limit and its value", err)
	}
	if elapsed < 20*time.Millisecond {
		t.Errorf("returned after %v, before the timeout", elapsed)
	}
}

func TestReadBoundedContext(t *testing.T) {
	release, returned := make(chan struct{}), make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	doc, err := readBounded(ctx, "x.pdf", extractor.Limits{}, time.Hour, blockedRead(release, returned))
	close(release)
	<-returned
	if doc != nil || !errors.Is(err, context.Canceled) || errors.Is(err, extractor.ErrLimit) {
		t.Errorf("doc %v, error %v: want context.Canceled", doc, err)
	}
}

func TestReadBoundedReturnsResult(t *testing.T) {
	want := errors.New("broken")
	doc, err := readBounded(context.Background(), "x.pdf", extractor.Limits{}, time.Hour, func(extractor.Limits) (*extractor.Document, error) { return nil, want })
	if doc != nil || err != want {
		t.Errorf("doc %v, error %v: want the read's own error", doc, err)
	}
}

// A panic in the read reaches the caller's goroutine, where the queue
// worker recovers it, as when the read ran there.
func TestReadBoundedPanic(t *testing.T) {
	defer func() {
		if x := recover(); fmt.Sprint(x) != "parser bug" {
			t.Errorf("recovered %v, want the read's panic", x)
		}
	}()
	readBounded(context.Background(), "x.pdf", extractor.Limits{}, time.Hour, func(extractor.Limits) (*extractor.Document, error) { panic("parser bug") })
	t.Error("readBounded returned")
}

// hangPDF is the fuzzer's crasher: a one-page PDF whose content stream
// is a lone "<". The PDF library looped on it for ever before
// third_party/ledongthuc-pdf was patched.
func hangPDF() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
		"<< /Length 1 >>\nstream\n<\nendstream",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

// The crasher read in process gives, within a second, a record whose
// finding says the file could not be read.
func TestInProcessCrasherRecord(t *testing.T) {
	done := make(chan *schema.Record, 1)
	go func() {
		done <- Process(context.Background(), []File{{Name: "hang.pdf", Data: hangPDF()}}, InProcess{}, nil)
	}()
	var rec *schema.Record
	select {
	case rec = <-done:
	case <-time.After(time.Second):
		t.Fatal("reading the crasher in process did not end within a second")
	}
	f := withCode(rec.Findings, schema.CodeDocumentUnreadable)
	if len(f) != 1 || !strings.Contains(f[0].Message, "hang.pdf") || !strings.Contains(f[0].Message, "trasig") {
		t.Errorf("findings: %s", js(rec.Findings))
	}
}

// InProcess passes its Limits to the extractor.
func TestInProcessLimits(t *testing.T) {
	data := hangPDF()
	_, err := InProcess{Limits: extractor.Limits{MaxFileBytes: 100}}.Extract(context.Background(), "big.pdf", data)
	if !errors.Is(err, extractor.ErrLimit) || !strings.Contains(err.Error(), "MaxFileBytes") {
		t.Errorf("error %v: want MaxFileBytes", err)
	}
}
