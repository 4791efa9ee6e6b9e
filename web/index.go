package web

import (
	"cmp"
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
	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/schema"
)

// Row statuses, as the Inkorg shows them.
const (
	StatusComplete   = "komplett"
	StatusIncomplete = "ofullständig"
	StatusReview     = "granska manuellt"
	StatusPending    = "under behandling"
	StatusFailed     = "misslyckad"
)

// statuses are the row statuses in the order the filter offers them.
var statuses = []string{StatusComplete, StatusIncomplete, StatusReview, StatusPending, StatusFailed}

// Row is one submission in the index: what the Inkorg shows of it. The
// record itself is read by Seq when a page needs it.
type Row struct {
	Key       string    // queue.SubmissionKey of its records
	Seq       uint64    // the newest record's sequence in ANSOKAN_RECORDS; 0: none yet
	Received  time.Time // when the submission was first seen (its e-mail's date when it came by e-mail)
	Produced  time.Time // when the newest record was made
	Title     string
	Owner     string
	Orgs      []string // owner and partners, lower-cased, for the search
	Files     []string // the files' names
	SHA       string   // the first file's SHA-256 (a handle for Omkör)
	Complete  bool
	Errors    int
	Warnings  int
	Infos     int
	Codes     []string // finding codes, sorted, once each
	Uncertain bool     // an extraction.uncertain finding

	// Pending is the job of the submission the workers hold now (status
	// bucket: received or processing); "" when none.
	Pending   string
	PendingAt time.Time
	// Dead is the newest dead letter of the submission (its sequence in
	// ANSOKAN_DEAD); 0 when none. DeadAt is when it was written.
	Dead   uint64
	DeadAt time.Time
	Reason string
}

// Status is the row's status: under behandling while the workers hold a
// job of it; misslyckad when its newest job was dead-lettered after its
// newest record; else from the record: granska manuellt when a part
// could not be read with certainty (extraction.uncertain), ofullständig
// when a finding is an error, granska manuellt when one is a warning,
// else komplett.
func (r Row) Status() string {
	switch {
	case r.Pending != "":
		return StatusPending
	case r.Dead != 0 && (r.Seq == 0 || r.DeadAt.After(r.Produced)):
		return StatusFailed
	case r.Seq == 0:
		return StatusPending
	case r.Uncertain:
		return StatusReview
	case !r.Complete || r.Errors > 0:
		return StatusIncomplete
	case r.Warnings > 0:
		return StatusReview
	}
	return StatusComplete
}

// ID is the row's handle in URLs and in the page's DOM: its key made
// safe (the key holds spaces and SHA-256s).
func (r Row) ID() string { return rowID(r.Key) }

func rowID(key string) string {
	var b strings.Builder
	b.WriteString("r-")
	for _, c := range key {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
			b.WriteRune(c)
		default:
			b.WriteString("_")
		}
	}
	return b.String()
}

