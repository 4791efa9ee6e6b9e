package queue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// HeaderRecordObject is on a record or alert whose record is larger than
// a message may be (the server's max_payload, 1 MiB by default): the
// record is in the object store BucketRecords under the name this header
// gives (the SHA-256 of its JSON), and the message's body is a small
// stub that says so ({"record_object": {...}}). RecordData reads either
// kind back; Client.Record, List's callers in cmd/ansokan and Processor
// use it, so a large record is read like any other.
const HeaderRecordObject = "Ansokan-Record-Object"

// recordStub is the body of a message whose record is an object.
type recordStub struct {
	RecordObject struct {
		Bucket string `json:"bucket"`
		Name   string `json:"name"`
		Bytes  int    `json:"bytes"`
	} `json:"record_object"`
}

// RecordData returns the record a stored message holds: its data, or,
// when the message carries HeaderRecordObject, the object it names, read
// whole and checked against its SHA-256.
func RecordData(ctx context.Context, js jetstream.JetStream, h nats.Header, data []byte) ([]byte, error) {
	name := h.Get(HeaderRecordObject)
	if name == "" {
		return data, nil
	}
	store, err := js.ObjectStore(ctx, BucketRecords)
	if err != nil {
		return nil, fmt.Errorf("record object %s: %w", name, notSetUp(err))
	}
	b, err := readObject(ctx, js, store, BucketRecords, name)
	if err != nil {
		return nil, fmt.Errorf("record object %s: %w", name, err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != name {
		return nil, fmt.Errorf("record object %s: %w", name, errObjectChanged)
	}
	return b, nil
}

// storeRecord puts a record too large for a message in BucketRecords,
// unless it is there already (a redelivery), and returns its name and
// the stub to publish instead. Named by content, an object is never
// replaced: the worker needs no right to purge the old one's chunks.
func storeRecord(ctx context.Context, store jetstream.ObjectStore, body []byte) (name string, stub []byte, err error) {
	sum := sha256.Sum256(body)
	name = hex.EncodeToString(sum[:])
	info, err := store.GetInfo(ctx, name)
	switch {
	case err == nil && info.Size == uint64(len(body)):
	case err == nil || errors.Is(err, jetstream.ErrObjectNotFound):
		if _, err := store.PutBytes(ctx, name, body); err != nil {
			return "", nil, fmt.Errorf("store record in %s: %w", BucketRecords, explainStore(err))
		}
	default:
		return "", nil, fmt.Errorf("store record in %s: %w", BucketRecords, err)
	}
	var s recordStub
	s.RecordObject.Bucket, s.RecordObject.Name, s.RecordObject.Bytes = BucketRecords, name, len(body)
	stub, err = json.Marshal(s)
	return name, stub, err
}

// SubmissionKey is what makes two records records of one submission: the
// record's submission_id, else the sorted SHA-256s of its files (a lone
// file reprocessed has no submission id, but the same content).
func SubmissionKey(record []byte) (string, error) {
	var r struct {
		SubmissionID *string `json:"submission_id"`
	}
	if err := json.Unmarshal(record, &r); err != nil {
		return "", err
	}
	if r.SubmissionID != nil && *r.SubmissionID != "" {
		return "submission " + *r.SubmissionID, nil
	}
	sums, err := RecordFiles(record)
	if err != nil {
		return "", err
	}
	slices.Sort(sums)
	return "files " + strings.Join(sums, " "), nil
}

// RecordFiles are the SHA-256s of a record's files (source.files), each
// once, in the record's order.
func RecordFiles(record []byte) ([]string, error) {
	var r struct {
		Source struct {
			Files []struct {
				SHA256 string `json:"sha256"`
			} `json:"files"`
		} `json:"source"`
	}
	if err := json.Unmarshal(record, &r); err != nil {
		return nil, err
	}
	files := make([]string, 0, len(r.Source.Files))
	for _, f := range r.Source.Files {
		if f.SHA256 != "" && !slices.Contains(files, f.SHA256) {
			files = append(files, f.SHA256)
		}
	}
	return files, nil
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
		data, err := RecordData(ctx, js, m.Headers(), m.Data())
		if err != nil {
			return fmt.Errorf("list %s: record %d: %w", stream, md.Sequence.Stream, err)
		}
		key, err := SubmissionKey(data)
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
