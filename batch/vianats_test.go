package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

// natsGuard bounds every wait of the --via-nats tests: generous, never an
// assertion about speed.
const natsGuard = 90 * time.Second

// natsTreeSize is the number of submissions in the --via-nats tests'
// trees (fewer under the race detector, see race_test.go).
var natsTreeSize = 30

// natsEnv is an embedded NATS JetStream server on a loopback port with
// its store in a temporary folder, set up for ansokan, and the workers of
// the "cluster" on their own connections.
type natsEnv struct {
	t    *testing.T
	dir  string
	port int
	url  string
	ns   *server.Server
	ids  map[queue.Role]*queue.Identity // the identities serve would make
}

func newNATS(t *testing.T) *natsEnv {
	t.Helper()
	ids, err := queue.EnsureIdentities(queue.CredsDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	e := &natsEnv{t: t, dir: t.TempDir(), ids: ids}
	e.start()
	t.Cleanup(e.stop)
	_, js := e.connect(queue.RoleAdmin, true)
	ctx, cancel := context.WithTimeout(context.Background(), natsGuard)
	defer cancel()
	// Fast retries: ack wait and retry delay 500ms, three deliveries.
	s := queue.Settings{MaxDeliver: 3, BackOff: []time.Duration{500 * time.Millisecond}, Duplicates: time.Minute}
	if err := queue.Setup(ctx, js, s); err != nil {
		t.Fatal(err)
	}
	return e
}

// start starts the server; again on the same port and store after stop.
func (e *natsEnv) start() {
	e.t.Helper()
	ns, err := queue.NewServer(queue.ServerConfig{Listen: fmt.Sprintf("127.0.0.1:%d", e.port), StoreDir: e.dir, Identities: e.ids})
	if err != nil {
		e.t.Fatal(err)
	}
	e.ns = ns
	e.port = ns.Addr().(*net.TCPAddr).Port
	e.url = fmt.Sprintf("nats://127.0.0.1:%d", e.port)
}

func (e *natsEnv) stop() {
	if e.ns != nil {
		e.ns.Shutdown()
		e.ns.WaitForShutdown()
		e.ns = nil
	}
}

// connect opens a connection closed when the test ends. A worker's
// reconnects for as long as the test runs; a client's as the command's
// does (a limited number of times). It connects as role.
func (e *natsEnv) connect(role queue.Role, forever bool) (*nats.Conn, jetstream.JetStream) {
	e.t.Helper()
	opts := []nats.Option{nats.Timeout(2 * time.Second), nats.ReconnectWait(50 * time.Millisecond)}
	if forever {
		opts = append(opts, nats.MaxReconnects(-1))
	}
	nc, err := nats.Connect(e.url, append(opts, e.ids[role].Options()...)...)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		e.t.Fatal(err)
	}
	return nc, js
}

// startWorkers runs n workers, one job at a time each, until the test
// ends.
func (e *natsEnv) startWorkers(n int) {
	e.t.Helper()
	for range n {
		_, js := e.connect(queue.RoleWorker, true)
		ctx, cancel := context.WithCancel(context.Background())
		w, err := queue.NewWorker(ctx, js, queue.WorkerConfig{
			FetchWait: 200 * time.Millisecond, ShutdownGrace: 5 * time.Second, Logger: quietLog(),
		})
		if err != nil {
			cancel()
			e.t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		e.t.Cleanup(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil && !strings.Contains(err.Error(), "connection closed") {
					e.t.Errorf("worker: %v", err)
				}
			case <-time.After(natsGuard):
				e.t.Errorf("worker did not stop within %v", natsGuard)
			}
		})
	}
}

// processor is a queue.Processor on a client connection of its own.
func (e *natsEnv) processor(grace time.Duration, log *slog.Logger) *queue.Processor {
	e.t.Helper()
	_, js := e.connect(queue.RoleClient, false)
	ctx, cancel := context.WithTimeout(context.Background(), natsGuard)
	defer cancel()
	c, err := queue.Open(ctx, js)
	if err != nil {
		e.t.Fatal(err)
	}
	return queue.NewProcessor(c, grace, log)
}

// addLarge adds a submission with a file over limit: a Word form and a
// PDF too large to read (and so to submit).
func addLarge(t *testing.T, root string, limit int) {
	t.Helper()
	dir := filepath.Join(root, "stor")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("% padding\n"), limit/10+1)...)
	if err := os.WriteFile(filepath.Join(dir, "Ansökan.docx"), variant(t, loadSamples(t)[0].docx, 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Underskriven ansökan.pdf"), big, 0o644); err != nil {
		t.Fatal(err)
	}
}

