package queue

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/message"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/privacy"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

// ErrRetryable marks a Reader error that is the reader's fault, not the
// file's (a child process killed at its limit, a pool that is closed): the
// job is retried and, after MaxDeliver deliveries, dead-lettered. Any
// other Reader error means the file is unreadable and gets a record with a
// document.unreadable finding.
var ErrRetryable = errors.New("retryable reader failure")

// WorkerConfig configures a Worker. The zero value works.
type WorkerConfig struct {
	// Reader reads each file; default normalizer.InProcess{}.
	Reader normalizer.Reader
	// Profile is the förbund profile; default profile.Default().
	Profile *profile.Profile
	// IsRetryable says whether a Reader error fails the job (retry, then
	// dead letter) instead of making an unreadable-file record. Default:
	// errors.Is(err, ErrRetryable). A cancelled worker always retries.
	IsRetryable func(error) bool
	// Concurrency is how many jobs the worker runs at a time; default 1.
	Concurrency int
	// ShutdownGrace is how long in-flight jobs may run on after the
	// worker's context is cancelled; then their reads are cancelled and
	// the jobs nak'ed for another worker. Default 30s.
	ShutdownGrace time.Duration
	// FetchWait is how long one pull request waits for a job, and so the
	// longest a cancelled worker takes to stop fetching. Default 2s.
	FetchWait time.Duration
	Logger    *slog.Logger
	// Now is the clock of the records' produced_at; default time.Now.
	Now func() time.Time
	// Limits bound each job's files together (zero fields: defaults).
	Limits normalizer.SubmissionLimits
}

// Worker takes jobs from the workers' consumer, makes their records and
// publishes them.
type Worker struct {
	js         jetstream.JetStream
	jobs       jetstream.Stream
	consumer   jetstream.Consumer
	advisories jetstream.Consumer
	files      jetstream.ObjectStore
	bodies     jetstream.ObjectStore // records too large for a message
	status     jetstream.KeyValue
	inlineMax  int // the largest record published as the message itself

	reader      normalizer.Reader
	limits      normalizer.SubmissionLimits
	profile     *profile.Profile
	isRetryable func(error) bool
	concurrency int
	grace       time.Duration
	fetchWait   time.Duration
	log         *slog.Logger
	now         func() time.Time

	maxDeliver int
	backOff    []time.Duration
	heartbeat  time.Duration
}

// jobMsg is what the worker needs of a delivered job.
type jobMsg interface {
	Data() []byte
	Metadata() (*jetstream.MsgMetadata, error)
	InProgress() error
	DoubleAck(context.Context) error
	Nak() error
	NakWithDelay(time.Duration) error
	Term() error
}

var _ jobMsg = jetstream.Msg(nil)

