package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/privacy"
	"github.com/finsam/ansokan/queue"
)

// Targets of a record's alert: the keys of the deliveries bucket end in
// one of them.
const (
	TargetOfficers  = "officers"
	TargetApplicant = "applicant"
	TargetWebhook   = "webhook"
)

// Config says where alerts go. A target without its settings is off:
// officers need SMTP, From and Officers; the applicant's reply needs SMTP,
// From and ReplyToApplicant; the webhook needs Webhook.
type Config struct {
	SMTP             *SMTP
	From             string   // the sender of every e-mail: "Samordningsförbundet <ansokan@example.se>"
	Officers         []string // the officers' addresses (--alert-to)
	ReplyToApplicant bool     // reply to source.message's sender, when the record is incomplete
	// ReplyWithin bounds the age of a message the applicant is replied
	// to (source.message.received): a mailbox read for the first time, or
	// an export being digitised, holds messages of long ago, whose senders
	// must not hear of them now. 0: DefaultReplyWithin; negative: no bound.
	ReplyWithin time.Duration
	Webhook     *Webhook
	// AlertOn adds conditions to "incomplete", which is always on.
	AlertOn []Condition
	// InboxURL is the web inbox's base URL: an alert links to
	// InboxURL/records/SEQ. Empty: no link.
	InboxURL  string
	Templates *Templates // nil: the defaults
	// FetchWait is how long one fetch waits for records (default 1s):
	// how soon Run sees its context end.
	FetchWait time.Duration
	Logger    *slog.Logger
}

// Enabled reports whether any target is configured.
func (c Config) Enabled() bool {
	return c.Webhook != nil || c.SMTP != nil && (len(c.Officers) > 0 || c.ReplyToApplicant)
}

// Notifier delivers alerts; Run until the context ends.
type Notifier struct {
	cfg        Config
	js         jetstream.JetStream
	cons       jetstream.Consumer
	kv         jetstream.KeyValue
	log        *slog.Logger
	maxDeliver int
	backOff    []time.Duration
	ackWait    time.Duration
	now        func() time.Time
}

// New opens the consumer and the deliveries bucket queue.Setup made
// (queue.ErrNotSetUp when there are none).
func New(ctx context.Context, js jetstream.JetStream, cfg Config) (*Notifier, error) {
	if cfg.Templates == nil {
		t, err := LoadTemplates("")
		if err != nil {
			return nil, err
		}
		cfg.Templates = t
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.FetchWait <= 0 {
		cfg.FetchWait = time.Second
	}
	if cfg.SMTP != nil && (len(cfg.Officers) > 0 || cfg.ReplyToApplicant) {
		if _, err := address(cfg.From); err != nil {
			return nil, fmt.Errorf("--smtp-from: %w", err)
		}
	}
	cons, err := js.Consumer(ctx, queue.StreamRecords, queue.ConsumerNotify)
	if err != nil {
		return nil, fmt.Errorf("consumer %s on %s: %w", queue.ConsumerNotify, queue.StreamRecords, notSetUp(err))
	}
	kv, err := js.KeyValue(ctx, queue.BucketDeliveries)
	if err != nil {
		return nil, fmt.Errorf("key-value bucket %s: %w", queue.BucketDeliveries, notSetUp(err))
	}
	ci := cons.CachedInfo()
	n := &Notifier{cfg: cfg, js: js, cons: cons, kv: kv, log: cfg.Logger, now: time.Now,
		maxDeliver: ci.Config.MaxDeliver, backOff: ci.Config.BackOff, ackWait: ci.Config.AckWait}
	if len(n.backOff) == 0 {
		n.backOff = []time.Duration{ci.Config.AckWait}
	}
	return n, nil
}

func notSetUp(err error) error {
	if errors.Is(err, jetstream.ErrConsumerNotFound) || errors.Is(err, jetstream.ErrBucketNotFound) {
		return fmt.Errorf("%w: %w", queue.ErrNotSetUp, err)
	}
	return err
}

// Run delivers until ctx ends; a delivery in hand is finished first
// (each send has its own timeout).
func (n *Notifier) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		batch, err := n.cons.Fetch(8, jetstream.FetchMaxWait(n.cfg.FetchWait))
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			n.log.Warn("fetch records", "err", err)
			t := time.NewTimer(n.cfg.FetchWait)
			select {
			case <-ctx.Done():
			case <-t.C:
			}
			t.Stop()
			continue
		}
		for m := range batch.Messages() {
			n.handle(context.WithoutCancel(ctx), m)
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil {
			n.log.Warn("fetch records", "err", err)
		}
	}
	return nil
}