// rowFromRecord fills the record's part of a row.
func rowFromRecord(r *Row, rec *schema.Record, seq uint64, stored time.Time) {
	r.Seq = seq
	r.Produced = stored
	if t, err := time.Parse(time.RFC3339, rec.ProducedAt); err == nil {
		r.Produced = t
	}
	if r.Received.IsZero() || stored.Before(r.Received) {
		r.Received = stored
	}
	if m := rec.Source.Message; m != nil && m.Received != nil {
		if t, err := time.Parse(time.RFC3339, *m.Received); err == nil {
			r.Received = t
		}
	}
	r.Title = deref(rec.Title)
	r.Owner, r.Orgs = "", nil
	if rec.Owner != nil {
		r.Owner = deref(rec.Owner.Organisation)
	}
	if r.Owner != "" {
		r.Orgs = append(r.Orgs, strings.ToLower(r.Owner))
	}
	for _, p := range rec.Partners {
		r.Orgs = append(r.Orgs, strings.ToLower(p.Organisation))
	}
	// Fresh slices, never the old ones reused: copies of the row handed
	// out (pages, events) still hold those.
	r.Files = make([]string, 0, len(rec.Source.Files))
	for _, f := range rec.Source.Files {
		r.Files = append(r.Files, f.Name)
	}
	r.SHA = ""
	if len(rec.Source.Files) > 0 {
		r.SHA = rec.Source.Files[0].SHA256
	}
	r.Complete = rec.Complete
	r.Errors, r.Warnings, r.Infos, r.Uncertain = 0, 0, 0, false
	codes := map[string]bool{}
	for _, f := range rec.Findings {
		switch f.Severity {
		case schema.SeverityError:
			r.Errors++
		case schema.SeverityWarning:
			r.Warnings++
		default:
			r.Infos++
		}
		codes[f.Code] = true
		if f.Code == schema.CodeExtractionUncertain {
			r.Uncertain = true
		}
	}
	r.Codes = make([]string, 0, len(codes))
	for c := range codes {
		r.Codes = append(r.Codes, c)
	}
	slices.Sort(r.Codes)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// jobKey is a job's submission key: the key queue.SubmissionKey gives
// the job's records.
func jobKey(j *queue.Job) string {
	if id := j.SubmissionID(); id != "" {
		return "submission " + id
	}
	sums := make([]string, 0, len(j.Files))
	for _, f := range j.Files {
		sums = append(sums, f.SHA256)
	}
	slices.Sort(sums)
	return "files " + strings.Join(slices.Compact(sums), " ")
}

// index is the in-memory index of the newest record per submission, of
// the dead letters, and of the jobs in hand. It is filled from the
// streams and the status bucket at start and kept current by following
// them; subscribers hear of every row that changes.
type index struct {
	mu    sync.RWMutex
	rows  map[string]*Row // by key
	bySeq map[uint64]string
	dead  []deadEntry // oldest first
	// deadSeen is the last dead letter's sequence taken in: a follow
	// taken up again after a lost connection reads the stream anew.
	deadSeen uint64
	ready    chan struct{}
	subs     map[chan string]struct{} // keys of changed rows
	jobRow   map[string]string        // pending job id → key
}

// deadEntry is one dead letter as the Fel page lists it.
type deadEntry struct {
	Seq    uint64
	Key    string
	Letter queue.DeadLetter
}

func newIndex() *index {
	return &index{
		rows: map[string]*Row{}, bySeq: map[uint64]string{}, ready: make(chan struct{}),
		subs: map[chan string]struct{}{}, jobRow: map[string]string{},
	}
}

// row returns the row under key, made if need be. Callers hold mu.
func (x *index) row(key string) *Row {
	r := x.rows[key]
	if r == nil {
		r = &Row{Key: key}
		x.rows[key] = r
	}
	return r
}

// addRecord takes a record in: the newest record of its submission wins.
func (x *index) addRecord(rec *schema.Record, key string, seq uint64, stored time.Time) {
	x.mu.Lock()
	r := x.row(key)
	if seq < r.Seq {
		x.mu.Unlock()
		return
	}
	rowFromRecord(r, rec, seq, stored)
	x.bySeq[seq] = key
	x.mu.Unlock()
	x.notify(key)
}

// addDead takes a dead letter in.
func (x *index) addDead(dl queue.DeadLetter, seq uint64) {
	key := ""
	if dl.Job != nil && dl.By != "notify" {
		key = jobKey(dl.Job)
	}
	x.mu.Lock()
	if seq <= x.deadSeen {
		x.mu.Unlock()
		return
	}
	x.deadSeen = seq
	x.dead = append(x.dead, deadEntry{Seq: seq, Key: key, Letter: dl})
	if key != "" {
		r := x.row(key)
		r.Dead, r.DeadAt, r.Reason = seq, dl.At, dl.Reason
		if r.Received.IsZero() {
			r.Received = dl.Job.Received
		}
		if len(r.Files) == 0 {
			for _, f := range dl.Job.Files {
				r.Files = append(r.Files, f.Name)
			}
		}
		// Pending stays until the status bucket says the job failed: the
		// two are followed apart, and either may be seen first.
	}
	x.mu.Unlock()
	if key != "" {
		x.notify(key)
	}
}

// remove drops what a retention sweep removed: the rows whose newest
// record went, the dead letters, and the rows that were only a dead
// letter. Their subscribers hear of each row, which is then gone.
func (x *index) remove(r queue.Removed) {
	x.mu.Lock()
	var keys []string
	drop := func(key string) {
		delete(x.rows, key)
		keys = append(keys, key)
	}
	for _, seq := range r.Records {
		key, ok := x.bySeq[seq]
		if !ok {
			continue
		}
		delete(x.bySeq, seq)
		if row := x.rows[key]; row != nil && row.Seq == seq {
			drop(key)
		}
	}
	if len(r.DeadLetters) > 0 {
		x.dead = slices.DeleteFunc(x.dead, func(d deadEntry) bool { return slices.Contains(r.DeadLetters, d.Seq) })
		for key, row := range x.rows {
			if row.Seq == 0 && row.Dead != 0 && slices.Contains(r.DeadLetters, row.Dead) {
				drop(key)
			}
		}
	}
	x.mu.Unlock()
	for _, k := range keys {
		x.notify(k)
	}
}

// setStatus takes a file's status in: a job received or processing makes
// its submission's row pending until it is done or failed.
func (x *index) setStatus(st *queue.Status) {
	if st.Job == nil {
		return
	}
	key := jobKey(st.Job)
	x.mu.Lock()
	pending := st.State == queue.StateReceived || st.State == queue.StateProcessing
	r := x.rows[key]
	if r == nil && !pending {
		// A job done or failed makes no row: its record or dead letter does.
		x.mu.Unlock()
		return
	}
	if r == nil {
		r = x.row(key)
	}
	changed := false
	switch {
	case pending:
		if r.Pending != st.Job.ID {
			r.Pending, r.PendingAt, changed = st.Job.ID, st.Job.Received, true
			x.jobRow[st.Job.ID] = key
		}
		if r.Received.IsZero() || st.Job.Received.Before(r.Received) {
			r.Received = st.Job.Received
		}
		if len(r.Files) == 0 {
			for _, f := range st.Job.Files {
				r.Files = append(r.Files, f.Name)
			}
		}
	default:
		if r.Pending == st.Job.ID {
			r.Pending, changed = "", true
			delete(x.jobRow, st.Job.ID)
		}
	}
	x.mu.Unlock()
	if changed {
		x.notify(key)
	}
}

// notify tells every subscriber that the row under key changed. A
// subscriber too slow to take it misses it (its page still works; a
// reload shows the row).
func (x *index) notify(key string) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	for ch := range x.subs {
		select {
		case ch <- key:
		default:
		}
	}
}

