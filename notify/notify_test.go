package notify

import (
	"encoding/json"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/internal/smtptest"
	"github.com/finsam/ansokan/internal/testcert"
	"github.com/finsam/ansokan/queue"
)

const (
	officer   = "handlaggare@forbund.example"
	applicant = "anna.andersson@kommun.example"
	sender    = "Samordningsförbundet <ansokan@forbund.example>"
)

func fast(maxDeliver int) queue.Settings {
	return queue.Settings{MaxDeliver: maxDeliver, BackOff: []time.Duration{200 * time.Millisecond}, Duplicates: time.Minute}
}

// files gives the SHA-256s of a record's files.
func files(t *testing.T, record []byte) []string {
	out, err := queue.RecordFiles(record)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// One incomplete record gives one e-mail to the officers, one reply to
// the applicant and one webhook; a complete record gives none; and a
// notifier started again over a consumer that delivers every record
// again sends nothing more.
func TestAlertOnceEach(t *testing.T) {
	e := newNATS(t, fast(3))
	mail := smtptest.Start(t, "127.0.0.1:0", testcert.New(t))
	h := newHook(t, 0)
	cfg := Config{
		SMTP: smtpClient(mail), From: sender, Officers: []string{officer}, ReplyToApplicant: true,
		Webhook: h.webhook(3), InboxURL: "https://inbox.forbund.example/",
	}
	stop := startNotifier(t, e.worker, cfg)

	rec := sample(t, "Anna Andersson <"+applicant+">")
	var complete map[string]any
	_ = json.Unmarshal(rec, &complete)
	complete["complete"], complete["findings"] = true, []any{}
	completeRec, _ := json.Marshal(complete)
	e.publish(t, "job-1/v1", completeRec)
	seq := e.publish(t, "job-2/v1", rec)
	e.waitDone(t, seq)

	msgs := mail.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d e-mails, want 2 (officers, applicant)", len(msgs))
	}
	var toOfficer, toApplicant smtptest.Received
	for _, m := range msgs {
		switch {
		case slices.Equal(m.To, []string{officer}):
			toOfficer = m
		case slices.Equal(m.To, []string{applicant}):
			toApplicant = m
		default:
			t.Fatalf("e-mail to %v", m.To)
		}
		if !m.TLS || m.User != smtptest.User || m.From != "ansokan@forbund.example" {
			t.Errorf("e-mail to %v: TLS %v, user %q, from %q; want STARTTLS, %q, the --smtp-from address", m.To, m.TLS, m.User, m.From, smtptest.User)
		}
		if m.Msg.Header.Get("Auto-Submitted") != "auto-generated" {
			t.Errorf("e-mail to %v: no Auto-Submitted", m.To)
		}
	}
	if toOfficer.Msg == nil || toApplicant.Msg == nil {
		t.Fatal("want one e-mail to the officer and one to the applicant")
	}
	a, _, err := newAlert(rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Errors) == 0 {
		t.Fatal("the sample has no error findings")
	}
	if s := smtptest.Subject(t, toOfficer); s != "Ofullständig ansökan: "+a.Title {
		t.Errorf("officer's subject %q", s)
	}
	for _, want := range []string{a.Title, a.Owner, a.Errors[0].Message, "Var: " + a.Errors[0].Where,
		"https://inbox.forbund.example/records/2", applicant} {
		if !strings.Contains(toOfficer.Body, want) {
			t.Errorf("officer's e-mail lacks %q:\n%s", want, toOfficer.Body)
		}
	}
	if got := toApplicant.Msg.Header.Get("In-Reply-To"); got != "<ansokan-1@kommun.example>" {
		t.Errorf("reply's In-Reply-To %q", got)
	}
	if s := smtptest.Subject(t, toApplicant); !strings.HasPrefix(s, "Sv: Ansökan Språngbrädan") {
		t.Errorf("reply's subject %q", s)
	}
	if !strings.Contains(toApplicant.Body, a.Errors[0].Message) || !strings.Contains(toApplicant.Body, "Hej!") {
		t.Errorf("reply's body:\n%s", toApplicant.Body)
	}
	calls, ok, bad := h.counts()
	if calls != 1 || ok != 1 || bad != 0 {
		t.Fatalf("webhook: %d calls, %d delivered, %d bad signatures; want 1, 1, 0", calls, ok, bad)
	}
	var p WebhookPayload
	if err := json.Unmarshal(h.ok[0], &p); err != nil {
		t.Fatal(err)
	}
	if p.Event != "ansokan.alert" || p.RecordSeq != seq || p.Complete || len(p.Errors) != len(a.Errors) ||
		p.Title != a.Title || !strings.Contains(p.Text, a.Title) || len(p.Record) == 0 || h.ids[0] != p.Delivery {
		t.Errorf("webhook payload: %+v", p)
	}

	// Visible in status: three deliveries, sent, for the record's files.
	ds, err := e.client.Deliveries(t.Context(), files(t, rec)...)
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, d := range ds {
		targets = append(targets, d.Target)
		if d.State != queue.DeliverySent || d.Attempts != 1 || d.StreamSeq != seq || d.Sent == nil {
			t.Errorf("delivery %+v", d)
		}
	}
	if !slices.Equal(targets, []string{TargetApplicant, TargetOfficers, TargetWebhook}) {
		t.Errorf("deliveries %v", targets)
	}

	// A restart that is delivered every record again: nothing is sent.
	stop()
	ctx := t.Context()
	if err := e.admin.DeleteConsumer(ctx, queue.StreamRecords, queue.ConsumerNotify); err != nil {
		t.Fatal(err)
	}
	if _, err := e.admin.CreateConsumer(ctx, queue.StreamRecords, jetstream.ConsumerConfig{
		Durable: queue.ConsumerNotify, DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy: jetstream.AckExplicitPolicy, AckWait: time.Second, MaxDeliver: 3,
	}); err != nil {
		t.Fatal(err)
	}
	startNotifier(t, e.worker, cfg)
	e.waitDone(t, seq)
	if n := len(mail.Messages()); n != 2 {
		t.Errorf("after the restart: %d e-mails, want still 2", n)
	}
	if calls, _, _ := h.counts(); calls != 1 {
		t.Errorf("after the restart: %d webhook calls, want still 1", calls)
	}
}

