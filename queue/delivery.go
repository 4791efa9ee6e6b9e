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
		if slices.ContainsFunc(d.Files, func(f string) bool { return slices.Contains(files, f) }) {
			out = append(out, &d)
		}
	}
}
