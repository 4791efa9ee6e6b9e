package queue

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/normalizer"
)

// gateReader holds the first file it is given until the gate opens.
type gateReader struct {
	entered, gate chan struct{}
	once          sync.Once
}

func newGateReader() *gateReader {
	return &gateReader{entered: make(chan struct{}), gate: make(chan struct{})}
}

func (g *gateReader) Extract(ctx context.Context, name string, data []byte) (*extractor.Document, error) {
	first := false
	g.once.Do(func() { first = true; close(g.entered) })
	if first {
		select {
		case <-g.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return normalizer.InProcess{}.Extract(ctx, name, data)
}

func waitClosed(t testing.TB, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(guard):
		t.Fatalf("%s: not within %v", what, guard)
	}
}

// A cancelled worker finishes the job in hand within its grace.
func TestShutdownFinishesJob(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	g := newGateReader()
	stop := startWorker(t, e.wjs, WorkerConfig{Reader: g, ShutdownGrace: guard})
	r := submit(t, e.client, sampleFile(t, "a-sprangbradan.docx"))
	waitClosed(t, g.entered, "job taken")
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	close(g.gate)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if st := waitState(t, e.client, r.Job.Files[0].SHA256, StateDone); st.Deliveries != 1 {
		t.Errorf("status %+v, want done on the first delivery", st)
	}
}

// A cancelled worker whose grace runs out naks the job; the next worker
// makes the record.
func TestShutdownReturnsJob(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	g := newGateReader() // never opened: the read ends when the grace does
	stop := startWorker(t, e.wjs, WorkerConfig{Reader: g, ShutdownGrace: 50 * time.Millisecond})
	r := submit(t, e.client, sampleFile(t, "a-sprangbradan.docx"))
	waitClosed(t, g.entered, "job taken")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	startWorker(t, e.wjs, WorkerConfig{})
	if _, st, err := e.client.Wait(ctxGuard(t), r); err != nil || st.Deliveries != 2 {
		t.Fatalf("status %+v, err %v; want done on the second delivery", st, err)
	}
}

// The server stops and starts again on the same store and port while jobs
// are in flight: every job acknowledged to submit yields its record, once.
func TestServerRestart(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	g := newGateReader()
	_, wjs := connect(t, e.url, e.ids[RoleWorker])
	startWorker(t, wjs, WorkerConfig{Reader: g, Concurrency: 2})

	files := sampleFiles(t)
	half := len(files) / 2
	var receipts []Receipt
	for _, f := range files[:half] {
		receipts = append(receipts, submit(t, e.client, f))
	}
	waitClosed(t, g.entered, "a job in flight")
	e.stop()
	close(g.gate) // the job in hand now fails to publish: no server
	e.start(0)

	_, js := connect(t, e.url, e.ids[RoleClient])
	c, err := Open(ctxGuard(t), js)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files[half:] {
		receipts = append(receipts, submit(t, c, f))
	}
	for _, r := range receipts {
		waitState(t, c, r.Job.Files[0].SHA256, StateDone)
	}
	waitQueueEmpty(t, e.js)
	if n := len(listAll(t, e.js, StreamRecords)); n != len(files) {
		t.Errorf("%d records for %d files", n, len(files))
	}
}

// A store that runs out of space. JetStream's max_file_store (MaxStore)
// stands in for a full disk, portably; the files bucket's quota keeps
// room for records below it. Submit names the file it could not store;
// the jobs it took before all yield records.
func TestStoreFull(t *testing.T) {
	s := testSettings()
	s.FilesMaxBytes = 150 << 10
	e := newEnv(t, s, 4<<20)
	startWorker(t, e.wjs, WorkerConfig{})

	var accepted []Receipt
	var refused error
	var refusedName string
	for _, f := range sampleFiles(t) {
		r, err := e.client.Submit(ctxGuard(t), []normalizer.File{f}, "")
		if err != nil {
			refused, refusedName = err, f.Name
			break
		}
		accepted = append(accepted, r)
	}
	if refused == nil {
		t.Fatal("every sample fitted; the quota is too large for the test")
	}
	if !errors.Is(refused, ErrStoreFull) || !strings.Contains(refused.Error(), refusedName) {
		t.Errorf("submit error %q: want ErrStoreFull naming %s", refused, refusedName)
	}
	t.Logf("refused: %v", refused)
	if len(accepted) == 0 {
		t.Fatal("nothing fitted")
	}
	for _, r := range accepted {
		if _, _, err := e.client.Wait(ctxGuard(t), r); err != nil {
			t.Errorf("%s: %v", r.Job.Files[0].Name, err)
		}
	}

	// Without a quota the server's own limit refuses the file, as clearly.
	// The upload the server refuses halfway is not purged (the client
	// may not purge): PutBytes waits for the purge's answer until its
	// context ends, so each submit has 5 s, not the guard.
	full := newEnv(t, testSettings(), 200<<10)
	for _, f := range sampleFiles(t) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := full.client.Submit(ctx, []normalizer.File{f}, "")
		cancel()
		if err != nil {
			if !errors.Is(err, ErrStoreFull) || !strings.Contains(err.Error(), f.Name) {
				t.Errorf("submit error %q: want ErrStoreFull naming %s", err, f.Name)
			}
			return
		}
	}
	t.Error("every sample fitted in 200 KB")
}