// subscribe returns a channel of the keys of rows that change, and its stop.
func (x *index) subscribe() (<-chan string, func()) {
	ch := make(chan string, 64)
	x.mu.Lock()
	x.subs[ch] = struct{}{}
	x.mu.Unlock()
	return ch, func() {
		x.mu.Lock()
		delete(x.subs, ch)
		x.mu.Unlock()
	}
}

// get returns a copy of the row under key.
func (x *index) get(key string) (Row, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	r, ok := x.rows[key]
	if !ok {
		return Row{}, false
	}
	return *r, true
}

// keyOfSeq returns the key of the submission a record belongs to.
func (x *index) keyOfSeq(seq uint64) (string, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	k, ok := x.bySeq[seq]
	return k, ok
}

// find returns the row a submission id, job id or file SHA-256 names.
func (x *index) find(id string) (Row, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if r, ok := x.rows["submission "+id]; ok {
		return *r, true
	}
	if r, ok := x.rows["files "+id]; ok {
		return *r, true
	}
	for _, r := range x.rows {
		if strings.HasPrefix(r.Key, "files ") && slices.Contains(strings.Fields(r.Key)[1:], id) {
			return *r, true
		}
	}
	return Row{}, false
}

// snapshot returns copies of every row.
func (x *index) snapshot() []Row {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := make([]Row, 0, len(x.rows))
	for _, r := range x.rows {
		out = append(out, *r)
	}
	return out
}

// deadLetters returns the dead letters, newest first, with the rows they
// belong to.
func (x *index) deadLetters() []deadEntry {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := slices.Clone(x.dead)
	slices.Reverse(out)
	return out
}

// deadLetter returns the dead letter stored under seq.
func (x *index) deadLetter(seq uint64) (deadEntry, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, d := range x.dead {
		if d.Seq == seq {
			return d, true
		}
	}
	return deadEntry{}, false
}

// owners returns the owners of the rows, sorted, once each.
func (x *index) owners() []string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	seen := map[string]bool{}
	for _, r := range x.rows {
		if r.Owner != "" {
			seen[r.Owner] = true
		}
	}
	out := make([]string, 0, len(seen))
	for o := range seen {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out
}

