package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/nats-io/nats.go/jetstream"
)

// SubmissionKey is what makes two records records of one submission: the
// record's submission_id, else the sorted SHA-256s of its files (a lone
// file reprocessed has no submission id, but the same content).
func SubmissionKey(record []byte) (string, error) {
	var r struct {
		SubmissionID *string `json:"submission_id"`
		Source       struct {
			Files []struct {
				SHA256 string `json:"sha256"`
			} `json:"files"`
		} `json:"source"`
	}
	if err := json.Unmarshal(record, &r); err != nil {
		return "", err
	}
	if r.SubmissionID != nil && *r.SubmissionID != "" {
		return "submission " + *r.SubmissionID, nil
	}
	sums := make([]string, 0, len(r.Source.Files))
	for _, f := range r.Source.Files {
		sums = append(sums, f.SHA256)
	}
	slices.Sort(sums)
	return "files " + strings.Join(slices.Compact(sums), " "), nil
}

// ListLatest calls fn with the newest record of each submission (see
// SubmissionKey) stored on stream (records or alerts), in stream order:
// after a reprocess, each application once, as the latest run made it.
// It reads the stream twice, holding one key and sequence per
// submission, not the records; records stored after the first pass
// began are left for the next listing.
func ListLatest(ctx context.Context, js jetstream.JetStream, stream string, fn func(jetstream.Msg) error) error {
	newest := map[string]uint64{} // submission key → stream sequence of its newest record
	err := List(ctx, js, stream, false, func(m jetstream.Msg) error {
		md, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("list %s: %w", stream, err)
		}
		key, err := SubmissionKey(m.Data())
		if err != nil {
			return fmt.Errorf("list %s: record %d: %w", stream, md.Sequence.Stream, err)
		}
		newest[key] = max(newest[key], md.Sequence.Stream)
		return nil
	})
	if err != nil || len(newest) == 0 {
		return err
	}
	keep := make(map[uint64]bool, len(newest))
	for _, seq := range newest {
		keep[seq] = true
	}
	return List(ctx, js, stream, false, func(m jetstream.Msg) error {
		md, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("list %s: %w", stream, err)
		}
		if !keep[md.Sequence.Stream] {
			return nil
		}
		return fn(m)
	})
}