// NewWorker binds to the streams, buckets and consumer that Setup made.
func NewWorker(ctx context.Context, js jetstream.JetStream, cfg WorkerConfig) (*Worker, error) {
	w := &Worker{
		js: js, reader: cfg.Reader, profile: cfg.Profile, isRetryable: cfg.IsRetryable,
		concurrency: cfg.Concurrency, grace: cfg.ShutdownGrace, fetchWait: cfg.FetchWait, log: cfg.Logger,
		now: cfg.Now, limits: cfg.Limits.WithDefaults(),
	}
	if w.now == nil {
		w.now = time.Now
	}
	if w.reader == nil {
		w.reader = normalizer.InProcess{}
	}
	if w.profile == nil {
		w.profile = profile.Default()
	}
	if w.isRetryable == nil {
		w.isRetryable = func(err error) bool { return errors.Is(err, ErrRetryable) }
	}
	if w.concurrency <= 0 {
		w.concurrency = 1
	}
	if w.grace <= 0 {
		w.grace = 30 * time.Second
	}
	if w.fetchWait <= 0 {
		w.fetchWait = 2 * time.Second
	}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	w.log = privacy.Logger(w.log)
	var err error
	if w.jobs, err = js.Stream(ctx, StreamJobs); err != nil {
		return nil, fmt.Errorf("worker: stream %s: %w", StreamJobs, notSetUp(err))
	}
	if w.consumer, err = w.jobs.Consumer(ctx, ConsumerWorkers); err != nil {
		return nil, fmt.Errorf("worker: consumer %s: %w", ConsumerWorkers, notSetUp(err))
	}
	if w.advisories, err = js.Consumer(ctx, StreamAdvisories, ConsumerDeadLetter); err != nil {
		return nil, fmt.Errorf("worker: consumer %s: %w", ConsumerDeadLetter, notSetUp(err))
	}
	if w.files, err = js.ObjectStore(ctx, BucketFiles); err != nil {
		return nil, fmt.Errorf("worker: object store %s: %w", BucketFiles, notSetUp(err))
	}
	if w.bodies, err = js.ObjectStore(ctx, BucketRecords); err != nil {
		return nil, fmt.Errorf("worker: object store %s: %w", BucketRecords, notSetUp(err))
	}
	// Room for the headers; the server's limit counts them too.
	w.inlineMax = int(js.Conn().MaxPayload()) - 16*1024
	if w.status, err = js.KeyValue(ctx, BucketStatus); err != nil {
		return nil, fmt.Errorf("worker: key-value bucket %s: %w", BucketStatus, notSetUp(err))
	}
	cc := w.consumer.CachedInfo().Config
	w.maxDeliver = cc.MaxDeliver
	w.backOff = cc.BackOff
	if len(w.backOff) == 0 {
		w.backOff = []time.Duration{cc.AckWait}
	}
	w.heartbeat = min(w.backOff[0], cc.AckWait)
	for _, d := range w.backOff {
		w.heartbeat = min(w.heartbeat, d)
	}
	w.heartbeat = max(w.heartbeat/3, 10*time.Millisecond)
	return w, nil
}

// Run processes jobs until ctx is cancelled, then stops fetching, lets the
// jobs in hand finish for up to ShutdownGrace (after that their reads are
// cancelled and the jobs nak'ed), and returns nil. It returns an error
// when the connection is closed under it.
func (w *Worker) Run(ctx context.Context) error {
	procCtx, cancelProc := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelProc()
	stopGrace := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(w.grace, cancelProc)
		context.AfterFunc(procCtx, func() { t.Stop() })
	})
	defer stopGrace()

	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	loop := func(c jetstream.Consumer, handle func(context.Context, jetstream.Msg)) {
		if err := w.fetchLoop(ctx, procCtx, c, handle); err != nil {
			mu.Lock()
			if first == nil {
				first = err
			}
			mu.Unlock()
		}
	}
	for range w.concurrency {
		wg.Go(func() { loop(w.consumer, w.handleJob) })
	}
	wg.Go(func() { loop(w.advisories, w.handleAdvisory) })
	wg.Wait()
	return first
}

// fetchLoop pulls one message at a time, so nothing is prefetched that a
// stop would leave waiting for its ack wait.
func (w *Worker) fetchLoop(ctx, procCtx context.Context, c jetstream.Consumer, handle func(context.Context, jetstream.Msg)) error {
	pause := 100 * time.Millisecond
	for ctx.Err() == nil {
		batch, err := c.Fetch(1, jetstream.FetchMaxWait(w.fetchWait))
		if err == nil {
			for m := range batch.Messages() {
				handle(procCtx, m)
			}
			err = batch.Error()
		}
		if err == nil {
			pause = 100 * time.Millisecond
			continue
		}
		if w.js.Conn().IsClosed() {
			return fmt.Errorf("worker: fetch from %s: %w", c.CachedInfo().Name, nats.ErrConnectionClosed)
		}
		w.log.Warn("fetch failed; retrying", "consumer", c.CachedInfo().Name, "err", err, "pause", pause)
		select {
		case <-ctx.Done():
		case <-time.After(pause):
		}
		pause = min(2*pause, 5*time.Second)
	}
	return nil
}

