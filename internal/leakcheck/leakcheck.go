// Package leakcheck fails a test binary whose goroutines outlive its
// tests: every worker, connection, server and run a test starts must be
// stopped. Call Main from TestMain.
//
// One kind of goroutine is not counted: a goroutine blocked for ever on
// a nil channel (or an empty select) with no frame of ours on its stack.
// It holds nothing of ours and can never run again, so it cannot touch a
// later test; it is a library's bug, not the code under test. nats.go's
// jetstream leaves one now and then: ObjectStore.Put starts
// resetPendingAcksOnReconnect in a goroutine and removes its status
// channel when the put returns; when the removal wins the race, the
// goroutine reads a nil channel and blocks for ever (nats.go v1.55.0,
// jetstream/publish.go newAsyncReply and object.go's deferred
// cleanupReplySub). Any other goroutine left behind fails the binary.
package leakcheck

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// ours is the prefix of this module's functions in a stack dump.
const ours = "github.com/finsam/ansokan/"

// Main runs the tests, then waits up to ten seconds for every goroutine
// started during them to end; when some do not, it prints them and
// fails. It exits the process.
func Main(m *testing.M) {
	before := ids(dump())
	code := m.Run()
	if code == 0 {
		var left []string
		deadline := time.Now().Add(10 * time.Second)
		for {
			left = Leaked(dump(), before)
			if len(left) == 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if len(left) > 0 {
			fmt.Fprintf(os.Stderr, "%d goroutines left after the tests:\n%s\n", len(left), strings.Join(left, "\n\n"))
			code = 1
		}
	}
	os.Exit(code)
}

func dump() string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

// Leaked returns the goroutines of a stack dump that count as leaks:
// not among the ids in before, not the test runner's own, and not
// blocked for ever in library code (see the package comment).
func Leaked(dump string, before map[string]bool) []string {
	var out []string
	for _, g := range strings.Split(strings.TrimSpace(dump), "\n\n") {
		id, state := header(g)
		switch {
		case id == "" || before[id]:
		case strings.Contains(g, "testing.(*M).Run") || strings.Contains(g, "TestMain"):
		case blockedForever(state) && !strings.Contains(g, ours):
		default:
			out = append(out, g)
		}
	}
	return out
}

// blockedForever says whether a goroutine state can never change.
func blockedForever(state string) bool {
	for _, s := range []string{"chan receive (nil chan)", "chan send (nil chan)", "select (no cases)"} {
		if strings.HasPrefix(state, s) {
			return true
		}
	}
	return false
}

// header parses "goroutine 7 [chan receive (nil chan), 3 minutes]:".
func header(g string) (id, state string) {
	line, _, _ := strings.Cut(g, "\n")
	rest, ok := strings.CutPrefix(line, "goroutine ")
	if !ok {
		return "", ""
	}
	id, rest, _ = strings.Cut(rest, " ")
	if i, j := strings.IndexByte(rest, '['), strings.LastIndexByte(rest, ']'); i >= 0 && j > i {
		state = rest[i+1 : j]
	}
	return id, state
}

func ids(dump string) map[string]bool {
	m := map[string]bool{}
	for _, g := range strings.Split(dump, "\n\n") {
		if id, _ := header(g); id != "" {
			m[id] = true
		}
	}
	return m
}
