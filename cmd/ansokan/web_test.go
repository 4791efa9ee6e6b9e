package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// serve refuses an --http address beyond loopback without TLS unless
// told --insecure-http, and a proxy header without the proxy's address.
func TestServeWebFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--http", "0.0.0.0:0"}, "--insecure-http"},
		{[]string{"--http", ":8080"}, "--insecure-http"},
		{[]string{"--http", "nohost"}, "want HOST:PORT"},
		{[]string{"--trusted-proxy-header", "X-Remote-User"}, "--trusted-proxy"},
		{[]string{"--trusted-proxy-header", "X-Remote-User", "--trusted-proxy", "nonsense"}, "want an address or a CIDR"},
	} {
		code, _, stderr := runCmd(t, append([]string{"serve", "--listen", "127.0.0.1:0", "--store", t.TempDir(), "--workers", "0"}, tc.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("serve %v: exit %d, want %d and %q:\n%s", tc.args, code, exitUsage, tc.want, stderr)
		}
	}
	code, _, stderr := runCmd(t, "web", "--http", "off")
	if code != exitUsage || !strings.Contains(stderr, "nothing to serve") {
		t.Errorf("web --http off: exit %d:\n%s", code, stderr)
	}
}

// webURL is the web inbox's URL a serve logged.
func webURL(t *testing.T, log string) string {
	t.Helper()
	m := regexp.MustCompile(`msg="web inbox listening" (?:component=web )?url=(\S+)`).FindStringSubmatch(log)
	if m == nil {
		t.Fatalf("serve logged no web inbox URL:\n%s", log)
	}
	return m[1]
}

// serve runs the web inbox beside its server; behind a trusted reverse
// proxy's single sign-on, the proxy's header signs officers in and the
// sign-in lands in STORE/audit.jsonl. Without anyone to sign in, the
// inbox stays off and says why.
func TestServeWebInbox(t *testing.T) {
	store := t.TempDir()
	_, log := startServe(t, "--listen", "127.0.0.1:0", "--store", store, "--http", "127.0.0.1:0",
		"--trusted-proxy-header", "X-Remote-User", "--trusted-proxy", "127.0.0.1")
	base := webURL(t, log.String())
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(user string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", base+"/", nil)
		if user != "" {
			req.Header.Set("X-Remote-User", user)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	if res, _ := get(""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("GET / without sign-in: %s", res.Status)
	}
	if res, body := get("dagny"); res.StatusCode != http.StatusOK || !strings.Contains(body, "<h1>Inkorg</h1>") {
		t.Fatalf("GET / as the proxy's user: %s\n%s", res.Status, body)
	}
	b, err := os.ReadFile(filepath.Join(store, "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var e struct{ User, Action string }
	if err := json.Unmarshal([]byte(strings.SplitN(string(b), "\n", 2)[0]), &e); err != nil || e.User != "dagny" || e.Action != "login" {
		t.Errorf("audit log %q: %v", b, err)
	}

	_, off := startServe(t, "--listen", "127.0.0.1:0", "--store", t.TempDir(), "--http", "127.0.0.1:0")
	if !strings.Contains(off.String(), "web inbox off: nobody can sign in") {
		t.Errorf("serve without users:\n%s", off.String())
	}
}

// 'ansokan web' serves the inbox against an external server, as its
// admin identity, and stops with its context.
func TestWebAgainstExternalServer(t *testing.T) {
	store := t.TempDir()
	_, slog := startServe(t, "--listen", "127.0.0.1:0", "--store", store, "--http", "off")
	natsURL := serveURL(t, slog.String())
	ctx, cancel := context.WithCancel(context.Background())
	log := newSignalWriter("web inbox listening")
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"web", "--nats", natsURL, "--creds", filepath.Join(store, "creds", "admin.json"),
			"--audit", filepath.Join(t.TempDir(), "audit.jsonl"), "--http", "127.0.0.1:0",
			"--trusted-proxy-header", "X-Remote-User", "--trusted-proxy", "127.0.0.0/8"}, &bytes.Buffer{}, log)
	}()
	select {
	case <-log.seen:
	case code := <-done:
		cancel()
		t.Fatalf("web ended with %d:\n%s", code, log.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("web did not listen:\n%s", log.String())
	}
	req, _ := http.NewRequest("GET", webURL(t, log.String())+"/dead", nil)
	req.Header.Set("X-Remote-User", "erik")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "<h1>Fel</h1>") {
		t.Errorf("GET /dead: %s\n%s", res.Status, body)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("web: exit %d:\n%s", code, log.String())
	}
}
