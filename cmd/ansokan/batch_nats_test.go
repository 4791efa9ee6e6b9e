package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/queue"
)

// TestBatchViaNATS: batch --via-nats against an embedded server with a
// worker writes the records a local batch writes, and says where it
// sends them; the connection flags need --via-nats; a server that is not
// there is a failure before anything is read.
func TestBatchViaNATS(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	for _, name := range []string{"a-sprangbradan.docx", "a-sprangbradan.pdf", "a-sprangbradan-budget.xlsx", "b-nasta-steg.docx", "seed003-arbetsstegen.docx"} {
		b, err := os.ReadFile(filepath.Join("../../samples", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(in, name), b, 0o644)
	}

	n := startNATS(t, queue.Settings{})
	url := n.url
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	w, err := queue.NewWorker(ctx, n.js(t, queue.RoleWorker), queue.WorkerConfig{Concurrency: 2, FetchWait: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	wctx, stopWorker := context.WithCancel(ctx)
	worked := make(chan error, 1)
	go func() { worked <- w.Run(wctx) }()
	defer func() {
		stopWorker()
		if err := <-worked; err != nil {
			t.Errorf("worker: %v", err)
		}
	}()

	local, remote := filepath.Join(dir, "local.jsonl"), filepath.Join(dir, "nats.jsonl")
	if code, _, stderr := runCmd(t, "batch", "--out", local, "--jobs", "2", in); code != exitOK {
		t.Fatalf("local: exit %d:\n%s", code, stderr)
	}
	code, _, stderr := runCmd(t, "batch", "--via-nats", url, "--out", remote, "--xlsx", filepath.Join(dir, "nats.xlsx"), "--jobs", "2", in)
	if code != exitOK {
		t.Fatalf("--via-nats: exit %d:\n%s", code, stderr)
	}
	for _, want := range []string{"records are made by the workers", "5 files in 3 submissions", "records written 3"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("--via-nats: stderr lacks %q:\n%s", want, stderr)
		}
	}
	if l, r := sortedLines(t, local), sortedLines(t, remote); !slices.Equal(l, r) {
		t.Errorf("records differ:\nlocal:\n%s\nvia NATS:\n%s", strings.Join(l, "\n"), strings.Join(r, "\n"))
	}

	code, _, stderr = runCmd(t, "batch", "--out", filepath.Join(dir, "x.jsonl"), "--creds", "x.creds", in)
	if code != exitUsage || !strings.Contains(stderr, "need --via-nats") {
		t.Errorf("--creds without --via-nats: exit %d:\n%s", code, stderr)
	}
	code, _, stderr = runCmd(t, "batch", "--via-nats", "nats://127.0.0.1:1", "--out", filepath.Join(dir, "y.jsonl"), in)
	if code != exitFailed || !strings.Contains(stderr, "nats://127.0.0.1:1") {
		t.Errorf("--via-nats to no server: exit %d:\n%s", code, stderr)
	}
}

func sortedLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for i, l := range lines {
		// When and by which queue job a record was made differ between
		// runs by design; the rest must not.
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if _, ok := m["produced_at"].(string); !ok {
			t.Errorf("%s: a record without produced_at", path)
		}
		delete(m, "produced_at")
		delete(m, "job")
		out, _ := json.Marshal(m)
		lines[i] = string(out)
	}
	slices.Sort(lines)
	return lines
}