// reprocess queues done jobs again: by default those of older producer
// versions, with --since V those of V and later.
func TestReprocess(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	startWorker(t, e.wjs, WorkerConfig{})
	ctx := ctxGuard(t)
	a := submit(t, e.client, sampleFile(t, "a-sprangbradan.docx"))
	b := submit(t, e.client, sampleFile(t, "b-nasta-steg.docx"))
	for _, r := range []Receipt{a, b} {
		if _, _, err := e.client.Wait(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if q, _, err := e.client.Reprocess(ctx, ""); err != nil || len(q) != 0 {
		t.Fatalf("reprocess at the current version: %d queued, %v", len(q), err)
	}

	// Pretend a's record came from an older extractor.
	err := updateStatus(ctx, e.client.status, a.Job.Files[0], func(s *Status) { s.Record.Version = "0.1.9" })
	if err != nil {
		t.Fatal(err)
	}
	q, _, err := e.client.Reprocess(ctx, "")
	if err != nil || len(q) != 1 || q[0].Job.ID != a.Job.ID {
		t.Fatalf("reprocess: %+v, %v; want a's job", q, err)
	}
	if _, st, err := e.client.Wait(ctx, q[0]); err != nil || st.Record.Version != normalizer.Version {
		t.Fatalf("reprocessed: %+v, %v", st, err)
	}

	q, _, err = e.client.Reprocess(ctx, "0")
	if err != nil || len(q) != 2 {
		t.Fatalf("reprocess --since 0: %d queued, %v; want 2", len(q), err)
	}
	for _, r := range q {
		if _, _, err := e.client.Wait(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(listAll(t, e.js, StreamRecords)); n != 5 {
		t.Errorf("%d records, want 2 + 1 + 2", n)
	}
}

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"0.2.0", "0.2.0", 0}, {"0.1.9", "0.2.0", -1}, {"0.10.0", "0.9.1", 1}, {"v1", "1.0.0", 0}, {"0", "0.2.0", -1}} {
		if got := compareVersions(c.a, c.b); got != c.want {
			t.Errorf("compareVersions(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// startCluster starts a three-node JetStream cluster on loopback.
func startCluster(t testing.TB, n int, ids map[Role]*Identity) ([]*server.Server, []string) {
	t.Helper()
	routePorts := make([]int, n)
	for i := range routePorts {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		routePorts[i] = l.Addr().(*net.TCPAddr).Port
		l.Close()
	}
	var routes []string
	for _, p := range routePorts {
		routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", p))
	}
	servers := make([]*server.Server, n)
	urls := make([]string, n)
	for i := range servers {
		opts, err := ServerOptions(ServerConfig{Listen: "127.0.0.1:0", StoreDir: t.TempDir(), Name: fmt.Sprintf("n%d", i), Identities: ids})
		if err != nil {
			t.Fatal(err)
		}
		opts.Cluster = server.ClusterOpts{Name: "ansokan-test", Host: "127.0.0.1", Port: routePorts[i]}
		opts.Routes = server.RoutesFromStr(strings.Join(routes, ","))
		ns, err := StartServer(opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		servers[i] = ns
		urls[i] = ns.ClientURL()
		t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	}
	return servers, urls
}

// A three-node cluster, replicas 3; one node shut down mid-run: every
// submitted file still yields its record.
func TestCluster(t *testing.T) {
	ids := testIdentities(t)
	servers, urls := startCluster(t, 3, ids)
	_, js := connect(t, strings.Join(urls, ","), ids[RoleAdmin])
	s := testSettings()
	s.Replicas = 3
	s.BackOff = []time.Duration{time.Second} // elections take a while; keep deliveries for them
	s.MaxDeliver = 10
	deadline := time.Now().Add(guard)
	for { // the meta group forms after the servers start
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := Setup(ctx, js, s)
		cancel()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t0 := time.Now()
	t.Log("set up")
	info, err := js.Stream(ctxGuard(t), StreamJobs)
	if err != nil || info.CachedInfo().Config.Replicas != 3 {
		t.Fatalf("jobs stream: %v", err)
	}
	_, cjs := connect(t, strings.Join(urls, ","), ids[RoleClient])
	c, err := Open(ctxGuard(t), cjs)
	if err != nil {
		t.Fatal(err)
	}
	_, w0 := connect(t, urls[0], ids[RoleWorker])
	_, w2 := connect(t, urls[2], ids[RoleWorker]) // this worker's node goes down
	startWorker(t, w0, WorkerConfig{})
	startWorker(t, w2, WorkerConfig{})

	files := sampleFiles(t)
	half := len(files) / 2
	var receipts []Receipt
	for _, f := range files[:half] {
		receipts = append(receipts, submit(t, c, f))
	}
	waitState(t, c, receipts[0].Job.Files[0].SHA256, StateDone)
	t.Log("first done; stopping n2", time.Since(t0))
	servers[2].Shutdown()
	servers[2].WaitForShutdown()
	for _, f := range files[half:] {
		receipts = append(receipts, submitRetrying(t, c, f))
	}
	t.Log("all submitted", time.Since(t0))
	for _, r := range receipts {
		waitState(t, c, r.Job.Files[0].SHA256, StateDone)
	}
	t.Log("all done", time.Since(t0))
	waitQueueEmpty(t, js)
	if n := len(listAll(t, js, StreamRecords)); n != len(files) {
		t.Errorf("%d records for %d files", n, len(files))
	}
}

// submitRetrying retries a submit the cluster refused while it elected
// new leaders; a refused submit is not acknowledged, so retrying is what
// a client does.
func submitRetrying(t testing.TB, c *Client, f normalizer.File) Receipt {
	t.Helper()
	deadline := time.Now().Add(guard)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		r, err := c.Submit(ctx, []normalizer.File{f}, "")
		cancel()
		if err == nil {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("submit %s: %v", f.Name, err)
		}
		t.Logf("submit %s: %v; retrying", f.Name, err)
		time.Sleep(100 * time.Millisecond)
	}
}
