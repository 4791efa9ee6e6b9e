package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// DeadLetter is a message on ansokan.dead: a job that will not be retried.
// Its files stay in the files bucket, so it can be submitted again.
type DeadLetter struct {
	Job        *Job      `json:"job,omitempty"`
	Data       string    `json:"data,omitempty"` // the message as received, when it was not a job
	Reason     string    `json:"reason"`
	Deliveries uint64    `json:"deliveries"`
	StreamSeq  uint64    `json:"stream_seq"` // the job's sequence in ANSOKAN_JOBS
	At         time.Time `json:"at"`
	// By is "worker" (the job failed on its last delivery), "advisory"
	// (it was never acknowledged: the server's max-deliveries advisory) or
	// "notify" (an alert could not be delivered: Delivery says which).
	By string `json:"by"`
	// Delivery is the alert delivery that failed, when By is "notify";
	// StreamSeq is then the record's sequence in ANSOKAN_RECORDS.
	Delivery *Delivery `json:"delivery,omitempty"`
}

// deadLetter publishes the dead letter (one per job message, whichever path
// gets there first) and marks the job's files failed.
func (w *Worker) deadLetter(ctx context.Context, dl DeadLetter) error {
	dl.At = time.Now().UTC()
	body, err := maskedJSON(&dl) // the reason quotes file names and errors; Data is anything
	if err != nil {
		return fmt.Errorf("dead letter for job seq %d: %w", dl.StreamSeq, err)
	}
	id := "dead/" + strconv.FormatUint(dl.StreamSeq, 10)
	if _, err := w.js.PublishMsg(ctx, w.msg(SubjectDead, body, dl.Job), jetstream.WithMsgID(id)); err != nil {
		return fmt.Errorf("dead letter for job seq %d: publish: %w", dl.StreamSeq, err)
	}
	if dl.Job == nil {
		return nil
	}
	return setStatus(ctx, w.status, dl.Job, StateFailed, func(s *Status) {
		s.Deliveries, s.LastError, s.Record, s.RetryAt = dl.Deliveries, dl.Reason, nil, nil
	})
}

// maxDeliveries is the server's advisory for a job delivered MaxDeliver
// times without an ack or a term.
type maxDeliveries struct {
	Stream     string `json:"stream"`
	Consumer   string `json:"consumer"`
	StreamSeq  uint64 `json:"stream_seq"`
	Deliveries uint64 `json:"deliveries"`
}

// handleAdvisory dead-letters a job whose deliveries ran out without the
// worker getting to say so (it crashed, lost its connection, or could not
// publish the dead letter itself), then deletes the job from the queue.
func (w *Worker) handleAdvisory(ctx context.Context, m jetstream.Msg) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var adv maxDeliveries
	if err := json.Unmarshal(m.Data(), &adv); err != nil || adv.StreamSeq == 0 {
		w.log.Error("unreadable max-deliveries advisory", "err", err, "data", string(m.Data()))
		_ = m.Term()
		return
	}
	log := w.log.With("stream_seq", adv.StreamSeq, "deliveries", adv.Deliveries)
	raw, err := w.jobs.GetMsg(sctx, adv.StreamSeq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		_ = m.Ack() // acknowledged or dead-lettered in the meantime
		return
	}
	if err != nil {
		log.Warn("max-deliveries advisory: job not fetched; retrying", "err", err)
		_ = m.NakWithDelay(time.Second)
		return
	}
	dl := DeadLetter{
		Reason:     fmt.Sprintf("delivered %d times without an acknowledgement: the worker was lost or ran past its ack wait", adv.Deliveries),
		Deliveries: adv.Deliveries, StreamSeq: adv.StreamSeq, By: "advisory",
	}
	if job, err := decodeJob(raw.Data); err == nil {
		dl.Job = job
		log = log.With("job", job.ID)
	} else {
		dl.Data = string(raw.Data)
	}
	if err := w.deadLetter(sctx, dl); err != nil {
		log.Warn("max-deliveries advisory: dead letter not published; retrying", "err", err)
		_ = m.NakWithDelay(time.Second)
		return
	}
	if err := w.jobs.DeleteMsg(sctx, adv.StreamSeq); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
		log.Warn("dead-lettered job not deleted from the queue", "err", err)
	}
	log.Error("dead-lettered", "reason", dl.Reason)
	_ = m.Ack()
}
