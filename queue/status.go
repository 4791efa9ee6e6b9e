package queue

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// States of a file in the status bucket.
const (
	StateReceived   = "received"   // stored and queued
	StateProcessing = "processing" // a worker has the job (LastError says why an earlier try failed)
	StateDone       = "done"       // the record is published
	StateFailed     = "failed"     // the job is in ansokan.dead (or could not be queued)
)

// Status is the value under a file's SHA-256 in the status bucket.
type Status struct {
	SHA256     string `json:"sha256"`
	Name       string `json:"name"`
	Bytes      int64  `json:"bytes"`
	State      string `json:"state"`
	Job        *Job   `json:"job"` // the job the file was last part of
	Deliveries uint64 `json:"deliveries,omitempty"`
	// MaxDeliver is how many deliveries the job gets before it is
	// dead-lettered (the workers' consumer setting, as the worker saw it).
	MaxDeliver int    `json:"max_deliver,omitempty"`
	LastError  string `json:"last_error,omitempty"`
	// RetryAt is when a job whose delivery failed (LastError) is due
	// again; nil while a delivery runs and once the job is done or failed.
	RetryAt *time.Time   `json:"retry_at,omitempty"`
	Record  *RecordRef   `json:"record,omitempty"` // when done
	Updated time.Time    `json:"updated"`
	History []Transition `json:"history"`
	// FirstReceived is when the file was first stored: kept through
	// re-uploads, retries and reprocessing, it is what the retention
	// (RetentionConfig) ages the file, its records and its dead letters
	// from.
	FirstReceived time.Time `json:"first_received"`
	// Expires is when the retention in force removes the file and what
	// was made of it (none: kept). Not stored: 'ansokan status' fills it
	// in.
	Expires *time.Time `json:"expires,omitempty"`
	// Alerts are the alert deliveries of the records the file is part of
	// (e-mails, webhook; see Delivery). They live in BucketDeliveries, not
	// in the status bucket: 'ansokan status' fills them in.
	Alerts []*Delivery `json:"alerts,omitempty"`
}

// RecordRef says where a file's last record is.
type RecordRef struct {
	Subject  string `json:"subject"`
	Stream   string `json:"stream"`
	Seq      uint64 `json:"seq"`
	Version  string `json:"producer_version"`
	Complete bool   `json:"complete"`
}

// Transition is one state change.
type Transition struct {
	State string    `json:"state"`
	At    time.Time `json:"at"`
}

const maxHistory = 32

func (s *Status) set(state string, now time.Time) {
	s.State = state
	s.Updated = now
	s.History = append(s.History, Transition{State: state, At: now})
	if n := len(s.History); n > maxHistory {
		s.History = s.History[n-maxHistory:]
	}
}

// Received is when the file was first stored: FirstReceived, or for a
// status written before it existed the oldest time it holds.
func (s *Status) Received() time.Time {
	if !s.FirstReceived.IsZero() {
		return s.FirstReceived
	}
	t := s.Updated
	if len(s.History) > 0 && s.History[0].At.Before(t) {
		t = s.History[0].At
	}
	if s.Job != nil && !s.Job.Received.IsZero() && s.Job.Received.Before(t) {
		t = s.Job.Received
	}
	return t
}

// terminal reports whether the job j has finished for this file.
func (s *Status) finished(j string) bool {
	return s.Job != nil && s.Job.ID == j && (s.State == StateDone || s.State == StateFailed)
}

func getStatus(ctx context.Context, kv jetstream.KeyValue, sha string) (*Status, uint64, error) {
	e, err := kv.Get(ctx, sha)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("status %s: %w", sha, err)
	}
	var st Status
	if err := json.Unmarshal(e.Value(), &st); err != nil {
		return nil, 0, fmt.Errorf("status %s: %w", sha, err)
	}
	return &st, e.Revision(), nil
}