// byContent maps each record's content key to its JSON.
func byContent(t *testing.T, recs []schema.Record) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, r := range recs {
		var sums []string
		for _, f := range r.Source.Files {
			sums = append(sums, f.SHA256)
		}
		k := contentKey(sums)
		if _, dup := m[k]; dup {
			t.Errorf("two records of %s", names(r))
		}
		// When and by which job a record was made differ between runs
		// by design; the rest must not.
		if _, err := time.Parse(schema.TimeFormat, r.ProducedAt); err != nil {
			t.Errorf("%s: produced_at: %v", names(r), err)
		}
		r.ProducedAt, r.Job = "", nil
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		m[k] = string(b)
	}
	return m
}

// registerRows reads every sheet of a register. The rows of the
// applications and findings sheets follow the records' order in the
// JSON Lines file, which the jobs' timing decides, so they are sorted
// under their header; the totals sheet is in its own order.
func registerRows(t *testing.T, path string) map[string][][]string {
	t.Helper()
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	out := map[string][][]string{}
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if sheet != SheetTotals && len(rows) > 1 {
			slices.SortFunc(rows[1:], func(a, b []string) int { return slices.Compare(a, b) })
		}
		out[sheet] = rows
	}
	return out
}

// TestViaNATSSameOutputs: a tree run here and run through the queue
// (an embedded JetStream server, two workers) gives the same records,
// byte for byte once encoded apart from when and by which job each was
// made (produced_at, job), and the same register: the worker makes a
// record with the same paths, submission id and steps (normalizer.ReadInput and
// Normalize over the files in the order batch gives them) as a local
// run. The submission with a file over the size limit is made here in
// both runs.
func TestViaNATSSameOutputs(t *testing.T) {
	dir := t.TempDir()
	tr := makeTree(t, filepath.Join(dir, "in"), natsTreeSize)
	const limit = 256 << 10 // above every sample
	addLarge(t, tr.root, limit)
	lim := Limits{MaxFileBytes: limit}
	ctx, cancel := context.WithTimeout(context.Background(), natsGuard)
	defer cancel()

	localOut, localReg := filepath.Join(dir, "local.jsonl"), filepath.Join(dir, "local.xlsx")
	local, err := Run(ctx, Options{Paths: []string{tr.root}, Out: localOut, Register: localReg, Limits: lim, Jobs: 2, Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}

	e := newNATS(t)
	e.startWorkers(2)
	p := e.processor(10*time.Second, quietLog())
	natsOut, natsReg := filepath.Join(dir, "nats.jsonl"), filepath.Join(dir, "nats.xlsx")
	remote, err := Run(ctx, Options{Paths: []string{tr.root}, Out: natsOut, Register: natsReg, Limits: lim, Jobs: 4, Processor: p, Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}

	if remote.Failed != 0 || local.Failed != 0 {
		t.Fatalf("failed: %d here, %d through the queue", local.Failed, remote.Failed)
	}
	type counts struct{ Files, Submissions, Skipped, Written, Duplicates, Complete, Incomplete, Unreadable, Findings int }
	count := func(s Stats) counts {
		return counts{s.Files, s.Submissions, s.Skipped, s.Written, s.Duplicates, s.Complete, s.Incomplete, s.Unreadable, s.Findings}
	}
	if count(local) != count(remote) {
		t.Errorf("counts here %+v, through the queue %+v", count(local), count(remote))
	}
	if !maps.Equal(local.ByCode, remote.ByCode) {
		t.Errorf("findings by code here %v, through the queue %v", local.ByCode, remote.ByCode)
	}
	if local.Written != tr.apps+1 {
		t.Errorf("%d records, want %d", local.Written, tr.apps+1)
	}

	for _, r := range readRecords(t, localOut) {
		if r.Job != nil {
			t.Errorf("%s: made here but job %q", names(r), *r.Job)
		}
	}
	for _, r := range readRecords(t, natsOut) {
		// A submission with a file over the limit is made here.
		here := slices.ContainsFunc(r.Findings, func(f schema.Finding) bool { return f.Code == schema.CodeDocumentUnreadable })
		if r.Job == nil && !here || r.SubmissionID == nil || !strings.HasPrefix(*r.SubmissionID, "batch-") {
			t.Errorf("%s: made on the queue but job %v, submission %v", names(r), r.Job, r.SubmissionID)
		}
	}
	want, got := byContent(t, readRecords(t, localOut)), byContent(t, readRecords(t, natsOut))
	for k, w := range want {
		switch g, ok := got[k]; {
		case !ok:
			t.Errorf("no record through the queue for %s", w[:min(len(w), 300)])
		case g != w:
			t.Errorf("records differ:\n here: %s\nqueue: %s", w, g)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("a record only through the queue: %s", g[:min(len(g), 300)])
		}
	}

	// The workers made them: every record but the large submission's is on
	// the records stream.
	_, js := e.connect(queue.RoleClient, false)
	onStream := 0
	if err := queue.List(ctx, js, queue.StreamRecords, false, func(jetstream.Msg) error { onStream++; return nil }); err != nil {
		t.Fatal(err)
	}
	if onStream != remote.Written-1 {
		t.Errorf("%d records on %s, want %d (all but the one with a file over the limit)", onStream, queue.StreamRecords, remote.Written-1)
	}

	lr, nr := registerRows(t, localReg), registerRows(t, natsReg)
	for _, sheet := range []string{SheetApplications, SheetFindings, SheetTotals} {
		if len(lr[sheet]) < 2 {
			t.Errorf("%s: %d rows", sheet, len(lr[sheet]))
		}
		if !slices.EqualFunc(lr[sheet], nr[sheet], slices.Equal) {
			t.Errorf("register sheet %s differs:\n here: %q\nqueue: %q", sheet, lr[sheet], nr[sheet])
		}
	}
}

// stopAfter hands submissions to a processor and, once n records have
// come back, stops the server before returning the nth.
type stopAfter struct {
	p    Processor
	n    int64
	done atomic.Int64
	once sync.Once
	stop func()
}

func (s *stopAfter) Process(ctx context.Context, id string, files []normalizer.File) (*schema.Record, error) {
	rec, err := s.p.Process(ctx, id, files)
	if err == nil && s.done.Add(1) == s.n {
		s.once.Do(s.stop)
	}
	return rec, err
}

// lockedBuffer collects the log lines of a run's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestViaNATSServerStops: the server stops in the middle of a run
// through the queue. The submissions not done count as failed, each
// logged with its files and the reason, none written; the run ends
// (within the grace, not after the client's reconnect attempts). A
// resumed run against the restarted server (same store) writes the rest:
// one record per submission, none twice, none missing.
func TestViaNATSServerStops(t *testing.T) {
	dir := t.TempDir()
	tr := makeTree(t, filepath.Join(dir, "in"), natsTreeSize)
	out, reg := filepath.Join(dir, "records.jsonl"), filepath.Join(dir, "register.xlsx")
	ctx, cancel := context.WithTimeout(context.Background(), natsGuard)
	defer cancel()

	e := newNATS(t)
	e.startWorkers(2)
	var logged lockedBuffer
	log := slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelWarn}))
	sa := &stopAfter{p: e.processor(500*time.Millisecond, log), n: 4, stop: e.stop}
	start := time.Now()
	st, err := Run(ctx, Options{Paths: []string{tr.root}, Out: out, Register: reg, Jobs: 2, Processor: sa, Log: log})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Logf("first run: %d written, %d failed in %v", st.Written, st.Failed, time.Since(start).Round(time.Millisecond))
	if st.Written < int(sa.n) || st.Failed == 0 {
		t.Fatalf("written %d, failed %d: want at least %d written and some failed", st.Written, st.Failed, sa.n)
	}
	if got := st.Written + st.Failed + st.Duplicates; got != st.Submissions || st.SubmissionsDone != st.Submissions {
		t.Errorf("written %d + failed %d + duplicates %d = %d, done %d, want %d submissions", st.Written, st.Failed, st.Duplicates, got, st.SubmissionsDone, st.Submissions)
	}
	if n := len(readRecords(t, out)); n != st.Written {
		t.Errorf("the output holds %d records, the stats say %d", n, st.Written)
	}
	if _, err := os.Stat(reg); err != nil {
		t.Errorf("register: %v", err)
	}
	failures := 0
	for line := range strings.SplitSeq(strings.TrimSpace(logged.String()), "\n") {
		var l struct{ Msg, Submission, Files, Err string }
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if !strings.HasPrefix(l.Msg, "submission failed") {
			continue
		}
		failures++
		if l.Submission == "" || l.Files == "" || !strings.Contains(l.Err, queue.ErrUnreachable.Error()) {
			t.Errorf("failure logged without its submission, files or reason: %s", line)
		}
		for _, f := range strings.Split(l.Files, ", ") {
			if !strings.HasPrefix(f, tr.root) {
				t.Errorf("failure names %q, not a path under the tree", f)
			}
		}
	}
	if failures != st.Failed {
		t.Errorf("%d failures logged, %d counted:\n%s", failures, st.Failed, logged.String())
	}

	// Resume against the restarted server, from a new connection (a new
	// ansokan batch); the workers reconnect by themselves.
	e.start()
	st2, err := Run(ctx, Options{Paths: []string{tr.root}, Out: out, Register: reg, Resume: true, Jobs: 2, Processor: e.processor(10*time.Second, quietLog()), Log: quietLog()})
	if err != nil {
		t.Fatalf("resumed run: %v", err)
	}
	// A copy of a submission written in the first run counts as resumed
	// now, not as a duplicate.
	if st2.Failed != 0 || st2.Written != st.Failed || st2.Written+st2.Resumed+st2.Duplicates != st2.Submissions || st.Written+st2.Written != tr.apps {
		t.Errorf("resumed run: written %d, resumed %d, duplicates %d, failed %d of %d submissions; want the %d that failed written, none failed",
			st2.Written, st2.Resumed, st2.Duplicates, st2.Failed, st2.Submissions, st.Failed)
	}
	recs := readRecords(t, out)
	checkGrouping(t, tr, recs)
	checkRegister(t, reg, recs)
}