// handleJob is the adapter between a delivered message and process: nil
// → ack; a cancelled worker → nak; a malformed job or the last delivery →
// dead letter, then term; anything else → nak with the back-off delay.
func (w *Worker) handleJob(ctx context.Context, m jetstream.Msg) { w.handle(ctx, m) }

func (w *Worker) handle(ctx context.Context, m jobMsg) {
	md, err := m.Metadata()
	if err != nil {
		w.log.Error("job without metadata", "err", err)
		_ = m.Nak()
		return
	}
	log := w.log.With("stream_seq", md.Sequence.Stream, "delivery", md.NumDelivered)
	job, err := decodeJob(m.Data())
	if err == nil {
		log = log.With("job", job.ID)
		log.Info("processing", "files", len(job.Files), "submission", job.Submission)
		stop := w.keepAlive(m, log)
		err = w.safeProcess(ctx, job, md)
		stop()
	}

	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	switch {
	case err == nil:
		if aerr := m.DoubleAck(sctx); aerr != nil {
			// The record is published and the status says done: a
			// redelivery is recognised and only acknowledged.
			log.Warn("ack failed", "err", aerr)
			return
		}
		log.Info("done")
	case ctx.Err() != nil && !errors.Is(err, errBadJob):
		log.Warn("stopped before the job was done; returning it", "err", err)
		_ = m.Nak()
	case errors.Is(err, errBadJob) || (w.maxDeliver > 0 && md.NumDelivered >= uint64(w.maxDeliver)):
		dl := DeadLetter{Job: job, Reason: err.Error(), Deliveries: md.NumDelivered, StreamSeq: md.Sequence.Stream, By: "worker"}
		if job == nil {
			dl.Data = string(m.Data())
		}
		if derr := w.deadLetter(sctx, dl); derr != nil {
			// Without the dead letter, let the job come back (or reach the
			// max-deliveries advisory, which dead-letters it too).
			log.Error("dead-lettering failed", "err", derr, "reason", err)
			_ = m.NakWithDelay(w.retryDelay(md.NumDelivered))
			return
		}
		log.Error("dead-lettered", "reason", err)
		if terr := m.Term(); terr != nil {
			log.Warn("term failed", "err", terr)
		}
	default:
		delay := w.retryDelay(md.NumDelivered)
		log.Warn("job failed; retrying", "err", err, "delay", delay)
		at := w.now().UTC().Add(w.redelivery(md.NumDelivered))
		if serr := setStatus(sctx, w.status, job, StateProcessing, func(s *Status) {
			s.Deliveries, s.MaxDeliver, s.LastError, s.RetryAt = md.NumDelivered, w.maxDeliver, err.Error(), &at
		}); serr != nil {
			log.Warn("status not updated", "err", serr)
		}
		_ = m.NakWithDelay(delay)
	}
}

// retryDelay is the nak delay that makes the server redeliver a failed job
// on the consumer's back-off schedule: it redelivers once
// delay - AckWait + BackOff[n-1] has passed since delivery n (measured with
// nats-server 2.15), and AckWait is BackOff[0]. So delivery n+1 comes
// BackOff[n-1] after a failed delivery n: 30s, 1m, 2m, 5m by default.
func (w *Worker) retryDelay(uint64) time.Duration {
	return w.backOff[0]
}

// redelivery is how long after failed delivery n the server delivers the
// job again: BackOff[n-1], the last step repeating (see retryDelay).
func (w *Worker) redelivery(n uint64) time.Duration {
	i := min(int(max(n, 1))-1, len(w.backOff)-1)
	return w.backOff[i]
}

// keepAlive tells the server the job is in progress until stop is called,
// so a long document does not outlive its ack wait.
func (w *Worker) keepAlive(m jobMsg, log *slog.Logger) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(w.heartbeat)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := m.InProgress(); err != nil {
					log.Debug("in-progress signal failed", "err", err)
				}
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// safeProcess turns a panic in a job (a reader's, a check's) into the
// job's error, so one bad file does not kill the worker.
func (w *Worker) safeProcess(ctx context.Context, job *Job, md *jetstream.MsgMetadata) (err error) {
	defer func() {
		if v := recover(); v != nil {
			s := fmt.Sprint(v)
			if len(s) > 200 {
				s = s[:200] + "…"
			}
			err = fmt.Errorf("job %s: panic: %s", job.ID, s)
		}
	}()
	return w.process(ctx, job, md)
}

