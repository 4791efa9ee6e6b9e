package normalizer

import (
	"context"
	"testing"
	"time"

	"github.com/finsam/ansokan/schema"
)

// A record carries its stamp: the clock's time in UTC, the submission and
// the job; outside a submission and the queue both are null.
func TestStamp(t *testing.T) {
	stockholm := time.FixedZone("CET", 3600)
	clock := func() time.Time { return time.Date(2024, 3, 1, 13, 4, 5, 678e6, stockholm) }
	in := []Input{{Name: "x.doc", Path: "2024/Tierp/x.doc", Err: context.Canceled}}
	rec := NormalizeStamped(in, nil, Stamp{Now: clock, SubmissionID: "A-2024-1", Job: "abc/reprocess/1"})
	if rec.ProducedAt != "2024-03-01T12:04:05.678Z" {
		t.Errorf("produced_at = %q, want the clock's time in UTC", rec.ProducedAt)
	}
	if deref(rec.SubmissionID) != "A-2024-1" || deref(rec.Job) != "abc/reprocess/1" {
		t.Errorf("submission_id = %v, job = %v", rec.SubmissionID, rec.Job)
	}
	if f := rec.Source.Files[0]; f.Name != "x.doc" || f.Path != "2024/Tierp/x.doc" {
		t.Errorf("file = %+v, want the path as given", f)
	}

	before := time.Now().UTC().Truncate(time.Millisecond)
	rec = Normalize(in, nil)
	at, err := time.Parse(schema.TimeFormat, rec.ProducedAt)
	if err != nil || at.Before(before) || at.After(time.Now()) {
		t.Errorf("without a clock produced_at = %q (%v), want now", rec.ProducedAt, err)
	}
	if rec.SubmissionID != nil || rec.Job != nil {
		t.Errorf("outside the queue submission_id = %v, job = %v, want null", rec.SubmissionID, rec.Job)
	}
}

// ReadInput keeps the path as given; the name is its base name. A file
// with no path given has its name as path.
func TestReadInputPath(t *testing.T) {
	in := ReadInput(context.Background(), File{Name: "2024/Tierp/trasig.pdf", Data: []byte("%PDF-1.7 no")}, InProcess{})
	if in.Doc != nil {
		t.Skip("the broken PDF was read")
	}
	rec := Normalize([]Input{in}, nil)
	if f := rec.Source.Files[0]; f.Name != "trasig.pdf" || f.Path != "2024/Tierp/trasig.pdf" {
		t.Errorf("file = %+v", f)
	}
	rec = Normalize([]Input{{Name: "a.pdf", Err: context.Canceled}}, nil)
	if f := rec.Source.Files[0]; f.Path != "a.pdf" {
		t.Errorf("no path given: file = %+v, want the name as path", f)
	}
}
