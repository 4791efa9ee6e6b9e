// Package browsertest drives a headless Chromium from Go tests
// (chromedp), checks pages with axe-core and writes screenshots.
//
// New starts the browser, or skips the test when none is installed
// (Debian: chromium). A package whose TestMain calls Main shares one
// browser between its tests (start-up takes seconds on a busy machine),
// each test in a tab of its own; without Main each test starts and stops
// its own. The browser runs without a DevTools port (a pipe), with a
// temporary profile, and reaches only loopback: any other address goes
// to a proxy that does not exist.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// EnvChromium names the browser binary, overriding the search of PATH
// for chromium, chromium-browser and google-chrome.
const EnvChromium = "ANSOKAN_CHROMIUM"

// SkipMessage is the skip of a test when no browser is installed.
const SkipMessage = "chromium not installed (Debian: chromium)"

// testTimeout bounds one test's use of its tab: a guard against a hung
// browser, not a measure of speed.
const testTimeout = 3 * time.Minute

// findChromium returns the browser binary: $ANSOKAN_CHROMIUM, else the
// first of chromium, chromium-browser, google-chrome on PATH. ok is
// false when none is found; err when $ANSOKAN_CHROMIUM names no program.
func findChromium() (path string, ok bool, err error) {
	if p := os.Getenv(EnvChromium); p != "" {
		found, err := exec.LookPath(p)
		if err != nil {
			return "", false, fmt.Errorf("$%s=%q: %w", EnvChromium, p, err)
		}
		return found, true, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true, nil
		}
	}
	return "", false, nil
}

// browser is one running Chromium.
type browser struct {
	ctx         context.Context // the browser's first tab; new tabs derive from it
	cancel      context.CancelFunc
	cancelAlloc context.CancelFunc // stops the process and waits for it
	dir         string             // the profile and crash folder
	started     time.Duration      // how long the start took
}

// startBrowser starts Chromium at path and waits until it answers.
func startBrowser(path string) (*browser, error) {
	// One temporary folder holds the profile and the crash reporter's
	// database (which would go to ~/.config/chromium otherwise): every
	// process of this browser names it, so close finds them all.
	dir, err := os.MkdirTemp("", "ansokan-chromium-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Flag("crash-dumps-dir", filepath.Join(dir, "crash")),
		// Loopback only: everything else goes to a proxy nobody runs.
		// (Chromium sends loopback direct whatever the proxy.)
		chromedp.ProxyServer("http://127.0.0.1:9"),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "sv-SE"),
		chromedp.WindowSize(1280, 900),
		// --no-sandbox when root: chromedp adds it by itself.
	)
	start := time.Now()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	b := &browser{ctx: ctx, cancel: cancel, cancelAlloc: cancelAlloc, dir: dir}
	if err := chromedp.Do(ctx); err != nil {
		b.close()
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	b.started = time.Since(start)
	return b, nil
}

// close stops the browser and returns once its process and every other
// process naming its folder (children, the crash reporter, which leaves
// the process group) have ended, and the folder is removed.
func (b *browser) close() {
	b.cancel()
	b.cancelAlloc() // kills the browser and waits for it
	deadline := time.Now().Add(10 * time.Second)
	for killProcessesUsing(b.dir) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // a killed process takes a moment to go
	}
	os.RemoveAll(b.dir)
}

// pid is the browser process's id (0 when unknown).
func (b *browser) pid() int {
	if c := chromedp.FromContext(b.ctx); c != nil && c.Browser != nil && c.Browser.Process() != nil {
		return c.Browser.Process().Pid
	}
	return 0
}

// shared is the browser of a package whose TestMain calls Main.
var shared struct {
	mu   sync.Mutex
	on   bool // Main runs the tests
	b    *browser
	err  error
	done bool // started (or failed to)
}

// Main runs the package's tests sharing one browser, stops it after
// them, and exits.
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
func Main(m *testing.M) {
	shared.mu.Lock()
	shared.on = true
	shared.mu.Unlock()
	code := m.Run()
	shared.mu.Lock()
	if shared.b != nil {
		shared.b.close()
		shared.b = nil
	}
	shared.mu.Unlock()
	os.Exit(code)
}

// sharedBrowser starts the shared browser on first use. ok is false when
// the package does not share one (no Main).
func sharedBrowser(path string) (b *browser, ok bool, err error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.on {
		return nil, false, nil
	}
	if !shared.done {
		shared.b, shared.err = startBrowser(path)
		shared.done = true
	}
	return shared.b, true, shared.err
}

// New returns a chromedp context on a fresh tab, in a fresh browser
// context (no cookies), of a headless Chromium,
// closed when the test ends (and the browser with it, unless shared
// through Main). It skips the test when no browser is installed, and
// fails it when $ANSOKAN_CHROMIUM names no program.
func New(t testing.TB) context.Context {
	t.Helper()
	path, ok, err := findChromium()
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	if !ok {
		t.Skip(SkipMessage)
	}
	b, isShared, err := sharedBrowser(path)
	if !isShared {
		if b, err = startBrowser(path); err == nil {
			t.Cleanup(b.close)
		}
	}
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	// A browser context of its own: the test's cookies and storage are
	// nobody else's (a second New is a second person). A tab opened
	// from ctx (chromedp.NewContext(ctx)) shares them.
	tab, closeTab := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(tab); err != nil {
		closeTab()
		t.Fatalf("browsertest: open a tab: %v", err)
	}
	ctx, stop := context.WithTimeout(tab, testTimeout)
	t.Cleanup(func() {
		stop()
		closeTab()
	})
	return ctx
}

// Started is how long the shared browser took to start, for a test to
// report; false before it started or without Main.
func Started() (time.Duration, bool) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.b == nil {
		return 0, false
	}
	return shared.b.started, true
}
