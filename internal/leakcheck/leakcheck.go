// Package leakcheck fails a test binary whose goroutines outlive its
// tests: every worker, connection, server and run a test starts must be
// stopped. Call Main from TestMain.
package leakcheck

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Main runs the tests, then waits up to ten seconds for the goroutines
// to fall back to their number before the tests; when they do not, it
// prints the ones left and fails. It exits the process.
func Main(m *testing.M) {
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
			fmt.Fprintf(os.Stderr, "%d goroutines left after the tests (%d before):\n%s\n", n, before, Leaked(string(buf)))
			code = 1
		}
	}
	os.Exit(code)
}

// Leaked drops the test runner's own goroutines from a stack dump.
func Leaked(dump string) string {
	var out []string
	for _, g := range strings.Split(dump, "\n\n") {
		if strings.Contains(g, "testing.(*M).Run") || strings.Contains(g, "TestMain") {
			continue
		}
		out = append(out, g)
	}
	return strings.Join(out, "\n\n")
}
