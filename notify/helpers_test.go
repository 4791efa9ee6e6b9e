package notify

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/internal/natstest"
	"github.com/finsam/ansokan/internal/smtptest"
	"github.com/finsam/ansokan/queue"
)

// guard bounds every wait: a failure guard, never an assertion of speed.
const guard = 60 * time.Second

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// natsEnv is an embedded server on a loopback port, set up with fast
// retries: admin publishes records and reads the dead letters as a test
// would; the notifier runs as worker, the status is read as client.
type natsEnv struct {
	admin  jetstream.JetStream
	worker jetstream.JetStream
	client *queue.Client
}

func newNATS(t *testing.T, s queue.Settings) *natsEnv {
	t.Helper()
	srv := natstest.Start(t, s)
	return &natsEnv{admin: srv.JS(t, queue.RoleAdmin), worker: srv.JS(t, queue.RoleWorker), client: srv.Client(t)}
}

// publish puts a record on its outcome's subject as a worker does (with
// a message id) and returns its sequence.
func (e *natsEnv) publish(t *testing.T, id string, record []byte) uint64 {
	t.Helper()
	var r struct {
		Complete bool `json:"complete"`
	}
	if err := json.Unmarshal(record, &r); err != nil {
		t.Fatal(err)
	}
	subject := queue.SubjectIncomplete
	if r.Complete {
		subject = queue.SubjectComplete
	}
	ack, err := e.admin.Publish(t.Context(), subject, record, jetstream.WithMsgID(id))
	if err != nil {
		t.Fatal(err)
	}
	return ack.Sequence
}

// waitDone waits until the notifier's consumer has acknowledged (or
// terminated) every record up to seq.
func (e *natsEnv) waitDone(t *testing.T, seq uint64) {
	t.Helper()
	waitFor(t, fmt.Sprintf("every record up to %d handled", seq), func() bool {
		c, err := e.admin.Consumer(t.Context(), queue.StreamRecords, queue.ConsumerNotify)
		if err != nil {
			t.Fatal(err)
		}
		info, err := c.Info(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return info.AckFloor.Stream >= seq && info.NumAckPending == 0
	})
}

// waitFor polls cond (every 10ms) until it holds: a wait for a state,
// bounded by guard.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(guard)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for: %s", guard, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startNotifier runs a notifier as worker until the test ends or stop.
func startNotifier(t *testing.T, js jetstream.JetStream, cfg Config) (stop func()) {
	t.Helper()
	cfg.FetchWait = 100 * time.Millisecond
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	n, err := New(t.Context(), js, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = n.Run(ctx); close(done) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

// sample is a record of the samples with complete false, with
// source.message set to a sender when from is not empty.
func sample(t *testing.T, from string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "samples", "a-sprangbradan-esign-andrad.submission.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r["complete"] != false {
		t.Fatal("the sample is complete; want an incomplete one")
	}
	if from != "" {
		r["source"].(map[string]any)["message"] = map[string]any{
			"message_id": "<ansokan-1@kommun.example>", "from": from,
			"subject": "Ansökan Språngbrädan", "received": time.Now().UTC().Add(-time.Hour).Format(time.RFC3339),
		}
	}
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// smtpClient gives the SMTP settings that reach s as the test user.
func smtpClient(s *smtptest.Server) *SMTP {
	return &SMTP{Addr: s.Addr, Username: smtptest.User, Password: smtptest.Password, TLS: &tls.Config{RootCAs: s.Roots}, Timeout: 10 * time.Second}
}

// hook is an httptest server that checks the signature of every POST and
// answers 500 to the first failFirst of them (all, when failFirst < 0).
type hook struct {
	*httptest.Server
	secret    []byte
	failFirst int
	mu        sync.Mutex
	calls     int
	ok        [][]byte // bodies answered 200
	ids       []string // X-Ansokan-Delivery of those
	badSig    int
}

func newHook(t *testing.T, failFirst int) *hook {
	h := &hook{secret: []byte("delad hemlighet"), failFirst: failFirst}
	h.Server = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.Close)
	return h
}

func (h *hook) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls++
	if !Verify(h.secret, body, r.Header.Get(HeaderSignature)) || r.Header.Get(HeaderTimestamp) == "" {
		h.badSig++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if _, err := strconv.ParseInt(r.Header.Get(HeaderTimestamp), 10, 64); err != nil {
		h.badSig++
		http.Error(w, "bad timestamp", http.StatusBadRequest)
		return
	}
	if h.failFirst < 0 || h.calls <= h.failFirst {
		http.Error(w, "not now", http.StatusInternalServerError)
		return
	}
	h.ok = append(h.ok, body)
	h.ids = append(h.ids, r.Header.Get(HeaderDelivery))
}

func (h *hook) counts() (calls, ok, badSig int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls, len(h.ok), h.badSig
}

func (h *hook) webhook(tries int) *Webhook {
	return &Webhook{URL: h.URL + "/ansokan?token=x", Secret: h.secret, Tries: tries, BackOff: 10 * time.Millisecond}
}
