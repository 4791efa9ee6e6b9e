package queue

import (
	"errors"
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

// There is no open server: without identities it does not start; beyond
// loopback it needs TLS or the explicit opt-out.
func TestServerOptionsRefuseOpen(t *testing.T) {
	ids := testIdentities(t)
	if _, err := ServerOptions(ServerConfig{Listen: "127.0.0.1:0", StoreDir: t.TempDir()}); err == nil {
		t.Error("a server without identities")
	}
	for _, listen := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:4222", "example.org:4222"} {
		_, err := ServerOptions(ServerConfig{Listen: listen, StoreDir: t.TempDir(), Identities: ids})
		if !errors.Is(err, ErrInsecureListen) {
			t.Errorf("%s without TLS: %v", listen, err)
		}
		if _, err := ServerOptions(ServerConfig{Listen: listen, StoreDir: t.TempDir(), Identities: ids, InsecureListen: true}); err != nil {
			t.Errorf("%s, insecure on purpose: %v", listen, err)
		}
	}
	for _, listen := range []string{"127.0.0.1:0", "localhost:0", "[::1]:0", "127.0.0.2:4222"} {
		if _, err := ServerOptions(ServerConfig{Listen: listen, StoreDir: t.TempDir(), Identities: ids}); err != nil {
			t.Errorf("%s: %v", listen, err)
		}
	}
}
