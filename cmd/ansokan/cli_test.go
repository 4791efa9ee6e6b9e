package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

// The command line as people type it: these tests hold the parser to
// what gh, nats and restic do.

const sampleDocx = "../../samples/a-sprangbradan.docx"

// subcommands are every command a user runs.
var subcommands = []string{"extract", "batch", "serve", "worker", "submit", "records", "alerts", "dead", "status", "reprocess", "user", "version", "completion", "help"}

// records parses JSON Lines output into records.
func records(t *testing.T, out string) []schema.Record {
	t.Helper()
	var recs []schema.Record
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var r schema.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("not a record: %v: %.200s", err, line)
		}
		recs = append(recs, r)
	}
	return recs
}

// natsServer starts a real embedded server on loopback with the streams
// set up, and returns its URL.
func natsServer(t *testing.T) string {
	t.Helper()
	return startNATS(t, queue.Settings{}).url
}

// closedURL is a loopback NATS URL nobody listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "nats://" + addr
}

func TestFlagsAfterArguments(t *testing.T) {
	t.Run("extract", func(t *testing.T) {
		code, stdout, stderr := runCmd(t, "extract", sampleDocx, "--pretty", "--in-process")
		if code != exitOK {
			t.Fatalf("exit %d:\n%s", code, stderr)
		}
		if !strings.HasPrefix(stdout, "{\n  \"") {
			t.Errorf("--pretty after the file was not taken as a flag:\n%.200s", stdout)
		}
		var rec schema.Record
		if err := json.Unmarshal([]byte(stdout), &rec); err != nil {
			t.Fatalf("want one record: %v", err)
		}
		if strings.Contains(stderr, "--pretty") {
			t.Errorf("stderr: %s", stderr)
		}
	})
	t.Run("batch", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "r.jsonl")
		code, _, stderr := runCmd(t, "batch", sampleDocx, "--out", out, "--in-process", "--jobs", "1")
		if code != exitOK {
			t.Fatalf("exit %d:\n%s", code, stderr)
		}
		b, _ := os.ReadFile(out)
		if n := len(records(t, string(b))); n != 1 {
			t.Errorf("%d records, want 1", n)
		}
	})
	t.Run("queue", func(t *testing.T) {
		url := natsServer(t)
		t.Setenv(envNATSURL, closedURL(t)) // only --nats reaches the server
		t.Setenv(envNATSURLCommon, "")
		code, stdout, stderr := runCmd(t, "submit", sampleDocx, "--nats", url)
		if code != exitOK {
			t.Fatalf("submit: exit %d:\n%s", code, stderr)
		}
		var receipt queue.Receipt
		if err := json.Unmarshal([]byte(stdout), &receipt); err != nil || receipt.Job.ID == "" {
			t.Fatalf("submit: not a receipt (%v): %s", err, stdout)
		}
		code, stdout, stderr = runCmd(t, "status", sampleDocx, "--nats", url)
		if code != exitOK || !strings.Contains(stdout, receipt.Job.ID) {
			t.Errorf("status: exit %d: %s\n%s", code, stdout, stderr)
		}
		// records takes no argument: its flags still parse wherever
		// they stand, and an argument is refused.
		if code, _, stderr := runCmd(t, "records", "--nats", url); code != exitOK {
			t.Errorf("records: exit %d:\n%s", code, stderr)
		}
		code, _, stderr = runCmd(t, "records", "extra", "--nats", url)
		if code != exitUsage || !strings.HasPrefix(stderr, `ansokan records: unexpected argument "extra"`) {
			t.Errorf("records with an argument: exit %d:\n%s", code, stderr)
		}
	})
	t.Run("serve and worker", func(t *testing.T) {
		for _, cmd := range []string{"serve", "worker"} {
			code, _, stderr := runCmd(t, cmd, "extra", "--workers", "-1")
			if code != exitUsage || !strings.HasPrefix(stderr, "ansokan "+cmd+": ") {
				t.Errorf("%s: exit %d:\n%s", cmd, code, stderr)
			}
			// The flag after the argument was read: it is the one named.
			code, _, stderr = runCmd(t, cmd, "--in-process", "--workers", "-1")
			if code != exitUsage || !strings.Contains(stderr, "--workers must be") {
				t.Errorf("%s --workers -1: exit %d:\n%s", cmd, code, stderr)
			}
		}
	})
}

