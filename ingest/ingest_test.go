package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/internal/dovecottest"
	"github.com/finsam/ansokan/internal/mailtest"
	"github.com/finsam/ansokan/internal/natstest"
	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

const guard = 60 * time.Second

// pipeline is a real embedded NATS server with a worker: what the
// messages are submitted to.
type pipeline struct {
	client *queue.Client
	admin  jetstream.JetStream
}

func startPipeline(t *testing.T) *pipeline {
	t.Helper()
	srv := natstest.Start(t, queue.Settings{})
	p := &pipeline{admin: srv.JS(t, queue.RoleAdmin), client: srv.Client(t)}
	w, err := queue.NewWorker(t.Context(), srv.JS(t, queue.RoleWorker), queue.WorkerConfig{Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.Run(wctx) }()
	t.Cleanup(func() { stop(); <-done })
	return p
}

// records waits until the records stream holds n records, and returns them.
func (p *pipeline) records(t *testing.T, n int) []schema.Record {
	t.Helper()
	return natstest.Records(t, p.admin, n)
}

// run runs an Ingest until the test ends (or stop), and returns its
// error channel.
func run(t *testing.T, in *Ingest) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- in.Run(ctx) }()
	var err error
	stopped := false
	stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			err = <-done
		}
		return err
	}
	t.Cleanup(func() { stop() })
	return stop
}

// eventually polls cond until it holds or the guard passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(guard)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func application(t *testing.T, id string) []byte {
	t.Helper()
	m := mailtest.Message{ID: "<" + id + ">", From: "Björn Åström <bjorn@kommun.example.se>",
		Subject: "=?UTF-8?Q?Ans=C3=B6kan_Spr=C3=A5ngbr=C3=A4dan?=", Date: "Fri, 04 Dec 2026 10:15:00 +0100", Text: "Hej, här är vår ansökan."}
	for _, n := range []string{"a-sprangbradan.docx", "a-sprangbradan-budget.xlsx"} {
		m.Parts = append(m.Parts, mailtest.Part{Name: "Bilaga " + n, Naming: mailtest.RFC2231, Data: sample(t, n)})
	}
	return m.Bytes()
}

