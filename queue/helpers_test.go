package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/normalizer"
)

// guard is the failure guard of every wait in these tests: generous, never
// an assertion about speed.
const guard = 90 * time.Second

// testSettings retries fast: ack wait and retry delay 500ms, three
// deliveries.
func testSettings() Settings {
	return Settings{MaxDeliver: 3, BackOff: []time.Duration{500 * time.Millisecond}, Duplicates: time.Minute}
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// env is one embedded server on a random loopback port with a temporary
// store, set up for ansokan, and a connection for each identity: js as
// admin (the test's own look at the streams), wjs as worker (the workers
// the test starts), client as client.
type env struct {
	t      testing.TB
	ns     *server.Server
	dir    string
	ids    map[Role]*Identity
	port   int
	url    string
	js     jetstream.JetStream
	wjs    jetstream.JetStream
	client *Client
}

// testIdentities makes the identities of a test's servers.
func testIdentities(t testing.TB) map[Role]*Identity {
	t.Helper()
	ids, err := EnsureIdentities(filepath.Join(t.TempDir(), "creds"))
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func newEnv(t testing.TB, s Settings, maxStore int64) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(), ids: testIdentities(t)}
	e.start(maxStore)
	t.Cleanup(e.stop)
	_, e.js = connect(t, e.url, e.ids[RoleAdmin])
	_, e.wjs = connect(t, e.url, e.ids[RoleWorker])
	_, cjs := connect(t, e.url, e.ids[RoleClient])
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	if err := Setup(ctx, e.js, s); err != nil {
		t.Fatal(err)
	}
	c, err := Open(ctx, cjs)
	if err != nil {
		t.Fatal(err)
	}
	e.client = c
	return e
}

// start starts the server; again on the same port and store after stop.
func (e *env) start(maxStore int64) {
	e.t.Helper()
	ns, err := NewServer(ServerConfig{Listen: fmt.Sprintf("127.0.0.1:%d", e.port), StoreDir: e.dir, MaxStore: maxStore, Identities: e.ids})
	if err != nil {
		e.t.Fatal(err)
	}
	e.ns = ns
	e.port = ns.Addr().(*net.TCPAddr).Port
	e.url = fmt.Sprintf("nats://127.0.0.1:%d", e.port)
}

func (e *env) stop() {
	if e.ns != nil {
		e.ns.Shutdown()
		e.ns.WaitForShutdown()
		e.ns = nil
	}
}

// connect opens a connection as id that reconnects for as long as the
// test runs.
func connect(t testing.TB, url string, id *Identity) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	opts := append([]nats.Option{nats.MaxReconnects(-1), nats.ReconnectWait(50 * time.Millisecond),
		nats.Timeout(2 * time.Second), nats.RetryOnFailedConnect(false)}, id.Options()...)
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return nc, js
}

// startWorker runs a worker on js until the test ends (or stop is called);
// stop returns Run's error. exited is closed when Run returns by itself.
func startWorker(t testing.TB, js jetstream.JetStream, cfg WorkerConfig) (stop func() error) {
	stop, _ = startWorkerExit(t, js, cfg)
	return stop
}

func startWorkerExit(t testing.TB, js jetstream.JetStream, cfg WorkerConfig) (stop func() error, exited <-chan struct{}) {
	t.Helper()
	if cfg.FetchWait == 0 {
		cfg.FetchWait = 200 * time.Millisecond
	}
	if cfg.ShutdownGrace == 0 {
		cfg.ShutdownGrace = 5 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w, err := NewWorker(ctx, js, cfg)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan struct{})
	var runErr error
	go func() { runErr = w.Run(ctx); close(done) }()
	stop = func() error {
		cancel()
		select {
		case <-done:
			return runErr
		case <-time.After(guard):
			return fmt.Errorf("worker did not stop within %v", guard)
		}
	}
	t.Cleanup(func() {
		if err := stop(); err != nil && !strings.Contains(err.Error(), "connection closed") {
			t.Errorf("worker: %v", err)
		}
	})
	return stop, done
}

// sampleFiles reads every .docx, .pdf and .xlsx in samples/.
func sampleFiles(t testing.TB) []normalizer.File {
	t.Helper()
	paths, err := filepath.Glob("../samples/*")
	if err != nil {
		t.Fatal(err)
	}
	var files []normalizer.File
	for _, p := range paths {
		switch filepath.Ext(p) {
		case ".docx", ".pdf", ".xlsx":
		default:
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, normalizer.File{Name: filepath.Base(p), Data: b})
	}
	if len(files) == 0 {
		t.Fatal("no samples")
	}
	return files
}

func sampleFile(t testing.TB, name string) normalizer.File {
	t.Helper()
	for _, f := range sampleFiles(t) {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no sample %s", name)
	return normalizer.File{}
}

func ctxGuard(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	t.Cleanup(cancel)
	return ctx
}

// stored is one message on a stream.
type stored struct {
	Subject string
	Job     string
	Data    []byte
}

// listAll reads what a stream holds now.
func listAll(t testing.TB, js jetstream.JetStream, stream string) []stored {
	t.Helper()
	var out []stored
	err := List(ctxGuard(t), js, stream, false, func(m jetstream.Msg) error {
		out = append(out, stored{Subject: m.Subject(), Job: m.Headers().Get(HeaderJob), Data: m.Data()})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// waitState polls a file's status until it is one of states (polling, not
// a watch, so it rides over server restarts and node failures).
func waitState(t testing.TB, c *Client, sha string, states ...string) *Status {
	t.Helper()
	deadline := time.Now().Add(guard)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		st, err := c.Status(ctx, sha)
		cancel()
		if err == nil && st != nil && slices.Contains(states, st.State) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("status of %s: %+v (err %v), want %v", sha, st, err, states)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// canon re-encodes JSON so two encodings of one value compare equal.
func canon(t testing.TB, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func submit(t testing.TB, c *Client, files ...normalizer.File) Receipt {
	t.Helper()
	r, err := c.Submit(ctxGuard(t), files, "")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// testClock is the clock of workers whose records a test compares.
func testClock() time.Time { return time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC) }

// direct is the record made here of files, stamped as a worker with
// testClock stamps the record of job j: the record the queue must give.
func direct(t testing.TB, files []normalizer.File, j *Job) []byte {
	t.Helper()
	ins := make([]normalizer.Input, len(files))
	for i, f := range files {
		ins[i] = normalizer.ReadInput(context.Background(), f, normalizer.InProcess{})
	}
	rec := normalizer.NormalizeStamped(ins, nil, normalizer.Stamp{Now: testClock, SubmissionID: j.SubmissionID(), Job: j.Ref()})
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