// The SMTP server is down (it closes every connection at once): the record is retried, the webhook (sent on
// the first try) is not sent again, and the e-mail is sent once when the
// server is back.
func TestSMTPDownThenBack(t *testing.T) {
	e := newNATS(t, fast(50))
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &smtptest.DownListener{Listener: inner}
	mail := smtptest.Serve(t, l, testcert.New(t))
	h := newHook(t, 0)
	cfg := Config{SMTP: smtpClient(mail), From: sender, Officers: []string{officer}, Webhook: h.webhook(1)}
	startNotifier(t, e.worker, cfg)
	rec := sample(t, "")
	seq := e.publish(t, "job-1/v1", rec)

	waitFor(t, "a failed try at the officers' e-mail", func() bool {
		ds, err := e.client.Deliveries(t.Context(), files(t, rec)...)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(ds, func(d *queue.Delivery) bool {
			return d.Target == TargetOfficers && d.State == queue.DeliveryRetrying
		})
	})
	l.Up()
	e.waitDone(t, seq)

	if n := len(mail.Messages()); n != 1 {
		t.Errorf("%d e-mails, want 1", n)
	}
	if calls, ok, _ := h.counts(); calls != 1 || ok != 1 {
		t.Errorf("webhook: %d calls, %d delivered; want 1, 1", calls, ok)
	}
	ds, err := e.client.Deliveries(t.Context(), files(t, rec)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.State != queue.DeliverySent {
			t.Errorf("delivery %+v", d)
		}
		if d.Target == TargetOfficers && d.Attempts < 2 {
			t.Errorf("officers' e-mail sent after %d attempts, want at least 2", d.Attempts)
		}
	}
}
