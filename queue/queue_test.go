package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/schema"
)

// Every sample as its own job: one record per file, equal to what
// normalizer.Process makes of it directly; alerts for exactly the
// incomplete ones.
func TestEndToEnd(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	_, wjs := connect(t, e.url, e.ids[RoleWorker])
	startWorker(t, wjs, WorkerConfig{Concurrency: 2, Now: testClock})

	files := sampleFiles(t)
	want := map[string]*schema.Record{}
	var receipts []Receipt
	for _, f := range files {
		r := submit(t, e.client, f)
		if r.Duplicate {
			t.Errorf("%s: first submit is a duplicate", f.Name)
		}
		receipts = append(receipts, r)
		want[r.Job.ID] = normalizer.Process(context.Background(), []normalizer.File{f}, normalizer.InProcess{}, nil)
	}
	for i, r := range receipts {
		rec, st, err := e.client.Wait(ctxGuard(t), r)
		if err != nil {
			t.Fatalf("%s: %v", files[i].Name, err)
		}
		if st.State != StateDone || st.Record.Version != normalizer.Version {
			t.Errorf("%s: status %+v", files[i].Name, st)
		}
		if want := direct(t, []normalizer.File{files[i]}, r.Job); canon(t, rec) != canon(t, want) {
			t.Errorf("%s: record differs from normalizer's:\n got %s\nwant %s", files[i].Name, rec, want)
		}
	}

	records := listAll(t, e.js, StreamRecords)
	if len(records) != len(files) {
		t.Fatalf("%d records for %d files", len(records), len(files))
	}
	wantAlerts := map[string]bool{}
	for _, m := range records {
		rec := want[m.Job]
		if rec == nil {
			t.Fatalf("record for unknown job %q", m.Job)
		}
		if wantSubject := map[bool]string{true: SubjectComplete, false: SubjectIncomplete}[rec.Complete]; m.Subject != wantSubject {
			t.Errorf("job %s on %s, want %s", m.Job, m.Subject, wantSubject)
		}
		if !rec.Complete {
			wantAlerts[m.Job] = true
		}
	}
	alerts := listAll(t, e.js, StreamAlerts)
	got := map[string]bool{}
	for _, m := range alerts {
		got[m.Job] = true
	}
	if len(alerts) != len(wantAlerts) || fmt.Sprint(got) != fmt.Sprint(wantAlerts) {
		t.Errorf("alerts for %v, want the incomplete ones %v", got, wantAlerts)
	}
	if len(wantAlerts) == 0 || len(wantAlerts) == len(files) {
		t.Logf("note: %d of %d samples incomplete", len(wantAlerts), len(files))
	}
}

// A submission with an id is one job and one record over all its files.
func TestSubmission(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	startWorker(t, e.wjs, WorkerConfig{Now: testClock})
	files := []normalizer.File{sampleFile(t, "a-sprangbradan.docx"), sampleFile(t, "a-sprangbradan-budget.xlsx")}
	r, err := e.client.Submit(ctxGuard(t), files, "A-2024-1")
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := e.client.Wait(ctxGuard(t), r)
	if err != nil {
		t.Fatal(err)
	}
	if canon(t, rec) != canon(t, direct(t, files, r.Job)) {
		t.Errorf("submission record differs from normalizer's")
	}
	var got schema.Record
	if err := json.Unmarshal(rec, &got); err != nil {
		t.Fatal(err)
	}
	if got.SubmissionID == nil || *got.SubmissionID != "A-2024-1" || got.Job == nil || *got.Job != r.Job.ID {
		t.Errorf("submission_id %v, job %v; want A-2024-1 and the job %s", got.SubmissionID, got.Job, r.Job.ID)
	}
	for _, f := range r.Job.Files {
		if st := waitState(t, e.client, f.SHA256, StateDone); st.Job.Submission != "A-2024-1" {
			t.Errorf("%s: status %+v", f.Name, st)
		}
	}
}

