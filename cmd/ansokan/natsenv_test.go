package main

import (
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/internal/natstest"
	"github.com/finsam/ansokan/queue"
)

// testNATS is an embedded server on loopback as serve runs it
// (natstest); $ANSOKAN_STORE names its store, so the commands find their
// credentials there.
type testNATS struct {
	url   string
	store string
	ns    *server.Server
	ids   map[queue.Role]*queue.Identity
	srv   *natstest.Server
}

func startNATS(t *testing.T, s queue.Settings) *testNATS {
	t.Helper()
	srv := natstest.Start(t, s)
	t.Setenv(envStore, srv.Store)
	return &testNATS{url: srv.URL, store: srv.Store, ns: srv.NS, ids: srv.IDs, srv: srv}
}

// js connects as role until the test ends.
func (n *testNATS) js(t *testing.T, role queue.Role) jetstream.JetStream {
	t.Helper()
	return n.srv.JS(t, role)
}

func connectAs(t *testing.T, url string, id *queue.Identity) jetstream.JetStream {
	t.Helper()
	return natstest.Connect(t, url, id)
}

// credsFile is the file of role's identity in the server's store.
func (n *testNATS) credsFile(role queue.Role) string { return n.srv.CredsFile(role) }
