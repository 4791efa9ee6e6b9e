package browsertest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestMain(m *testing.M) { Main(m) }

// accessible is a small page in the inbox's manner: language sv, a
// title, landmarks, a labelled field, a table with headers, enough
// contrast.
const accessible = `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Inkorg – ansokan</title>
<style>body{font-family:sans-serif;color:#1a1a1a;background:#fff} a{color:#0b4f8a}</style></head>
<body><header><nav aria-label="Huvudmeny"><a href="/">Inkorg</a></nav></header>
<main><h1>Inkorg</h1>
<form><label for="q">Sök titel eller organisation</label> <input id="q" name="q" type="search"> <button>Sök</button></form>
<table><caption>Ansökningar</caption><thead><tr><th scope="col">Mottagen</th><th scope="col">Titel</th><th scope="col">Status</th></tr></thead>
<tbody><tr><td>2026-12-04</td><td>Språngbrädan</td><td>komplett</td></tr></tbody></table>
</main></body></html>`

// inaccessible has two known serious violations: a field without a label
// (rule label, critical) and text of contrast about 1.5:1 (color-contrast,
// serious).
const inaccessible = `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Trasig sida</title></head>
<body><main><h1>Ladda upp</h1>
<p style="color:#d0d0d0;background:#ffffff">Ljusgrå text som knappt syns</p>
<input type="text" name="titel">
</main></body></html>`

func pages(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	for path, body := range map[string]string{"/ok": accessible, "/bad": inaccessible} {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		})
	}
	srv := httptest.NewServer(mux) // loopback
	t.Cleanup(srv.Close)
	return srv
}

func TestAccessiblePage(t *testing.T) {
	start := time.Now()
	ctx := New(t)
	srv := pages(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/ok")); err != nil {
		t.Fatal(err)
	}
	vs, err := Axe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Serious(vs) {
		t.Errorf("accessible page: %s", v.Report())
	}
	AssertAccessible(t, ctx, "/ok")
	if d, ok := Started(); ok {
		t.Logf("browser start %v; this test %v", d.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	}
}

// The must-not-pass case: the harness reports the known violations, and
// AssertAccessible fails the test naming them.
func TestInaccessiblePageReported(t *testing.T) {
	start := time.Now()
	ctx := New(t)
	srv := pages(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/bad")); err != nil {
		t.Fatal(err)
	}
	vs, err := Axe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range Serious(vs) {
		ids = append(ids, v.ID)
	}
	for _, want := range []string{"label", "color-contrast"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe did not report %s as serious or critical; it reported %v", want, ids)
		}
	}
	rec := &recorder{TB: t}
	AssertAccessible(rec, ctx, "/bad")
	msgs := strings.Join(rec.errors, "\n")
	if !rec.failed() || !strings.Contains(msgs, "/bad: accessibility: label (critical)") ||
		!strings.Contains(msgs, "color-contrast (serious)") || !strings.Contains(msgs, "; input <https://") {
		t.Errorf("AssertAccessible on the bad page:\n%s", msgs)
	}
	t.Logf("this test %v (the browser shared, started already or by it)", time.Since(start).Round(time.Millisecond))
}

func TestScreenshot(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bilder")
	t.Setenv(EnvScreenshots, dir)
	ctx := New(t)
	srv := pages(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/ok")); err != nil {
		t.Fatal(err)
	}
	Screenshot(t, ctx, "inkorg")
	b, err := os.ReadFile(filepath.Join(dir, "inkorg.png"))
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("screenshot: %v, %d bytes", err, len(b))
	}
	// Unset: nothing written.
	t.Setenv(EnvScreenshots, "")
	Screenshot(t, ctx, "ingen")
	if _, err := os.Stat(filepath.Join(dir, "ingen.png")); err == nil {
		t.Error("written without $" + EnvScreenshots)
	}
	rec := &recorder{TB: t}
	t.Setenv(EnvScreenshots, dir)
	rec.run(func() { Screenshot(rec, ctx, "../utanför") })
	if !rec.failed() {
		t.Error("a name with a path was taken")
	}
}

// A browser of its own (not the shared one) leaves no process behind,
// not even the crash reporter that leaves its process group, and no
// profile: checked in /proc by the folder every one of its processes
// names.
func TestCloseLeavesNoProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	path, ok, err := findChromium()
	if err != nil || !ok {
		t.Skip(SkipMessage)
	}
	b, err := startBrowser(path)
	if err != nil {
		t.Fatal(err)
	}
	running := processesUsing(b.dir)
	if !slices.Contains(running, b.pid()) || len(running) < 3 {
		t.Fatalf("processes naming %s while the browser (pid %d) runs: %v; want it and its children", b.dir, b.pid(), running)
	}
	t.Logf("%d processes", len(running))
	b.close()
	if left := processesUsing(b.dir); len(left) != 0 {
		t.Errorf("processes outlive close: %v", left)
	}
	for _, pid := range running {
		if stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil && !bytes.Contains(stat, []byte(") Z ")) {
			t.Errorf("process %d still runs: %s", pid, stat)
		}
	}
	if _, err := os.Stat(b.dir); err == nil {
		t.Errorf("the folder %s stays", b.dir)
	}
}

func TestSkipsWithoutChromium(t *testing.T) {
	t.Setenv(EnvChromium, "")
	t.Setenv("PATH", t.TempDir())
	rec := &recorder{TB: t}
	rec.run(func() { New(rec) })
	if rec.skipped != SkipMessage {
		t.Errorf("without a browser: skipped %q, errors %v", rec.skipped, rec.errors)
	}
	t.Setenv(EnvChromium, filepath.Join(t.TempDir(), "chromium"))
	rec = &recorder{TB: t}
	rec.run(func() { New(rec) })
	if !rec.failed() || !strings.Contains(strings.Join(rec.errors, ""), EnvChromium) {
		t.Errorf("$%s naming no program: skipped %q, errors %v", EnvChromium, rec.skipped, rec.errors)
	}
}

// recorder is a testing.TB that keeps what a helper reports; Fatal and
// Skip end the goroutine that run started.
type recorder struct {
	testing.TB
	mu      sync.Mutex
	errors  []string
	skipped string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Skip(args ...any) {
	r.mu.Lock()
	r.skipped = fmt.Sprint(args...)
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recorder) failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errors) > 0
}

// run calls f in a goroutine of its own, so that Fatal and Skip end it
// and not the test.
func (r *recorder) run(f func()) {
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	<-done
}