// process makes and publishes the record of one job. Its errors all mean
// "the worker could not do its work"; a file that cannot be read is not
// one of them.
func (w *Worker) process(ctx context.Context, job *Job, md *jetstream.MsgMetadata) error {
	if job.Reprocess == "" {
		done, err := w.alreadyDone(ctx, job)
		if err != nil {
			return err
		}
		if done {
			w.log.Info("already done; acknowledging", "job", job.ID)
			return nil
		}
	}
	if err := setStatus(ctx, w.status, job, StateProcessing, func(s *Status) {
		s.Deliveries, s.MaxDeliver, s.RetryAt = md.NumDelivered, w.maxDeliver, nil
	}); err != nil {
		return err
	}
	sub := normalizer.NewSubmission(w.limits)
	inputs := make([]normalizer.Input, 0, len(job.Files))
	stamp := normalizer.Stamp{Now: w.now, SubmissionID: job.SubmissionID(), Job: job.Ref()}
	for _, f := range job.Files {
		if job.Message {
			// The message is not counted against the limits: its
			// application files are, as they are read.
			data, err := w.fetch(ctx, job, f)
			if err != nil {
				return err
			}
			read, msg, err := w.readMessage(ctx, sub, f, data)
			if err != nil {
				return fmt.Errorf("job %s: %w", job.ID, err)
			}
			inputs, stamp.Message = append(inputs, read...), msg
			continue
		}
		if in, ok := sub.Admit(f.path(), f.SHA256, f.Bytes); !ok {
			// Past MaxFiles or MaxBytes (a job from an older client, or
			// published by hand): not fetched, not read.
			inputs = append(inputs, in)
			continue
		}
		data, err := w.fetch(ctx, job, f)
		if err != nil {
			return err
		}
		in := sub.ReadAdmitted(ctx, normalizer.File{Name: f.path(), Data: data}, w.reader)
		if err := w.retryable(ctx, in); err != nil {
			return fmt.Errorf("job %s: %w", job.ID, err)
		}
		inputs = append(inputs, in)
	}
	rec := sub.Record(inputs, w.profile, stamp)
	ref, err := w.publish(ctx, job, rec)
	if err != nil {
		return err
	}
	return setStatus(ctx, w.status, job, StateDone, func(s *Status) {
		s.Record, s.LastError, s.Deliveries, s.RetryAt = ref, "", md.NumDelivered, nil
	})
}

