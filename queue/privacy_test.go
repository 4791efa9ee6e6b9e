package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/internal/planted"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/privacy"
	"github.com/finsam/ansokan/schema"
)

// syncBuffer collects log output from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// failing fails every read of a file whose name holds "trasig" as the
// reader's fault, naming the file: the job is retried, then
// dead-lettered.
type failing struct{ normalizer.InProcess }

func (f failing) Extract(ctx context.Context, name string, data []byte) (*extractor.Document, error) {
	if strings.Contains(name, "trasig") {
		return nil, fmt.Errorf("%w: the reading process of %s was killed", ErrRetryable, name)
	}
	return f.InProcess.Extract(ctx, name, data)
}

// The planted application (personnummer in every place a string can come
// from, planted.Build) submitted under a submission id holding one, a job
// whose file (named with one) fails until it is dead-lettered, and a
// message on the jobs subject that is no job and holds one: no number
// comes out unmasked on the records and alerts streams (bodies and
// headers), in the status bucket, on the dead letters, in a receipt or in
// any log line of the worker; the record reports each
// place, the file names included.
func TestQueueMasksEverything(t *testing.T) {
	s, err := planted.Build()
	if err != nil {
		t.Fatal(err)
	}
	plants := s.Plants
	more := func(where string) string {
		n := planted.Number(len(plants))
		plants = append(plants, planted.Plant{Where: where, Number: n})
		return n
	}
	var logs syncBuffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	e := newEnv(t, testSettings(), 0)
	_, wjs := connect(t, e.url, e.ids[RoleWorker])
	startWorker(t, wjs, WorkerConfig{Reader: failing{}, Logger: log})

	ctx := ctxGuard(t)
	var files []normalizer.File
	for _, f := range s.Files {
		files = append(files, normalizer.File{Name: f.Name, Data: f.Data})
	}
	submission := "ärende " + more("submission id")
	r, err := e.client.Submit(ctx, files, submission)
	if err != nil {
		t.Fatal(err)
	}
	receipt, _ := json.Marshal(r)
	raw, _, err := e.client.Wait(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	var rec schema.Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	for _, p := range planted.Unreported(&rec, s.Plants) {
		t.Errorf("no privacy finding under %s for %s", p.Path, p.Where)
	}

	broken := normalizer.File{Name: "trasig " + more("file name of a failing job") + ".docx", Data: s.Files[0].Data[:2000]}
	rb, err := e.client.Submit(ctx, []normalizer.File{broken}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.client.Wait(ctx, rb); err == nil {
		t.Fatal("the failing job did not fail")
	}
	if _, err := e.js.Publish(ctx, SubjectJobs, []byte("no job; about "+more("a message that is no job"))); err != nil {
		t.Fatal(err)
	}
	waitDead(t, e.js, 2) // the failing job's and the malformed message's

	var out strings.Builder
	out.Write(receipt)
	for _, stream := range []string{StreamRecords, StreamAlerts, StreamDead} {
		n := 0
		err := List(ctx, e.js, stream, false, func(m jetstream.Msg) error {
			n++
			fmt.Fprintf(&out, "\n%s %v %s", m.Subject(), m.Headers(), m.Data())
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("nothing on %s", stream)
		}
	}
	kv, err := e.js.KeyValue(ctx, BucketStatus)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := kv.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		en, err := kv.Get(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&out, "\n%s %s", k, en.Value())
	}
	written := out.String()
	for _, p := range planted.Leaks(written, plants) {
		t.Errorf("queue: %s (%s) unmasked", p.Number, p.Where)
	}
	// What proves the numbers went there: their masked forms.
	for _, want := range []string{
		privacy.Mask(submission),                   // the records' header
		privacy.Mask(s.Files[0].Name),              // the status, the receipt
		privacy.Mask(broken.Name),                  // the dead letter's reason and job, the status's last error
		privacy.Mask(plants[len(plants)-1].Number), // the malformed message in its dead letter
	} {
		if !strings.Contains(written, want) {
			t.Errorf("nothing written names %q", want)
		}
	}
	text := logs.String()
	for _, p := range planted.Leaks(text, plants) {
		t.Errorf("log: %s (%s) unmasked", p.Number, p.Where)
	}
	if !strings.Contains(text, privacy.Mask(broken.Name)) {
		t.Errorf("the log does not name the failing file (masked): the test proves nothing about log lines\n%s", text)
	}
}

// waitDead waits until the dead-letter stream holds n messages.
func waitDead(t *testing.T, js jetstream.JetStream, n uint64) {
	t.Helper()
	ctx := ctxGuard(t)
	s, err := js.Stream(ctx, StreamDead)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	it, err := c.Messages()
	if err != nil {
		t.Fatal(err)
	}
	defer it.Stop()
	for seen := uint64(0); seen < n; seen++ {
		if _, err := it.Next(jetstream.NextContext(ctx)); err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("%d dead letters, want %d", seen, n)
			}
			t.Fatal(err)
		}
	}
}