// msg is what handle needs of a delivered record.
type msg interface {
	Data() []byte
	Headers() nats.Header
	Metadata() (*jetstream.MsgMetadata, error)
	Ack() error
	NakWithDelay(time.Duration) error
	InProgress() error
	Term() error
}

var _ msg = jetstream.Msg(nil)

func (n *Notifier) handle(ctx context.Context, m msg) {
	md, err := m.Metadata()
	if err != nil {
		n.log.Error("record without metadata", "err", err)
		_ = m.Term()
		return
	}
	seq := md.Sequence.Stream
	log := n.log.With("record_seq", seq, "delivery", md.NumDelivered)
	id := m.Headers().Get(jetstream.MsgIDHeader)
	if id == "" {
		id = "seq/" + strconv.FormatUint(seq, 10)
	}
	data, err := queue.RecordData(ctx, n.js, m.Headers(), m.Data())
	if err != nil {
		log.Warn("record not read; retrying", "err", err)
		_ = m.NakWithDelay(n.delay(md.NumDelivered))
		return
	}
	a, rec, err := newAlert(data, n.cfg.AlertOn)
	if err != nil {
		n.deadLetter(ctx, log, seq, md.NumDelivered, nil, err.Error())
		_ = m.Term()
		return
	}
	if len(a.Reasons) == 0 {
		_ = m.Ack()
		return
	}
	a.RecordSeq, a.RecordID = seq, id
	if n.cfg.InboxURL != "" {
		a.RecordURL = strings.TrimSuffix(n.cfg.InboxURL, "/") + "/records/" + strconv.FormatUint(seq, 10)
	}
	files := make([]string, 0, len(rec.Source.Files))
	for _, f := range rec.Source.Files {
		files = append(files, f.SHA256)
	}
	var failed []*queue.Delivery
	for _, target := range n.targets(a) {
		key := deliveryKey(id, target)
		d, err := n.get(ctx, key)
		if err != nil {
			log.Warn("delivery state not read; retrying", "target", target, "err", err)
			_ = m.NakWithDelay(n.delay(md.NumDelivered))
			return
		}
		if d == nil {
			d = &queue.Delivery{Record: id, StreamSeq: seq, Submission: a.Submission, Files: files, Target: target}
		}
		if d.State == queue.DeliverySent {
			continue // sent on an earlier delivery, or before a restart
		}
		d.Attempts++
		d.Updated = n.now().UTC()
		stopProgress := n.progress(m)
		err = n.send(ctx, target, key, a, data)
		stopProgress()
		if err != nil {
			log.Warn("alert not delivered", "target", target, "attempt", d.Attempts, "err", err)
			d.State, d.LastError = queue.DeliveryRetrying, err.Error()
			failed = append(failed, d)
		} else {
			log.Info("alert delivered", "target", target)
			sent := d.Updated
			d.State, d.LastError, d.Sent = queue.DeliverySent, "", &sent
		}
		if err := n.put(ctx, key, d); err != nil {
			log.Warn("delivery state not written; retrying", "target", target, "err", err)
			_ = m.NakWithDelay(n.delay(md.NumDelivered))
			return
		}
	}
	if len(failed) == 0 {
		_ = m.Ack()
		return
	}
	if n.maxDeliver > 0 && md.NumDelivered >= uint64(n.maxDeliver) {
		for _, d := range failed {
			d.State = queue.DeliveryFailed
			if err := n.put(ctx, deliveryKey(id, d.Target), d); err != nil {
				log.Warn("delivery state not written", "target", d.Target, "err", err)
			}
			n.deadLetter(ctx, log, seq, md.NumDelivered, d, fmt.Sprintf("alert to %s not delivered after %d tries: %s", d.Target, d.Attempts, d.LastError))
		}
		_ = m.Term()
		return
	}
	_ = m.NakWithDelay(n.delay(md.NumDelivered))
}

