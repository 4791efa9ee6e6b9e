package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

// The queue commands against 'ansokan serve': submit --wait prints the
// record, records and alerts list what is stored, status reads the
// bucket, reprocess queues again, and serve stops on cancel.
func TestServeAndClients(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	url := "nats://" + addr
	t.Setenv(envNATSURL, url)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var serveErr lockedBuffer
	served := make(chan int, 1)
	store := t.TempDir()
	t.Setenv(envStore, store) // the clients find their credentials there
	go func() {
		served <- run(ctx, []string{"serve", "--listen", addr, "--store", store, "--workers", "2", "--grace", "5s"}, &bytes.Buffer{}, &serveErr)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		// The credentials are made before the server listens.
		id, err := queue.LoadIdentity(queue.CredsFile(store, queue.RoleClient))
		var nc *nats.Conn
		if err == nil {
			nc, err = nats.Connect(url, id.Options()...)
		}
		if err == nil {
			nc.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not come up: %v\n%s", err, serveErr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Setup runs after the server listens: the first command may find no streams.
	for {
		code, _, stderr := runCmd(t, "status", strings.Repeat("0", 64))
		if strings.Contains(stderr, "never submitted") {
			break
		}
		if time.Now().After(deadline) || !strings.Contains(stderr, "not set up") {
			t.Fatalf("status: %d %s", code, stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}

	docx, pdf := "../../samples/seed000-samordnat-stod.docx", "../../samples/a-sprangbradan.pdf"
	code, stdout, stderr := runCmd(t, "submit", "--wait", docx, pdf)
	if code != exitOK {
		t.Fatalf("submit: exit %d\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("submit --wait printed %d lines", len(lines))
	}
	incomplete := 0
	for _, line := range lines {
		var rec schema.Record
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a record: %v", err)
		}
		if !rec.Complete {
			incomplete++
		}
	}

	code, stdout, _ = runCmd(t, "records")
	if n := strings.Count(stdout, "\n"); code != exitOK || n != 2 {
		t.Errorf("records: exit %d, %d lines", code, n)
	}
	code, stdout, _ = runCmd(t, "alerts")
	if n := strings.Count(stdout, "\n"); code != exitOK || n != incomplete {
		t.Errorf("alerts: exit %d, %d lines, want %d", code, n, incomplete)
	}
	code, stdout, stderr = runCmd(t, "status", docx)
	var st queue.Status
	if code != exitOK || json.Unmarshal([]byte(stdout), &st) != nil || st.State != queue.StateDone {
		t.Errorf("status: exit %d %s %s", code, stdout, stderr)
	}
	code, stdout, stderr = runCmd(t, "submit", docx)
	if code != exitOK || !strings.Contains(stderr, "already submitted") || !strings.Contains(stdout, `"duplicate":true`) {
		t.Errorf("second submit: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = runCmd(t, "reprocess")
	if code != exitOK || stdout != "" {
		t.Errorf("reprocess at the current version queued %q", stdout)
	}
	code, stdout, _ = runCmd(t, "dead")
	if code != exitOK || stdout != "" {
		t.Errorf("dead: %d %q", code, stdout)
	}
	// No server: one line naming it, for all the files.
	code, _, stderr = runCmd(t, "submit", "--nats", "nats://127.0.0.1:1", docx, pdf)
	if code != exitFailed || !strings.Contains(stderr, "nats://127.0.0.1:1") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("submit to no server: exit %d %s", code, stderr)
	}

	cancel()
	select {
	case code := <-served:
		if code != exitOK {
			t.Errorf("serve: exit %d\n%s", code, serveErr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(serveErr.String(), "server stopped") {
		t.Errorf("serve log:\n%s", serveErr.String())
	}
}

// lockedBuffer is the stderr of a command running in another goroutine.
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
