package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/finsam/ansokan/internal/dovecottest"
	"github.com/finsam/ansokan/internal/mailtest"
	"github.com/finsam/ansokan/internal/natstest"
	"github.com/finsam/ansokan/internal/smtptest"
	"github.com/finsam/ansokan/internal/testcert"
	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

// End to end, against a real Dovecot, a real SMTP server and a webhook
// receiver: a message with a sample application's three files, appended
// to the mailbox, gives exactly one merged record, one alert e-mail to
// the officer with the sample's findings, one reply to the sender and one
// webhook, and the message is moved — although 'ansokan mail' is killed
// (SIGKILL) between queueing the message and moving it, and the SMTP
// server is down until the record has been made.
func TestMailboxEndToEnd(t *testing.T) {
	imap := dovecottest.Start(t)
	n := startNATS(t, queue.Settings{BackOff: []time.Duration{time.Second}, MaxDeliver: 60})
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	cert := testcert.New(t)
	smtpCA, _ := cert.Write(t, dir)
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	smtpDown := &smtptest.DownListener{Listener: inner}
	smtp := smtptest.Serve(t, smtpDown, cert)

	secret := []byte("ärendesystemets hemlighet")
	hook := newWebhookReceiver(t, secret)

	// The workers and alert delivery, as 'ansokan worker'.
	const officer, sender = "handlaggare@forbund.example", "registrator@forbund.example"
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var workerLog lockedBuffer
	workerDone := make(chan int, 1)
	go func() {
		workerDone <- run(ctx, []string{"worker", "--nats", n.url, "--workers", "1",
			"--smtp", "smtp://" + smtptest.User + "@" + smtp.Addr, "--smtp-password-file", write("smtp-pw", smtptest.Password),
			"--smtp-ca", smtpCA, "--smtp-from", "Samordningsförbundet <" + sender + ">", "--alert-to", officer, "--reply-to-applicant",
			"--webhook", hook.url, "--webhook-secret-file", write("hook-secret", string(secret)), "--inbox-url", "https://inkorg.forbund.example",
		}, &bytes.Buffer{}, &workerLog)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-workerDone:
		case <-time.After(60 * time.Second):
			t.Error("the worker did not stop")
		}
	})

	// The application, as an applicant's mail program sends it.
	files := []string{"d-steg-for-steg.docx", "d-steg-for-steg.pdf", "d-steg-for-steg-budget.xlsx"}
	msg := mailtest.Message{ID: "<ansokan-42@kommun.example.se>", From: "=?UTF-8?Q?Bj=C3=B6rn_=C3=85str=C3=B6m?= <bjorn@kommun.example.se>",
		Subject: "=?UTF-8?Q?Ans=C3=B6kan_Steg_f=C3=B6r_steg?=", Date: time.Now().Add(-time.Hour).Format(time.RFC1123Z), Text: "Hej! Här kommer vår ansökan."}
	names := map[string]string{}
	for i, f := range files {
		b, err := os.ReadFile(filepath.Join("../../samples", f))
		if err != nil {
			t.Fatal(err)
		}
		shown := []string{"Ansökan Steg för steg.docx", "Ansökan Steg för steg, underskriven.pdf", "Budget Steg för steg.xlsx"}[i]
		names[shown] = f
		msg.Parts = append(msg.Parts, mailtest.Part{Name: shown, Naming: []mailtest.Naming{mailtest.RFC2231, mailtest.RFC2047Q, mailtest.RFC2231Continued}[i], Data: b})
	}
	raw := msg.Bytes()
	imap.Append("INBOX", raw)

	imapArgs := []string{"mail", "--nats", n.url, "--creds", n.credsFile(queue.RoleClient),
		"--imap", "imaps://" + imap.User + "@" + imap.TLSAddr + "/INBOX", "--imap-password-file", write("imap-pw", imap.Password),
		"--imap-ca", imap.CAFile, "--imap-processed", "Behandlade"}

	// 'ansokan mail' in its own process, killed after it queued the
	// message and before it moved it.
	cmd := exec.Command(os.Args[0], append(imapArgs, "--imap-pause-before-ack", "10m")...)
	cmd.Env = append(os.Environ(), envAsMain+"=1")
	paused := newSignalWriter("pausing before marking the message processed")
	cmd.Stdout, cmd.Stderr = io.Discard, paused
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-paused.seen:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("'ansokan mail' did not queue the message:\n%s", paused.String())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if got := imap.List("INBOX"); len(got) != 1 {
		t.Fatalf("after the kill, INBOX holds %d messages, want the one not yet moved", len(got))
	}

	// The record is made while the SMTP server is down; the webhook is
	// sent, the e-mails wait.
	recs := natstest.Records(t, n.js(t, queue.RoleAdmin), 1)
	waitFor(t, "the webhook", func() bool { return len(hook.posts()) == 1 })
	if len(smtp.Messages()) != 0 {
		t.Fatal("e-mail sent while the SMTP server was down")
	}

	// 'ansokan mail' again, in this process: it reads the message again,
	// the queue knows it, and it is moved.
	var mailLog lockedBuffer
	mailDone := make(chan int, 1)
	mctx, stopMail := context.WithCancel(ctx)
	go func() { mailDone <- run(mctx, imapArgs, &bytes.Buffer{}, &mailLog) }()
	waitFor(t, "the message moved", func() bool { return len(imap.List("Behandlade")) == 1 && len(imap.List("INBOX")) == 0 })
	stopMail()
	if code := <-mailDone; code != exitOK {
		t.Errorf("mail: exit %d\n%s", code, mailLog.String())
	}
	if !strings.Contains(mailLog.String(), "duplicate=true") {
		t.Errorf("the second run did not find the message queued already:\n%s", mailLog.String())
	}

	smtpDown.Up()
	waitFor(t, "two e-mails", func() bool { return len(smtp.Messages()) == 2 })
	// Every delivery is recorded as sent, in the status of the message:
	// nothing more will come.
	var lastStatus string
	defer func() {
		if t.Failed() {
			t.Logf("last status: %s\nworker log:\n%s", lastStatus, workerLog.String())
		}
	}()
	waitFor(t, "three deliveries sent", func() bool {
		code, stdout, stderr := runCmd(t, "status", "--nats", n.url, write("ansokan.eml", string(raw)))
		lastStatus = stdout + stderr
		var st queue.Status
		if code != exitOK || json.Unmarshal([]byte(stdout), &st) != nil || len(st.Alerts) != 3 {
			return false
		}
		for _, a := range st.Alerts {
			if a.State != queue.DeliverySent {
				return false
			}
		}
		return true
	})

	if recs = natstest.Records(t, n.js(t, queue.RoleAdmin), 1); len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	rec := recs[0]
	if len(rec.Source.Files) != 3 || rec.Source.Message == nil || *rec.Source.Message.From != "Björn Åström <bjorn@kommun.example.se>" {
		t.Errorf("record's source: %s", mustJSON(t, rec.Source))
	}
	golden := readGolden(t, "../../samples/d-steg-for-steg.submission.golden.json")
	if got, want := findingsText(rec, names), findingsText(golden, nil); got != want || len(golden.Findings) == 0 {
		t.Errorf("the record's findings differ from the sample's:\n%s\nwant\n%s", got, want)
	}

	var toOfficer, toApplicant *smtptest.Received
	for _, m := range smtp.Messages() {
		switch {
		case len(m.To) == 1 && m.To[0] == officer:
			toOfficer = &m
		case len(m.To) == 1 && m.To[0] == "bjorn@kommun.example.se":
			toApplicant = &m
		}
	}
	if toOfficer == nil || toApplicant == nil {
		t.Fatalf("e-mails to %v", smtp.Messages())
	}
	for _, f := range golden.Findings {
		if f.Severity == schema.SeverityError && !strings.Contains(toOfficer.Body, f.Message) {
			t.Errorf("the officer's e-mail lacks the finding %q:\n%s", f.Message, toOfficer.Body)
		}
	}
	if !strings.Contains(toOfficer.Body, "https://inkorg.forbund.example/records/") {
		t.Errorf("the officer's e-mail has no link to the record:\n%s", toOfficer.Body)
	}
	if got := toApplicant.Msg.Header.Get("In-Reply-To"); got != "<ansokan-42@kommun.example.se>" {
		t.Errorf("the reply's In-Reply-To %q", got)
	}
	if hooks := hook.posts(); len(hooks) != 1 || hooks[0].Complete {
		t.Errorf("webhooks %+v", hooks)
	}
}