// funcProcessor makes records with a function: the Processor contract
// on batch's side, without a queue.
type funcProcessor func(ctx context.Context, id string, files []normalizer.File) (*schema.Record, error)

func (f funcProcessor) Process(ctx context.Context, id string, files []normalizer.File) (*schema.Record, error) {
	return f(ctx, id, files)
}

// TestProcessorContract: what batch does with a Processor's answers. A
// record is written; an error, no record, or the record of other files
// count the submission as failed and write nothing; the ids are content
// ids; a submission with a file over the size limit never reaches the
// Processor.
func TestProcessorContract(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	s := loadSamples(t)
	for i, name := range []string{"ok", "fel", "inget", "andra"} {
		os.MkdirAll(filepath.Join(in, name), 0o755)
		os.WriteFile(filepath.Join(in, name, name+".docx"), variant(t, s[0].docx, i), 0o644)
	}
	const limit = 256 << 10
	addLarge(t, in, limit)
	other := normalizer.Process(context.Background(), []normalizer.File{{Name: "x.docx", Data: s[1].docx}}, nil, nil)
	var mu sync.Mutex
	var ids []string
	p := funcProcessor(func(ctx context.Context, id string, files []normalizer.File) (*schema.Record, error) {
		mu.Lock()
		ids = append(ids, id)
		mu.Unlock()
		var sums []string
		for _, f := range files {
			sums = append(sums, sum(f.Data))
		}
		if id != SubmissionID(sums) {
			t.Errorf("id %s, want %s", id, SubmissionID(sums))
		}
		switch filepath.Base(files[0].Name) {
		case "fel.docx":
			return nil, errors.New("the cluster is on fire")
		case "inget.docx":
			return nil, nil
		case "andra.docx":
			return other, nil
		case "Ansökan.docx":
			t.Errorf("the submission with a file over the limit reached the processor")
		}
		return normalizer.Process(ctx, files, nil, nil), nil
	})
	var logged lockedBuffer
	out := filepath.Join(dir, "records.jsonl")
	st, err := Run(context.Background(), Options{Paths: []string{in}, Out: out, Limits: Limits{MaxFileBytes: limit}, Jobs: 2, Processor: p,
		Log: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	recs := readRecords(t, out)
	got := make([]string, 0, len(recs))
	for _, r := range recs {
		got = append(got, names(r))
	}
	slices.Sort(got)
	if want := []string{"Ansökan.docx, Underskriven ansökan.pdf", "ok.docx"}; !slices.Equal(got, want) || st.Written != 2 || st.Failed != 3 {
		t.Errorf("records %q (written %d, failed %d), want %q and 3 failed", got, st.Written, st.Failed, want)
	}
	for _, want := range []string{"the cluster is on fire", "no record", "record of other files", filepath.Join(in, "fel", "fel.docx")} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logged.String())
		}
	}
	if len(ids) != 4 {
		t.Errorf("%d submissions reached the processor, want 4", len(ids))
	}
}