// progress tells the server every third of the ack wait that the record
// is in hand, so a slow send (a webhook's tries and back-off) is not
// delivered to another notifier meanwhile; stop ends it.
func (n *Notifier) progress(m msg) (stop func()) {
	_ = m.InProgress()
	every := max(n.ackWait/3, 10*time.Millisecond)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = m.InProgress()
			}
		}
	}()
	return func() { close(done); <-finished }
}

// delay is the back-off before delivery number n+1.
func (n *Notifier) delay(delivered uint64) time.Duration {
	i := min(int(delivered)-1, len(n.backOff)-1)
	return n.backOff[max(i, 0)]
}

// targets are the configured targets that apply to the alert.
func (n *Notifier) targets(a *Alert) []string {
	var out []string
	if n.cfg.SMTP != nil && len(n.cfg.Officers) > 0 {
		out = append(out, TargetOfficers)
	}
	if n.cfg.SMTP != nil && n.cfg.ReplyToApplicant && a.Applicant.Address != "" && !a.Automatic && !a.Complete && len(a.Errors) > 0 &&
		n.recent(a.Received) {
		out = append(out, TargetApplicant)
	}
	if n.cfg.Webhook != nil {
		out = append(out, TargetWebhook)
	}
	return out
}

// DefaultReplyWithin is how old a message may be for its sender to get a
// reply: two weeks.
const DefaultReplyWithin = 14 * 24 * time.Hour

// recent reports whether a message received then may be replied to: it
// is within ReplyWithin of now (a message without a date is not).
func (n *Notifier) recent(received time.Time) bool {
	within := n.cfg.ReplyWithin
	switch {
	case within < 0:
		return true
	case within == 0:
		within = DefaultReplyWithin
	}
	return !received.IsZero() && n.now().Sub(received) <= within
}

// deliveryKey is a record's and a target's key: the record's message id
// is hashed, as it may hold characters a key may not.
func deliveryKey(record, target string) string {
	sum := sha256.Sum256([]byte(record))
	return hex.EncodeToString(sum[:16]) + "." + target
}

func (n *Notifier) get(ctx context.Context, key string) (*queue.Delivery, error) {
	e, err := n.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("delivery %s: %w", key, err)
	}
	var d queue.Delivery
	if err := json.Unmarshal(e.Value(), &d); err != nil {
		return nil, fmt.Errorf("delivery %s: %w", key, err)
	}
	return &d, nil
}

// put writes the delivery. One notifier handles a record at a time (the
// consumer delivers it to one until its ack wait ends), so the last write
// wins.
func (n *Notifier) put(ctx context.Context, key string, d *queue.Delivery) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = n.kv.Put(ctx, key, b)
	return err
}

func (n *Notifier) send(ctx context.Context, target, key string, a *Alert, record []byte) error {
	switch target {
	case TargetOfficers:
		return n.sendMail(ctx, TemplateOfficers, n.cfg.Officers, key, "", a)
	case TargetApplicant:
		return n.sendMail(ctx, TemplateApplicant, []string{a.Applicant.Address}, key, a.MessageID, a)
	case TargetWebhook:
		body, err := webhookBody(key, a, record, n.now())
		if err != nil {
			return err
		}
		return n.cfg.Webhook.Post(ctx, key, body)
	}
	return fmt.Errorf("unknown target %q", target)
}

