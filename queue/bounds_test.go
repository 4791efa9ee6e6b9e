package queue

import (
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/internal/bigdoc"
	"github.com/finsam/ansokan/isolate"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/schema"
)

// heapPeak samples the process's HeapInuse until stop is called and
// returns its peak above the level when it started. It measures; it
// synchronises nothing.
func heapPeak() (stop func() (peak uint64)) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	done := make(chan struct{})
	var wg sync.WaitGroup
	var top uint64
	wg.Go(func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			top = max(top, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return top - min(top, base)
	}
}

// The chaos probe's job: one 96 KB .docx holding 30 MB of text, listed
// 40 times in one submission. It took 'serve' (server and worker in one
// process) to 2.67 GB. Now it ends in a record listing the 40 files, and
// the process's heap stays within a few hundred MB. Reading children
// with the default limits refuse the document (MaxDocumentTextBytes)
// before sending it; children allowed to send it make the submission's
// own limit (MaxTextBytes) stop the merge after the first copy.
func TestSubmissionOfCopiesBounded(t *testing.T) {
	data := bigdoc.DOCXText(30 << 20)
	t.Logf("the document: %d KB of file, 30 MB of text", len(data)>>10)
	files := make([]normalizer.File, 40)
	for i := range files {
		files[i] = normalizer.File{Name: "bilaga.docx", Data: data}
	}
	for _, tc := range []struct {
		name   string
		limits extractor.Limits
		want   string
	}{
		{"children refuse it", extractor.Limits{}, "limit MaxDocumentTextBytes"},
		{"children send it", extractor.Limits{MaxDocumentTextBytes: 64 << 20}, "limit SubmissionLimits.MaxTextBytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, testSettings(), 0)
			ctx := ctxGuard(t)
			pool, err := isolate.New(isolate.Config{Children: 1, Limits: tc.limits})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { pool.Close() })
			startWorker(t, e.js, WorkerConfig{Reader: pool, IsRetryable: isolate.Retryable, Logger: testLogger(t)})

			stop := heapPeak()
			r, err := e.client.Submit(ctx, files, "X")
			if err != nil {
				t.Fatal(err)
			}
			raw, _, err := e.client.Wait(ctx, r)
			peak := stop()
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("peak heap in use above the start: %d MB", peak>>20)
			if peak > 400<<20 {
				t.Errorf("the heap grew by %d MB at its peak, want under 400 MB (it was 2.6 GB)", peak>>20)
			}
			if !e.ns.Running() {
				t.Fatal("the server is down")
			}
			var rec schema.Record
			if err := json.Unmarshal(raw, &rec); err != nil {
				t.Fatal(err)
			}
			var limited int
			for _, f := range rec.Findings {
				if f.Code == schema.CodeDocumentUnreadable && strings.Contains(f.Message, tc.want) {
					limited++
				}
			}
			wantLimited := 40
			if tc.limits.MaxDocumentTextBytes > 0 {
				wantLimited = 39 // the first copy is merged
			}
			if len(rec.Source.Files) != 40 || limited != wantLimited {
				t.Errorf("%d files, %d findings naming %q: want 40 files, %d findings", len(rec.Source.Files), limited, tc.want, wantLimited)
			}
			if s := pool.Stats(); s.Started > 1 || s.Stopped > 0 {
				t.Errorf("pool %+v: the content was to be read once, by one child", s)
			}
		})
	}
}

// Submit refuses a submission over MaxFiles or MaxBytes before it
// stores anything.
func TestSubmitRefusesOverLimits(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	ctx := ctxGuard(t)
	f := sampleFile(t, "a-sprangbradan-budget.xlsx")
	e.client.SetLimits(normalizer.SubmissionLimits{MaxFiles: 2})
	_, err := e.client.Submit(ctx, []normalizer.File{f, f, f}, "S-1")
	if !errors.Is(err, normalizer.ErrSubmissionLimit) || !strings.Contains(err.Error(), "limit SubmissionLimits.MaxFiles") {
		t.Fatalf("error %v: want the submission refused at its file limit", err)
	}
	e.client.SetLimits(normalizer.SubmissionLimits{MaxBytes: int64(len(f.Data)) + 1})
	if _, err := e.client.Submit(ctx, []normalizer.File{f, f}, "S-2"); !errors.Is(err, normalizer.ErrSubmissionLimit) || !strings.Contains(err.Error(), "MaxBytes") {
		t.Fatalf("error %v: want the submission refused at its byte limit", err)
	}
	if st, err := e.client.files.Status(ctx); err != nil || st.Size() != 0 {
		t.Errorf("files bucket: %v, %d bytes: want nothing stored", err, st.Size())
	}
}

// A worker bounds a job's files itself (a job from an older client, or
// published by hand): the files past MaxFiles are listed, not read.
func TestWorkerBoundsJobFiles(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	ctx := ctxGuard(t)
	files := sampleFiles(t)[:3]
	r := submit(t, e.client, files...)
	startWorker(t, e.js, WorkerConfig{Logger: testLogger(t), Limits: normalizer.SubmissionLimits{MaxFiles: 2}})
	raw, _, err := e.client.Wait(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	var rec schema.Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	var limited []string
	for _, f := range rec.Findings {
		if f.Code == schema.CodeDocumentUnreadable {
			limited = append(limited, f.Message)
		}
	}
	if len(rec.Source.Files) != 3 || len(limited) != 1 || !strings.Contains(limited[0], "inskickningen är för stor") || !strings.Contains(limited[0], "MaxFiles") {
		t.Errorf("%d files, unreadable findings %q: want 3 files, the third refused at MaxFiles", len(rec.Source.Files), limited)
	}
}

// raceDetector is set under the race detector, whose children run
// without an address-space limit (see isolate's raceBuild).
var raceDetector bool

// A submission whose reading kills the child (its memory limit) on every
// delivery is dead-lettered; the server and the worker live on and make
// the next job's record.
func TestReaderKilledDeadLetters(t *testing.T) {
	if raceDetector {
		t.Skip("no memory limit on the children under the race detector")
	}
	e := newEnv(t, testSettings(), 0)
	ctx := ctxGuard(t)
	pool, err := isolate.New(isolate.Config{Children: 1, Memory: 32 << 20, Limits: extractor.Limits{MaxDocumentTextBytes: 1 << 30}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	startWorker(t, e.js, WorkerConfig{Reader: pool, IsRetryable: isolate.Retryable, Logger: testLogger(t)})
	data := bigdoc.DOCXText(64 << 20) // its text alone is twice the memory the child may have: always killed
	r, err := e.client.Submit(ctx, []normalizer.File{{Name: "a.docx", Data: data}, {Name: "b.docx", Data: data}}, "X")
	if err != nil {
		t.Fatal(err)
	}
	if _, st, err := e.client.Wait(ctx, r); err == nil || st == nil || st.State != StateFailed {
		t.Fatalf("status %+v, error %v: want the job failed", st, err)
	}
	dead := listAll(t, e.js, StreamDead)
	if len(dead) != 1 || dead[0].Job != r.Job.ID {
		t.Fatalf("dead letters %+v: want the job's", dead)
	}
	if !e.ns.Running() {
		t.Fatal("the server is down")
	}
	ok := submit(t, e.client, sampleFile(t, "a-sprangbradan-budget.xlsx"))
	if _, _, err := e.client.Wait(ctx, ok); err != nil {
		t.Fatalf("the next job: %v", err)
	}
}