// The same file twice, at once and after its record: one record. A job
// message that reaches a worker again after the de-duplication window
// (published here under a new Nats-Msg-Id) is recognised by the status.
func TestSameFileTwice(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	f := sampleFile(t, "b-nasta-steg.docx")
	r1 := submit(t, e.client, f)
	r2 := submit(t, e.client, f) // before any worker: the stream drops it
	if !r2.Duplicate || r2.Job.ID != r1.Job.ID {
		t.Errorf("second submit: %+v", r2)
	}
	startWorker(t, e.wjs, WorkerConfig{})
	if _, _, err := e.client.Wait(ctxGuard(t), r1); err != nil {
		t.Fatal(err)
	}
	r3 := submit(t, e.client, f) // after: the status says done
	if !r3.Duplicate || r3.State != StateDone {
		t.Errorf("third submit: %+v", r3)
	}
	body, _ := json.Marshal(r1.Job)
	if _, err := e.js.Publish(ctxGuard(t), SubjectJobs, body, jetstream.WithMsgID("after-the-window")); err != nil {
		t.Fatal(err)
	}
	waitQueueEmpty(t, e.js)
	if n := len(listAll(t, e.js, StreamRecords)); n != 1 {
		t.Errorf("%d records, want 1", n)
	}
}

// waitQueueEmpty waits until every job is acknowledged.
func waitQueueEmpty(t testing.TB, js jetstream.JetStream) {
	t.Helper()
	deadline := time.Now().Add(guard)
	for {
		s, err := js.Stream(ctxGuard(t), StreamJobs)
		if err == nil && s.CachedInfo().State.Msgs == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs still queued: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// blockingReader blocks in Extract until released, after telling the test
// it has the file.
type blockingReader struct {
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (b *blockingReader) Extract(ctx context.Context, name string, data []byte) (*extractor.Document, error) {
	b.once.Do(func() { close(b.entered) })
	<-b.release
	return normalizer.InProcess{}.Extract(ctx, name, data)
}

// A worker whose connection dies mid-job without an ack: the job comes
// back after its ack wait and another worker makes exactly one record.
func TestKilledWorker(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	ncA, jsA := connect(t, e.url, e.ids[RoleWorker])
	br := &blockingReader{entered: make(chan struct{}), release: make(chan struct{})}
	stopA, exitedA := startWorkerExit(t, jsA, WorkerConfig{Reader: br})

	r := submit(t, e.client, sampleFile(t, "a-sprangbradan.pdf"))
	select {
	case <-br.entered:
	case <-time.After(guard):
		t.Fatal("worker A never got the job")
	}
	ncA.Close() // killed: no ack, no nak, no more in-progress signals
	close(br.release)
	select { // Run ends by itself on a closed connection
	case <-exitedA:
	case <-time.After(guard):
		t.Fatal("worker A still running on a closed connection")
	}
	if err := stopA(); !errors.Is(err, nats.ErrConnectionClosed) {
		t.Errorf("worker A: %v, want a closed connection", err)
	}

	_, jsB := connect(t, e.url, e.ids[RoleWorker])
	startWorker(t, jsB, WorkerConfig{})
	if _, st, err := e.client.Wait(ctxGuard(t), r); err != nil || st.Deliveries < 2 {
		t.Fatalf("status %+v, err %v; want done on a redelivery", st, err)
	}
	waitQueueEmpty(t, e.js)
	if n := len(listAll(t, e.js, StreamRecords)); n != 1 {
		t.Errorf("%d records, want exactly 1", n)
	}
}

// errKilled stands for the isolate pool's "child killed at its limit".
var errKilled = errors.New("child killed at its time limit")

type killingReader struct{}

func (killingReader) Extract(ctx context.Context, name string, data []byte) (*extractor.Document, error) {
	if strings.HasPrefix(name, "poison") {
		return nil, fmt.Errorf("extract %s: %w", name, errKilled)
	}
	return normalizer.InProcess{}.Extract(ctx, name, data)
}

// Jobs that fail on every delivery end in ansokan.dead after MaxDeliver,
// with the reason; the other jobs keep flowing; an unreadable file is a
// record, not a dead letter.
func TestDeadLetter(t *testing.T) {
	s := testSettings()
	e := newEnv(t, s, 0)
	ctx := ctxGuard(t)

	gone := submit(t, e.client, sampleFile(t, "seed000-samordnat-stod.docx"))
	files, err := e.js.ObjectStore(ctx, BucketFiles) // deleting is the admin's
	if err != nil {
		t.Fatal(err)
	}
	if err := files.Delete(ctx, gone.Job.Files[0].Object); err != nil {
		t.Fatal(err)
	}
	good := sampleFile(t, "seed003-arbetsstegen.docx")
	killed := submit(t, e.client, normalizer.File{Name: "poison.docx", Data: good.Data})
	okJob := submit(t, e.client, sampleFile(t, "a-sprangbradan-budget.xlsx"))
	unreadable := submit(t, e.client, normalizer.File{Name: "trasig.pdf", Data: []byte("%PDF-1.7\nnot really a pdf")})

	startWorker(t, e.wjs, WorkerConfig{
		Reader:      killingReader{},
		IsRetryable: func(err error) bool { return errors.Is(err, errKilled) },
	})

	for _, r := range []Receipt{okJob, unreadable} {
		if _, _, err := e.client.Wait(ctx, r); err != nil {
			t.Fatalf("%s: %v", r.Job.Files[0].Name, err)
		}
	}
	for _, r := range []Receipt{gone, killed} {
		st := waitState(t, e.client, r.Job.Files[0].SHA256, StateFailed)
		if st.Deliveries != uint64(s.MaxDeliver) {
			t.Errorf("%s: failed after %d deliveries, want %d", r.Job.Files[0].Name, st.Deliveries, s.MaxDeliver)
		}
	}

	reasons := map[string]DeadLetter{}
	for _, m := range listAll(t, e.js, StreamDead) {
		var dl DeadLetter
		if err := json.Unmarshal(m.Data, &dl); err != nil {
			t.Fatal(err)
		}
		reasons[dl.Job.ID] = dl
	}
	if len(reasons) != 2 {
		t.Fatalf("dead letters %v, want 2", reasons)
	}
	if dl := reasons[gone.Job.ID]; !strings.Contains(dl.Reason, "get object") || dl.Deliveries != 3 || dl.By != "worker" {
		t.Errorf("object gone: %+v", dl)
	}
	if dl := reasons[killed.Job.ID]; !strings.Contains(dl.Reason, errKilled.Error()) || dl.Deliveries != 3 {
		t.Errorf("killed reader: %+v", dl)
	}
	if _, err := e.client.files.GetInfo(ctx, killed.Job.Files[0].Object); err != nil {
		t.Errorf("dead-lettered job's object: %v", err)
	}

	recs := listAll(t, e.js, StreamRecords)
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2 (the budget and the unreadable file)", len(recs))
	}
	for _, m := range recs {
		if m.Job != unreadable.Job.ID {
			continue
		}
		var rec schema.Record
		if err := json.Unmarshal(m.Data, &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Complete || !hasFinding(rec, schema.CodeDocumentUnreadable) {
			t.Errorf("unreadable file: findings %+v", rec.Findings)
		}
	}
	waitQueueEmpty(t, e.js)
}

// A job never acknowledged (its workers lost on every delivery) is
// dead-lettered from the server's max-deliveries advisory.
func TestDeadLetterFromAdvisory(t *testing.T) {
	s := testSettings()
	s.MaxDeliver = 2
	e := newEnv(t, s, 0)
	ctx := ctxGuard(t)
	r := submit(t, e.client, sampleFile(t, "a-sprangbradan.docx"))

	c, err := e.js.Consumer(ctx, StreamJobs, ConsumerWorkers)
	if err != nil {
		t.Fatal(err)
	}
	for range s.MaxDeliver { // take the job and drop it, like a crashed worker
		batch, err := c.Fetch(1, jetstream.FetchMaxWait(guard))
		if err != nil {
			t.Fatal(err)
		}
		for range batch.Messages() {
		}
		if err := batch.Error(); err != nil {
			t.Fatal(err)
		}
	}
	startWorker(t, e.wjs, WorkerConfig{})

	st := waitState(t, e.client, r.Job.Files[0].SHA256, StateFailed)
	if !strings.Contains(st.LastError, "without an acknowledgement") {
		t.Errorf("status %+v", st)
	}
	dead := listAll(t, e.js, StreamDead)
	if len(dead) != 1 {
		t.Fatalf("%d dead letters", len(dead))
	}
	var dl DeadLetter
	if err := json.Unmarshal(dead[0].Data, &dl); err != nil {
		t.Fatal(err)
	}
	if dl.By != "advisory" || dl.Job == nil || dl.Job.ID != r.Job.ID || dl.Deliveries != 2 {
		t.Errorf("dead letter %+v", dl)
	}
	waitQueueEmpty(t, e.js) // deleted from the work queue
}

func hasFinding(rec schema.Record, code string) bool {
	for _, f := range rec.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}
