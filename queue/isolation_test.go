package queue

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/internal/bigdoc"
	"github.com/finsam/ansokan/isolate"
	"github.com/finsam/ansokan/normalizer"
)

// slowTimeout is far above a sample's reading time (under 10 ms) and far
// below bigdoc.DOCX's (over a second); race_test.go raises it.
var slowTimeout = 400 * time.Millisecond

// Workers that read through the isolated child processes: a file whose
// reading is killed at the time limit on every delivery ends in the
// dead-letter stream with the limit as its reason, and the files after
// it get their records from new children.
func TestIsolatedTimeLimitDeadLetters(t *testing.T) {
	s := testSettings()
	e := newEnv(t, s, 0)
	ctx := ctxGuard(t)
	pool, err := isolate.New(isolate.Config{Children: 1, Timeout: slowTimeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })

	slow := submit(t, e.client, normalizer.File{Name: "arsredovisning.docx", Data: bigdoc.DOCX(400_000)})
	okJob := submit(t, e.client, sampleFile(t, "a-sprangbradan-budget.xlsx"))
	startWorker(t, e.wjs, WorkerConfig{Reader: pool, IsRetryable: isolate.Retryable, Logger: testLogger(t)})

	if _, _, err := e.client.Wait(ctx, okJob); err != nil {
		t.Fatal(err)
	}
	st := waitState(t, e.client, slow.Job.Files[0].SHA256, StateFailed)
	if st.Deliveries != uint64(s.MaxDeliver) {
		t.Errorf("failed after %d deliveries, want %d", st.Deliveries, s.MaxDeliver)
	}
	var dead []DeadLetter
	for _, m := range listAll(t, e.js, StreamDead) {
		var dl DeadLetter
		if err := json.Unmarshal(m.Data, &dl); err != nil {
			t.Fatal(err)
		}
		dead = append(dead, dl)
	}
	if len(dead) != 1 || dead[0].Job.ID != slow.Job.ID || !strings.Contains(dead[0].Reason, "limit Timeout") {
		t.Fatalf("dead letters %+v: want the slow file's, killed at the time limit", dead)
	}
	if _, err := e.client.files.GetInfo(ctx, slow.Job.Files[0].Object); err != nil {
		t.Errorf("the dead-lettered file's object: %v", err)
	}
	if recs := listAll(t, e.js, StreamRecords); len(recs) != 1 || recs[0].Job != okJob.Job.ID {
		t.Errorf("records %+v: want the budget's only", recs)
	}
	if ps := pool.Stats(); ps.Stopped != s.MaxDeliver {
		t.Errorf("pool %+v: want a child stopped on each of %d deliveries", ps, s.MaxDeliver)
	}
}
