package privacy

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
)

type stringer struct{ s string }

func (s stringer) String() string { return s.s }

func TestHandler(t *testing.T) {
	for _, h := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var buf bytes.Buffer
		log := slog.New(NewHandler(h(&buf)))
		if Logger(log) != log || NewHandler(log.Handler()) != log.Handler() {
			t.Error("wrapping twice wraps again")
		}
		log = log.With("bound", "fil 121212-1212.docx").WithGroup("g 850312-1231")
		log.Info("read 19121212-1212.pdf",
			"file", "/in/121212-1212/a.docx",
			"err", fmt.Errorf("open %s: %w", "x 850312-1231.pdf", errors.New("denied")),
			"who", stringer{"Lisa 850312-1231"},
			"files", []string{"a.docx", "b 121212-1212.xlsx"},
			"n", int64(191212121212),
			slog.Group("sub", "name", "121212+1212"),
			"count", 3, "ok", "plain")
		out := buf.String()
		for _, leak := range []string{"121212-1212", "850312-1231", "191212121212", "121212+1212"} {
			if strings.Contains(out, leak) {
				t.Errorf("%s left in the log line: %s", leak, out)
			}
		}
		for _, kept := range []string{"count", "3", "plain", "denied", "a.docx", "XXXXXX-XXXX"} {
			if !strings.Contains(out, kept) {
				t.Errorf("%q missing from the log line: %s", kept, out)
			}
		}
	}
}

func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if NewWriter(w) != w {
		t.Error("wrapping twice wraps again")
	}
	n, err := fmt.Fprintf(w, "ansokan: %s: unreadable\n", "in/121212-1212.docx")
	if err != nil || n != len("ansokan: in/121212-1212.docx: unreadable\n") {
		t.Errorf("n, err = %d, %v", n, err)
	}
	if got := buf.String(); got != "ansokan: in/XXXXXX-XXXX.docx: unreadable\n" {
		t.Errorf("wrote %q", got)
	}
	if fd := w.(*Writer).Fd(); fd != ^uintptr(0) {
		t.Errorf("Fd of a buffer = %d", fd)
	}
	if fd := NewWriter(os.Stderr).(*Writer).Fd(); fd != os.Stderr.Fd() {
		t.Errorf("Fd of stderr = %d", fd)
	}
}
