package queue

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// violations connects as id and returns the connection's JetStream and
// the permission violations the server reports on it, as they come.
func connectWatched(t *testing.T, url string, id *Identity) (jetstream.JetStream, <-chan string) {
	t.Helper()
	seen := make(chan string, 64)
	opts := append(id.Options(), nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		if errors.Is(err, nats.ErrPermissionViolation) {
			select {
			case seen <- err.Error():
			default:
			}
		}
	}))
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js, seen
}

// refused runs op, which the server must refuse: op fails, and the
// server reports a violation naming subject. (A refused publish is not
// answered; the request ends at its deadline, so it is short.)
func refused(t *testing.T, seen <-chan string, subject string, op func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	err := op(ctx)
	cancel()
	if err == nil {
		t.Errorf("%s: allowed", subject)
		return
	}
	timeout := time.After(guard)
	for {
		select {
		case v := <-seen:
			if strings.Contains(v, `"`+subject+`"`) {
				return
			}
		case <-timeout:
			t.Errorf("%s: failed (%v) but the server reported no violation", subject, err)
			return
		}
	}
}

// A client without credentials, or with an identity the server does not
// know, cannot connect: it reads nothing, purges nothing.
func TestNoCredentialsRefused(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	if nc, err := nats.Connect(e.url, nats.Timeout(5*time.Second)); !errors.Is(err, nats.ErrAuthorization) {
		if nc != nil {
			nc.Close()
		}
		t.Errorf("no credentials: %v, want an authorization violation", err)
	}
	stranger, err := NewIdentity(RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if nc, err := nats.Connect(e.url, append(stranger.Options(), nats.Timeout(5*time.Second))...); !errors.Is(err, nats.ErrAuthorization) {
		if nc != nil {
			nc.Close()
		}
		t.Errorf("an unknown NKey: %v, want an authorization violation", err)
	}
	if nc, err := nats.Connect(e.url, nats.UserInfo("admin", "admin"), nats.Timeout(5*time.Second)); !errors.Is(err, nats.ErrAuthorization) {
		if nc != nil {
			nc.Close()
		}
		t.Errorf("a user and password: %v, want an authorization violation", err)
	}
}

// A worker makes records but cannot purge or delete a stream, delete the
// files bucket, or read the client's replies.
func TestWorkerPermissions(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	startWorker(t, e.wjs, WorkerConfig{})
	r := submit(t, e.client, sampleFile(t, "a-sprangbradan.docx"))
	if _, _, err := e.client.Wait(ctxGuard(t), r); err != nil {
		t.Fatal(err)
	}

	js, seen := connectWatched(t, e.url, e.ids[RoleWorker])
	ctx := ctxGuard(t)
	records, err := js.Stream(ctx, StreamRecords)
	if err != nil {
		t.Fatal(err)
	}
	refused(t, seen, "$JS.API.STREAM.PURGE."+StreamRecords, func(ctx context.Context) error { return records.Purge(ctx) })
	refused(t, seen, "$JS.API.STREAM.DELETE."+StreamRecords, func(ctx context.Context) error { return js.DeleteStream(ctx, StreamRecords) })
	refused(t, seen, "$JS.API.STREAM.DELETE.OBJ_"+BucketFiles, func(ctx context.Context) error { return js.DeleteObjectStore(ctx, BucketFiles) })
	refused(t, seen, "$JS.API.CONSUMER.DELETE."+StreamJobs+"."+ConsumerWorkers, func(ctx context.Context) error {
		return js.DeleteConsumer(ctx, StreamJobs, ConsumerWorkers)
	})
	nc := js.Conn()
	refused(t, seen, "_INBOX_client.>", func(ctx context.Context) error {
		sub, err := nc.SubscribeSync("_INBOX_client.>")
		if err != nil {
			return err
		}
		defer sub.Unsubscribe()
		_, err = sub.NextMsgWithContext(ctx) // nothing comes: the server refused the subscription
		return err
	})

	// All still there.
	if got := listAll(t, e.js, StreamRecords); len(got) != 1 {
		t.Errorf("%d records after the worker's attempts, want 1", len(got))
	}
	if _, err := e.js.ObjectStore(ctx, BucketFiles); err != nil {
		t.Errorf("files bucket: %v", err)
	}
}

// A client submits and reads records and status, but cannot purge, read
// a stored file back, read dead letters or take jobs.
func TestClientPermissions(t *testing.T) {
	e := newEnv(t, testSettings(), 0)
	startWorker(t, e.wjs, WorkerConfig{})
	js, seen := connectWatched(t, e.url, e.ids[RoleClient])
	ctx := ctxGuard(t)
	c, err := Open(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	f := sampleFile(t, "b-nasta-steg.docx")
	r := submit(t, c, f)
	rec, st, err := c.Wait(ctx, r)
	if err != nil || st.State != StateDone || len(rec) == 0 {
		t.Fatalf("submit and wait as client: %v %+v", err, st)
	}
	n := 0
	if err := ListLatest(ctx, js, StreamRecords, func(jetstream.Msg) error { n++; return nil }); err != nil || n != 1 {
		t.Errorf("records as client: %d, %v", n, err)
	}
	if sts, err := c.Find(ctx, r.Job.Files[0].SHA256); err != nil || len(sts) != 1 {
		t.Errorf("status as client: %v %v", sts, err)
	}

	records, err := js.Stream(ctx, StreamRecords)
	if err != nil {
		t.Fatal(err)
	}
	refused(t, seen, "$JS.API.STREAM.PURGE."+StreamRecords, func(ctx context.Context) error { return records.Purge(ctx) })
	refused(t, seen, "$JS.API.STREAM.DELETE."+StreamAlerts, func(ctx context.Context) error { return js.DeleteStream(ctx, StreamAlerts) })
	refused(t, seen, "$JS.API.DIRECT.GET.OBJ_"+BucketFiles, func(ctx context.Context) error {
		_, err := readObject(ctx, js, c.files, BucketFiles, r.Job.Files[0].Object)
		return err
	})
	refused(t, seen, "$JS.API.STREAM.INFO."+StreamDead, func(ctx context.Context) error {
		_, err := js.Stream(ctx, StreamDead)
		return err
	})
	refused(t, seen, "$JS.API.CONSUMER.MSG.NEXT."+StreamJobs+"."+ConsumerWorkers, func(ctx context.Context) error {
		sub, err := js.Conn().SubscribeSync(js.Conn().NewInbox())
		if err != nil {
			return err
		}
		defer sub.Unsubscribe()
		if err := js.Conn().PublishRequest("$JS.API.CONSUMER.MSG.NEXT."+StreamJobs+"."+ConsumerWorkers, sub.Subject, []byte(`{"batch":1,"no_wait":true}`)); err != nil {
			return err
		}
		_, err = sub.NextMsgWithContext(ctx)
		return err
	})
	if got := listAll(t, e.js, StreamRecords); len(got) != 1 {
		t.Errorf("%d records after the client's attempts, want 1", len(got))
	}
}

// The identities are files only their owner may read; one readable by
// others is refused; a second call loads the same identities.
func TestIdentityFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "creds")
	ids, err := EnsureIdentities(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("creds folder: %v %v", fi.Mode(), err)
	}
	for _, r := range Roles {
		fi, err := os.Stat(filepath.Join(dir, string(r)+".json"))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", r, fi.Mode(), err)
		}
	}
	again, err := EnsureIdentities(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Roles {
		if again[r].PublicKey != ids[r].PublicKey {
			t.Errorf("%s: a new key on the second start", r)
		}
	}
	client := filepath.Join(dir, "client.json")
	if err := os.Chmod(client, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := EnsureIdentities(dir); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Errorf("a world-readable identity: %v", err)
	}
}
