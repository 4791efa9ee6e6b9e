package notify

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/queue"
)

// A webhook answering 500 to its first two POSTs is delivered once on the
// third: within one delivery (the webhook's own back-off) or over three
// (the consumer's redeliveries).
func TestWebhookThirdTry(t *testing.T) {
	for _, c := range []struct {
		name         string
		tries        int
		wantAttempts int
	}{
		{"back-off within a delivery", 3, 1},
		{"redelivered", 1, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newNATS(t, fast(3))
			h := newHook(t, 2)
			startNotifier(t, e.worker, Config{Webhook: h.webhook(c.tries)})
			rec := sample(t, "")
			seq := e.publish(t, "job-1/v1", rec)
			e.waitDone(t, seq)
			if calls, ok, bad := h.counts(); calls != 3 || ok != 1 || bad != 0 {
				t.Errorf("%d calls, %d delivered, %d bad signatures; want 3, 1, 0", calls, ok, bad)
			}
			ds, err := e.client.Deliveries(t.Context(), files(t, rec)...)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != 1 || ds[0].State != queue.DeliverySent || ds[0].Attempts != c.wantAttempts {
				t.Fatalf("deliveries %+v, want one sent after %d attempts", ds, c.wantAttempts)
			}
			if dead := deadLetters(t, e); len(dead) != 0 {
				t.Errorf("dead letters %+v", dead)
			}
		})
	}
}

// A webhook that never answers 200 is dead-lettered after the last
// delivery, with the reason, and shown failed.
func TestWebhookDeadLetter(t *testing.T) {
	e := newNATS(t, fast(3))
	h := newHook(t, -1)
	startNotifier(t, e.worker, Config{Webhook: h.webhook(2)})
	rec := sample(t, "")
	seq := e.publish(t, "job-1/v1", rec)
	e.waitDone(t, seq)
	if calls, ok, _ := h.counts(); calls != 6 || ok != 0 {
		t.Errorf("%d calls, %d delivered; want 6 (3 deliveries × 2 tries), 0", calls, ok)
	}
	dead := deadLetters(t, e)
	if len(dead) != 1 {
		t.Fatalf("%d dead letters, want 1", len(dead))
	}
	dl := dead[0]
	if dl.By != "notify" || dl.StreamSeq != seq || dl.Deliveries != 3 || dl.Delivery == nil || dl.Delivery.Target != TargetWebhook ||
		!strings.Contains(dl.Reason, "500 Internal Server Error") || !strings.Contains(dl.Reason, "webhook") {
		t.Errorf("dead letter %+v", dl)
	}
	ds, err := e.client.Deliveries(t.Context(), files(t, rec)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].State != queue.DeliveryFailed || ds[0].Attempts != 3 || !strings.Contains(ds[0].LastError, "500") {
		t.Fatalf("deliveries %+v, want one failed after 3 attempts", ds)
	}
}

// deadLetters reads ansokan.dead.
func deadLetters(t *testing.T, e *natsEnv) []queue.DeadLetter {
	t.Helper()
	s, err := e.admin.Stream(t.Context(), queue.StreamDead)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var out []queue.DeadLetter
	for seq := info.State.FirstSeq; seq > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := s.GetMsg(t.Context(), seq)
		if err != nil {
			if err == jetstream.ErrMsgNotFound {
				continue
			}
			t.Fatal(err)
		}
		var dl queue.DeadLetter
		if err := json.Unmarshal(m.Data, &dl); err != nil {
			t.Fatal(err)
		}
		out = append(out, dl)
	}
	return out
}
