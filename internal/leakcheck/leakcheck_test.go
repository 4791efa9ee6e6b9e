package leakcheck

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestLeaked(t *testing.T) {
	dump := "goroutine 1 [chan receive]:\ntesting.(*M).Run(...)\n\n" +
		"goroutine 3 [select]:\nmain.started.before()\n\n" +
		"goroutine 7 [select]:\nmain.worker()\n\n" +
		"goroutine 8 [chan receive (nil chan), 2 minutes]:\ngithub.com/nats-io/nats.go/jetstream.(*jetStream).resetPendingAcksOnReconnect(...)\n\n" +
		"goroutine 10 [chan receive (nil chan)]:\ngithub.com/finsam/ansokan/queue.(*Worker).run(...)\n\n" +
		"goroutine 11 [chan receive]:\ngithub.com/nats-io/nats.go/jetstream.(*jetStream).resetPendingAcksOnReconnect(...)\n\n" +
		"goroutine 9 [running]:\nmain.TestMain(...)"
	got := Leaked(dump, map[string]bool{"3": true})
	want := []string{
		"goroutine 7 [select]:\nmain.worker()",
		"goroutine 10 [chan receive (nil chan)]:\ngithub.com/finsam/ansokan/queue.(*Worker).run(...)",
		"goroutine 11 [chan receive]:\ngithub.com/nats-io/nats.go/jetstream.(*jetStream).resetPendingAcksOnReconnect(...)",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Leaked =\n%q\nwant\n%q", got, want)
	}
}

// TestLeakedLive checks the parser on the runtime's real dump: a
// goroutine started here and still running is found, and once it ends
// it is not.
func TestLeakedLive(t *testing.T) {
	before := ids(dump())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { <-ctx.Done(); close(done) }()
	if left := Leaked(dump(), before); len(left) != 1 || !strings.Contains(left[0], "TestLeakedLive") {
		t.Fatalf("running goroutine not found: %q", left)
	}
	cancel()
	<-done
	deadline := time.Now().Add(5 * time.Second)
	for len(Leaked(dump(), before)) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if left := Leaked(dump(), before); len(left) > 0 {
		t.Fatalf("ended goroutine still reported: %q", left)
	}
}
