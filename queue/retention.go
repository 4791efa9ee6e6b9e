package queue

// Retention: the documents hold personal data (personnummer, names,
// addresses of applicants and their staff), and GDPR wants them kept no
// longer than needed. With a retention of N months, a file and
// everything made of it are removed N months after the file was first
// received.
//
// Two mechanisms, one rule:
//
//   - The Sweeper ages from receipt. It reads every status for the
//     file's FirstReceived (kept through re-uploads, retries and
//     reprocessing: an Omkör does not start the clock again) and removes
//     the files past it, the records and alerts made from them (also a
//     record an Omkör made last week), their record bodies, alert
//     deliveries and dead letters, and last the statuses themselves. It
//     runs at start and then hourly, and needs the right to delete
//     (the admin identity).
//   - Setup gives the streams and buckets a MaxAge of N×31 days: the
//     server removes what was stored longer ago even when no sweeper
//     runs. Everything is stored after its file's receipt, and N×31 days
//     is never shorter than N calendar months, so the server never
//     removes what the sweeper would keep.
//
// A record or dead letter goes when any of its files is past its time (it
// holds what was read from them); a record whose files the status bucket
// no longer knows is aged from its own publication.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// metaRetentionMonths is the records stream's metadata key holding the
// retention Setup was given.
const metaRetentionMonths = "ansokan_retention_months"

// retentionMaxAge is the servers' MaxAge for a retention of
// s.RetentionMonths: 31 days a month; 0 keeps everything.
func (s Settings) retentionMaxAge() time.Duration {
	if s.RetentionMonths <= 0 {
		return 0
	}
	return time.Duration(s.RetentionMonths) * 31 * 24 * time.Hour
}

// RetentionInForce returns the retention in months that Setup last gave
// the server (0: kept forever). Any identity that may read the records
// stream's info may ask.
func RetentionInForce(ctx context.Context, js jetstream.JetStream) (int, error) {
	s, err := js.Stream(ctx, StreamRecords)
	if err != nil {
		return 0, fmt.Errorf("retention: %w", notSetUp(err))
	}
	v, ok := s.CachedInfo().Config.Metadata[metaRetentionMonths]
	if !ok {
		return 0, nil // set up before retention existed: nothing removes
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("retention: stream %s: metadata %s=%q is not a number of months", StreamRecords, metaRetentionMonths, v)
	}
	return n, nil
}

// Expiry is when a file first received at received is removed under a
// retention of months (months <= 0: never, the zero time).
func Expiry(received time.Time, months int) time.Time {
	if months <= 0 {
		return time.Time{}
	}
	return received.AddDate(0, months, 0)
}