// fetch reads a job's file from the files bucket and checks it is the
// job's.
func (w *Worker) fetch(ctx context.Context, job *Job, f FileRef) ([]byte, error) {
	data, err := readObject(ctx, w.js, w.files, BucketFiles, f.Object)
	if err != nil {
		return nil, fmt.Errorf("job %s: file %s: get object %s: %w", job.ID, f.Name, f.Object, err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != f.SHA256 {
		return nil, fmt.Errorf("job %s: file %s: object %s does not have the SHA-256 of the job", job.ID, f.Name, f.Object)
	}
	return data, nil
}

// retryable returns the input's error when it is the worker's failure,
// not the file's (the context ended, an isolated reader crashed): the job
// is then tried again rather than recorded.
func (w *Worker) retryable(ctx context.Context, in normalizer.Input) error {
	if in.Err == nil || (ctx.Err() == nil && !w.isRetryable(in.Err)) {
		return nil
	}
	if strings.HasPrefix(in.Err.Error(), in.Name+":") {
		return in.Err // it names the file
	}
	return fmt.Errorf("file %s: %w", in.Name, in.Err)
}

// readMessage reads the application files of a message job, and returns
// the message's source.message (nil when the message could not be
// parsed: its one input then says why).
func (w *Worker) readMessage(ctx context.Context, sub *normalizer.Submission, f FileRef, data []byte) ([]normalizer.Input, *schema.Message, error) {
	m, err := parseMessage(data, f.Name)
	if err != nil {
		return []normalizer.Input{{Name: f.Name, Path: f.path(), Err: &extractor.Error{File: f.Name, Err: err},
			SHA256: f.SHA256, Bytes: f.Bytes, Format: "unknown"}}, nil, nil
	}
	inputs := sub.ReadMessage(ctx, m, f.path(), f.Bytes, w.reader)
	for _, in := range inputs {
		if err := w.retryable(ctx, in); err != nil {
			return nil, nil, err
		}
	}
	return inputs, m.Record(), nil
}

// parseMessage reads a raw message, a panic in the MIME library being
// the message's error.
func parseMessage(data []byte, name string) (m *message.Message, err error) {
	defer func() {
		if v := recover(); v != nil {
			m, err = nil, fmt.Errorf("%w: the e-mail library failed on it: %v", message.ErrMalformed, v)
		}
	}()
	return message.Read(data, name, message.Limits{})
}

// alreadyDone reports whether every file of the job has this job's record
// from the current producer version: a redelivery after the record was
// published, or a re-upload after the de-duplication window.
func (w *Worker) alreadyDone(ctx context.Context, job *Job) (bool, error) {
	for _, f := range job.Files {
		st, _, err := getStatus(ctx, w.status, f.SHA256)
		if err != nil {
			return false, fmt.Errorf("job %s: %w", job.ID, err)
		}
		if st == nil || st.State != StateDone || st.Job == nil || st.Job.ID != job.ID ||
			st.Record == nil || st.Record.Version != normalizer.Version {
			return false, nil
		}
	}
	return true, nil
}

// publish puts the record on its outcome's subject and, when it has error
// findings, on ansokan.alerts. Both carry a Nats-Msg-Id, so a job that is
// redelivered after publishing yields one record.
func (w *Worker) publish(ctx context.Context, job *Job, rec *schema.Record) (*RecordRef, error) {
	privacy.MaskValue(rec) // the last pass over what leaves the worker
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil {
		return nil, fmt.Errorf("job %s: encode record: %w", job.ID, err)
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	subject := SubjectIncomplete
	if rec.Complete {
		subject = SubjectComplete
	}
	object := ""
	if len(body) > w.inlineMax {
		var err error
		if object, body, err = storeRecord(ctx, w.bodies, body); err != nil {
			return nil, fmt.Errorf("job %s: %w", job.ID, err)
		}
	}
	msg := func(subject string) *nats.Msg {
		m := w.msg(subject, body, job)
		if object != "" {
			m.Header.Set(HeaderRecordObject, object)
		}
		return m
	}
	id := job.recordMsgID(rec.Producer.Version)
	ack, err := w.js.PublishMsg(ctx, msg(subject), jetstream.WithMsgID(id))
	if err != nil {
		return nil, fmt.Errorf("job %s: publish record to %s: %w", job.ID, subject, err)
	}
	if !rec.Complete {
		if _, err := w.js.PublishMsg(ctx, msg(SubjectAlerts), jetstream.WithMsgID("alert/"+id)); err != nil {
			return nil, fmt.Errorf("job %s: publish alert: %w", job.ID, err)
		}
	}
	return &RecordRef{Subject: subject, Stream: ack.Stream, Seq: ack.Sequence, Version: rec.Producer.Version, Complete: rec.Complete}, nil
}

func (w *Worker) msg(subject string, body []byte, job *Job) *nats.Msg {
	m := nats.NewMsg(subject)
	m.Data = body
	if job != nil {
		m.Header.Set(HeaderJob, job.ID)
		if job.Submission != "" {
			m.Header.Set(HeaderSubmission, privacy.Mask(job.Submission))
		}
	}
	return m
}
