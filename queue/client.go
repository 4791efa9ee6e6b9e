package queue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/message"
	"github.com/finsam/ansokan/normalizer"
)

// Client submits files and reads what the workers made of them.
type Client struct {
	js     jetstream.JetStream
	files  jetstream.ObjectStore
	status jetstream.KeyValue
	// limits are checked before a submission is stored: its files and
	// their bytes (the workers check them again, and the rest).
	limits normalizer.SubmissionLimits
	now    func() time.Time // the clock of receipt; nil: time.Now
}

// clock is the time of receipt: time.Now, or the test's.
func (c *Client) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// SetLimits sets the submission limits Submit checks (default:
// normalizer.DefaultSubmissionLimits). A submission over MaxFiles or
// MaxBytes is refused with an error wrapping
// normalizer.ErrSubmissionLimit before anything is stored.
func (c *Client) SetLimits(l normalizer.SubmissionLimits) { c.limits = l.WithDefaults() }

// Open binds to the buckets Setup made.
func Open(ctx context.Context, js jetstream.JetStream) (*Client, error) {
	files, err := js.ObjectStore(ctx, BucketFiles)
	if err != nil {
		return nil, fmt.Errorf("object store %s: %w", BucketFiles, notSetUp(err))
	}
	status, err := js.KeyValue(ctx, BucketStatus)
	if err != nil {
		return nil, fmt.Errorf("key-value bucket %s: %w", BucketStatus, notSetUp(err))
	}
	return &Client{js: js, files: files, status: status, limits: normalizer.DefaultSubmissionLimits()}, nil
}

// Receipt says what Submit did with one job.
type Receipt struct {
	Job *Job `json:"job"`
	// Duplicate is true when the job was already queued or done: nothing
	// new was queued (the status bucket, or the stream's de-duplication,
	// recognised it).
	Duplicate bool   `json:"duplicate"`
	State     string `json:"state"`         // the files' state after submit
	Seq       uint64 `json:"seq,omitempty"` // the job's sequence in ANSOKAN_JOBS
}

// ErrStoreFull means the server refused to store a file: its store, or
// the files bucket's quota, is full.
var ErrStoreFull = errors.New("the server's store is full")

// Submit stores the files and queues one job for them (one record). The
// submission id, if any, travels with the job and its record. A job
// whose files are already queued or done under the same content hash is
// not queued again; one that failed before is. A submission over the
// client's limits (SetLimits) is refused before anything is stored.
func (c *Client) Submit(ctx context.Context, files []normalizer.File, submission string) (Receipt, error) {
	if len(files) == 0 {
		return Receipt{}, errors.New("submit: no files")
	}
	var size int64
	for _, f := range files {
		size += int64(len(f.Data))
	}
	if err := c.limits.Check(len(files), size); err != nil {
		return Receipt{}, fmt.Errorf("submit %s: %w", describe(submission, files), err)
	}
	return c.submit(ctx, &Job{Submission: submission, Received: c.clock().UTC()}, files)
}

// SubmitMessage queues an e-mail message as one submission: one job
// whose file is the raw message (kept as it came, for the archive),
// read by the worker as its application files (.docx, .pdf, .xlsx
// attached, also in zips and forwarded messages). The submission id
// follows the Message-ID (message.Message.SubmissionID), so the same
// message submitted again — read twice from a mailbox after a crash — is
// the same job and gets no second record. The application files are also
// stored on their own, by SHA-256, as a record's source.files name them,
// so that they can be downloaded. A message that cannot be parsed is
// queued all the same: its record says why it could not be read, and
// nothing is lost.
func (c *Client) SubmitMessage(ctx context.Context, raw []byte, name string) (Receipt, error) {
	lim := message.DefaultLimits()
	if int64(len(raw)) > lim.MaxBytes {
		return Receipt{}, fmt.Errorf("submit message %s: %w: %s, more than %s (limit message.Limits.MaxBytes)", name,
			extractor.ErrLimit, extractor.PlainBytes(int64(len(raw))), extractor.PlainBytes(lim.MaxBytes))
	}
	m, err := message.Read(raw, name, lim)
	if err != nil {
		sum := sha256.Sum256(raw)
		m = &message.Message{SHA256: hex.EncodeToString(sum[:])}
	}
	var size int64
	for _, f := range m.Files {
		size += int64(len(f.Data))
	}
	if err := c.limits.Check(len(m.Files), size); err != nil {
		return Receipt{}, fmt.Errorf("submit message %s: %w", name, err)
	}
	for _, f := range m.Files {
		if f.Err != nil {
			continue
		}
		if err := c.store(ctx, newFileRef(f.Name, f.Data), f.Data); err != nil {
			return Receipt{}, fmt.Errorf("submit message %s: %s: %w", name, f.Name, err)
		}
	}
	job := &Job{Submission: m.SubmissionID(), Received: c.clock().UTC(), Message: true}
	return c.submit(ctx, job, []normalizer.File{{Name: name, Data: raw}})
}

