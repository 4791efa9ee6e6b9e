package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBatchCommand: the command's wiring: flags, the output, the
// register, the summary on stderr, and the exit statuses.
func TestBatchCommand(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	for _, name := range []string{"a-sprangbradan.docx", "a-sprangbradan.pdf", "a-sprangbradan-budget.xlsx", "b-nasta-steg.docx"} {
		b, err := os.ReadFile(filepath.Join("../../samples", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(in, name), b, 0o644)
	}
	out := filepath.Join(dir, "r.jsonl")
	reg := filepath.Join(dir, "r.xlsx")
	code, stdout, stderr := runCmd(t, "batch", "--out", out, "--xlsx", reg, "--jobs", "2", in)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout: %q", stdout)
	}
	for _, want := range []string{"4 files in 2 submissions", "records written 2", "findings"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("summary lacks %q:\n%s", want, stderr)
		}
	}
	b, _ := os.ReadFile(out)
	if n := strings.Count(string(b), "\n"); n != 2 {
		t.Errorf("%d records, want 2", n)
	}
	if _, err := os.Stat(reg); err != nil {
		t.Errorf("register: %v", err)
	}
	// Again without --resume: refused; with it: nothing new.
	if code, _, stderr := runCmd(t, "batch", "--out", out, in); code != exitUsage || !strings.Contains(stderr, "resume") {
		t.Errorf("existing output without --resume: exit %d:\n%s", code, stderr)
	}
	if code, _, stderr := runCmd(t, "batch", "--out", out, "--resume", in); code != exitOK || !strings.Contains(stderr, "already in the output 2") {
		t.Errorf("--resume: exit %d:\n%s", code, stderr)
	}
	// Usage errors name the problem on one line (see TestUsageErrors).
	for _, args := range [][]string{{"batch", in}, {"batch", "--out", out}, {"batch", "--out", out, "--group", "x", in}, {"batch", "--out", out, "--jobs", "0", in}} {
		code, _, stderr := runCmd(t, args...)
		if code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
		if strings.Count(stderr, "\n") != 2 || !strings.Contains(stderr, "run 'ansokan batch --help'") {
			t.Errorf("%q: usage:\n%s", args, stderr)
		}
	}
}
