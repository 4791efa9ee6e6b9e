package queue

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/schema"
)

// After a reprocess every application has two records, told apart by
// job and produced_at; ListLatest gives each once, the newer: a
// submission by its id, a lone file by its content.
func TestListLatestAfterReprocess(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	startWorker(t, e.wjs, WorkerConfig{})
	ctx := ctxGuard(t)
	sub, err := e.client.Submit(ctx, []normalizer.File{sampleFile(t, "a-sprangbradan.docx"), sampleFile(t, "a-sprangbradan-budget.xlsx")}, "A-2024-1")
	if err != nil {
		t.Fatal(err)
	}
	lone := submit(t, e.client, sampleFile(t, "b-nasta-steg.docx"))
	for _, r := range []Receipt{sub, lone} {
		if _, _, err := e.client.Wait(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	q, _, err := e.client.Reprocess(ctx, "0")
	if err != nil || len(q) != 2 {
		t.Fatalf("reprocess: %d queued, %v", len(q), err)
	}
	for _, r := range q {
		if _, _, err := e.client.Wait(ctx, r); err != nil {
			t.Fatal(err)
		}
	}

	all := listAll(t, e.js, StreamRecords)
	if len(all) != 4 {
		t.Fatalf("%d records, want 4", len(all))
	}
	jobs := map[string]bool{}
	for _, m := range all {
		var rec schema.Record
		if err := json.Unmarshal(m.Data, &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Job == nil || jobs[*rec.Job] || rec.ProducedAt == "" {
			t.Errorf("record of %s: job %v, produced_at %q: want a job of its own and a time", rec.Source.Files[0].Name, rec.Job, rec.ProducedAt)
		} else {
			jobs[*rec.Job] = true
		}
	}

	var latest []schema.Record
	var seqs []uint64
	err = ListLatest(ctx, e.js, StreamRecords, func(m jetstream.Msg) error {
		var rec schema.Record
		if err := json.Unmarshal(m.Data(), &rec); err != nil {
			return err
		}
		md, _ := m.Metadata()
		latest = append(latest, rec)
		seqs = append(seqs, md.Sequence.Stream)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(latest) != 2 {
		t.Fatalf("ListLatest gave %d records, want 2", len(latest))
	}
	for i, rec := range latest {
		if rec.Job == nil || !strings.Contains(*rec.Job, "/reprocess/") || seqs[i] <= 2 {
			t.Errorf("latest record %d (seq %d): job %v, want the reprocessed one", i, seqs[i], rec.Job)
		}
	}
	for _, rec := range latest {
		switch len(rec.Source.Files) {
		case 2:
			if s := rec.SubmissionID; s == nil || *s != "A-2024-1" {
				t.Errorf("submission record: submission_id %v", s)
			}
		case 1:
			if rec.SubmissionID != nil {
				t.Errorf("lone file: submission_id %v, want null", *rec.SubmissionID)
			}
		}
	}
}

// SubmissionKey: the submission id, else the files' content in any order.
func TestSubmissionKey(t *testing.T) {
	k := func(s string) string {
		key, err := SubmissionKey([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return key
	}
	if k(`{"submission_id":"S","source":{"files":[{"sha256":"a"}]}}`) != k(`{"submission_id":"S","source":{"files":[{"sha256":"b"}]}}`) {
		t.Error("one submission id, two keys")
	}
	if k(`{"submission_id":null,"source":{"files":[{"sha256":"a"},{"sha256":"b"}]}}`) != k(`{"source":{"files":[{"sha256":"b"},{"sha256":"a"}]}}`) {
		t.Error("the same files in another order, two keys")
	}
	if k(`{"submission_id":null,"source":{"files":[{"sha256":"a"}]}}`) == k(`{"submission_id":"a","source":{"files":[]}}`) {
		t.Error("a file's hash and a submission id collide")
	}
	if _, err := SubmissionKey([]byte("not json")); err == nil {
		t.Error("no error for a record that is not JSON")
	}
}

// Find names the files of a submission by its id (given, or the queue's
// job id for files submitted together without one) as well as a file by
// its SHA-256.
func TestFindBySubmission(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	ctx := ctxGuard(t)
	if sts, err := e.client.Find(ctx, "A-2024-1"); err != nil || len(sts) != 0 {
		t.Fatalf("empty bucket: %v, %v", sts, err)
	}
	a, b := sampleFile(t, "a-sprangbradan.docx"), sampleFile(t, "a-sprangbradan-budget.xlsx")
	r, err := e.client.Submit(ctx, []normalizer.File{a, b}, "A-2024-1")
	if err != nil {
		t.Fatal(err)
	}
	c, d := sampleFile(t, "seed003-arbetsstegen.docx"), sampleFile(t, "seed003-arbetsstegen-budget.xlsx")
	together, err := e.client.Submit(ctx, []normalizer.File{c, d}, "")
	if err != nil {
		t.Fatal(err)
	}
	submit(t, e.client, sampleFile(t, "b-nasta-steg.docx"))

	names := func(sts []*Status) string {
		var n []string
		for _, st := range sts {
			n = append(n, st.Name)
		}
		return strings.Join(n, ", ")
	}
	if sts, err := e.client.Find(ctx, "A-2024-1"); err != nil || names(sts) != "a-sprangbradan-budget.xlsx, a-sprangbradan.docx" {
		t.Errorf("by submission id: %s, %v", names(sts), err)
	}
	if sts, err := e.client.Find(ctx, together.Job.ID); err != nil || names(sts) != "seed003-arbetsstegen-budget.xlsx, seed003-arbetsstegen.docx" {
		t.Errorf("by the job id of files submitted together: %s, %v", names(sts), err)
	}
	if sts, err := e.client.Find(ctx, r.Job.Files[0].SHA256); err != nil || names(sts) != r.Job.Files[0].Name {
		t.Errorf("by SHA-256: %s, %v", names(sts), err)
	}
	if sts, err := e.client.Find(ctx, "A-2024-2"); err != nil || len(sts) != 0 {
		t.Errorf("unknown submission: %s, %v", names(sts), err)
	}
}

// alwaysFailing fails every read as the reader's fault: the job is
// retried, then dead-lettered.
type alwaysFailing struct{}

func (alwaysFailing) Extract(context.Context, string, []byte) (*extractor.Document, error) {
	return nil, errKilled
}

// WaitProgress reports each state of a job that is retried and then
// dead-lettered, as it happens and in order.
func TestWaitProgressRetriedThenDead(t *testing.T) {
	s := testSettings()
	e := newEnv(t, s, 0)
	ctx := ctxGuard(t)
	r := submit(t, e.client, sampleFile(t, "a-sprangbradan.docx"))
	startWorker(t, e.wjs, WorkerConfig{Reader: alwaysFailing{}, IsRetryable: func(err error) bool { return errors.Is(err, errKilled) }})

	var mu sync.Mutex
	var steps []string
	_, st, err := e.client.WaitProgress(ctx, r, func(st *Status) {
		mu.Lock()
		defer mu.Unlock()
		steps = append(steps, st.Step())
	})
	if err == nil || st == nil || st.State != StateFailed {
		t.Fatalf("wait: status %+v, err %v; want failed", st, err)
	}
	got := strings.Join(steps, "\n")
	want := []*regexp.Regexp{
		regexp.MustCompile(`^received$`),
		regexp.MustCompile(`^retry 2/3 at \d\d:\d\d:\d\d: .*` + errKilled.Error()),
		regexp.MustCompile(`^retry 3/3 at \d\d:\d\d:\d\d: .*` + errKilled.Error()),
		regexp.MustCompile(`^failed: .*` + errKilled.Error()),
	}
	i := 0
	for _, step := range steps {
		if i < len(want) && want[i].MatchString(step) {
			i++
		}
	}
	if i != len(want) || steps[0] != "received" || !strings.HasPrefix(steps[len(steps)-1], "failed: ") {
		t.Errorf("steps:\n%s\nwant in order: %v", got, want)
	}
	for j := 1; j < len(steps); j++ {
		if steps[j] == steps[j-1] {
			t.Errorf("step %q reported twice in a row", steps[j])
		}
	}
	t.Logf("steps:\n%s", got)
}