// RetentionConfig configures a Sweeper.
type RetentionConfig struct {
	// Months is the retention: files received more than Months calendar
	// months ago are removed with all that was made of them. Must be > 0.
	Months int
	// Interval is the time between sweeps; default 1h.
	Interval time.Duration
	// Now is the clock; default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Sweeper removes files and what was made of them once the retention
// has passed since their receipt.
type Sweeper struct {
	js  jetstream.JetStream
	cfg RetentionConfig
	log *slog.Logger
}

// NewSweeper returns a sweeper over js, which must be allowed to delete
// messages, objects and keys (the admin identity).
func NewSweeper(js jetstream.JetStream, cfg RetentionConfig) (*Sweeper, error) {
	if cfg.Months <= 0 {
		return nil, errors.New("retention: months must be above 0")
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sweeper{js: js, cfg: cfg, log: log}, nil
}

// Swept counts what one sweep removed. Never names: the log holds no
// personal data.
type Swept struct {
	Files        int `json:"files"`
	Statuses     int `json:"statuses"`
	Records      int `json:"records"`
	Alerts       int `json:"alerts"`
	RecordBodies int `json:"record_bodies"`
	DeadLetters  int `json:"dead_letters"`
	Deliveries   int `json:"deliveries"`
}

func (s Swept) total() int {
	return s.Files + s.Statuses + s.Records + s.Alerts + s.RecordBodies + s.DeadLetters + s.Deliveries
}

// Run sweeps at once and then every Interval until ctx ends. A sweep that
// fails is logged and tried again at the next.
func (sw *Sweeper) Run(ctx context.Context) {
	t := time.NewTicker(sw.cfg.Interval)
	defer t.Stop()
	for {
		if _, err := sw.Sweep(ctx); err != nil && ctx.Err() == nil {
			sw.log.Error("retention sweep failed; trying again at the next", "err", err, "next", sw.cfg.Interval)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// ages knows when each file was first received.
type ages struct {
	cutoff   time.Time
	received map[string]time.Time // SHA-256 → first receipt, from the status bucket
}

// expired reports whether any of the files is past the cutoff; a file
// the status bucket does not know is aged from fallback (the time the
// message was stored), as is a message naming no file.
func (a ages) expired(files []string, fallback time.Time) bool {
	if len(files) == 0 {
		return fallback.Before(a.cutoff)
	}
	for _, f := range files {
		t, ok := a.received[f]
		if !ok {
			t = fallback
		}
		if t.Before(a.cutoff) {
			return true
		}
	}
	return false
}

// Sweep removes, once, what the retention has passed for, and logs the
// counts. Statuses go last: a sweep cut short leaves them, so the next
// finds the rest again.
func (sw *Sweeper) Sweep(ctx context.Context) (Swept, error) {
	var n Swept
	now := sw.cfg.Now().UTC()
	a := ages{cutoff: now.AddDate(0, -sw.cfg.Months, 0), received: map[string]time.Time{}}
	status, err := sw.js.KeyValue(ctx, BucketStatus)
	if err != nil {
		return n, fmt.Errorf("retention: %w", notSetUp(err))
	}
	if err := eachKey(ctx, status, func(e jetstream.KeyValueEntry) error {
		var st Status
		if err := json.Unmarshal(e.Value(), &st); err != nil {
			return fmt.Errorf("status %s: %w", e.Key(), err)
		}
		a.received[e.Key()] = st.Received()
		return nil
	}); err != nil {
		return n, fmt.Errorf("retention: %w", err)
	}

	// Records and alerts, and which record bodies they use.
	keepBody, dropBody := map[string]bool{}, map[string]bool{}
	var gone Removed
	defer func() { sw.announce(gone) }()
	for _, stream := range []string{StreamRecords, StreamAlerts} {
		removed, err := sw.sweepStreamSeqs(ctx, stream, func(m jetstream.Msg, stored time.Time) (bool, error) {
			data, err := RecordData(ctx, sw.js, m.Headers(), m.Data())
			var files []string
			if err == nil {
				files, err = RecordFiles(data)
			}
			if err != nil { // a body gone or damaged: age the message itself
				sw.log.Warn("retention: record unreadable; aged from its publication", "stream", stream, "err", err)
			}
			gone := a.expired(files, stored)
			if body := m.Headers().Get(HeaderRecordObject); body != "" {
				if gone {
					dropBody[body] = true
				} else {
					keepBody[body] = true
				}
			}
			return gone, nil
		})
		if stream == StreamRecords {
			n.Records, gone.Records = len(removed), removed
		} else {
			n.Alerts = len(removed)
		}
		if err != nil {
			return n, err
		}
	}
	gone.DeadLetters, err = sw.sweepStreamSeqs(ctx, StreamDead, func(m jetstream.Msg, stored time.Time) (bool, error) {
		var dl DeadLetter
		var files []string
		if json.Unmarshal(m.Data(), &dl) == nil {
			if dl.Job != nil {
				for _, f := range dl.Job.Files {
					files = append(files, f.SHA256)
				}
			}
			if dl.Delivery != nil {
				files = append(files, dl.Delivery.Files...)
			}
		}
		return a.expired(files, stored), nil
	})
	n.DeadLetters = len(gone.DeadLetters)
	if err != nil {
		return n, err
	}

	// Alert deliveries: purged with their history.
	if kv, err := sw.js.KeyValue(ctx, BucketDeliveries); err == nil {
		var purge []string
		if err := eachKey(ctx, kv, func(e jetstream.KeyValueEntry) error {
			var d Delivery
			if json.Unmarshal(e.Value(), &d) != nil {
				return nil // not ansokan's: leave it
			}
			if a.expired(d.Files, e.Created()) {
				purge = append(purge, e.Key())
			}
			return nil
		}); err != nil {
			return n, fmt.Errorf("retention: %w", err)
		}
		for _, k := range purge {
			if err := kv.Purge(ctx, k); err != nil {
				return n, fmt.Errorf("retention: purge delivery: %w", err)
			}
			n.Deliveries++
		}
	} else if !errors.Is(err, jetstream.ErrBucketNotFound) {
		return n, fmt.Errorf("retention: %w", err)
	}

	// Record bodies no kept record uses, and files.
	if n.RecordBodies, err = sw.sweepObjects(ctx, BucketRecords, func(o *jetstream.ObjectInfo) bool {
		return !keepBody[o.Name] && (dropBody[o.Name] || o.ModTime.Before(a.cutoff))
	}); err != nil {
		return n, err
	}
	if n.Files, err = sw.sweepObjects(ctx, BucketFiles, func(o *jetstream.ObjectInfo) bool {
		return a.expired([]string{o.Name}, o.ModTime)
	}); err != nil {
		return n, err
	}

	// Last, the statuses: purged with their history (file names).
	for sha, t := range a.received {
		if !t.Before(a.cutoff) {
			continue
		}
		if err := status.Purge(ctx, sha); err != nil {
			return n, fmt.Errorf("retention: purge status: %w", err)
		}
		n.Statuses++
	}
	if n.total() > 0 {
		sw.log.Info("retention: removed what was received before the cutoff",
			"months", sw.cfg.Months, "cutoff", a.cutoff.Format(time.DateOnly),
			"files", n.Files, "statuses", n.Statuses, "records", n.Records, "alerts", n.Alerts,
			"record_bodies", n.RecordBodies, "dead_letters", n.DeadLetters, "deliveries", n.Deliveries)
	} else {
		sw.log.Debug("retention: nothing to remove", "months", sw.cfg.Months, "cutoff", a.cutoff.Format(time.DateOnly))
	}
	return n, nil
}

// SubjectRemoved is where a sweep says which records and dead letters it
// removed (a Removed, JSON; core NATS, not stored): the web inbox drops
// their rows. One that was not listening reads the streams anew when it
// starts.
const SubjectRemoved = "ansokan.removed"

// Removed is the message on SubjectRemoved: the stream sequences removed
// from ANSOKAN_RECORDS and ANSOKAN_DEAD.
type Removed struct {
	Records     []uint64 `json:"records,omitempty"`
	DeadLetters []uint64 `json:"dead_letters,omitempty"`
}

// announce publishes what a sweep removed, if anything.
func (sw *Sweeper) announce(r Removed) {
	if len(r.Records) == 0 && len(r.DeadLetters) == 0 {
		return
	}
	b, err := json.Marshal(r)
	if err == nil {
		err = sw.js.Conn().Publish(SubjectRemoved, b)
	}
	if err != nil {
		sw.log.Warn("retention: the removals not announced (a web inbox shows them until it restarts)", "err", err)
	}
}

// sweepStream deletes (securely: overwritten on disk) the messages of a
// stream that gone says are past their time, and returns how many.
func (sw *Sweeper) sweepStream(ctx context.Context, stream string, gone func(m jetstream.Msg, stored time.Time) (bool, error)) (int, error) {
	seqs, err := sw.sweepStreamSeqs(ctx, stream, gone)
	return len(seqs), err
}

// sweepStreamSeqs is sweepStream, returning the sequences it deleted.
func (sw *Sweeper) sweepStreamSeqs(ctx context.Context, stream string, gone func(m jetstream.Msg, stored time.Time) (bool, error)) ([]uint64, error) {
	var seqs []uint64
	err := List(ctx, sw.js, stream, false, func(m jetstream.Msg) error {
		md, err := m.Metadata()
		if err != nil {
			return err
		}
		g, err := gone(m, md.Timestamp)
		if g {
			seqs = append(seqs, md.Sequence.Stream)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("retention: %w", err)
	}
	if len(seqs) == 0 {
		return nil, nil
	}
	s, err := sw.js.Stream(ctx, stream)
	if err != nil {
		return nil, fmt.Errorf("retention: %w", err)
	}
	for i, seq := range seqs {
		if err := s.SecureDeleteMsg(ctx, seq); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
			return seqs[:i], fmt.Errorf("retention: delete message %d of %s: %w", seq, stream, err)
		}
	}
	return seqs, nil
}

// sweepObjects deletes the objects of a bucket that gone says are past
// their time, and returns how many.
func (sw *Sweeper) sweepObjects(ctx context.Context, bucket string, gone func(*jetstream.ObjectInfo) bool) (int, error) {
	store, err := sw.js.ObjectStore(ctx, bucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("retention: %w", err)
	}
	infos, err := store.List(ctx)
	if errors.Is(err, jetstream.ErrNoObjectsFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("retention: list %s: %w", bucket, err)
	}
	removed := 0
	for _, o := range infos {
		if o.Deleted || !gone(o) {
			continue
		}
		if err := store.Delete(ctx, o.Name); err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
			return removed, fmt.Errorf("retention: delete object of %s: %w", bucket, err)
		}
		removed++
	}
	return removed, nil
}

// eachKey calls fn with the current value of every key of kv.
func eachKey(ctx context.Context, kv jetstream.KeyValue, fn func(jetstream.KeyValueEntry) error) error {
	w, err := kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return err
	}
	defer func() { _ = w.Stop() }()
	for {
		var e jetstream.KeyValueEntry
		var ok bool
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e, ok = <-w.Updates():
		}
		if !ok {
			return errors.New("the watch ended (connection closed?)")
		}
		if e == nil {
			return nil
		}
		if err := fn(e); err != nil {
			return err
		}
	}
}