// submit stores the files and queues job for them.
func (c *Client) submit(ctx context.Context, job *Job, files []normalizer.File) (Receipt, error) {
	submission := job.Submission
	for _, f := range files {
		job.Files = append(job.Files, newFileRef(f.Name, f.Data))
	}
	job.ID = jobID(job.Files)
	what := job.Files[0].Name
	if len(files) > 1 {
		what = fmt.Sprintf("submission %q (%d files)", submission, len(files))
	}

	prev, taken, err := c.previous(ctx, job)
	if err != nil {
		return Receipt{}, fmt.Errorf("submit %s: %w", what, err)
	}
	switch {
	case taken:
		return maskedReceipt(Receipt{Job: prev.Job, Duplicate: true, State: prev.State}), nil
	case prev != nil && prev.State == StateFailed:
		job.Attempt = prev.Job.Attempt + 1 // a new Nats-Msg-Id: the retry is no duplicate
	case prev != nil:
		// Received, perhaps never queued: queue it again under the same Nats-Msg-Id.
		job.Attempt, job.Reprocess = prev.Job.Attempt, prev.Job.Reprocess
	}

	for i, f := range files {
		if err := c.store(ctx, job.Files[i], f.Data); err != nil {
			return Receipt{}, fmt.Errorf("submit %s: %w", job.Files[i].Name, err)
		}
	}
	now := job.Received
	for _, f := range job.Files {
		err := updateStatus(ctx, c.status, f, func(s *Status) {
			if s.Job != nil && s.Job.ID == job.ID && s.State != StateReceived && s.State != StateFailed {
				return // a worker took the job meanwhile
			}
			s.Name, s.Bytes, s.Job = f.Name, f.Bytes, job
			s.Record, s.LastError, s.Deliveries, s.RetryAt = nil, "", 0, nil
			s.set(StateReceived, now)
		})
		if err != nil {
			return Receipt{}, fmt.Errorf("submit %s: %w", what, err)
		}
	}
	body, err := json.Marshal(job)
	if err != nil {
		return Receipt{}, fmt.Errorf("submit %s: %w", what, err)
	}
	ack, err := c.js.Publish(ctx, SubjectJobs, body, jetstream.WithMsgID(job.msgID()))
	if err != nil {
		err = explainStore(err)
		_ = setStatus(context.WithoutCancel(ctx), c.status, job, StateFailed, func(s *Status) { s.LastError = "not queued: " + err.Error() })
		return Receipt{}, fmt.Errorf("submit %s: queue job %s: %w", what, job.ID, err)
	}
	return maskedReceipt(Receipt{Job: job, Duplicate: ack.Duplicate, State: StateReceived, Seq: ack.Sequence}), nil
}

// previous returns the status of the job's first file when every file's
// last job is this one (nil otherwise), and whether a worker has taken or
// finished it for every file. A job that is only received is queued again
// under the same Nats-Msg-Id: the stream drops it inside the
// de-duplication window, and a worker recognises it as done after.
func (c *Client) previous(ctx context.Context, job *Job) (first *Status, taken bool, err error) {
	taken = true
	for i, f := range job.Files {
		st, _, err := getStatus(ctx, c.status, f.SHA256)
		if err != nil {
			return nil, false, err
		}
		if st == nil || st.Job == nil || st.Job.ID != job.ID {
			return nil, false, nil
		}
		if i == 0 {
			first = st
		}
		if st.State != StateProcessing && st.State != StateDone {
			taken = false
		}
		if st.State == StateFailed {
			first = st
		}
	}
	return first, taken, nil
}

// store puts a file's body in the files bucket under its SHA-256, unless it
// is there already.
//
// A file that would not fit the bucket's quota is refused before any of
// it is sent: the client may not purge (the admin's right), so the
// chunks of an upload the server refused halfway would stay, and
// PutBytes would wait until ctx ends for the purge it then attempts. The
// quota is read at every upload: serve's store guard changes it as the
// store and the disk fill and empty.
func (c *Client) store(ctx context.Context, f FileRef, data []byte) error {
	if info, err := c.files.GetInfo(ctx, f.Object); err == nil && !info.Deleted && info.Size == uint64(len(data)) {
		return nil
	}
	if s, err := c.js.Stream(ctx, "OBJ_"+BucketFiles); err == nil {
		info := s.CachedInfo()
		// Each chunk and the object's meta message carry a subject and
		// headers besides the bytes: 512 bytes a chunk is a safe bound.
		need := uint64(len(data)) + uint64(len(data)/(128<<10)+2)*512
		if max := info.Config.MaxBytes; max > 0 && info.State.Bytes+need > uint64(max) {
			return fmt.Errorf("store in %s: %w: %d bytes would exceed its quota (%d of %d bytes used)",
				BucketFiles, ErrStoreFull, len(data), info.State.Bytes, max)
		}
	}
	_, err := c.files.PutBytes(ctx, f.Object, data)
	if err != nil {
		return fmt.Errorf("store in %s: %w", BucketFiles, explainStore(err))
	}
	return nil
}

