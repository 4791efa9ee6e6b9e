package ingest

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"
	"github.com/emersion/go-sasl"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/message"
	"github.com/finsam/ansokan/queue"
)

// Submitter queues one message as one submission (queue.Client).
type Submitter interface {
	SubmitMessage(ctx context.Context, raw []byte, name string) (queue.Receipt, error)
}

// Ingest reads a mailbox until its context ends.
type Ingest struct {
	cfg Config
	sub Submitter
	log *slog.Logger
	// BeforeAck, when set, runs after a message is queued and before it is
	// marked processed (tests stop the process there).
	BeforeAck func(ctx context.Context)

	mu      sync.Mutex
	stats   Stats
	tooBig  map[uint32]bool // UIDs of messages over MaxBytes, named in the log once
	refused map[uint32]bool // UIDs the queue refused for good (over the submission limits)
}

// Stats count what an Ingest did since it started.
type Stats struct {
	Submitted  int // messages queued as new jobs
	Duplicates int // messages the queue already had (read again)
	Skipped    int // messages left in the folder (too large, refused)
	Sessions   int // connections made
}

// New checks cfg and returns an Ingest submitting to sub.
func New(cfg Config, sub Submitter, log *slog.Logger) (*Ingest, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Minute
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = message.DefaultLimits().MaxBytes
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Ingest{cfg: cfg, sub: sub, log: log, tooBig: map[uint32]bool{}, refused: map[uint32]bool{}}, nil
}

// Stats returns the counts so far.
func (in *Ingest) Stats() Stats {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.stats
}

// Run reads the mailbox until ctx ends, connecting again (after 1 s,
// doubling up to 5 min) when the connection fails. It returns nil when
// ctx ends; an error only when the configuration can never work (the
// login refused, the folder missing).
func (in *Ingest) Run(ctx context.Context) error {
	wait := time.Second
	for {
		started := time.Now()
		err := in.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		var fatal *fatalError
		if errors.As(err, &fatal) {
			return err
		}
		if time.Since(started) > 2*time.Minute {
			wait = time.Second // it worked for a while: a new failure
		}
		in.log.Warn("mailbox connection failed; connecting again", "mailbox", in.cfg.Redacted(), "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Minute)
	}
}

// fatalError is a failure that connecting again will not mend.
type fatalError struct{ err error }

func (e *fatalError) Error() string { return e.err.Error() }
func (e *fatalError) Unwrap() error { return e.err }

// session is one connection: log in, select the folder, then process
// what is there and wait for more, until ctx ends or the connection
// fails.
func (in *Ingest) session(ctx context.Context) error {
	c, err := in.dial(ctx)
	if err != nil {
		return err
	}
	// The reader goroutine blocks on Updates: drain it always, and keep
	// only the news that something changed.
	updates := make(chan client.Update, 16)
	changed := make(chan struct{}, 1)
	c.Updates = updates
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		for u := range updates {
			if _, ok := u.(*client.MailboxUpdate); ok {
				select {
				case changed <- struct{}{}:
				default:
				}
			}
		}
	}()
	defer func() {
		c.Logout()
		c.Terminate() // unblocks a command left waiting on a dead peer
		<-c.LoggedOut()
		close(updates)
		<-drained
	}()
	// A stuck server must not hold the session forever.
	c.Timeout = 2 * time.Minute
	stop := context.AfterFunc(ctx, func() { c.Terminate() })
	defer stop()

	if err := in.login(c); err != nil {
		return err
	}
	if in.cfg.Processed != "" {
		if err := ensureFolder(c, in.cfg.Processed); err != nil {
			return &fatalError{fmt.Errorf("%s: folder for processed messages %q: %w", in.cfg.Redacted(), in.cfg.Processed, err)}
		}
	}
	if _, err := c.Select(in.cfg.folder(), false); err != nil {
		return &fatalError{fmt.Errorf("%s: select folder %q: %w", in.cfg.Redacted(), in.cfg.folder(), err)}
	}
	in.mu.Lock()
	in.stats.Sessions++
	in.mu.Unlock()
	idle, _ := c.Support("IDLE")
	in.log.Info("reading mailbox", "mailbox", in.cfg.Redacted(), "idle", idle, "poll", in.cfg.Poll,
		"processed", cmpOr(in.cfg.Processed, "keyword "+Keyword))
	for {
		if err := in.pass(ctx, c); err != nil {
			return err
		}
		if err := in.wait(ctx, c, idle, changed); err != nil {
			return err
		}
	}
}

