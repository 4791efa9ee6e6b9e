package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

func TestEscapeTerminal(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Ansökan.docx: too large\n", "Ansökan.docx: too large\n"},
		{"a\tb\n", "a\tb\n"},
		{"x\x1b]0;owned\x07.docx", `x\x1b]0;owned\x07.docx`},
		{"\x1b[2J\rny rad", `\x1b[2J\rny rad`},
		{"Ans\xf6kan.docx", `Ans\xf6kan.docx`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"del\x7f", `del\x7f`},
	} {
		var b bytes.Buffer
		n, err := newTerminalWriter(&b).Write([]byte(c.in))
		if err != nil || n != len(c.in) || b.String() != c.want {
			t.Errorf("Write(%q) = %d, %v, wrote %q; want %q", c.in, n, err, b.String(), c.want)
		}
	}
}

// A file name holding an escape sequence, or bytes that are not UTF-8,
// reaches the terminal escaped; the record keeps the name's bytes.
func TestNamesOnTheTerminal(t *testing.T) {
	dir := t.TempDir()
	hostile := filepath.Join(dir, "ans\x1b]0;owned\x07\x1b[2J.docx")
	latin1 := filepath.Join(dir, "Ans\xf6kan.docx")
	for _, p := range []string{hostile, latin1} {
		if err := os.WriteFile(p, []byte("not a docx"), 0o644); err != nil {
			t.Skipf("the file system takes no such name: %v", err)
		}
	}
	code, stdout, stderr := runCmd(t, "extract", "--in-process", "--submission", hostile, latin1)
	if code != exitUnreadable {
		t.Fatalf("exit %d, want %d (unreadable files); stderr:\n%s", code, exitUnreadable, stderr)
	}
	if strings.ContainsAny(stderr, "\x1b\x07") || !strings.Contains(stderr, `ans\x1b]0;owned\x07\x1b[2J.docx`) {
		t.Errorf("stderr shows the hostile name raw or not at all:\n%q", stderr)
	}
	if !strings.Contains(stderr, `Ans\xf6kan.docx`) {
		t.Errorf("stderr does not show the Latin-1 byte:\n%q", stderr)
	}
	var rec schema.Record
	if err := json.Unmarshal([]byte(stdout), &rec); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if len(rec.Source.Files) != 2 {
		t.Fatalf("%d files in the record", len(rec.Source.Files))
	}
	f := rec.Source.Files[1]
	if f.Name != "Ans\uFFFDkan.docx" || f.PathEncoded == "" {
		t.Fatalf("record file %+v: want the name with U+FFFD and path_encoded", f)
	}
	if p, err := normalizer.DecodePath(f.PathEncoded); err != nil || p != latin1 {
		t.Errorf("path_encoded %q decodes to %q, %v; want %q", f.PathEncoded, p, err, latin1)
	}
	if rec.Source.Files[0].PathEncoded != "" {
		t.Errorf("a UTF-8 name got path_encoded %q", rec.Source.Files[0].PathEncoded)
	}
}

// A submission over its limits is refused before anything is read or
// sent, in Swedish first.
func TestSubmitRefusesTooManyFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bilaga.docx")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"submit", "--nats", "nats://127.0.0.1:1", "--submission", "X"}
	for range 51 {
		args = append(args, p)
	}
	code, _, stderr := runCmd(t, args...)
	if code != exitFailed || !strings.Contains(stderr, "inskickningen är för stor") || !strings.Contains(stderr, "limit SubmissionLimits.MaxFiles") {
		t.Errorf("exit %d, stderr %q: want the submission refused at its file limit", code, stderr)
	}
}

func TestSubmitErrorStoreFull(t *testing.T) {
	err := fmt.Errorf("submit a.pdf: store in ANSOKAN_FILES: %w", queue.ErrStoreFull)
	if got := submitError(err); !strings.HasPrefix(got, "lagringen är full") || !strings.Contains(got, "store is full") || !strings.Contains(got, "a.pdf") {
		t.Errorf("%q: want the Swedish reason first, then the error naming the file", got)
	}
}
