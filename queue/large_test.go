package queue

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/schema"
)

// A record of 10 MB (ten times the server's max_payload) is published as
// an object with a stub that names it; Client.Record, ListLatest and
// RecordData read it back whole, on records and alerts alike; publishing
// it again (a redelivery) stores no second object.
func TestLargeRecord(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	ctx := ctxGuard(t)
	w, err := NewWorker(ctx, e.wjs, WorkerConfig{Now: testClock})
	if err != nil {
		t.Fatal(err)
	}
	f := sampleFile(t, "b-nasta-steg.docx")
	job := &Job{Received: testClock(), Files: []FileRef{newFileRef(f.Name, f.Data)}}
	job.ID = jobID(job.Files)
	var rec schema.Record
	if err := json.Unmarshal(direct(t, []normalizer.File{f}, job), &rec); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("Insatsen samlar parternas kompetens kring individen. ", 10<<20/52+1)
	rec.Sections["purpose"] = schema.Section{Heading: "Syfte", Text: big}
	rec.Complete = false // an alert too
	want, err := json.Marshal(&rec)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 10<<20 {
		t.Fatalf("the record is %d bytes", len(want))
	}

	start := time.Now()
	ref, err := w.publish(ctx, job, &rec)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("published %d bytes in %v", len(want), time.Since(start))
	if _, err := w.publish(ctx, job, &rec); err != nil { // a redelivery
		t.Fatal(err)
	}

	for _, stream := range []string{StreamRecords, StreamAlerts} {
		msgs := listAll(t, e.js, stream)
		if len(msgs) != 1 || len(msgs[0].Data) > 1024 || !bytes.Contains(msgs[0].Data, []byte(`"record_object"`)) {
			t.Fatalf("%s: %d messages, the first %d bytes", stream, len(msgs), len(msgs[0].Data))
		}
	}
	start = time.Now()
	got, err := e.client.Record(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("read back %d bytes in %v", len(got), time.Since(start))
	if canon(t, got) != canon(t, want) {
		t.Errorf("Client.Record: %d bytes, not the record published (%d bytes)", len(got), len(want))
	}
	for _, stream := range []string{StreamRecords, StreamAlerts} {
		n := 0
		err := ListLatest(ctx, e.client.js, stream, func(m jetstream.Msg) error {
			n++
			data, err := RecordData(ctx, e.client.js, m.Headers(), m.Data())
			if err != nil {
				return err
			}
			if !bytes.Equal(data, got) {
				t.Errorf("%s: RecordData gives %d bytes, want %d", stream, len(data), len(got))
			}
			return nil
		})
		if err != nil || n != 1 {
			t.Errorf("%s as client: %d records, %v", stream, n, err)
		}
	}
	bodies, err := e.js.ObjectStore(ctx, BucketRecords)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := bodies.List(ctx)
	if err != nil || len(objs) != 1 {
		t.Errorf("%d objects in %s (%v), want 1", len(objs), BucketRecords, err)
	}
}
