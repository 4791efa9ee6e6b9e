package queue

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/normalizer"
)

// TestRetentionSweep: with a retention of 6 months, a file received 8
// months ago goes with everything made of it (its records, also one an
// Omkör made today and one of a later submission it was part of, alerts,
// record bodies, dead letter, delivery, status); a file received a month
// ago keeps all of its. A real embedded server; the sweeper's clock is
// injected, the client's receipt clock too.
func TestRetentionSweep(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	ctx := ctxGuard(t)
	now := time.Now().UTC()
	old, recent := now.AddDate(0, -8, 0), now.AddDate(0, -1, 0)

	w, err := NewWorker(ctx, e.wjs, WorkerConfig{FetchWait: 200 * time.Millisecond, ShutdownGrace: 5 * time.Second, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	w.inlineMax = 1024 // every record's body in ANSOKAN_RECORD_BODIES
	wctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(wctx); close(done) }()
	t.Cleanup(func() { stop(); <-done })

	a, b, c := sampleFile(t, "a-sprangbradan.docx"), sampleFile(t, "b-nasta-steg.docx"), sampleFile(t, "c-vagen-vidare.docx")
	e.client.now = func() time.Time { return old }
	ra := submit(t, e.client, a)
	e.client.now = func() time.Time { return recent }
	rb := submit(t, e.client, b)
	shaA, shaB := ra.Job.Files[0].SHA256, rb.Job.Files[0].SHA256
	waitState(t, e.client, shaA, StateDone)
	waitState(t, e.client, shaB, StateDone)
	// Today: A again, with C (its receipt stays 8 months ago), then an
	// Omkör of everything.
	e.client.now = func() time.Time { return now }
	rac, err := e.client.Submit(ctx, []normalizer.File{a, c}, "")
	if err != nil {
		t.Fatal(err)
	}
	shaC := rac.Job.Files[1].SHA256
	waitState(t, e.client, shaC, StateDone)
	admin, err := Open(ctx, e.js)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := admin.Reprocess(ctx, "0"); err != nil {
		t.Fatal(err)
	}
	for _, sha := range []string{shaA, shaB, shaC} {
		waitState(t, e.client, sha, StateDone)
	}
	if st, _ := e.client.Status(ctx, shaA); !st.FirstReceived.Equal(old) {
		t.Fatalf("A's first receipt after a re-upload and an Omkör: %v, want %v", st.FirstReceived, old)
	}
	// An alert of each of A's first and B's first record (the samples'
	// records are complete: the workers published none).
	alerted := map[string]bool{}
	err = List(ctx, e.js, StreamRecords, false, func(m jetstream.Msg) error {
		data, err := RecordData(ctx, e.js, m.Headers(), m.Data())
		if err != nil {
			return err
		}
		files, err := RecordFiles(data)
		if err != nil || len(files) != 1 || alerted[files[0]] {
			return err
		}
		alerted[files[0]] = true
		am := nats.NewMsg(SubjectAlerts)
		am.Header, am.Data = m.Headers(), m.Data()
		_, err = e.js.PublishMsg(ctx, am)
		return err
	})
	if err != nil || len(alerted) != 2 {
		t.Fatalf("alerts: %v, %d", err, len(alerted))
	}
	// A dead letter and an alert delivery of each of A and B.
	for _, f := range [][]FileRef{ra.Job.Files, rb.Job.Files} {
		dl, _ := json.Marshal(DeadLetter{Job: &Job{ID: f[0].SHA256, Files: f}, Reason: "test", At: now})
		if _, err := e.js.Publish(ctx, SubjectDead, dl); err != nil {
			t.Fatal(err)
		}
		kv, err := e.js.KeyValue(ctx, BucketDeliveries)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := json.Marshal(Delivery{Record: "r", Files: []string{f[0].SHA256}, Target: "email", State: DeliverySent, Updated: now})
		if _, err := kv.Put(ctx, f[0].SHA256[:16]+".email", d); err != nil {
			t.Fatal(err)
		}
	}
	before := snapshot(t, e.js)
	if n, m := len(before.records[shaA]), len(before.alerts[shaA]); n != 3 || m != 1 { // A; A+C; A+C again (Omkör)
		t.Fatalf("records of A before the sweep: %d, alerts %d; want 3 and 1", n, m)
	}

	// Five months after A's receipt nothing has passed.
	sweep := func(at time.Time) Swept {
		t.Helper()
		sw, err := NewSweeper(e.js, RetentionConfig{Months: 6, Now: func() time.Time { return at }, Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		n, err := sw.Sweep(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := sweep(old.AddDate(0, 5, 0)); n.total() != 0 {
		t.Fatalf("a sweep before any retention passed removed %+v", n)
	}
	n := sweep(now)
	t.Logf("removed %+v", n)
	after := snapshot(t, e.js)
	want := Swept{Files: 1, Statuses: 1, Records: 3, Alerts: len(before.alerts[shaA]), RecordBodies: len(before.bodiesOf(shaA)), DeadLetters: 1, Deliveries: 1}
	if n != want {
		t.Errorf("removed %+v, want %+v", n, want)
	}
	switch {
	case len(after.records[shaA]) != 0 || len(after.alerts[shaA]) != 0:
		t.Errorf("A's records or alerts stay: %d, %d", len(after.records[shaA]), len(after.alerts[shaA]))
	case after.files[shaA] || after.statuses[shaA] || after.dead[shaA] || after.deliveries[shaA]:
		t.Errorf("A's file %v, status %v, dead letter %v, delivery %v stay", after.files[shaA], after.statuses[shaA], after.dead[shaA], after.deliveries[shaA])
	}
	// B's and C's own stay, every record left is readable.
	if len(after.records[shaB]) != 2 || len(after.alerts[shaB]) != len(before.alerts[shaB]) ||
		!after.files[shaB] || !after.statuses[shaB] || !after.dead[shaB] || !after.deliveries[shaB] {
		t.Errorf("B's: records %d (want 2), alerts %d of %d, file %v, status %v, dead letter %v, delivery %v",
			len(after.records[shaB]), len(after.alerts[shaB]), len(before.alerts[shaB]),
			after.files[shaB], after.statuses[shaB], after.dead[shaB], after.deliveries[shaB])
	}
	if !after.files[shaC] || !after.statuses[shaC] {
		t.Errorf("C, received today, lost its file (%v) or status (%v)", after.files[shaC], after.statuses[shaC])
	}
	if n := sweep(now); n.total() != 0 {
		t.Errorf("a second sweep removed %+v", n)
	}
}

// contents is what the server holds, by file.
type contents struct {
	records, alerts map[string][]string // file → the body objects ("" inline) of its records
	files           map[string]bool
	statuses        map[string]bool
	dead            map[string]bool
	deliveries      map[string]bool
}

func (c contents) bodiesOf(sha string) []string {
	var out []string
	for _, m := range []map[string][]string{c.records, c.alerts} {
		for _, b := range m[sha] {
			if b != "" && !slices.Contains(out, b) {
				out = append(out, b)
			}
		}
	}
	return out
}

func snapshot(t *testing.T, js jetstream.JetStream) contents {
	t.Helper()
	ctx := ctxGuard(t)
	c := contents{records: map[string][]string{}, alerts: map[string][]string{}, files: map[string]bool{},
		statuses: map[string]bool{}, dead: map[string]bool{}, deliveries: map[string]bool{}}
	for stream, into := range map[string]map[string][]string{StreamRecords: c.records, StreamAlerts: c.alerts} {
		err := List(ctx, js, stream, false, func(m jetstream.Msg) error {
			data, err := RecordData(ctx, js, m.Headers(), m.Data())
			if err != nil {
				t.Errorf("%s: a record left unreadable: %v", stream, err)
				return nil
			}
			files, err := RecordFiles(data)
			if err != nil {
				return err
			}
			for _, f := range files {
				into[f] = append(into[f], m.Headers().Get(HeaderRecordObject))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	err := List(ctx, js, StreamDead, false, func(m jetstream.Msg) error {
		var dl DeadLetter
		if err := json.Unmarshal(m.Data(), &dl); err != nil {
			return err
		}
		c.dead[dl.Job.Files[0].SHA256] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := js.ObjectStore(ctx, BucketFiles)
	infos, _ := files.List(ctx)
	for _, o := range infos {
		c.files[o.Name] = !o.Deleted
	}
	status, _ := js.KeyValue(ctx, BucketStatus)
	eachKey(ctx, status, func(e jetstream.KeyValueEntry) error { c.statuses[e.Key()] = true; return nil })
	deliveries, _ := js.KeyValue(ctx, BucketDeliveries)
	eachKey(ctx, deliveries, func(e jetstream.KeyValueEntry) error {
		var d Delivery
		json.Unmarshal(e.Value(), &d)
		c.deliveries[d.Files[0]] = true
		return nil
	})
	return c
}

// TestRetentionSetup: Setup gives the streams and buckets MaxAge of 31
// days a month and records the months where RetentionInForce reads them;
// 0 takes it away again.
func TestRetentionSetup(t *testing.T) {
	e := newEnv(t, Settings{RetentionMonths: 6}, 0)
	ctx := ctxGuard(t)
	check := func(months int) {
		t.Helper()
		got, err := RetentionInForce(ctx, e.client.js)
		if err != nil || got != months {
			t.Errorf("RetentionInForce = %d, %v; want %d", got, err, months)
		}
		want := time.Duration(months) * 31 * 24 * time.Hour
		for _, name := range []string{StreamRecords, StreamAlerts, StreamDead, "OBJ_" + BucketFiles, "OBJ_" + BucketRecords, "KV_" + BucketStatus, "KV_" + BucketDeliveries} {
			s, err := e.js.Stream(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.CachedInfo().Config.MaxAge; got != want {
				t.Errorf("%s: MaxAge %v, want %v", name, got, want)
			}
		}
		s, _ := e.js.Stream(ctx, StreamJobs)
		if s.CachedInfo().Config.MaxAge != 0 {
			t.Errorf("%s has a MaxAge: jobs wait for a worker however long", StreamJobs)
		}
	}
	check(6)
	if err := Setup(ctx, e.js, Settings{}); err != nil {
		t.Fatal(err)
	}
	check(0)
	if _, err := NewSweeper(e.js, RetentionConfig{}); err == nil || !strings.Contains(err.Error(), "months") {
		t.Errorf("a sweeper of 0 months: %v", err)
	}
	if got := Expiry(time.Date(2026, 8, 31, 10, 0, 0, 0, time.UTC), 6); !got.Equal(time.Date(2027, 3, 3, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("Expiry: %v", got) // AddDate normalises 31 February
	}
}
