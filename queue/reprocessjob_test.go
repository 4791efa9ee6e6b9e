package queue

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/normalizer"
)

// ReprocessJob queues one done job again, whatever version made its
// record, and its worker publishes a newer record of the same
// submission; a job not done is refused. FileData reads a stored body
// back as the admin, and not as the client.
func TestReprocessJobAndFileData(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	f := sampleFile(t, "a-sprangbradan.docx")
	r := submit(t, e.client, f)
	admin, err := Open(ctxGuard(t), e.js)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ReprocessJob(ctxGuard(t), r.Job.Files[0].SHA256); err == nil || !strings.Contains(err.Error(), "not done") {
		t.Errorf("reprocess of a job not done: %v", err)
	}
	startWorker(t, e.wjs, WorkerConfig{Reader: normalizer.InProcess{}})
	first := waitState(t, e.client, r.Job.Files[0].SHA256, StateDone)

	rc, err := admin.ReprocessJob(ctxGuard(t), r.Job.Files[0].SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if rc.Job.ID != r.Job.ID || rc.Job.Reprocess == "" || rc.Duplicate {
		t.Errorf("receipt %+v: want the same job, a reprocess run, not a duplicate", rc)
	}
	var second *Status
	for second == nil || second.Record == nil || second.Record.Seq == first.Record.Seq {
		second = waitState(t, e.client, r.Job.Files[0].SHA256, StateDone)
	}
	if _, err := admin.ReprocessJob(ctxGuard(t), strings.Repeat("0", 64)); err == nil {
		t.Error("reprocess of a file never submitted: no error")
	}

	b, err := FileData(ctxGuard(t), e.js, r.Job.Files[0].Object)
	if err != nil || !bytes.Equal(b, f.Data) {
		t.Fatalf("FileData as admin: %d bytes, %v", len(b), err)
	}
	_, cjs := connect(t, e.url, e.ids[RoleClient])
	// The server answers the client's reads with nothing: a short wait.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := FileData(ctx, cjs, r.Job.Files[0].Object); err == nil {
		t.Error("FileData as client: no error")
	}
}
