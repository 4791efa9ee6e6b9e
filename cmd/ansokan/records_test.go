package main

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

// failingReader fails every read as the reader's fault (retry, then
// dead letter).
type failingReader struct{}

func (failingReader) Extract(_ context.Context, name string, _ []byte) (*extractor.Document, error) {
	return nil, fmt.Errorf("extract %s: %w", name, queue.ErrRetryable)
}

// The commands that tell an officer where things stand, against an
// embedded server with fast retries: dead with none says so; records
// --latest keeps the newest record per submission after a reprocess;
// status takes a submission id; submit --wait reports each state of a
// job that is retried and dead-lettered, as it happens.
func TestRecordsStatusAndProgress(t *testing.T) {
	settings := queue.Settings{MaxDeliver: 3, BackOff: []time.Duration{500 * time.Millisecond}, Duplicates: time.Minute}
	n := startNATS(t, settings)
	url := n.url
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	client, err := queue.Open(ctx, n.js(t, queue.RoleClient))
	if err != nil {
		t.Fatal(err)
	}
	wjs := n.js(t, queue.RoleWorker)
	startWorker := func(r normalizer.Reader) (stop func()) {
		w, err := queue.NewWorker(ctx, wjs, queue.WorkerConfig{Reader: r, FetchWait: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		wctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- w.Run(wctx) }()
		return func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("worker: %v", err)
			}
		}
	}
	q := func(args ...string) (int, string, string) {
		t.Helper()
		return runCmd(t, append([]string{args[0], "--nats", url}, args[1:]...)...)
	}

	code, stdout, stderr := q("dead")
	if code != exitOK || stdout != "" || !strings.Contains(stderr, "no dead letters") {
		t.Errorf("dead with none: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	stop := startWorker(nil)
	docx, xlsx := "../../samples/a-sprangbradan.docx", "../../samples/a-sprangbradan-budget.xlsx"
	code, _, stderr = q("submit", "--wait", "--submission", "A-2024-1", docx, xlsx)
	if code != exitOK || !strings.HasPrefix(stderr, "ansokan: a-sprangbradan.docx: received\n") || !strings.HasSuffix(stderr, "ansokan: a-sprangbradan.docx: done\n") {
		t.Fatalf("submit --wait: exit %d, stderr:\n%s", code, stderr)
	}
	code, stdout, stderr = q("reprocess", "--since", "0")
	if code != exitOK {
		t.Fatalf("reprocess: exit %d\n%s", code, stderr)
	}
	var r queue.Receipt
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("reprocess printed %q: %v", stdout, err)
	}
	if _, _, err := client.Wait(ctx, r); err != nil {
		t.Fatal(err)
	}
	stop()

	code, stdout, _ = q("records")
	if n := strings.Count(stdout, "\n"); code != exitOK || n != 2 {
		t.Errorf("records: exit %d, %d records, want 2 (submit, reprocess)", code, n)
	}
	code, stdout, stderr = q("records", "--latest")
	var rec schema.Record
	if code != exitOK || strings.Count(stdout, "\n") != 1 || json.Unmarshal([]byte(stdout), &rec) != nil {
		t.Fatalf("records --latest: exit %d, want one record:\n%s%s", code, stdout, stderr)
	}
	if rec.Job == nil || *rec.Job != r.Job.ID+"/reprocess/"+r.Job.Reprocess || rec.SubmissionID == nil || *rec.SubmissionID != "A-2024-1" {
		t.Errorf("records --latest: job %v, submission %v; want the reprocessed job %s of A-2024-1", rec.Job, rec.SubmissionID, r.Job.ID)
	}
	if code, _, _ := q("records", "--latest", "--follow"); code != exitUsage {
		t.Errorf("records --latest --follow: exit %d, want %d", code, exitUsage)
	}

	code, stdout, stderr = q("status", "A-2024-1")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != exitOK || len(lines) != 2 {
		t.Fatalf("status A-2024-1: exit %d, want a status per file:\n%s%s", code, stdout, stderr)
	}
	for _, l := range lines {
		var st queue.Status
		if err := json.Unmarshal([]byte(l), &st); err != nil || st.State != queue.StateDone || st.Job.Submission != "A-2024-1" {
			t.Errorf("status A-2024-1: %s (%v)", l, err)
		}
	}
	if code, _, stderr := q("status", "A-2024-2"); code != exitFailed || !strings.Contains(stderr, "never submitted") {
		t.Errorf("status of an unknown submission: exit %d %s", code, stderr)
	}

	// A job whose reads always fail: retried twice, then dead-lettered.
	defer startWorker(failingReader{})()
	code, stdout, stderr = q("submit", "--wait", "../../samples/b-nasta-steg.docx")
	if code != exitFailed || stdout != "" {
		t.Errorf("submit --wait of a job that fails: exit %d, stdout %q", code, stdout)
	}
	want := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^ansokan: b-nasta-steg.docx: received$`),
		regexp.MustCompile(`(?m)^ansokan: b-nasta-steg.docx: retry 2/3 at \d\d:\d\d:\d\d: .*retryable reader failure$`),
		regexp.MustCompile(`(?m)^ansokan: b-nasta-steg.docx: retry 3/3 at \d\d:\d\d:\d\d: .*retryable reader failure$`),
		regexp.MustCompile(`(?m)^ansokan: b-nasta-steg.docx: failed: .*retryable reader failure$`),
	}
	rest := stderr
	for _, re := range want {
		loc := re.FindStringIndex(rest)
		if loc == nil {
			t.Fatalf("submit --wait: stderr lacks %v after what came before:\n%s", re, stderr)
		}
		rest = rest[loc[1]:]
	}
	code, stdout, stderr = q("dead")
	if code != exitOK || strings.Count(stdout, "\n") != 1 || stderr != "" {
		t.Errorf("dead: exit %d, stdout %q, stderr %q; want the one dead letter", code, stdout, stderr)
	}
}
