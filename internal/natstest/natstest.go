// Package natstest runs a real embedded NATS server for tests, as
// 'ansokan serve' runs it: on a loopback port, with the three identities
// (admin, worker, client) in its store and the streams, buckets and
// consumers set up by admin.
package natstest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

// Server is a running server.
type Server struct {
	URL   string // nats://127.0.0.1:PORT
	Store string // its store; the identities are in Store/creds
	NS    *server.Server
	IDs   map[queue.Role]*queue.Identity
}

// Start starts a server set up with s; it stops when the test ends.
func Start(t testing.TB, s queue.Settings) *Server {
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
	srv := &Server{URL: "nats://" + ns.Addr().String(), Store: store, NS: ns, IDs: ids}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := queue.Setup(ctx, srv.JS(t, queue.RoleAdmin), s); err != nil {
		t.Fatal(err)
	}
	return srv
}

// JS connects as role until the test ends.
func (s *Server) JS(t testing.TB, role queue.Role) jetstream.JetStream {
	t.Helper()
	return Connect(t, s.URL, s.IDs[role])
}

// Client opens a queue client as the client identity.
func (s *Server) Client(t testing.TB) *queue.Client {
	t.Helper()
	c, err := queue.Open(t.Context(), s.JS(t, queue.RoleClient))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// CredsFile is the file of role's identity.
func (s *Server) CredsFile(role queue.Role) string {
	return filepath.Join(queue.CredsDir(s.Store), string(role)+".json")
}

// Connect connects to url as id until the test ends.
func Connect(t testing.TB, url string, id *queue.Identity) jetstream.JetStream {
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

// Records waits, for at most a minute, until the records stream holds n
// records (as js may read them), and returns them in stream order.
func Records(t testing.TB, js jetstream.JetStream, n int) []schema.Record {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var recs []schema.Record
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := queue.List(ctx, js, queue.StreamRecords, false, func(m jetstream.Msg) error {
			data, err := queue.RecordData(ctx, js, m.Headers(), m.Data())
			if err != nil {
				return err
			}
			var r schema.Record
			if err := json.Unmarshal(data, &r); err != nil {
				return err
			}
			recs = append(recs, r)
			return nil
		})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) >= n || time.Now().After(deadline) {
			if len(recs) != n {
				t.Fatalf("%d records, want %d", len(recs), n)
			}
			return recs
		}
		time.Sleep(50 * time.Millisecond)
	}
}