func TestDoubleDashEndsFlags(t *testing.T) {
	dir := t.TempDir()
	odd := filepath.Join(dir, "--pretty")
	b, err := os.ReadFile(sampleDocx)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(odd, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, stdout, stderr := runCmd(t, "extract", "--in-process", "--", "--pretty")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	recs := records(t, stdout)
	if len(recs) != 1 || recs[0].Source.Files[0].Name != "--pretty" {
		t.Fatalf("want the record of the file --pretty, got %d records:\n%.300s", len(recs), stdout)
	}
	if strings.HasPrefix(stdout, "{\n") {
		t.Error("--pretty after -- was taken as a flag")
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r.jsonl")
	for _, tc := range []struct {
		args  []string
		first string // the first line
		cmd   string // the command named in the hint
	}{
		{[]string{"batch", "samples"}, "ansokan batch: --out is required", "ansokan batch"},
		{[]string{"batch", "samples", "--out", out, "--jobs", "0"}, "ansokan batch: --jobs must be at least 1", "ansokan batch"},
		{[]string{"batch", "--out", out}, "ansokan batch: no folders, archives or files given", "ansokan batch"},
		{[]string{"batch", "--out", out, "--group", "x", "samples"}, `ansokan batch: --group: unknown grouping "x" (stem, folder or file)`, "ansokan batch"},
		{[]string{"batch", "samples", "--out"}, "ansokan batch: flag needs an argument: --out", "ansokan batch"},
		{[]string{"submit"}, "ansokan submit: no files given", "ansokan submit"},
		{[]string{"extract"}, "ansokan extract: no files given", "ansokan extract"},
		{[]string{"extract", "-", "-"}, "ansokan extract: standard input (-) given 2 times", "ansokan extract"},
		{[]string{"extract", "--bogus", "x.pdf"}, "ansokan extract: unknown flag: --bogus", "ansokan extract"},
		{[]string{"extract", "-pretty", "x.pdf"}, "ansokan extract: -pretty: flags take two dashes: --pretty", "ansokan extract"},
		{[]string{"extract", "--doc-memory", "1", "x.pdf"}, "ansokan extract: --doc-memory must be at least 16 (MB)", "ansokan extract"},
		{[]string{"extract", "--profile", "/nonexistent.json", "x.pdf"}, "", "ansokan extract"},
		{[]string{"serve", "--workers", "-1"}, "ansokan serve: --workers must be 0 or more", "ansokan serve"},
		{[]string{"serve", "--listen", "nonsense"}, `ansokan serve: --listen "nonsense": want HOST:PORT`, "ansokan serve"},
		{[]string{"worker", "--workers", "0"}, "ansokan worker: --workers must be at least 1", "ansokan worker"},
		{[]string{"worker", "--replicas", "0"}, "ansokan worker: --replicas must be from 1 to 5", "ansokan worker"},
		{[]string{"status"}, "ansokan status: want one FILE, SHA256 or submission id, got 0 arguments", "ansokan status"},
		{[]string{"dead", "x"}, `ansokan dead: unexpected argument "x" (this command takes only flags)`, "ansokan dead"},
		{[]string{"nonsense"}, `ansokan: unknown command "nonsense"`, "ansokan"},
		{[]string{"extrct"}, `ansokan: unknown command "extrct" (did you mean extract?)`, "ansokan"},
		{[]string{"help", "nonsense"}, `ansokan: no help for "nonsense": unknown command`, "ansokan"},
		{[]string{"--bogus"}, "ansokan: unknown flag: --bogus", "ansokan"},
		{[]string{"completion"}, "ansokan completion: name the shell: bash, zsh, fish or powershell", "ansokan completion"},
		{[]string{"completion", "tcsh"}, `ansokan completion: unknown shell "tcsh" (bash, zsh, fish or powershell)`, "ansokan completion"},
	} {
		code, stdout, stderr := runCmd(t, tc.args...)
		lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
		if code != exitUsage || stdout != "" || len(lines) != 2 {
			t.Errorf("%q: exit %d, stdout %q, %d lines on stderr, want exit 2, nothing, 2:\n%s", tc.args, code, stdout, len(lines), stderr)
			continue
		}
		if tc.first != "" && lines[0] != tc.first {
			t.Errorf("%q: first line\n %s\nwant\n %s", tc.args, lines[0], tc.first)
		}
		if !strings.HasPrefix(lines[0], tc.cmd+": ") {
			t.Errorf("%q: the first line does not name %s: %s", tc.args, tc.cmd, lines[0])
		}
		if want := "run '" + tc.cmd + " --help' for usage"; lines[1] != want {
			t.Errorf("%q: last line %q, want %q", tc.args, lines[1], want)
		}
	}
	// Bare ansokan: the help, on stderr, as a usage error.
	code, stdout, stderr := runCmd(t)
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "Usage:") {
		t.Errorf("bare ansokan: exit %d, stdout %q:\n%s", code, stdout, stderr)
	}
}

// singleDashLong is a long flag written with one dash, as Go's flag
// package prints them ("-pretty").
var singleDashLong = regexp.MustCompile(`(^|[\s\[(])-[a-z][a-z-]+`)

func TestHelp(t *testing.T) {
	for _, cmd := range subcommands {
		for _, flag := range []string{"--help", "-h"} {
			code, stdout, stderr := runCmd(t, cmd, flag)
			if code != exitOK || stderr != "" || !strings.Contains(stdout, "Usage:") {
				t.Errorf("%s %s: exit %d, stderr %q, stdout:\n%s", cmd, flag, code, stderr, stdout)
				continue
			}
			if m := singleDashLong.FindString(stdout); m != "" {
				t.Errorf("%s %s: a flag with one dash (%q) in:\n%s", cmd, flag, m, stdout)
			}
			if strings.Contains(stdout, "cpuprofile") {
				t.Errorf("%s: the hidden profiling flag shows", cmd)
			}
		}
		// help CMD shows CMD's help, not the top-level one.
		_, want, _ := runCmd(t, cmd, "--help")
		code, got, stderr := runCmd(t, "help", cmd)
		if code != exitOK || got != want {
			t.Errorf("help %s: exit %d, stderr %q, differs from %s --help:\n%s", cmd, code, stderr, cmd, got)
		}
	}
	// The queue commands show one default for --nats and name both variables.
	for _, cmd := range []string{"submit", "records", "alerts", "dead", "status", "reprocess", "worker"} {
		_, stdout, _ := runCmd(t, cmd, "--help")
		var line string
		for _, l := range strings.Split(stdout, "\n") {
			if strings.Contains(l, "--nats ") {
				line = l
			}
		}
		if strings.Count(line, "default") != 1 || !strings.Contains(line, "$ANSOKAN_NATS_URL, else $NATS_URL") {
			t.Errorf("%s --help: --nats line: %q", cmd, line)
		}
	}
	code, stdout, _ := runCmd(t, "--help")
	if code != exitOK || !strings.Contains(stdout, "extract") || !strings.Contains(stdout, "completion") {
		t.Errorf("--help: exit %d:\n%s", code, stdout)
	}
}

// TestVersion: the producer version, then one line on reading scans.
func TestVersion(t *testing.T) {
	want := "ansokan " + normalizer.Version + "\n"
	for _, args := range [][]string{{"--version"}, {"version"}, {"-v"}} {
		code, stdout, stderr := runCmd(t, args...)
		first, rest, _ := strings.Cut(stdout, "\n")
		if code != exitOK || first+"\n" != want || !strings.HasPrefix(rest, "OCR: ") || !strings.Contains(rest, "; rendering: ") ||
			strings.Count(rest, "\n") != 1 || !strings.HasSuffix(rest, "\n") || stderr != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, stdout, stderr := runCmd(t, "completion", shell)
		if code != exitOK || len(stdout) < 1000 || !strings.Contains(stdout, "ansokan") {
			t.Errorf("completion %s: exit %d, %d bytes, stderr %q", shell, code, len(stdout), stderr)
		}
	}
	// The completions themselves: commands, and the values of --group.
	code, stdout, _ := runCmd(t, "__complete", "ex")
	if code != exitOK || !strings.Contains(stdout, "extract") {
		t.Errorf("completing 'ex': exit %d: %s", code, stdout)
	}
	code, stdout, _ = runCmd(t, "__complete", "batch", "--group", "")
	if code != exitOK || !strings.Contains(stdout, "folder") {
		t.Errorf("completing --group: exit %d: %s", code, stdout)
	}
}

// TestNATSURL: without --nats the queue commands take $ANSOKAN_NATS_URL,
// else $NATS_URL; ANSOKAN_NATS_URL wins.
func TestNATSURL(t *testing.T) {
	url, closed := natsServer(t), closedURL(t)
	for _, tc := range []struct {
		ansokan, common string
		ok              bool
	}{
		{"", url, true},
		{url, closed, true},
		{closed, url, false},
	} {
		t.Setenv(envNATSURL, tc.ansokan)
		t.Setenv(envNATSURLCommon, tc.common)
		code, _, stderr := runCmd(t, "records")
		if tc.ok != (code == exitOK) {
			t.Errorf("%s=%q %s=%q: exit %d:\n%s", envNATSURL, tc.ansokan, envNATSURLCommon, tc.common, code, stderr)
		}
		if !tc.ok && !strings.Contains(stderr, closed) {
			t.Errorf("the error does not name the URL tried (%s):\n%s", closed, stderr)
		}
	}
}

// TestExtractStdin: '-' reads the file from standard input, sniffed by
// its content; the record names it "stdin" or --name.
func TestExtractStdin(t *testing.T) {
	for _, tc := range []struct {
		args []string
		name string
	}{
		{[]string{"extract", "-"}, "stdin"},
		{[]string{"extract", "-", "--name", "ansokan.docx"}, "ansokan.docx"},
	} {
		f, err := os.Open(sampleDocx)
		if err != nil {
			t.Fatal(err)
		}
		saved := os.Stdin
		os.Stdin = f
		code, stdout, stderr := runCmd(t, tc.args...)
		os.Stdin = saved
		f.Close()
		if code != exitOK {
			t.Fatalf("%q: exit %d:\n%s", tc.args, code, stderr)
		}
		recs := records(t, stdout)
		if len(recs) != 1 {
			t.Fatalf("%q: %d records", tc.args, len(recs))
		}
		src := recs[0].Source.Files[0]
		if src.Name != tc.name || src.Format != "docx" {
			t.Errorf("%q: file %q format %q, want %q docx", tc.args, src.Name, src.Format, tc.name)
		}
		// The same record as from the file, but the name.
		_, fromFile, _ := runCmd(t, "extract", sampleDocx)
		fromFile = strings.ReplaceAll(fromFile, `"path":"`+sampleDocx+`"`, `"path":"`+tc.name+`"`)
		fromFile = strings.ReplaceAll(fromFile, `"`+filepath.Base(sampleDocx)+`"`, `"`+tc.name+`"`)
		producedAt := regexp.MustCompile(`"produced_at":"[^"]*"`)
		if a, b := producedAt.ReplaceAllString(fromFile, ""), producedAt.ReplaceAllString(stdout, ""); a != b {
			t.Errorf("%q: the record differs from the file's:\n%s\n%s", tc.args, a, b)
		}
	}
}

// signalWriter collects what is written and closes seen when a line
// containing want has been written.
type signalWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func newSignalWriter(want string) *signalWriter {
	return &signalWriter{want: want, seen: make(chan struct{})}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return n, err
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// startServe runs 'ansokan serve --workers 0' until the test ends or stop
// is called, and returns once it serves.
func startServe(t *testing.T, args ...string) (stop func() int, log *signalWriter) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	log = newSignalWriter("serving until stopped")
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"serve", "--workers", "0"}, args...), &bytes.Buffer{}, log) }()
	select {
	case <-log.seen:
	case code := <-done:
		cancel()
		t.Fatalf("serve ended with %d:\n%s", code, log.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("serve did not listen:\n%s", log.String())
	}
	var once sync.Once
	var code int
	stop = func() int {
		once.Do(func() { cancel(); code = <-done })
		return code
	}
	t.Cleanup(func() { stop() })
	return stop, log
}