func (n *Notifier) sendMail(ctx context.Context, tmpl string, to []string, key, inReplyTo string, a *Alert) error {
	subject, body, err := n.cfg.Templates.render(tmpl, a)
	if err != nil {
		return fmt.Errorf("template %s: %w", tmpl, err)
	}
	if tmpl == TemplateApplicant && a.MessageSubject != "" {
		subject = "Sv: " + a.MessageSubject + " – " + subject
	}
	from, err := address(n.cfg.From)
	if err != nil {
		return err
	}
	rcpt := make([]string, 0, len(to))
	for _, t := range to {
		addr, err := address(t)
		if err != nil {
			return err
		}
		rcpt = append(rcpt, addr)
	}
	domain := from[strings.LastIndexByte(from, '@')+1:]
	e := &email{From: n.cfg.From, To: to, Subject: subject, Body: body,
		MessageID: "<" + key + "@" + domain + ">", InReplyTo: inReplyTo}
	msg, err := e.bytes(n.now())
	if err != nil {
		return err
	}
	return n.cfg.SMTP.Send(ctx, from, rcpt, msg)
}

// WebhookPayload is the JSON body of a webhook POST (README: "Alerts by
// e-mail and webhook"). Text is a summary in Swedish that Slack's and
// Teams' incoming webhooks show as it is.
type WebhookPayload struct {
	Event      string          `json:"event"` // "ansokan.alert"
	Delivery   string          `json:"delivery"`
	SentAt     time.Time       `json:"sent_at"`
	Reasons    []Condition     `json:"reasons"`
	RecordSeq  uint64          `json:"record_seq"`
	RecordID   string          `json:"record_id"`
	RecordURL  string          `json:"record_url,omitempty"`
	Submission string          `json:"submission_id,omitempty"`
	Title      string          `json:"title"`
	Owner      string          `json:"owner"`
	Complete   bool            `json:"complete"`
	Errors     []Item          `json:"errors"`
	Warnings   []Item          `json:"warnings"`
	Text       string          `json:"text"`
	Record     json.RawMessage `json:"record"`
}

func webhookBody(key string, a *Alert, record []byte, now time.Time) ([]byte, error) {
	text := fmt.Sprintf("%s: %s (%s), %d fel, %d att kontrollera", map[bool]string{false: "Ofullständig ansökan", true: "Ansökan att granska"}[a.Complete],
		a.Title, a.Owner, len(a.Errors), len(a.Warnings))
	if a.RecordURL != "" {
		text += " – " + a.RecordURL
	}
	p := WebhookPayload{Event: "ansokan.alert", Delivery: key, SentAt: now.UTC().Truncate(time.Second), Reasons: a.Reasons,
		RecordSeq: a.RecordSeq, RecordID: a.RecordID, RecordURL: a.RecordURL, Submission: a.Submission,
		Title: a.Title, Owner: a.Owner, Complete: a.Complete, Errors: a.Errors, Warnings: a.Warnings, Text: text, Record: record}
	if p.Errors == nil {
		p.Errors = []Item{}
	}
	if p.Warnings == nil {
		p.Warnings = []Item{}
	}
	return json.Marshal(p)
}

// deadLetter puts a delivery that will not be tried again on ansokan.dead.
func (n *Notifier) deadLetter(ctx context.Context, log *slog.Logger, seq, deliveries uint64, d *queue.Delivery, reason string) {
	dl := queue.DeadLetter{Reason: reason, Deliveries: deliveries, StreamSeq: seq, At: n.now().UTC(), By: "notify", Delivery: d}
	privacy.MaskValue(&dl)
	body, err := json.Marshal(&dl)
	if err != nil {
		log.Error("dead letter", "err", err)
		return
	}
	id := "dead/notify/" + strconv.FormatUint(seq, 10)
	if d != nil {
		id += "/" + d.Target
	}
	m := nats.NewMsg(queue.SubjectDead)
	m.Data = body
	if _, err := n.js.PublishMsg(ctx, m, jetstream.WithMsgID(id)); err != nil {
		log.Error("dead letter not published", "err", err, "reason", reason)
		return
	}
	log.Error("alert dead-lettered", "reason", reason)
}