// explainStore names a full store as such.
func explainStore(err error) error {
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode {
		case 10023, // insufficient resources
			10047, // insufficient storage
			10077: // store failed: maximum bytes exceeded
			return fmt.Errorf("%w: %w", ErrStoreFull, err)
		}
	}
	return err
}

// Status is a file's status, or nil when the file was never submitted.
func (c *Client) Status(ctx context.Context, sha string) (*Status, error) {
	st, _, err := getStatus(ctx, c.status, sha)
	return st, err
}

// Wait waits until the receipt's job is done or failed and returns its
// record as published. A failed job gives the status and an error naming
// the reason.
func (c *Client) Wait(ctx context.Context, r Receipt) (json.RawMessage, *Status, error) {
	return c.WaitProgress(ctx, r, nil)
}

// WaitProgress is Wait, calling progress (when not nil) with each change
// of the job's status as it happens (see Status.Step): first the
// receipt's state, then every change the status bucket records for the
// job's first file. A state that lasts only the moment between two
// writes (a delivery that fails at once) can be overwritten before it is
// seen; the waits between retries, and the final state, are not.
func (c *Client) WaitProgress(ctx context.Context, r Receipt, progress func(*Status)) (json.RawMessage, *Status, error) {
	f := r.Job.Files[0]
	last := ""
	report := func(st *Status) {
		if progress == nil || st.Job == nil || st.Job.ID != r.Job.ID {
			return
		}
		if step := st.Step(); step != last {
			last = step
			progress(st)
		}
	}
	report(&Status{SHA256: f.SHA256, Name: f.Name, Bytes: f.Bytes, State: r.State, Job: r.Job})
	w, err := c.status.Watch(ctx, f.SHA256)
	if err != nil {
		return nil, nil, fmt.Errorf("wait for %s: %w", f.Name, err)
	}
	defer w.Stop()
	for {
		var e jetstream.KeyValueEntry
		var ok bool
		select {
		case <-ctx.Done():
			return nil, nil, fmt.Errorf("wait for %s: %w", f.Name, ctx.Err())
		case e, ok = <-w.Updates():
		}
		if !ok {
			// The watcher ended under us (its connection closed): a
			// closed channel would answer nil at once, forever.
			if err := ctx.Err(); err != nil {
				return nil, nil, fmt.Errorf("wait for %s: %w", f.Name, err)
			}
			return nil, nil, fmt.Errorf("wait for %s: the status watch ended (connection closed?)", f.Name)
		}
		if e == nil || e.Operation() != jetstream.KeyValuePut {
			continue
		}
		var st Status
		if err := json.Unmarshal(e.Value(), &st); err != nil {
			return nil, nil, fmt.Errorf("wait for %s: status: %w", f.Name, err)
		}
		report(&st)
		if !st.finished(r.Job.ID) {
			continue
		}
		if st.State == StateFailed {
			return nil, &st, fmt.Errorf("%s: failed after %d deliveries: %s", f.Name, st.Deliveries, st.LastError)
		}
		rec, err := c.Record(ctx, st.Record)
		return rec, &st, err
	}
}

// Record fetches a record the status points at.
func (c *Client) Record(ctx context.Context, ref *RecordRef) (json.RawMessage, error) {
	if ref == nil {
		return nil, errors.New("no record")
	}
	s, err := c.js.Stream(ctx, ref.Stream)
	if err != nil {
		return nil, fmt.Errorf("record %s/%d: %w", ref.Stream, ref.Seq, err)
	}
	m, err := s.GetMsg(ctx, ref.Seq)
	if err != nil {
		return nil, fmt.Errorf("record %s/%d: %w", ref.Stream, ref.Seq, err)
	}
	return RecordData(ctx, c.js, m.Header, m.Data)
}

// List calls fn with every message stored on stream, oldest first. With
// follow it then waits for new messages until ctx is cancelled (and
// returns nil); without, it returns once it has seen what was stored when
// it started.
func List(ctx context.Context, js jetstream.JetStream, stream string, follow bool, fn func(jetstream.Msg) error) error {
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return fmt.Errorf("list %s: %w", stream, notSetUp(err))
	}
	last := s.CachedInfo().State.LastSeq
	if !follow && s.CachedInfo().State.Msgs == 0 {
		return nil
	}
	cons, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy})
	if err != nil {
		return fmt.Errorf("list %s: %w", stream, err)
	}
	it, err := cons.Messages()
	if err != nil {
		return fmt.Errorf("list %s: %w", stream, err)
	}
	defer it.Stop()
	for {
		m, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			if follow && ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("list %s: %w", stream, err)
		}
		if err := fn(m); err != nil {
			return err
		}
		if follow {
			continue
		}
		md, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("list %s: %w", stream, err)
		}
		if md.NumPending == 0 || md.Sequence.Stream >= last {
			return nil
		}
	}
}
