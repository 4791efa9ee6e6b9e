package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/privacy"
	"github.com/finsam/ansokan/schema"
)

// ErrUnreachable means the connection to NATS was closed, or stayed
// down longer than a Processor's grace: the submissions waiting on it
// fail instead of waiting for good.
var ErrUnreachable = errors.New("NATS server unreachable")

// Processor makes records on the workers: it submits a submission's
// files as one job and waits for the job's record. It is the processor of
// 'ansokan batch --via-nats' (it implements batch.Processor); many calls
// may run at once, each holding one job in flight.
//
// A connection that drops is waited for: a call submits again (submit is
// idempotent, by content hash) and goes on waiting once it is back. When
// it stays down longer than the grace, or is closed, every call in flight
// and every new one fails at once with ErrUnreachable.
type Processor struct {
	c     *Client
	nc    *nats.Conn
	grace time.Duration
	log   *slog.Logger

	tick time.Duration // how often a call looks at the connection
	poll time.Duration // how often a waiting call reads the status unbidden

	mu        sync.Mutex
	downSince time.Time       // when the connection was first seen down; zero while up
	warned    map[string]bool // producer versions warned about
}

// NewProcessor returns a Processor on c's connection. grace is how long
// a lost connection may take to come back (default 30s); log gets a
// warning when records come from another producer version than this
// build's (default: discarded).
func NewProcessor(c *Client, grace time.Duration, log *slog.Logger) *Processor {
	if grace <= 0 {
		grace = 30 * time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = privacy.Logger(log)
	return &Processor{
		c: c, nc: c.js.Conn(), grace: grace, log: log,
		tick: min(100*time.Millisecond, grace/4), poll: 500 * time.Millisecond,
		warned: map[string]bool{},
	}
}

// Process submits the files as one job under the submission id and
// returns the record the workers made of them. A job that failed (it was
// dead-lettered) gives an error with the workers' reason; so does a
// record that cannot be fetched or decoded. Nothing is returned that is
// not the workers' record of exactly these files.
func (p *Processor) Process(ctx context.Context, submission string, files []normalizer.File) (*schema.Record, error) {
	what := describe(submission, files)
	if err := p.ready(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop := p.watchdog(ctx, cancel)
	defer stop()

	var r Receipt
	for {
		before := p.nc.Stats().Reconnects
		var err error
		if r, err = p.c.Submit(ctx, files, submission); err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %w", what, cause(ctx, err))
		}
		if p.nc.Status() == nats.CONNECTED && p.nc.Stats().Reconnects == before {
			return nil, err // not the connection's doing; Submit names the files
		}
		p.log.Debug("submit interrupted by a reconnect; submitting again", "submission", submission, "err", err)
		if err := p.ready(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", what, cause(ctx, err))
		}
	}
	raw, err := p.wait(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	var rec schema.Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, fmt.Errorf("%s: record of job %s: %w", what, r.Job.ID, err)
	}
	if !sameFiles(r.Job.Files, rec.Source.Files) {
		return nil, fmt.Errorf("%s: the record of job %s is not of its files", what, r.Job.ID)
	}
	if v := rec.Producer.Version; v != normalizer.Version {
		p.mu.Lock()
		first := !p.warned[v]
		p.warned[v] = true
		p.mu.Unlock()
		if first {
			p.log.Warn("a record comes from another version of ansokan (workers of another version, or a job done before an upgrade: see 'ansokan reprocess')",
				"record_version", v, "this_version", normalizer.Version, "submission", submission)
		}
	}
	return &rec, nil
}

// wait waits for the receipt's job to finish. It reads the status of
// the job's first file when told the status changed (a plain
// subscription to the bucket's subject for the key: unlike a key-value
// watch, it holds no consumer, so it needs no server to stop, and it
// survives reconnects) and every p.poll in case a notice was missed.
func (p *Processor) wait(ctx context.Context, r Receipt) (json.RawMessage, error) {
	f := r.Job.Files[0]
	changed := make(chan *nats.Msg, 16)
	if sub, err := p.nc.ChanSubscribe("$KV."+BucketStatus+"."+f.SHA256, changed); err == nil {
		defer func() { _ = sub.Unsubscribe() }()
	} else {
		p.log.Debug("no subscription to the status; polling it", "file", f.Name, "err", err)
	}
	poll := time.NewTicker(p.poll)
	defer poll.Stop()
	failures := 0 // reads in a row that failed on a live connection
	for {
		st, _, err := getStatus(ctx, p.c.status, f.SHA256)
		if err != nil && p.nc.Status() == nats.CONNECTED {
			failures++
		} else {
			failures = 0
		}
		switch {
		case ctx.Err() != nil:
			return nil, fmt.Errorf("wait for job %s: %w", r.Job.ID, cause(ctx, ctx.Err()))
		case failures >= 3:
			return nil, fmt.Errorf("wait for job %s: %w", r.Job.ID, err)
		case err != nil, st == nil, !st.finished(r.Job.ID):
			// Disconnected (the watchdog decides for how long), or not yet.
		case st.State == StateFailed:
			return nil, fmt.Errorf("job %s failed after %d deliveries: %s", r.Job.ID, st.Deliveries, st.LastError)
		default:
			raw, err := p.c.Record(ctx, st.Record)
			if err == nil {
				return raw, nil
			}
			if ctx.Err() != nil || p.nc.Status() == nats.CONNECTED {
				return nil, fmt.Errorf("job %s: %w", r.Job.ID, cause(ctx, err))
			}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for job %s: %w", r.Job.ID, cause(ctx, ctx.Err()))
		case <-changed:
		case <-poll.C:
		}
	}
}

// ready returns at once while the connection is up, else waits for it
// for what is left of the grace.
func (p *Processor) ready(ctx context.Context) error {
	t := time.NewTicker(p.tick)
	defer t.Stop()
	for {
		up, err := p.check()
		if up || err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return cause(ctx, ctx.Err())
		case <-t.C:
		}
	}
}

