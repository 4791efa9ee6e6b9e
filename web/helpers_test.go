package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/internal/natstest"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
)

// guard bounds every wait of these tests: generous, never an assertion
// about speed.
const guard = 90 * time.Second

// users is the tests' Verifier: name → password.
type users map[string]string

func (u users) Verify(name, password string) error {
	if p, ok := u[name]; ok && p == password {
		return nil
	}
	return errors.New("wrong name or password")
}

// lockedBuffer is an audit writer the test can read while the server writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// entries returns the audit entries written so far.
func (b *lockedBuffer) entries(t testing.TB) []AuditEntry {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []AuditEntry
	for line := range strings.SplitSeq(strings.TrimSpace(b.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var e AuditEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		out = append(out, e)
	}
	return out
}

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is one embedded NATS server set up for ansokan, the web inbox on
// it (its index running), and an HTTP test server in front.
type env struct {
	t     testing.TB
	url   string // NATS
	ids   map[queue.Role]*queue.Identity
	js    jetstream.JetStream // admin
	wjs   jetstream.JetStream // worker
	srv   *Server
	hs    *httptest.Server
	audit *lockedBuffer
	clock *clock
	nats  *natstest.Server
}

// envOption changes the inbox's config before it is made.
type envOption func(*Config)

func testSettings() queue.Settings {
	return queue.Settings{MaxDeliver: 2, BackOff: []time.Duration{300 * time.Millisecond}, Duplicates: time.Minute}
}

func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	e := &env{t: t, audit: &lockedBuffer{}, clock: &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}}
	ns := natstest.Start(t, testSettings())
	e.url, e.ids, e.nats = ns.URL, ns.IDs, ns
	e.js, e.wjs = ns.JS(t, queue.RoleAdmin), ns.JS(t, queue.RoleWorker)
	cfg := Config{JS: e.js, Verifier: users{"anna": "rätt-lösen", "bo": "annat-lösen"}, Audit: e.audit,
		Logger: testLogger(t), Now: e.clock.Now}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Run(ctx) }()
	e.hs = httptest.NewUnstartedServer(srv.Handler())
	e.hs.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	e.hs.Start()
	t.Cleanup(func() {
		cancel()
		e.hs.CloseClientConnections()
		e.hs.Close()
		<-done
		_ = srv.Close()
	})
	select {
	case <-srv.Ready():
	case <-time.After(guard):
		t.Fatal("index not ready")
	}
	return e
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func ctxGuard(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	t.Cleanup(cancel)
	return ctx
}

// startWorker runs a worker as the worker identity until the test ends
// or stop is called.
func (e *env) startWorker(cfg queue.WorkerConfig) (stop func()) {
	e.t.Helper()
	if cfg.FetchWait == 0 {
		cfg.FetchWait = 200 * time.Millisecond
	}
	if cfg.ShutdownGrace == 0 {
		cfg.ShutdownGrace = 5 * time.Second
	}
	cfg.Logger = testLogger(e.t)
	ctx, cancel := context.WithCancel(context.Background())
	w, err := queue.NewWorker(ctx, e.wjs, cfg)
	if err != nil {
		cancel()
		e.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = w.Run(ctx) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	e.t.Cleanup(stop)
	return stop
}

// failing fails every read as the reader's fault: the job is retried,
// then dead-lettered.
type failing struct{}

var errBroken = errors.New("the reader broke (test)")

func (failing) Extract(context.Context, string, []byte) (*extractor.Document, error) {
	return nil, errBroken
}

// browser is an HTTP client with its own cookies that does not follow
// redirects (the tests look at them).
type browser struct {
	t    testing.TB
	e    *env
	c    *http.Client
	csrf string
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// do sends a request and returns the response with its body read.
func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	if m := csrfRE.FindStringSubmatch(string(body)); m != nil {
		b.csrf = m[1]
	}
	return res, string(body)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]{64})"`)

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.e.hs.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form; the CSRF token last seen is added unless the form
// has one (or has "csrf" set to "" to leave it out).
func (b *browser) post(path string, form url.Values, header ...string) (*http.Response, string) {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	} else if form.Get("csrf") == "" {
		form.Del("csrf")
	}
	req, err := http.NewRequest(http.MethodPost, b.e.hs.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

// login signs in and fails the test when it does not work.
func (b *browser) login(name, password string) {
	b.t.Helper()
	b.get("/login")
	res, body := b.post("/login", url.Values{"name": {name}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("login %s: %s\n%s", name, res.Status, body)
	}
	b.get("/") // the signed-in session's CSRF token
}

// upload posts files as the upload form does (the token as the first part).
func (b *browser) upload(files []normalizer.File, header ...string) (*http.Response, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", b.csrf)
	for _, f := range files {
		fw, err := mw.CreateFormFile("files", f.Name)
		if err != nil {
			b.t.Fatal(err)
		}
		_, _ = fw.Write(f.Data)
	}
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.e.hs.URL+"/upload", &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

// sse is an open event stream.
type sse struct {
	events chan sseEvent
}

type sseEvent struct {
	Name string
	Data map[string]string
}

// events opens /events and delivers its events until the test ends.
func (b *browser) events() *sse {
	b.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.e.hs.URL+"/events", nil)
	res, err := b.c.Do(req)
	if err != nil {
		cancel()
		b.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		b.t.Fatalf("events: %s %s", res.Status, res.Header.Get("Content-Type"))
	}
	s := &sse{events: make(chan sseEvent, 256)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.Name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.Data)
			case line == "" && ev.Name != "":
				select {
				case s.events <- ev:
				case <-ctx.Done():
					return
				}
				ev = sseEvent{}
			}
		}
	}()
	b.t.Cleanup(func() { cancel(); <-done })
	return s
}

// wait returns the first event whose row HTML matches re.
func (s *sse) wait(t testing.TB, re *regexp.Regexp) sseEvent {
	t.Helper()
	return s.waitFor(t, re.String(), re.MatchString)
}

// settled matches a row with a record whose job is done (no longer
// under behandling).
func settled(html string) bool {
	return recordLinkRE.MatchString(html) && !strings.Contains(html, "status-under")
}

// waitForEvent returns the first event of that name.
func (s *sse) waitForEvent(t testing.TB, name string) sseEvent {
	t.Helper()
	timeout := time.After(guard)
	for {
		select {
		case ev := <-s.events:
			if ev.Name == name {
				return ev
			}
		case <-timeout:
			t.Fatalf("no event %s", name)
		}
	}
}

// waitFor returns the first event whose row HTML passes ok.
func (s *sse) waitFor(t testing.TB, what string, ok func(string) bool) sseEvent {
	t.Helper()
	timeout := time.After(guard)
	for {
		select {
		case ev := <-s.events:
			if ok(ev.Data["html"]) {
				return ev
			}
		case <-timeout:
			t.Fatalf("no event matching %s", what)
		}
	}
}

// sample reads a file of samples/.
func sample(t testing.TB, name string) normalizer.File {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	return normalizer.File{Name: name, Data: b}
}

// netipPrefix parses a prefix or fails the test.
func netipPrefix(t testing.TB, s string) netip.Prefix {
	t.Helper()
	p, err := netip.ParsePrefix(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
