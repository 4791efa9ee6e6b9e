package queue

import (
	"net"
	"strings"
	"testing"
	"time"
)

// TestServerBusyPort: a server that cannot listen says why at once,
// instead of waiting out the 30 s of ReadyForConnections.
func TestServerBusyPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	start := time.Now()
	ns, err := NewServer(ServerConfig{Listen: l.Addr().String(), StoreDir: t.TempDir(), Identities: testIdentities(t)})
	if err == nil {
		ns.Shutdown()
		ns.WaitForShutdown()
		t.Fatal("the server started on a busy port")
	}
	if !strings.Contains(err.Error(), "address already in use") || strings.Contains(err.Error(), "\n") {
		t.Errorf("error: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %v to fail", took)
	}
}
