package main

import (
	"context"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/queue"
)

// testNATS is an embedded server on loopback as serve runs it: the three
// identities in store/creds, the streams set up by admin. $ANSOKAN_STORE
// names its store, so the commands find their credentials there.
type testNATS struct {
	url   string
	store string
	ns    *server.Server
	ids   map[queue.Role]*queue.Identity
}

func startNATS(t *testing.T, s queue.Settings) *testNATS {
	t.Helper()
	store := t.TempDir()
	ids, err := queue.EnsureIdentities(queue.CredsDir(store))
	if err != nil {
		t.Fatal(err)
	}
	ns, err := queue.NewServer(queue.ServerConfig{Listen: "127.0.0.1:0", StoreDir: store, Identities: ids})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	n := &testNATS{url: "nats://" + ns.Addr().(*net.TCPAddr).String(), store: store, ns: ns, ids: ids}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := queue.Setup(ctx, n.js(t, queue.RoleAdmin), s); err != nil {
		t.Fatal(err)
	}
	t.Setenv(envStore, store)
	return n
}

// js connects as role until the test ends.
func (n *testNATS) js(t *testing.T, role queue.Role) jetstream.JetStream {
	t.Helper()
	return connectAs(t, n.url, n.ids[role])
}

func connectAs(t *testing.T, url string, id *queue.Identity) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(url, id.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// credsFile is the file of role's identity in the server's store.
func (n *testNATS) credsFile(role queue.Role) string {
	return filepath.Join(queue.CredsDir(n.store), string(role)+".json")
}