func logger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Over implicit TLS with a password: the message waiting at start and one
// arriving while ingest idles each become one record with its message in
// source.message, and are moved to the processed folder; a message
// without files becomes a record too.
func TestIngestMove(t *testing.T) {
	srv := dovecottest.Start(t)
	p := startPipeline(t)
	srv.Append("INBOX", application(t, "1@kommun.example.se"))

	cfg, err := ParseURL("imaps://" + strings.ReplaceAll(srv.User, "@", "%40") + "@" + srv.TLSAddr + "/INBOX")
	if err != nil {
		t.Fatal(err)
	}
	cfg.TLS, cfg.Auth, cfg.Password, cfg.Processed = srv.TLS, AuthPassword, srv.Password, "Behandlade"
	cfg.Poll = time.Hour // IDLE, not polling, must bring the second message
	in, err := New(cfg, p.client, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	stop := run(t, in)
	p.records(t, 1)
	eventually(t, "ingest idles", func() bool { return in.Stats().Sessions == 1 })
	srv.Append("INBOX", mailtest.Message{ID: "<2@kommun.example.se>", From: "anna@kommun.example.se", Subject: "Fråga", Text: "Hej!"}.Bytes())
	recs := p.records(t, 2)
	eventually(t, "both moved", func() bool { return len(srv.List("Behandlade")) == 2 && len(srv.List("INBOX")) == 0 })
	if err := stop(); err != nil {
		t.Errorf("Run: %v", err)
	}
	if st := in.Stats(); st.Submitted != 2 || st.Duplicates != 0 || st.Skipped != 0 {
		t.Errorf("stats %+v", st)
	}
	byID := map[string]schema.Record{}
	for _, r := range recs {
		if r.Source.Message == nil || r.Source.Message.MessageID == nil {
			t.Fatalf("record without its message: %+v", r.Source)
		}
		byID[*r.Source.Message.MessageID] = r
	}
	app, q := byID["1@kommun.example.se"], byID["2@kommun.example.se"]
	if len(app.Source.Files) != 2 || !strings.HasPrefix(app.Source.Files[0].Path, "INBOX/Ansökan Språngbrädan.eml/Bilaga ") {
		t.Errorf("application's files %+v", app.Source.Files)
	}
	if q.Complete || len(q.Findings) == 0 || q.Findings[0].Code != "document.unreadable" || !strings.Contains(q.Findings[0].Message, "saknar") {
		t.Errorf("message without files: complete %v, findings %+v", q.Complete, q.Findings)
	}
}

// Over STARTTLS with an OAuth2 token (XOAUTH2, read from its file at
// login): a processed message stays in the folder, marked; a second run
// does not take it again. A refused token stops Run with an error naming
// the mechanism, at once.
func TestIngestKeywordXOAUTH2(t *testing.T) {
	srv := dovecottest.Start(t)
	p := startPipeline(t)
	srv.Append("INBOX", application(t, "3@kommun.example.se"))
	tok := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tok, []byte(srv.Token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, auth := range []string{AuthXOAUTH2, AuthOAuthBearer} {
		cfg, err := ParseURL("imap://" + srv.User + "@" + srv.Addr)
		if err != nil {
			t.Fatal(err)
		}
		cfg.TLS, cfg.Auth, cfg.TokenFile, cfg.Poll = srv.TLS, auth, tok, time.Hour
		in, err := New(cfg, p.client, logger(t))
		if err != nil {
			t.Fatal(err)
		}
		stop := run(t, in)
		eventually(t, auth+" session", func() bool { return in.Stats().Sessions == 1 })
		msgs := srv.List("INBOX")
		if len(msgs) != 1 || !hasFlag(msgs[0].Flags, Keyword) || !hasFlag(msgs[0].Flags, `\Seen`) {
			t.Errorf("%s: INBOX has %d messages, the first's flags %q", auth, len(msgs), flags(msgs))
		}
		stop()
		want := Stats{Submitted: 1, Sessions: 1}
		if auth != AuthXOAUTH2 {
			want.Submitted = 0 // marked by the first run: not read again
		}
		if st := in.Stats(); st != want {
			t.Errorf("%s: stats %+v, want %+v", auth, st, want)
		}
	}
	p.records(t, 1)

	if err := os.WriteFile(tok, []byte("expired-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _ := ParseURL("imap://" + srv.User + "@" + srv.Addr)
	cfg.TLS, cfg.Auth, cfg.TokenFile = srv.TLS, AuthXOAUTH2, tok
	in, err := New(cfg, p.client, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	err = in.Run(ctx)
	var fatal *fatalError
	if !errors.As(err, &fatal) || !strings.Contains(err.Error(), "xoauth2") {
		t.Errorf("refused token: %v", err)
	}
}

// A crash between queueing a message and marking it (here: the context
// ends there) leaves it in the folder; the next run queues it again, the
// queue knows it, and there is still one record.
func TestIngestCrashBeforeAck(t *testing.T) {
	srv := dovecottest.Start(t)
	p := startPipeline(t)
	srv.Append("INBOX", application(t, "4@kommun.example.se"))
	cfg, _ := ParseURL("imaps://" + srv.User + "@" + srv.TLSAddr)
	cfg.TLS, cfg.Auth, cfg.Password, cfg.Processed = srv.TLS, AuthPassword, srv.Password, "Behandlade"

	ctx, cancel := context.WithCancel(context.Background())
	first, err := New(cfg, p.client, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	var crashed atomic.Bool
	first.BeforeAck = func(context.Context) { crashed.Store(true); cancel() }
	if err := first.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if !crashed.Load() || len(srv.List("INBOX")) != 1 {
		t.Fatalf("the first run: crashed %v, INBOX %d", crashed.Load(), len(srv.List("INBOX")))
	}
	p.records(t, 1)

	second, err := New(cfg, p.client, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	stop := run(t, second)
	eventually(t, "moved", func() bool { return len(srv.List("Behandlade")) == 1 && len(srv.List("INBOX")) == 0 })
	stop()
	if st := second.Stats(); st.Duplicates != 1 || st.Submitted != 0 {
		t.Errorf("second run: %+v", st)
	}
	p.records(t, 1)
}

// The IMAP server going away is not an end: ingest connects again and
// reads what arrived meanwhile.
func TestIngestServerRestart(t *testing.T) {
	srv := dovecottest.Start(t)
	p := startPipeline(t)
	cfg, _ := ParseURL("imaps://" + srv.User + "@" + srv.TLSAddr)
	cfg.TLS, cfg.Auth, cfg.Password, cfg.Processed = srv.TLS, AuthPassword, srv.Password, "Behandlade"
	in, err := New(cfg, p.client, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	run(t, in)
	eventually(t, "first session", func() bool { return in.Stats().Sessions == 1 })
	srv.Stop()
	srv.Start()
	srv.Append("INBOX", application(t, "5@kommun.example.se"))
	p.records(t, 1)
	eventually(t, "moved", func() bool { return len(srv.List("Behandlade")) == 1 })
	if st := in.Stats(); st.Sessions < 2 {
		t.Errorf("stats %+v: no new session", st)
	}
}

// hasFlag: IMAP flags and keywords are case-insensitive.
func hasFlag(flags []string, f string) bool {
	return slices.ContainsFunc(flags, func(g string) bool { return strings.EqualFold(f, g) })
}

func flags(msgs []dovecottest.Message) []string {
	if len(msgs) == 0 {
		return nil
	}
	return msgs[0].Flags
}

func TestParseURL(t *testing.T) {
	for _, c := range []struct {
		url, addr, sec, user, folder, err string
	}{
		{"imaps://ansokan%40forbund.se@outlook.office365.com/INBOX", "outlook.office365.com:993", "tls", "ansokan@forbund.se", "INBOX", ""},
		{"imap://registrator@mail.kommun.se/Ans%C3%B6kningar", "mail.kommun.se:143", "starttls", "registrator", "Ansökningar", ""},
		{"imap+insecure://u@127.0.0.1:1143", "127.0.0.1:1143", "none", "u", "", ""},
		{"imap+insecure://u@mail.kommun.se", "", "", "", "", "this machine only"},
		{"imaps://u:secret@mail.kommun.se", "", "", "", "", "password in a file"},
		{"imaps://mail.kommun.se", "", "", "", "", "no user"},
		{"pop3://u@mail.kommun.se", "", "", "", "", "want imaps://"},
	} {
		cfg, err := ParseURL(c.url)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.url, err, c.err)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("%s: the error shows the password: %v", c.url, err)
			}
			continue
		}
		if err != nil || cfg.Addr != c.addr || cfg.Security != c.sec || cfg.User != c.user || cfg.Folder != c.folder {
			t.Errorf("%s: %+v, %v", c.url, cfg, err)
		}
	}
}

// Names the message is queued under: its subject, made safe for a path.
func TestMessageName(t *testing.T) {
	for _, c := range []struct{ subject, want string }{
		{"Ansökan Språngbrädan", "INBOX/Ansökan Språngbrädan.eml"},
		{"=?UTF-8?Q?Ans=C3=B6kan_2026/27?=", "INBOX/Ansökan 2026-27.eml"},
		{"", "INBOX/meddelande.eml"},
		{strings.Repeat("å", 100), "INBOX/" + strings.Repeat("å", 80) + ".eml"},
	} {
		raw := []byte(fmt.Sprintf("From: a@example.se\r\nSubject: %s\r\n\r\nHej\r\n", c.subject))
		if got := messageName("INBOX", raw); got != c.want {
			t.Errorf("%q: %q, want %q", c.subject, got, c.want)
		}
	}
}