// dial connects and secures the connection as configured.
func (in *Ingest) dial(ctx context.Context) (*client.Client, error) {
	tc := in.cfg.TLS
	if tc == nil {
		tc = &tls.Config{}
	} else {
		tc = tc.Clone()
	}
	if tc.ServerName == "" {
		tc.ServerName, _, _ = net.SplitHostPort(in.cfg.Addr)
	}
	d := &net.Dialer{Timeout: 30 * time.Second}
	var conn net.Conn
	var err error
	if in.cfg.Security == "tls" {
		conn, err = (&tls.Dialer{NetDialer: d, Config: tc}).DialContext(ctx, "tcp", in.cfg.Addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", in.cfg.Addr)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: connect: %w", in.cfg.Redacted(), err)
	}
	conn.SetDeadline(time.Now().Add(time.Minute)) // the greeting
	c, err := client.New(conn)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("%s: greeting: %w", in.cfg.Redacted(), err)
	}
	conn.SetDeadline(time.Time{})
	c.ErrorLog = imapLog{in.log}
	if in.cfg.Security == "starttls" {
		ok, err := c.SupportStartTLS()
		if err == nil && !ok {
			err = &fatalError{errors.New("the server does not offer STARTTLS; use imaps:// (or imap+insecure:// on loopback)")}
		}
		if err == nil {
			err = c.StartTLS(tc)
		}
		if err != nil {
			c.Terminate()
			return nil, fmt.Errorf("%s: STARTTLS: %w", in.cfg.Redacted(), err)
		}
	}
	return c, nil
}

// login authenticates; a refusal is fatal (trying again would only lock
// the account).
func (in *Ingest) login(c *client.Client) error {
	var err error
	switch in.cfg.Auth {
	case AuthPassword:
		err = c.Login(in.cfg.User, in.cfg.Password)
	default:
		tok, rerr := readToken(in.cfg.TokenFile)
		if rerr != nil {
			return &fatalError{rerr}
		}
		var mech sasl.Client = xoauth2{in.cfg.User, tok}
		if in.cfg.Auth == AuthOAuthBearer {
			mech = sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{Username: in.cfg.User, Token: tok})
		}
		err = c.Authenticate(mech)
	}
	if err != nil {
		var nerr net.Error
		if errors.As(err, &nerr) || errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: log in: %w", in.cfg.Redacted(), err)
		}
		return &fatalError{fmt.Errorf("%s: log in as %s (%s): %w", in.cfg.Redacted(), in.cfg.User, in.cfg.Auth, err)}
	}
	return nil
}

// readToken reads the access token, trimmed, from its file.
func readToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("OAuth2 token: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("OAuth2 token: %s is empty", path)
	}
	return tok, nil
}

// ensureFolder creates the folder unless it exists.
func ensureFolder(c *client.Client, name string) error {
	ch := make(chan *imap.MailboxInfo, 8)
	done := make(chan error, 1)
	go func() { done <- c.List("", name, ch) }()
	found := false
	for range ch {
		found = true
	}
	if err := <-done; err != nil {
		return err
	}
	if found {
		return nil
	}
	return c.Create(name)
}

// pass processes every message waiting in the folder, oldest first.
func (in *Ingest) pass(ctx context.Context, c *client.Client) error {
	crit := imap.NewSearchCriteria()
	crit.WithoutFlags = []string{imap.DeletedFlag}
	if in.cfg.Processed == "" {
		crit.WithoutFlags = append(crit.WithoutFlags, Keyword)
	}
	uids, err := c.UidSearch(crit)
	if err != nil {
		return fmt.Errorf("%s: search: %w", in.cfg.Redacted(), err)
	}
	for _, uid := range uids {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		in.mu.Lock()
		skip := in.tooBig[uid] || in.refused[uid]
		in.mu.Unlock()
		if skip {
			continue
		}
		if err := in.one(ctx, c, uid); err != nil {
			return err
		}
	}
	return nil
}

// one fetches a message, queues it and marks it processed.
func (in *Ingest) one(ctx context.Context, c *client.Client, uid uint32) error {
	set := new(imap.SeqSet)
	set.AddNum(uid)
	// The size first: a message over the limit is not fetched at all.
	head, err := fetch(c, uid, []imap.FetchItem{imap.FetchUid, imap.FetchRFC822Size},
		func(m *imap.Message) bool { _, ok := m.Items[imap.FetchRFC822Size]; return ok })
	if err != nil {
		return fmt.Errorf("%s: fetch UID %d: %w", in.cfg.Redacted(), uid, err)
	}
	if head == nil {
		return nil // expunged meanwhile
	}
	if int64(head.Size) > in.cfg.MaxBytes {
		in.mu.Lock()
		in.tooBig[uid] = true
		in.stats.Skipped++
		in.mu.Unlock()
		in.log.Warn("message too large; left in the folder for an officer", "uid", uid, "bytes", head.Size, "limit", in.cfg.MaxBytes)
		return nil
	}
	section := &imap.BodySectionName{Peek: true}
	m, err := fetch(c, uid, []imap.FetchItem{imap.FetchUid, section.FetchItem()},
		func(m *imap.Message) bool { return m.GetBody(section) != nil })
	if err != nil {
		return fmt.Errorf("%s: fetch UID %d: %w", in.cfg.Redacted(), uid, err)
	}
	if m == nil {
		return nil
	}
	lit := m.GetBody(section)
	if lit == nil {
		return fmt.Errorf("%s: fetch UID %d: the server sent no body", in.cfg.Redacted(), uid)
	}
	raw, err := io.ReadAll(io.LimitReader(lit, in.cfg.MaxBytes+1))
	if err != nil {
		return fmt.Errorf("%s: fetch UID %d: %w", in.cfg.Redacted(), uid, err)
	}
	name := messageName(in.cfg.folder(), raw)
	r, err := in.sub.SubmitMessage(ctx, raw, name)
	if err != nil {
		if errors.Is(err, queue.ErrStoreFull) || ctx.Err() != nil || !permanent(err) {
			// Left unmarked: the next pass tries again.
			return fmt.Errorf("queue message UID %d: %w", uid, err)
		}
		in.mu.Lock()
		in.refused[uid] = true
		in.stats.Skipped++
		in.mu.Unlock()
		in.log.Error("message refused by the queue; left in the folder for an officer", "uid", uid, "err", err)
		return nil
	}
	in.mu.Lock()
	if r.Duplicate {
		in.stats.Duplicates++
	} else {
		in.stats.Submitted++
	}
	in.mu.Unlock()
	in.log.Info("message queued", "uid", uid, "submission", r.Job.Submission, "job", r.Job.ID, "duplicate", r.Duplicate, "bytes", len(raw))
	if in.BeforeAck != nil {
		in.BeforeAck(ctx)
	}
	if ctx.Err() != nil {
		// Stopping: left unmarked, the message is queued again by the
		// next run, and the queue knows it.
		return ctx.Err()
	}
	if err := in.ack(c, set); err != nil {
		return fmt.Errorf("%s: mark UID %d processed: %w", in.cfg.Redacted(), uid, err)
	}
	return nil
}