// TestServeBusyPort: a port in use is reported at once with its cause.
func TestServeBusyPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"serve", "--listen", l.Addr().String(), "--store", t.TempDir(), "--workers", "0"}, &stdout, &stderr)
	took := time.Since(start)
	if code != exitFailed || !strings.Contains(stderr.String(), "address already in use") {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	if took > 3*time.Second {
		t.Errorf("took %v to fail", took)
	}
	if lines := strings.Count(stderr.String(), "\n"); lines != 1 {
		t.Errorf("want one line, got %d:\n%s", lines, stderr.String())
	}
}

// TestServeStoreLock: two serves on one store are impossible; the second
// names the process of the first; the store is free again when it ends.
func TestServeStoreLock(t *testing.T) {
	store := t.TempDir()
	stop, _ := startServe(t, "--listen", "127.0.0.1:0", "--store", store)
	start := time.Now()
	code, _, stderr := runCmd(t, "serve", "--listen", "127.0.0.1:0", "--store", store, "--workers", "0")
	if code != exitFailed || !strings.Contains(stderr, fmt.Sprintf("in use by process %d", os.Getpid())) {
		t.Fatalf("second serve: exit %d:\n%s", code, stderr)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("took %v to fail", took)
	}
	if strings.Contains(stderr, "nats-server") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("want one line, not the server's log:\n%s", stderr)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("first serve: exit %d", code)
	}
	stop3, _ := startServe(t, "--listen", "127.0.0.1:0", "--store", store)
	if code := stop3(); code != exitOK {
		t.Errorf("third serve: exit %d", code)
	}
}

