package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/finsam/ansokan/notify"
	"github.com/finsam/ansokan/queue"
)

// The alert flags are checked before anything starts.
func TestAlertFlags(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--webhook", "https://hook.example/x"}, "--webhook-secret-file"},
		{[]string{"--alert-to", "a@example.se"}, "need --smtp"},
		{[]string{"--alert-to", "a@example.se", "--smtp", "smtp://u@mail.example"}, "--smtp-from"},
		{[]string{"--smtp", "smtp://u@mail.example"}, "sends nothing"},
		{[]string{"--webhook", "ftp://x", "--webhook-secret-file", secret}, "http(s) URL"},
		{[]string{"--alert-on", "incomplete,sometimes"}, "--alert-on"},
	} {
		code, _, stderr := runCmd(t, append([]string{"worker"}, c.args...)...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("worker %v: exit %d, %q; want a usage error naming %q", c.args, code, stderr, c.want)
		}
	}
}

// serve --webhook: an incomplete application submitted gives one signed
// webhook POST, and status shows it sent.
func TestServeWebhook(t *testing.T) {
	secret := []byte("förbundets hemlighet")
	secretFile := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secretFile, append(secret, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	hook := newWebhookReceiver(t, secret)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	url := "nats://" + addr
	t.Setenv(envNATSURL, url)
	store := t.TempDir()
	t.Setenv(envStore, store)
	t.Setenv(envWebhookSecretFile, secretFile) // the environment's fallback
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var serveErr lockedBuffer
	served := make(chan int, 1)
	go func() {
		served <- run(ctx, []string{"serve", "--listen", addr, "--store", store, "--workers", "1",
			"--webhook", hook.url, "--inbox-url", "https://inbox.example.se"}, &bytes.Buffer{}, &serveErr)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, _, stderr := runCmd(t, "status", strings.Repeat("0", 64))
		if strings.Contains(stderr, "never submitted") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not come up: %d %s\n%s", code, stderr, serveErr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}

	docx := "../../samples/b-nasta-steg.docx"
	if code, _, stderr := runCmd(t, "submit", "--wait", docx); code != exitOK {
		t.Fatalf("submit: exit %d\n%s", code, stderr)
	}
	var st queue.Status
	for {
		code, stdout, stderr := runCmd(t, "status", docx)
		if code != exitOK || json.Unmarshal([]byte(stdout), &st) != nil {
			t.Fatalf("status: exit %d %s %s", code, stdout, stderr)
		}
		if len(st.Alerts) == 1 && st.Alerts[0].State == queue.DeliverySent {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no webhook delivery in status: %s\n%s", stdout, serveErr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	posts := hook.posts()
	n := len(posts)
	var p notify.WebhookPayload
	if n > 0 {
		p = posts[0]
	}
	if n != 1 || p.Complete || !strings.HasPrefix(p.RecordURL, "https://inbox.example.se/records/") || st.Alerts[0].Target != notify.TargetWebhook {
		t.Errorf("%d posts, first %+v; status alerts %+v", n, p, st.Alerts)
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
}

// webhookReceiver is an HTTP server on loopback that takes the alert
// webhooks whose HMAC signature checks with secret (401 otherwise).
type webhookReceiver struct {
	url string
	mu  sync.Mutex
	got []notify.WebhookPayload
}

func newWebhookReceiver(t *testing.T, secret []byte) *webhookReceiver {
	h := &webhookReceiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !notify.Verify(secret, body, r.Header.Get(notify.HeaderSignature)) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var p notify.WebhookPayload
		if err := json.Unmarshal(body, &p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		h.got = append(h.got, p)
		h.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	h.url = srv.URL
	return h
}

// posts are the webhooks received so far.
func (h *webhookReceiver) posts() []notify.WebhookPayload {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]notify.WebhookPayload(nil), h.got...)
}
