package queue

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/schema"
)

// processResult is what a Process call in another goroutine returned.
type processResult struct {
	rec *schema.Record
	err error
}

// A Processor rides over a server restart within its grace: the call
// submitted before the restart gets the record the worker makes after
// it, the record a local normalizer.Process makes of the same files.
func TestProcessorServerRestart(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	p := NewProcessor(e.client, guard, testLogger(t))
	files := []normalizer.File{sampleFile(t, "a-sprangbradan.docx"), sampleFile(t, "a-sprangbradan-budget.xlsx")}
	done := make(chan processResult, 1)
	go func() {
		rec, err := p.Process(ctxGuard(t), "batch-restart", files)
		done <- processResult{rec, err}
	}()
	// No worker yet: the job waits in the queue across the restart.
	sum := newFileRef(files[0].Name, files[0].Data).SHA256
	waitState(t, e.client, sum, StateReceived)
	e.stop()
	e.start(0)
	startWorker(t, e.wjs, WorkerConfig{Now: testClock})

	var r processResult
	select {
	case r = <-done:
	case <-time.After(guard):
		t.Fatal("no record after the restart")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	got, _ := json.Marshal(r.rec)
	st := waitState(t, e.client, sum, StateDone)
	want := direct(t, files, st.Job)
	if string(got) != string(want) {
		t.Errorf("record through the queue:\n%s\nlocal:\n%s", got, want)
	}
}

// A job that fails on the workers (dead-lettered) is an error naming the
// reason, not a record.
func TestProcessorJobFails(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	startWorker(t, e.wjs, WorkerConfig{
		Reader:      killingReader{},
		IsRetryable: func(err error) bool { return errors.Is(err, errKilled) },
	})
	p := NewProcessor(e.client, guard, testLogger(t))
	good := sampleFile(t, "seed003-arbetsstegen.docx")
	rec, err := p.Process(ctxGuard(t), "batch-poison", []normalizer.File{{Name: "poison.docx", Data: good.Data}})
	if rec != nil || err == nil || !strings.Contains(err.Error(), "failed after 3 deliveries") || !strings.Contains(err.Error(), "poison.docx") {
		t.Fatalf("record %v, err %v; want no record and the failure", rec != nil, err)
	}
}

// With its connection closed, a Processor fails at once with
// ErrUnreachable.
func TestProcessorClosed(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	nc, js := connect(t, e.url, e.ids[RoleClient])
	c, err := Open(ctxGuard(t), js)
	if err != nil {
		t.Fatal(err)
	}
	nc.Close()
	start := time.Now()
	_, err = NewProcessor(c, guard, nil).Process(ctxGuard(t), "", []normalizer.File{sampleFile(t, "a-sprangbradan.docx")})
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "a-sprangbradan.docx") {
		t.Errorf("err %v, want ErrUnreachable naming the file", err)
	}
	if d := time.Since(start); d > guard/2 {
		t.Errorf("took %v", d)
	}
}