// TestServeQuietUnlessVerbose: the NATS server's banner only with --verbose.
func TestServeQuietUnlessVerbose(t *testing.T) {
	stop, log := startServe(t, "--listen", "127.0.0.1:0", "--store", t.TempDir())
	if code := stop(); code != exitOK {
		t.Errorf("exit %d", code)
	}
	if s := log.String(); strings.Contains(s, "nats-server") || strings.Count(s, "\n") > 6 {
		t.Errorf("serve without --verbose logs the server:\n%s", s)
	}
	stop, log = startServe(t, "--listen", "127.0.0.1:0", "--store", t.TempDir(), "--verbose")
	stop()
	if s := log.String(); !strings.Contains(s, "component=nats-server") || !strings.Contains(s, "Starting nats-server") {
		t.Errorf("serve --verbose does not log the server:\n%s", s)
	}
}

// TestBatchChecksOutputsFirst: an output that cannot be written stops the
// run before a file is read, with one line and no summary.
func TestBatchChecksOutputsFirst(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r.jsonl")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--out", filepath.Join(dir, "missing", "r.jsonl")}, "ansokan batch: " + filepath.Join(dir, "missing", "r.jsonl") + ": folder " + filepath.Join(dir, "missing") + " does not exist"},
		{[]string{"--out", out, "--xlsx", filepath.Join(dir, "missing", "r.xlsx")}, "ansokan batch: " + filepath.Join(dir, "missing", "r.xlsx") + ": folder " + filepath.Join(dir, "missing") + " does not exist"},
		{[]string{"--out", filepath.Join(sampleDocx, "r.jsonl")}, "is not a folder"},
	} {
		args := append([]string{"batch", "../../samples"}, tc.args...)
		code, stdout, stderr := runCmd(t, args...)
		if code != exitFailed || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, want %d; stderr, want one line with %q:\n%s", tc.args, code, exitFailed, tc.want, stderr)
		}
		if b, err := os.ReadFile(out); err == nil && len(b) > 0 {
			t.Errorf("%q: records were written: %d bytes", tc.args, len(b))
		}
	}
}

