package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/finsam/ansokan/internal/testcert"
	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

// serveURL is the client URL a serve logged.
func serveURL(t *testing.T, log string) string {
	t.Helper()
	m := regexp.MustCompile(`msg=listening url=(\S+)`).FindStringSubmatch(log)
	if m == nil {
		t.Fatalf("serve logged no URL:\n%s", log)
	}
	return m[1]
}

// serve with a --listen beyond loopback and no TLS refuses to start and
// says what to give; with --insecure-listen it starts, warning loudly.
func TestServeRefusesOpenListen(t *testing.T) {
	for _, listen := range []string{"0.0.0.0:0", ":0"} {
		code, _, stderr := runCmd(t, "serve", "--listen", listen, "--store", t.TempDir(), "--workers", "0")
		if code != exitUsage || !strings.Contains(stderr, "--tls-cert") || !strings.Contains(stderr, "--insecure-listen") {
			t.Errorf("serve --listen %s: exit %d:\n%s", listen, code, stderr)
		}
	}
	stop, log := startServe(t, "--listen", "0.0.0.0:0", "--insecure-listen", "--store", t.TempDir())
	if code := stop(); code != exitOK {
		t.Errorf("serve --insecure-listen: exit %d:\n%s", code, log.String())
	}
	if !strings.Contains(log.String(), "level=WARN msg=\"INSECURE") {
		t.Errorf("no warning:\n%s", log.String())
	}
}

// The commands find their identity in the store of serve (--store,
// $ANSOKAN_STORE) or take --creds; without credentials the server refuses
// them, and the error says where they looked.
func TestClientsNeedCredentials(t *testing.T) {
	store := t.TempDir()
	_, log := startServe(t, "--listen", "127.0.0.1:0", "--store", store)
	url := serveURL(t, log.String())
	for _, r := range queue.Roles {
		fi, err := os.Stat(queue.CredsFile(store, r))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s credentials: %v %v", r, fi, err)
		}
	}

	t.Setenv(envStore, t.TempDir()) // no credentials there
	for _, args := range [][]string{
		{"records", "--nats", url},
		{"status", strings.Repeat("0", 64), "--nats", url},
		{"submit", "../../samples/b-nasta-steg.docx", "--nats", url},
		{"records", "--nats", url, "--user", "admin", "--password", "admin"},
	} {
		code, stdout, stderr := runCmd(t, args...)
		if code != exitFailed || stdout != "" || !strings.Contains(stderr, "Authorization Violation") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d %q:\n%s", args, code, stdout, stderr)
		}
	}
	if _, _, stderr := runCmd(t, "records", "--nats", url); !strings.Contains(stderr, "no credentials") {
		t.Errorf("the error does not say there were no credentials:\n%s", stderr)
	}

	for _, args := range [][]string{
		{"records", "--nats", url, "--store", store},
		{"records", "--nats", url, "--creds", queue.CredsFile(store, queue.RoleClient)},
		{"dead", "--nats", url, "--store", store},
	} {
		if code, _, stderr := runCmd(t, args...); code != exitOK {
			t.Errorf("%q: exit %d:\n%s", args, code, stderr)
		}
	}
	t.Setenv(envStore, store)
	if code, _, stderr := runCmd(t, "records", "--nats", url); code != exitOK {
		t.Errorf("records with $%s: exit %d:\n%s", envStore, code, stderr)
	}
}

// submit against a server that takes the connection but never answers
// tries once, for all its files, and says so in one line naming it.
func TestSubmitDeadServerOnce(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu       sync.Mutex
		accepted int
		conns    []net.Conn
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			accepted++
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	url := "nats://" + l.Addr().String()
	files := []string{"../../samples/a-sprangbradan.docx", "../../samples/b-nasta-steg.docx", "../../samples/a-sprangbradan.pdf"}
	start := time.Now()
	code, stdout, stderr := runCmd(t, append([]string{"submit", "--nats", url}, files...)...)
	took := time.Since(start)
	l.Close()
	<-done
	mu.Lock()
	defer mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
	if code != exitFailed || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, url) {
		t.Errorf("exit %d %q:\n%s", code, stdout, stderr)
	}
	if accepted != 1 {
		t.Errorf("%d connections for %d files, want 1", accepted, len(files))
	}
	t.Logf("gave up after %v: %s", took, strings.TrimSpace(stderr))
	if took > 3*connectTimeout {
		t.Errorf("took %v to give up", took)
	}
}

