package batch

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/isolate"
)

// TestMain fails the package when goroutines outlive the tests: every
// run, and every NATS server, connection and worker the --via-nats tests
// start, must be stopped.
//
// The test binary is also the isolate pool's extraction child.
func TestMain(m *testing.M) {
	isolate.Main()
	before := runtime.NumGoroutine()
	code := m.Run()
	if code == 0 {
		deadline := time.Now().Add(10 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			fmt.Fprintf(os.Stderr, "%d goroutines left after the tests (%d before):\n%s\n", n, before, leaked(string(buf)))
			code = 1
		}
	}
	os.Exit(code)
}

// leaked drops the test runner's own goroutines from a stack dump.
func leaked(dump string) string {
	var out []string
	for _, g := range strings.Split(dump, "\n\n") {
		if strings.Contains(g, "testing.(*M).Run") || strings.Contains(g, "TestMain") {
			continue
		}
		out = append(out, g)
	}
	return strings.Join(out, "\n\n")
}