// ack moves the message to the processed folder, or marks it.
func (in *Ingest) ack(c *client.Client, set *imap.SeqSet) error {
	if in.cfg.Processed != "" {
		return c.UidMove(set, in.cfg.Processed)
	}
	return c.UidStore(set, imap.FormatFlagsOp(imap.AddFlags, true), []any{imap.SeenFlag, Keyword}, nil)
}

// wait returns when the folder may have news: at once when IDLE says so,
// else after the poll interval.
func (in *Ingest) wait(ctx context.Context, c *client.Client, idle bool, changed <-chan struct{}) error {
	select {
	case <-changed: // news that came during the pass
		return nil
	default:
	}
	timer := time.NewTimer(in.cfg.Poll)
	defer timer.Stop()
	if !idle {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
			// NOOP: the server's EXISTS comes with its answer.
			return c.Noop()
		}
	}
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- c.Idle(stop, &client.IdleOptions{LogoutTimeout: 25 * time.Minute, PollInterval: -1}) }()
	select {
	case <-ctx.Done():
		close(stop)
		<-done
		return ctx.Err()
	case err := <-done:
		if err == nil {
			err = errors.New("IDLE ended")
		}
		return fmt.Errorf("%s: IDLE: %w", in.cfg.Redacted(), err)
	case <-changed:
	case <-timer.C:
	}
	close(stop)
	if err := <-done; err != nil {
		return fmt.Errorf("%s: IDLE: %w", in.cfg.Redacted(), err)
	}
	return nil
}

// fetch returns the message uid as a UID FETCH of items gives it, the
// response that has what was asked for (nil when the message is gone).
// Other FETCH responses may come meanwhile (flags another session
// changed): they are read and passed over.
func fetch(c *client.Client, uid uint32, items []imap.FetchItem, has func(*imap.Message) bool) (*imap.Message, error) {
	set := new(imap.SeqSet)
	set.AddNum(uid)
	ch := make(chan *imap.Message, 8)
	done := make(chan error, 1)
	go func() { done <- c.UidFetch(set, items, ch) }()
	var got *imap.Message
	for m := range ch {
		if m.Uid == uid && got == nil && has(m) {
			got = m
		}
	}
	return got, <-done
}

// permanent reports whether the queue's refusal will not change when
// tried again: the message or its files are over the limits.
func permanent(err error) bool { return errors.Is(err, extractor.ErrLimit) }

// messageName is the name the message is queued under, and the start of
// its files' paths in the record: "FOLDER/SUBJECT.eml".
func messageName(folder string, raw []byte) string {
	subject := ""
	if m, err := message.ReadMeta(raw); err == nil {
		subject = m.Subject
	}
	subject = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < ' ' || r == 0x7f {
			return '-'
		}
		return r
	}, strings.TrimSpace(subject))
	if rs := []rune(subject); len(rs) > 80 {
		subject = strings.TrimSpace(string(rs[:80]))
	}
	return strings.ReplaceAll(folder, "/", "-") + "/" + cmpOr(subject, "meddelande") + ".eml"
}

// imapLog passes the IMAP library's own complaints (a read on a closed
// connection when a session ends) to the log, at debug level.
type imapLog struct{ log *slog.Logger }

func (l imapLog) Printf(format string, v ...any) { l.log.Debug("imap: " + fmt.Sprintf(format, v...)) }
func (l imapLog) Println(v ...any)               { l.log.Debug("imap: " + strings.TrimSpace(fmt.Sprintln(v...))) }
