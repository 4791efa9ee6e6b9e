package isolate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/anyformat"
	"github.com/finsam/ansokan/internal/bigdoc"
)

// The test binary is the child: TestMain hands it to Main. In a child,
// a few file names make it misbehave the ways a real parse can, so the
// tests can watch the pool deal with each.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		real := read
		read = func(name string, data []byte, lim extractor.Limits) (*extractor.Document, error) {
			switch name {
			case "sleep.bin": // a parse that hangs
				time.Sleep(time.Hour)
			case "spin.bin": // a parse that loops
				for x := 0; ; x++ {
					if x < 0 {
						break
					}
				}
			case "crash.bin": // a fault no recover can catch
				go func() { panic("boom in another goroutine") }()
				time.Sleep(time.Hour)
			case "panic.bin": // a bug in ansokan's own code
				panic("a bug")
			case "gogc.bin": // the collector's setting, as text
				gc := debug.SetGCPercent(100)
				debug.SetGCPercent(gc)
				return &extractor.Document{Name: name, Blocks: []extractor.Block{{Kind: extractor.KindParagraph, Text: strconv.Itoa(gc)}}}, nil
			}
			return real(name, data, lim)
		}
	}
	Main()
	os.Exit(m.Run())
}

func newPool(t *testing.T, cfg Config) *Pool {
	t.Helper()
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

type file struct {
	name string
	data []byte
}

func samples(t testing.TB) []file {
	t.Helper()
	var out []file
	for _, pat := range []string{"*.docx", "*.pdf", "*.xlsx"} {
		paths, _ := filepath.Glob(filepath.Join("..", "samples", pat))
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, file{filepath.Base(p), b})
		}
	}
	if len(out) < 5 {
		t.Fatalf("%d samples", len(out))
	}
	return out
}