// bigDocx is a sample with about 10.8 MB of answer text added to its
// purpose: a record over ten times NATS's default max_payload.
func bigDocx(t *testing.T) string {
	t.Helper()
	words := strings.Fields("arbete studier stöd deltagare insats samverkan kontaktperson rutin mål förutsättningar kommun region")
	var b strings.Builder
	for i := 0; b.Len() < 10_800_000; i++ {
		if i > 0 {
			b.WriteString("</w:t></w:r></w:p><w:p><w:r><w:t>")
		}
		for j := range 400 {
			b.WriteString(words[(i*7+j*j)%len(words)])
			b.WriteByte(' ')
		}
		b.WriteString("slut.")
	}
	old := "Syftet med insatsen är att ge unga vuxna"
	dst := filepath.Join(t.TempDir(), "stor.docx")
	rewriteDocx(t, "../../samples/a-sprangbradan.docx", dst, old, b.String()+" "+old)
	return dst
}

// A .docx whose record is over 10 MB goes through serve's workers, and
// submit --wait, records and alerts print it whole.
func TestLargeRecordThroughServe(t *testing.T) {
	docx := bigDocx(t)
	store := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	log := newSignalWriter("workers started")
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--store", store, "--workers", "1", "--in-process"}, &bytes.Buffer{}, log)
	}()
	defer func() { cancel(); <-done }()
	select {
	case <-log.seen:
	case code := <-done:
		t.Fatalf("serve ended with %d:\n%s", code, log.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start:\n%s", log.String())
	}
	url := serveURL(t, log.String())
	t.Setenv(envStore, store)

	start := time.Now()
	code, stdout, stderr := runCmd(t, "submit", "--wait", "--nats", url, docx)
	if code != exitOK {
		t.Fatalf("submit --wait: exit %d:\n%s\nserve:\n%s", code, stderr, log.String())
	}
	t.Logf("submit --wait: %d bytes in %v", len(stdout), time.Since(start))
	check := func(what, out string) schema.Record {
		t.Helper()
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != 1 || len(lines[0]) < 10<<20 {
			t.Fatalf("%s: %d lines, the first %d bytes", what, len(lines), len(lines[0]))
		}
		var rec schema.Record
		if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if p := rec.Sections["purpose"].Text; len(p) < 10_000_000 {
			t.Errorf("%s: purpose has %d bytes", what, len(p))
		}
		return rec
	}
	rec := check("submit --wait", stdout)
	start = time.Now()
	code, stdout, stderr = runCmd(t, "records", "--nats", url)
	if code != exitOK {
		t.Fatalf("records: exit %d:\n%s", code, stderr)
	}
	t.Logf("records: %d bytes in %v", len(stdout), time.Since(start))
	check("records", stdout)
	if !rec.Complete {
		code, stdout, stderr = runCmd(t, "alerts", "--nats", url, "--latest")
		if code != exitOK {
			t.Fatalf("alerts: exit %d:\n%s", code, stderr)
		}
		check("alerts", stdout)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T) (cert, key string) {
	t.Helper()
	return testcert.New(t).Write(t, t.TempDir())
}

// serve with --tls-cert: a client that trusts the certificate (--tls-ca)
// connects; one that does not is refused.
func TestServeTLS(t *testing.T) {
	cert, key := selfSigned(t)
	store := t.TempDir()
	_, log := startServe(t, "--listen", "127.0.0.1:0", "--store", store, "--tls-cert", cert, "--tls-key", key)
	url := serveURL(t, log.String())
	t.Setenv(envStore, store)
	if code, _, stderr := runCmd(t, "records", "--nats", url, "--tls-ca", cert); code != exitOK {
		t.Errorf("records --tls-ca: exit %d:\n%s", code, stderr)
	}
	if code, _, stderr := runCmd(t, "records", "--nats", url); code != exitFailed || !strings.Contains(stderr, "certificate") {
		t.Errorf("records without the CA: exit %d:\n%s", code, stderr)
	}
}