// updateStatus changes a file's status with compare-and-set, so two
// writers (a re-submit and a worker, or two workers after an ack wait ran
// out) do not lose each other's transitions.
func updateStatus(ctx context.Context, kv jetstream.KeyValue, f FileRef, change func(*Status)) error {
	for attempt := 0; ; attempt++ {
		st, rev, err := getStatus(ctx, kv, f.SHA256)
		if err != nil {
			return err
		}
		if st == nil {
			st = &Status{SHA256: f.SHA256, Name: f.Name, Bytes: f.Bytes}
		}
		change(st)
		if st.FirstReceived.IsZero() {
			st.FirstReceived = st.Received()
		}
		b, err := maskedJSON(st) // file names, errors

		if err != nil {
			return fmt.Errorf("status %s: %w", f.SHA256, err)
		}
		if rev == 0 {
			_, err = kv.Create(ctx, f.SHA256, b)
		} else {
			_, err = kv.Update(ctx, f.SHA256, b, rev)
		}
		if err == nil {
			return nil
		}
		conflict := errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch)
		if !conflict || attempt >= 8 {
			return fmt.Errorf("status %s (%s): %w", f.SHA256, f.Name, err)
		}
	}
}

func setStatus(ctx context.Context, kv jetstream.KeyValue, j *Job, state string, change func(*Status)) error {
	now := time.Now().UTC()
	for _, f := range j.Files {
		err := updateStatus(ctx, kv, f, func(s *Status) {
			s.Name, s.Bytes = f.Name, f.Bytes
			s.Job = j
			s.set(state, now)
			if change != nil {
				change(s)
			}
		})
		if err != nil {
			return fmt.Errorf("job %s: %w", j.ID, err)
		}
	}
	return nil
}

// Step says in a few words where the job stands, for people watching it:
// "received", "processing", "processing (delivery 2/5)", "retry 2/5 at
// 14:32:05: reason", "failed: reason", "done". Times are local.
func (s *Status) Step() string {
	of := func(n uint64) string {
		if s.MaxDeliver > 0 {
			return fmt.Sprintf("%d/%d", n, s.MaxDeliver)
		}
		return fmt.Sprint(n)
	}
	switch {
	case s.State == StateFailed:
		return "failed: " + s.LastError
	case s.State == StateProcessing && s.RetryAt != nil:
		return fmt.Sprintf("retry %s at %s: %s", of(s.Deliveries+1), s.RetryAt.Local().Format("15:04:05"), s.LastError)
	case s.State == StateProcessing && s.Deliveries > 1:
		return fmt.Sprintf("processing (delivery %s)", of(s.Deliveries))
	}
	return s.State
}

// SubmissionStatus returns the status of every file whose last job
// belongs to the submission id (the id a record's submission_id holds:
// the one given to Submit, or the job id of a job of several files
// submitted without one), sorted by file name; none when there is none.
// It reads the whole status bucket once.
func (c *Client) SubmissionStatus(ctx context.Context, id string) ([]*Status, error) {
	w, err := c.status.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return nil, fmt.Errorf("status of submission %s: %w", id, err)
	}
	defer func() { _ = w.Stop() }()
	var out []*Status
	for {
		var e jetstream.KeyValueEntry
		var ok bool
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("status of submission %s: %w", id, ctx.Err())
		case e, ok = <-w.Updates():
		}
		if !ok {
			return nil, fmt.Errorf("status of submission %s: the status watch ended (connection closed?)", id)
		}
		if e == nil { // every stored status seen
			slices.SortFunc(out, func(a, b *Status) int { return cmp.Compare(a.Name, b.Name) })
			return out, nil
		}
		var st Status
		if err := json.Unmarshal(e.Value(), &st); err != nil {
			return nil, fmt.Errorf("status %s: %w", e.Key(), err)
		}
		if st.Job != nil && st.Job.SubmissionID() == id {
			out = append(out, &st)
		}
	}
}

// Find returns the statuses that what names: the file whose SHA-256 it
// is, else the files of the submission it is the id of (see
// SubmissionStatus); none when it names nothing submitted.
func (c *Client) Find(ctx context.Context, what string) ([]*Status, error) {
	if sha256Hex(what) {
		st, err := c.Status(ctx, what)
		if err != nil || st != nil {
			return []*Status{st}, err
		}
	}
	return c.SubmissionStatus(ctx, what)
}

func sha256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}
