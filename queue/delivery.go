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

// States of an alert delivery in the deliveries bucket.
const (
	DeliverySent     = "sent"     // delivered; never sent again
	DeliveryRetrying = "retrying" // the last try failed (LastError); the record is redelivered
	DeliveryFailed   = "failed"   // the last try failed: dead-lettered on ansokan.dead
)

// Delivery is the value under a record's and a target's key in
// BucketDeliveries, written by the alert delivery (package notify) and
// shown by 'ansokan status' with the record's files.
type Delivery struct {
	// Record is the record's message id (Nats-Msg-Id) on ANSOKAN_RECORDS:
	// one per job and producer version, so a reprocessed record alerts
	// again and a redelivered one does not.
	Record     string   `json:"record"`
	StreamSeq  uint64   `json:"stream_seq"` // the record's sequence in ANSOKAN_RECORDS
	Submission string   `json:"submission_id,omitempty"`
	Files      []string `json:"files"` // the record's files, by SHA-256
	// Target is "officers" (the e-mail to the förbund), "applicant" (the
	// reply to the sender) or "webhook".
	Target    string     `json:"target"`
	State     string     `json:"state"`
	Attempts  int        `json:"attempts"`
	LastError string     `json:"last_error,omitempty"`
	Sent      *time.Time `json:"sent,omitempty"`
	Updated   time.Time  `json:"updated"`
}

// Deliveries returns the alert deliveries of the records that have any
// of the files (by SHA-256), sorted by record sequence and target; none
// when the server has no deliveries bucket. It reads the whole bucket
// once.
func (c *Client) Deliveries(ctx context.Context, files ...string) ([]*Delivery, error) {
	return c.deliveries(ctx, func(d *Delivery) bool {
		return slices.ContainsFunc(d.Files, func(f string) bool { return slices.Contains(files, f) })
	})
}

// DeliveriesFor returns the alert deliveries that belong to any of the
// statuses (see Status.Delivered), sorted as Deliveries sorts them.
func (c *Client) DeliveriesFor(ctx context.Context, sts ...*Status) ([]*Delivery, error) {
	return c.deliveries(ctx, func(d *Delivery) bool {
		return slices.ContainsFunc(sts, func(st *Status) bool { return st.Delivered(d) })
	})
}

// Delivered reports whether d is a delivery of a record of the status's
// file: a record that has the file among its files, or the record the
// status names (a message's: its files are its attachments).
func (st *Status) Delivered(d *Delivery) bool {
	if slices.Contains(d.Files, st.SHA256) {
		return true
	}
	return st.Record != nil && st.Record.Stream == StreamRecords && d.StreamSeq == st.Record.Seq
}

func (c *Client) deliveries(ctx context.Context, keep func(*Delivery) bool) ([]*Delivery, error) {
	kv, err := c.js.KeyValue(ctx, BucketDeliveries)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	w, err := kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	defer func() { _ = w.Stop() }()
	var out []*Delivery
	for {
		var e jetstream.KeyValueEntry
		var ok bool
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("deliveries: %w", ctx.Err())
		case e, ok = <-w.Updates():
		}
		if !ok {
			return nil, fmt.Errorf("deliveries: the watch ended (connection closed?)")
		}
		if e == nil {
			slices.SortFunc(out, func(a, b *Delivery) int {
				return cmp.Or(cmp.Compare(a.StreamSeq, b.StreamSeq), cmp.Compare(a.Target, b.Target))
			})
			return out, nil
		}
		var d Delivery
		if err := json.Unmarshal(e.Value(), &d); err != nil {
			return nil, fmt.Errorf("delivery %s: %w", e.Key(), err)
		}
		if keep(&d) {
			out = append(out, &d)
		}
	}
}