// watchdog cancels ctx with ErrUnreachable once the connection is
// closed, or has been down longer than the grace.
func (p *Processor) watchdog(ctx context.Context, cancel context.CancelCauseFunc) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(p.tick)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if _, err := p.check(); err != nil {
					cancel(err)
					return
				}
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// check looks at the connection: up, or down for less than the grace
// (false, nil), or unreachable.
func (p *Processor) check() (up bool, err error) {
	s := p.nc.Status()
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case s == nats.CONNECTED:
		p.downSince = time.Time{}
		return true, nil
	case s == nats.CLOSED:
		return false, fmt.Errorf("%w: the connection is closed", ErrUnreachable)
	case p.downSince.IsZero():
		p.downSince = time.Now()
	case time.Since(p.downSince) > p.grace:
		return false, fmt.Errorf("%w: no connection for %s", ErrUnreachable, time.Since(p.downSince).Round(100*time.Millisecond))
	}
	return false, nil
}

// cause is the reason ctx ended when it ended for one (ErrUnreachable),
// else err.
func cause(ctx context.Context, err error) error {
	if c := context.Cause(ctx); c != nil && !errors.Is(c, context.Canceled) && !errors.Is(c, context.DeadlineExceeded) {
		return c
	}
	return err
}

// sameFiles reports whether a record lists the job's files: the same
// set of SHA-256 digests.
func sameFiles(job []FileRef, rec []schema.File) bool {
	want := make([]string, len(job))
	for i, f := range job {
		want[i] = f.SHA256
	}
	got := make([]string, len(rec))
	for i, f := range rec {
		got[i] = f.SHA256
	}
	slices.Sort(want)
	slices.Sort(got)
	return slices.Equal(slices.Compact(want), slices.Compact(got))
}

func describe(submission string, files []normalizer.File) string {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	s := strings.Join(names, ", ")
	if submission != "" {
		s = fmt.Sprintf("submission %s (%s)", submission, s)
	}
	return s
}
