package queue

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/normalizer"
)

// variants are n distinct files made from the samples (a byte appended
// changes the content hash; the readers ignore it or find the file
// unreadable, and either way the job gets a record).
func variants(t testing.TB, n int) []normalizer.File {
	samples := sampleFiles(t)
	out := make([]normalizer.File, n)
	for i := range out {
		s := samples[i%len(samples)]
		out[i] = normalizer.File{Name: fmt.Sprintf("%d-%s", i, s.Name), Data: append(append([]byte(nil), s.Data...), []byte(fmt.Sprint(i))...)}
	}
	return out
}

// A small store (JetStream's max_file_store) and no quota of the
// operator's: the guard keeps a reserve for records, so uploads are
// refused, at once and by name, before the jobs already accepted run
// out of room; every accepted job gets its record. When room comes back
// (files deleted) the next check lets uploads in again, without a
// restart.
func TestStoreGuardKeepsRoomForRecords(t *testing.T) {
	const maxStore = 4 << 20
	e := newEnv(t, testSettings(), maxStore)
	ctx := ctxGuard(t)
	g := NewStoreGuard(e.js, GuardConfig{MaxStore: maxStore, Reserve: 1 << 20, Logger: testLogger(t)})
	quota, err := g.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if quota <= 0 || quota > maxStore-(1<<20) {
		t.Fatalf("files quota %d, want within the store less the reserve", quota)
	}
	startWorker(t, e.js, WorkerConfig{Logger: testLogger(t)})

	var accepted []Receipt
	var refused error
	var took time.Duration
	for _, f := range variants(t, 200) {
		// As Run does every Interval: here before every upload, so that
		// the test does not depend on timing.
		if _, err := g.Check(ctx); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		r, err := e.client.Submit(ctx, []normalizer.File{f}, "")
		if err != nil {
			refused, took = err, time.Since(start)
			if !errors.Is(err, ErrStoreFull) || !strings.Contains(err.Error(), f.Name) || !strings.Contains(err.Error(), "store is full") {
				t.Fatalf("submit error %q: want ErrStoreFull naming %s", err, f.Name)
			}
			break
		}
		accepted = append(accepted, r)
	}
	if refused == nil {
		t.Fatal("200 files fitted in 4 MB")
	}
	t.Logf("%d files accepted; refused after %v: %v", len(accepted), took, refused)
	for _, r := range accepted {
		if _, _, err := e.client.Wait(ctx, r); err != nil {
			t.Errorf("accepted job %s: %v", r.Job.Files[0].Name, err)
		}
	}
	if n := len(listAll(t, e.js, StreamRecords)); n != len(accepted) {
		t.Errorf("%d records for %d accepted jobs", n, len(accepted))
	}

	// Room comes back: the operator (the admin identity) empties the files
	// bucket, whose jobs all have their records. (Deleting one object
	// would not do: a delete writes a marker into the full bucket.)
	files, err := e.js.Stream(ctx, "OBJ_"+BucketFiles)
	if err != nil {
		t.Fatal(err)
	}
	if err := files.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Check(ctx); err != nil {
		t.Fatal(err)
	}
	again := variants(t, 201)[200]
	r, err := e.client.Submit(ctx, []normalizer.File{again}, "")
	if err != nil {
		t.Fatalf("submit once room is back: %v", err)
	}
	if _, _, err := e.client.Wait(ctx, r); err != nil {
		t.Errorf("the job submitted once room was back: %v", err)
	}
}