// follow fills the index and keeps it current until ctx ends: the
// records and dead-letter streams through ordered consumers, the status
// bucket through a watch. ready is closed once what was stored at start
// has been read.
func (x *index) follow(ctx context.Context, js jetstream.JetStream, log *slog.Logger) error {
	var wg sync.WaitGroup
	// What a retention sweep removes, heard before the streams are read
	// (a core subscription: the client keeps it over reconnects).
	removed := make(chan *nats.Msg, 64)
	sub, err := js.Conn().ChanSubscribe(queue.SubjectRemoved, removed)
	if err != nil {
		return fmt.Errorf("follow %s: %w", queue.SubjectRemoved, err)
	}
	defer func() { _ = sub.Unsubscribe() }()
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case m := <-removed:
				var r queue.Removed
				if err := json.Unmarshal(m.Data, &r); err != nil {
					log.Warn("web index: removal not decoded", "err", err)
					continue
				}
				x.remove(r)
			}
		}
	})
	caught := make(chan struct{}, 3)
	run := func(name string, fn func(ctx context.Context, caughtUp func()) error) {
		wg.Go(func() {
			once := sync.OnceFunc(func() { caught <- struct{}{} })
			defer once()
			for {
				err := fn(ctx, once)
				if ctx.Err() != nil {
					return
				}
				// A lost connection ends a follow; take it up again.
				log.Warn("web index: following stopped; starting again", "what", name, "err", err)
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Second):
				}
			}
		})
	}
	run(queue.StreamRecords, func(ctx context.Context, caughtUp func()) error {
		return followStream(ctx, js, queue.StreamRecords, caughtUp, func(m jetstream.Msg, md *jetstream.MsgMetadata) error {
			data, err := queue.RecordData(ctx, js, m.Headers(), m.Data())
			if err != nil {
				log.Warn("web index: record not read", "seq", md.Sequence.Stream, "err", err)
				return nil
			}
			var rec schema.Record
			if err := json.Unmarshal(data, &rec); err != nil {
				log.Warn("web index: record not decoded", "seq", md.Sequence.Stream, "err", err)
				return nil
			}
			key, err := queue.SubmissionKey(data)
			if err != nil {
				return nil
			}
			x.addRecord(&rec, key, md.Sequence.Stream, md.Timestamp)
			return nil
		})
	})
	run(queue.StreamDead, func(ctx context.Context, caughtUp func()) error {
		return followStream(ctx, js, queue.StreamDead, caughtUp, func(m jetstream.Msg, md *jetstream.MsgMetadata) error {
			var dl queue.DeadLetter
			if err := json.Unmarshal(m.Data(), &dl); err != nil {
				log.Warn("web index: dead letter not decoded", "seq", md.Sequence.Stream, "err", err)
				return nil
			}
			x.addDead(dl, md.Sequence.Stream)
			return nil
		})
	})
	run(queue.BucketStatus, func(ctx context.Context, caughtUp func()) error {
		return x.followStatus(ctx, js, caughtUp)
	})
	go func() {
		for range 3 {
			select {
			case <-caught:
			case <-ctx.Done():
				return
			}
		}
		close(x.ready)
	}()
	wg.Wait()
	return nil
}

// followStream reads every message of stream and then follows it,
// calling caughtUp once what was stored when it began has been read.
func followStream(ctx context.Context, js jetstream.JetStream, stream string, caughtUp func(), fn func(jetstream.Msg, *jetstream.MsgMetadata) error) error {
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return fmt.Errorf("follow %s: %w", stream, err)
	}
	last := s.CachedInfo().State.LastSeq
	if s.CachedInfo().State.Msgs == 0 {
		caughtUp()
	}
	cons, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy})
	if err != nil {
		return fmt.Errorf("follow %s: %w", stream, err)
	}
	it, err := cons.Messages()
	if err != nil {
		return fmt.Errorf("follow %s: %w", stream, err)
	}
	defer it.Stop()
	for {
		m, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			return fmt.Errorf("follow %s: %w", stream, err)
		}
		md, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("follow %s: %w", stream, err)
		}
		if err := fn(m, md); err != nil {
			return err
		}
		if md.Sequence.Stream >= last || md.NumPending == 0 {
			caughtUp()
		}
	}
}

// followStatus watches the status bucket.
func (x *index) followStatus(ctx context.Context, js jetstream.JetStream, caughtUp func()) error {
	kv, err := js.KeyValue(ctx, queue.BucketStatus)
	if err != nil {
		return fmt.Errorf("follow %s: %w", queue.BucketStatus, err)
	}
	w, err := kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return fmt.Errorf("follow %s: %w", queue.BucketStatus, err)
	}
	defer func() { _ = w.Stop() }()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e, ok := <-w.Updates():
			if !ok {
				return errors.New("follow " + queue.BucketStatus + ": the watch ended")
			}
			if e == nil {
				caughtUp()
				continue
			}
			var st queue.Status
			if err := json.Unmarshal(e.Value(), &st); err != nil {
				continue
			}
			x.setStatus(&st)
		}
	}
}