func docJSON(t *testing.T, d *extractor.Document) string {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// What comes back from a child is what the extractor gives in process,
// documents and errors alike (the sentinels still answer errors.Is).
func TestPoolReadsLikeInProcess(t *testing.T) {
	p := newPool(t, Config{Children: 1})
	for _, f := range samples(t) {
		want, err := anyformat.Read(bytes.NewReader(f.data), int64(len(f.data)), f.name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.Extract(context.Background(), f.name, f.data)
		if err != nil {
			t.Errorf("%s: %v", f.name, err)
			continue
		}
		if docJSON(t, got) != docJSON(t, want) {
			t.Errorf("%s: the child's document differs from the in-process one", f.name)
		}
	}
	kinds := map[string]error{"legacy.doc": extractor.ErrUnsupported, "scan.gif": extractor.ErrUnsupported, "empty.pdf": extractor.ErrEmpty, "text.odt": extractor.ErrUnsupported}
	for name, sentinel := range kinds {
		data, err := os.ReadFile(filepath.Join("..", "extractor", "anyformat", "testdata", "kinds", name))
		if err != nil {
			t.Fatal(err)
		}
		_, want := anyformat.Read(bytes.NewReader(data), int64(len(data)), name)
		_, got := p.Extract(context.Background(), name, data)
		if got == nil || want == nil || got.Error() != want.Error() {
			t.Errorf("%s: error %v, want %v", name, got, want)
		}
		if !errors.Is(want, sentinel) || !errors.Is(got, sentinel) {
			t.Errorf("%s: %v does not wrap %v", name, got, sentinel)
		}
		var e *extractor.Error
		if !errors.As(got, &e) || e.File != name {
			t.Errorf("%s: %#v is not an *extractor.Error naming the file", name, got)
		}
	}
	big := make([]byte, 2<<20)
	small, err := New(Config{Limits: extractor.Limits{MaxFileBytes: 1 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	if _, err := small.Extract(context.Background(), "stor.pdf", big); !errors.Is(err, extractor.ErrLimit) || !strings.Contains(err.Error(), "stor.pdf") {
		t.Errorf("a file over MaxFileBytes: %v", err)
	}
	if s := small.Stats(); s.Started != 0 {
		t.Errorf("a child was started for a file refused by its size: %+v", s)
	}
	_, err = p.Extract(context.Background(), "nothing.docx", nil)
	if !errors.Is(err, extractor.ErrEmpty) {
		t.Errorf("empty file: %v", err)
	}
	if s := p.Stats(); s.Started != 1 || s.Stopped != 0 {
		t.Errorf("stats %+v: want one child for every file, none stopped", s)
	}
}

// A child reads many files and is retired after DocsPerChild.
func TestChildReuse(t *testing.T) {
	p := newPool(t, Config{Children: 1, DocsPerChild: 3})
	f := samples(t)[0]
	idle := 0 // files after which a child was kept for the next
	for range 10 {
		if _, err := p.Extract(context.Background(), f.name, f.data); err != nil {
			t.Fatal(err)
		}
		p.mu.Lock()
		idle += len(p.idle)
		p.mu.Unlock()
	}
	if s := p.Stats(); s.Started != 4 || s.Docs != 10 || idle != 7 {
		t.Errorf("stats %+v, kept %d times: want 4 children for 10 files, 3 each", s, idle)
	}
}

// expectStopped checks the error of a child that was stopped, then that
// the pool reads the next file.
func expectStopped(t *testing.T, p *Pool, err error, limit bool, says string) {
	t.Helper()
	var e *extractor.Error
	if !errors.Is(err, ErrKilled) || !errors.As(err, &e) || e.File == "" {
		t.Fatalf("err %v: want ErrKilled in an *extractor.Error naming the file", err)
	}
	if errors.Is(err, extractor.ErrLimit) != limit {
		t.Errorf("err %v: wraps ErrLimit = %v, want %v", err, !limit, limit)
	}
	if !strings.Contains(err.Error(), says) {
		t.Errorf("err %q does not say %q", err, says)
	}
	if !Retryable(err) {
		t.Errorf("err %v not retryable", err)
	}
	f := samples(t)[0]
	if _, err := p.Extract(context.Background(), f.name, f.data); err != nil {
		t.Errorf("the next file: %v", err)
	}
	if s := p.Stats(); s.Stopped != 1 || s.Started != 2 {
		t.Errorf("stats %+v: want one stopped child and a new one for the next file", s)
	}
}

// generous lets the extractor take bigdoc files past its default limits.
var generous = extractor.Limits{MaxZipUncompressedBytes: 4 << 30, MaxXMLElements: 1 << 30, MaxDocumentItems: 1 << 30, MaxDocumentTextBytes: 4 << 30}

// A file that needs more memory than the child may have: the child dies
// at its limit, the error says so, and the next file is read. The limit
// is far below the big file's need (over a gigabyte) and far above a
// sample's (a few megabytes, but the runtime reserves address space in
// 64 MB arenas, so a 64 MB limit could stop a healthy child).
func TestMemoryLimit(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the address-space limit is Linux only")
	}
	if raceBuild {
		t.Skip("a race build's children have no address-space limit")
	}
	data := bigdoc.DOCX(2_000_000)
	p := newPool(t, Config{Children: 1, Memory: 256 << 20, Limits: generous})
	_, err := p.Extract(context.Background(), "stor.docx", data)
	expectStopped(t, p, err, true, "of memory (limit Memory)")
}

// The same file within its memory but over its time: killed at Timeout.
// The file takes about six seconds to read and the next one a few
// milliseconds, so a one-second limit tells them apart on any machine,
// however loaded.
func TestTimeLimit(t *testing.T) {
	data := bigdoc.DOCX(2_000_000)
	p := newPool(t, Config{Children: 1, Timeout: time.Second, Limits: generous})
	_, err := p.Extract(context.Background(), "stor.docx", data)
	expectStopped(t, p, err, true, "after 1s (limit Timeout)")
}

// A parse that hangs without using CPU is killed at Timeout too.
func TestTimeLimitHang(t *testing.T) {
	p := newPool(t, Config{Children: 1, Timeout: time.Second})
	_, err := p.Extract(context.Background(), "sleep.bin", []byte("x"))
	expectStopped(t, p, err, true, "limit Timeout")
}

// A parse that loops is stopped by its CPU time.
func TestCPULimit(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the CPU limit is Linux only")
	}
	p := newPool(t, Config{Children: 1, CPUTime: time.Second, Timeout: time.Minute})
	_, err := p.Extract(context.Background(), "spin.bin", []byte("x"))
	expectStopped(t, p, err, true, "of CPU time (limit CPUTime)")
}

// A child that dies of a fault says what the fault was.
func TestCrash(t *testing.T) {
	p := newPool(t, Config{Children: 1})
	_, err := p.Extract(context.Background(), "crash.bin", []byte("x"))
	expectStopped(t, p, err, false, "panic: boom in another goroutine")
}

// A panic in the reading code is the file's error; the child lives on.
func TestPanicIsTheFilesError(t *testing.T) {
	p := newPool(t, Config{Children: 1})
	_, err := p.Extract(context.Background(), "panic.bin", []byte("x"))
	if err == nil || errors.Is(err, ErrKilled) || !strings.Contains(err.Error(), "panic.bin: internal error: a bug") {
		t.Errorf("err %v", err)
	}
	f := samples(t)[0]
	if _, err := p.Extract(context.Background(), f.name, f.data); err != nil {
		t.Fatal(err)
	}
	if s := p.Stats(); s.Started != 1 || s.Stopped != 0 {
		t.Errorf("stats %+v: the child should have lived on", s)
	}
}

// A cancelled context stops the child and says so; it is not the file's
// fault and not counted as stopped.
func TestCancel(t *testing.T) {
	p := newPool(t, Config{Children: 1})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := p.Extract(ctx, "sleep.bin", []byte("x"))
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrKilled) {
		t.Errorf("err %v: want context.Canceled", err)
	}
	if s := p.Stats(); s.Stopped != 0 {
		t.Errorf("stats %+v", s)
	}
}

// A command that is not an extraction child is refused with a reason.
func TestNotAChild(t *testing.T) {
	p := newPool(t, Config{Command: []string{"/bin/sh", "-c", "echo not a child >&2; exit 3"}, StartTimeout: 5 * time.Second})
	_, err := p.Extract(context.Background(), "a.docx", []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "did not start as an extraction child") || !strings.Contains(err.Error(), "not a child") || !Retryable(err) {
		t.Errorf("err %v", err)
	}
}

// Files read at once never take more children than the pool has, and
// Close leaves no process behind.
func TestConcurrentAndClose(t *testing.T) {
	p, err := New(Config{Children: 2})
	if err != nil {
		t.Fatal(err)
	}
	files := samples(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(files))
	for range 4 {
		for _, f := range files {
			wg.Go(func() {
				if _, err := p.Extract(context.Background(), f.name, f.data); err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if s := p.Stats(); s.Started > 2 || s.Docs != 4*len(files) {
		t.Errorf("stats %+v", s)
	}
	var pids []int
	p.mu.Lock()
	for _, c := range p.idle {
		pids = append(pids, c.pid)
	}
	p.mu.Unlock()
	p.Close()
	for _, pid := range pids {
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("child %d still there after Close: %v", pid, err)
		}
	}
	if _, err := p.Extract(context.Background(), files[0].name, files[0].data); err == nil {
		t.Error("Extract after Close worked")
	}
}

// A child runs its collector at Config.GCPercent (default 400), off when
// negative.
func TestChildGCPercent(t *testing.T) {
	for _, tc := range []struct {
		percent int
		want    string
	}{{0, "400"}, {150, "150"}, {-1, "-1"}} {
		p := newPool(t, Config{Children: 1, GCPercent: tc.percent})
		doc, err := p.Extract(context.Background(), "gogc.bin", []byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Blocks) != 1 || doc.Blocks[0].Text != tc.want {
			t.Errorf("GCPercent %d: the child's GOGC is %+v, want %s", tc.percent, doc.Blocks, tc.want)
		}
	}
}