// TestBatchExplicitUnsupportedFile: a file named on the command line that
// is not an application gets a record saying why, as in extract; one
// found in a folder is skipped and counted.
func TestBatchExplicitUnsupportedFile(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "anteckningar.txt")
	os.WriteFile(notes, []byte("Ring sökanden på måndag.\n"), 0o644)
	out := filepath.Join(dir, "r.jsonl")
	code, _, stderr := runCmd(t, "batch", notes, "--out", out, "--in-process")
	if code != exitUnreadable {
		t.Errorf("exit %d, want %d:\n%s", code, exitUnreadable, stderr)
	}
	b, _ := os.ReadFile(out)
	recs := records(t, string(b))
	if len(recs) != 1 || len(recs[0].Findings) == 0 {
		t.Fatalf("want one record with a finding, got:\n%s", b)
	}
	f := recs[0].Findings[0]
	if f.Code != schema.CodeDocumentUnreadable || !strings.Contains(f.Message, "plain text") {
		t.Errorf("finding: %s %q", f.Code, f.Message)
	}
	// The same file, found in a folder: skipped.
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	os.Rename(notes, filepath.Join(in, "anteckningar.txt"))
	b, _ = os.ReadFile(sampleDocx)
	os.WriteFile(filepath.Join(in, "ansokan.docx"), b, 0o644)
	out2 := filepath.Join(dir, "r2.jsonl")
	code, _, stderr = runCmd(t, "batch", in, "--out", out2, "--in-process")
	if code != exitOK || !strings.Contains(stderr, "(1 other files skipped)") {
		t.Errorf("folder: exit %d:\n%s", code, stderr)
	}
}