// waitFor polls cond until it holds, for at most two minutes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func readGolden(t *testing.T, path string) schema.Record {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r schema.Record
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// findingsText is a record's findings, one a line, with the attachments'
// names replaced by the plain files' (names maps the one to the other).
func findingsText(r schema.Record, names map[string]string) string {
	var b strings.Builder
	for _, f := range r.Findings {
		line := f.Severity + " " + f.Code + " " + f.Message
		for from, to := range names {
			line = strings.ReplaceAll(line, from, to)
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// serve --imap reads the mailbox inside the server. A message without an
// application file gets a record saying so and a polite reply asking for
// the files; an auto-reply without files gets its record, and no reply
// (two robots must not answer each other).
func TestServeMailboxWithoutFiles(t *testing.T) {
	imap := dovecottest.Start(t)
	cert := testcert.New(t)
	dir := t.TempDir()
	smtpCA, _ := cert.Write(t, dir)
	smtp := smtptest.Start(t, "127.0.0.1:0", cert)
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte(smtptest.Password), 0o600); err != nil {
		t.Fatal(err)
	}
	imapPW := filepath.Join(dir, "imap-pw")
	if err := os.WriteFile(imapPW, []byte(imap.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	imap.Append("INBOX", mailtest.Message{ID: "<fraga-1@kommun.example.se>", From: "Anna Berg <anna@kommun.example.se>",
		Subject: "Ansökan", Date: time.Now().Add(-time.Hour).Format(time.RFC1123Z), Text: "Hej! Ansökan finns här: https://delning.example.se/ansokan"}.Bytes())
	imap.Append("INBOX", mailtest.Message{ID: "<auto-1@kommun.example.se>", From: "Anna Berg <anna@kommun.example.se>",
		Subject: "Frånvaro: Ansökan", Date: time.Now().Format(time.RFC1123Z), Text: "Jag är på semester.", Headers: []string{"Auto-Submitted: auto-replied"}}.Bytes())

	store := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var serveLog lockedBuffer
	served := make(chan int, 1)
	go func() {
		served <- run(ctx, []string{"serve", "--listen", addr, "--store", store, "--workers", "1",
			"--imap", "imap://" + imap.User + "@" + imap.Addr, "--imap-password-file", imapPW, "--imap-ca", imap.CAFile, "--imap-processed", "",
			"--smtp", "smtp://" + smtptest.User + "@" + smtp.Addr, "--smtp-password-file", pw, "--smtp-ca", smtpCA,
			"--smtp-from", "ansokan@forbund.example", "--reply-to-applicant"}, &bytes.Buffer{}, &serveLog)
	}()
	defer func() {
		cancel()
		if code := <-served; code != exitOK {
			t.Errorf("serve: exit %d\n%s", code, serveLog.String())
		}
		if t.Failed() {
			t.Logf("serve log:\n%s", serveLog.String())
		}
	}()
	waitFor(t, "both messages marked", func() bool {
		msgs := imap.List("INBOX")
		marked := 0
		for _, m := range msgs {
			for _, f := range m.Flags {
				if strings.EqualFold(f, "$AnsokanProcessed") {
					marked++
				}
			}
		}
		return len(msgs) == 2 && marked == 2
	})
	ids := queue.CredsFile(store, queue.RoleAdmin)
	id, err := queue.LoadIdentity(ids)
	if err != nil {
		t.Fatal(err)
	}
	admin := connectAs(t, "nats://"+addr, id)
	recs := natstest.Records(t, admin, 2)
	for _, r := range recs {
		if r.Complete || len(r.Findings) != 1 || !strings.Contains(r.Findings[0].Message, "meddelandet saknar ansökningsfiler") {
			t.Errorf("record of %v: complete %v, findings %s", r.Source.Message.Subject, r.Complete, mustJSON(t, r.Findings))
		}
	}
	// Alert delivery is done with a record once its consumer has
	// acknowledged it: then nothing more is sent for either.
	waitFor(t, "alert delivery done with both records", func() bool {
		c, err := admin.Consumer(t.Context(), queue.StreamRecords, queue.ConsumerNotify)
		if err != nil {
			return false
		}
		info, err := c.Info(t.Context())
		return err == nil && info.AckFloor.Stream >= 2 && info.NumAckPending == 0 && info.NumPending == 0
	})
	msgs := smtp.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "anna@kommun.example.se" {
		t.Fatalf("e-mails %+v", msgs)
	}
	if s := smtptest.Subject(t, msgs[0]); !strings.Contains(s, "ansökningsfilerna saknas") || !strings.Contains(msgs[0].Body, "inga ansökningsfiler") {
		t.Errorf("the reply: %s\n%s", s, msgs[0].Body)
	}
}

// The IMAP flags are checked before anything starts.
func TestMailFlags(t *testing.T) {
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"mail"}, "--imap is required"},
		{[]string{"mail", "--imap", "imaps://u:hemligt@mail.kommun.se"}, "password in a file"},
		{[]string{"mail", "--imap", "imaps://u@mail.kommun.se"}, "--imap-password-file or --imap-token-file"},
		{[]string{"mail", "--imap", "imaps://u@mail.kommun.se", "--imap-auth", "xoauth2", "--imap-password-file", pw}, "needs --imap-token-file"},
		{[]string{"mail", "--imap", "imap+insecure://u@mail.kommun.se", "--imap-password-file", pw}, "this machine only"},
		{[]string{"mail", "--imap", "imaps://u@mail.kommun.se", "--imap-password-file", pw, "--imap-ca", pw}, "no PEM certificate"},
		{[]string{"mail", "--imap", "imaps://u@mail.kommun.se", "--imap-password-file", pw, "--imap-poll", "0s"}, "--imap-poll"},
		{[]string{"serve", "--imap-password-file", pw}, "need --imap"},
	} {
		code, _, stderr := runCmd(t, c.args...)
		if code != exitUsage || !strings.Contains(stderr, c.want) || strings.Contains(stderr, "hemligt") {
			t.Errorf("%v: exit %d, %q; want a usage error naming %q", c.args, code, stderr, c.want)
		}
	}
}
