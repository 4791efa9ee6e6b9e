package normalizer

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

// SubmissionLimits bound one submission: the files that make one record,
// read one after the other and merged in one process (a queue worker,
// possibly inside 'ansokan serve' beside the NATS server). The reading
// limits (extractor.Limits) bound each file; these bound their sum, so
// that a submission listing one large document forty times cannot take
// the process's memory. A real application is three to ten files of a
// few hundred KB and well under a megabyte of text; the defaults are far
// above that and keep the worst submission they allow to a few hundred
// MB of the worker's memory.
//
// A file over a limit is not merged: the record lists it with a
// document.unreadable finding that names the limit ("inskickningen är
// för stor"). MaxFiles and MaxBytes are also checked by the queue's
// Submit, which refuses such a submission before anything is stored.
// A zero field takes its default.
type SubmissionLimits struct {
	// MaxFiles bounds the files of a submission. Default 50.
	MaxFiles int
	// MaxBytes bounds the files' bytes together. Default 256 MB.
	MaxBytes int64
	// MaxTextBytes bounds the text of the documents read, together: what
	// the worker holds while it merges them. Default 32 MB (the largest
	// document of the test corpus, a 619-page PDF, has 1.8 MB).
	MaxTextBytes int64
	// MaxItems bounds the blocks, table rows and cells of the documents
	// read, together: each costs about 1 KB at the peak of normalizing
	// (360 000 one-line paragraphs: 346 MB). Default 250 000 (the
	// corpus's largest workbook has 195 000; an application a few
	// thousand).
	MaxItems int
	// MaxRecordBytes bounds the record's JSON. A record over it is made
	// again without the documents' content: its files, each with a
	// finding naming the limit. Default 48 MB: above what MaxTextBytes lets
	// through (a real record is 20-100 KB; one over 1 MiB travels through the
	// queue's object store).
	MaxRecordBytes int
}

// DefaultSubmissionLimits returns the limits a zero SubmissionLimits takes.
func DefaultSubmissionLimits() SubmissionLimits {
	return SubmissionLimits{MaxFiles: 50, MaxBytes: 256 << 20, MaxTextBytes: 32 << 20, MaxItems: 250_000, MaxRecordBytes: 48 << 20}
}

// WithDefaults returns l with every zero (or negative) field set to its
// default.
func (l SubmissionLimits) WithDefaults() SubmissionLimits {
	d := DefaultSubmissionLimits()
	if l.MaxFiles <= 0 {
		l.MaxFiles = d.MaxFiles
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxTextBytes <= 0 {
		l.MaxTextBytes = d.MaxTextBytes
	}
	if l.MaxItems <= 0 {
		l.MaxItems = d.MaxItems
	}
	if l.MaxRecordBytes <= 0 {
		l.MaxRecordBytes = d.MaxRecordBytes
	}
	return l
}

// ErrSubmissionLimit: a submission is larger than one of the
// SubmissionLimits allows. Errors wrapping it also wrap
// extractor.ErrLimit; their message names the limit.
var ErrSubmissionLimit = errors.New("the submission is too large")

type submissionLimitError struct{ msg string }

func (e *submissionLimitError) Error() string { return e.msg }
func (e *submissionLimitError) Is(target error) bool {
	return target == ErrSubmissionLimit || target == extractor.ErrLimit
}

func submissionLimitErr(field, format string, args ...any) error {
	return &submissionLimitError{msg: fmt.Sprintf("%s: %s (limit SubmissionLimits.%s)", ErrSubmissionLimit, fmt.Sprintf(format, args...), field)}
}

// Check checks what is known of a submission before it is read: its
// number of files and their bytes together. The queue's Submit calls it
// before it stores anything.
func (l SubmissionLimits) Check(files int, bytes int64) error {
	l = l.WithDefaults()
	if files > l.MaxFiles {
		return submissionLimitErr("MaxFiles", "%d files, more than %d", files, l.MaxFiles)
	}
	if bytes > l.MaxBytes {
		return submissionLimitErr("MaxBytes", "%s of files, more than %s", extractor.PlainBytes(bytes), extractor.PlainBytes(l.MaxBytes))
	}
	return nil
}

// Submission reads the files of one submission within its limits.
// Read each file with Read, in order (or Admit it before fetching its
// bytes, then ReadAdmitted), then make the record with Record. It is
// not safe for concurrent use.
type Submission struct {
	lim   SubmissionLimits
	files int
	bytes int64
	text  int64
	items int
	// failed holds the inputs of contents that could not be read or
	// were dropped at a limit, by SHA-256: the same content listed again
	// is not read again.
	failed map[string]Input
}

// NewSubmission starts a submission under lim (zero fields: defaults).
func NewSubmission(lim SubmissionLimits) *Submission {
	return &Submission{lim: lim.WithDefaults(), failed: map[string]Input{}}
}

// Read reads the submission's next file, as ReadInput does, and counts
// it against the limits (Admit, then ReadAdmitted).
func (s *Submission) Read(ctx context.Context, f File, r Reader) Input {
	sum := sha256.Sum256(f.Data)
	sha := hex.EncodeToString(sum[:])
	if in, ok := s.Admit(f.Name, sha, int64(len(f.Data))); !ok {
		return in
	}
	return s.readAdmitted(ctx, f, sha, r)
}

// Admit counts the submission's next file, by what is known before its
// bytes are fetched, against MaxFiles and MaxBytes. A file past them is
// not to be read: ok is false and in is its Input, carrying the limit's
// error.
func (s *Submission) Admit(name, sha string, size int64) (in Input, ok bool) {
	s.files++
	s.bytes += size
	switch {
	case s.files > s.lim.MaxFiles:
		return refused(name, sha, size, submissionLimitErr("MaxFiles", "more than %d files", s.lim.MaxFiles)), false
	case s.bytes > s.lim.MaxBytes:
		return refused(name, sha, size, submissionLimitErr("MaxBytes", "more than %s of files", extractor.PlainBytes(s.lim.MaxBytes))), false
	}
	return Input{}, true
}

// ReadAdmitted reads a file Admit admitted, as ReadInput does: a
// document that would take the submission's text or items past their
// limits is dropped, and its Input carries the limit's error. A content
// that could not be read, or was dropped, is not read again when listed
// again.
func (s *Submission) ReadAdmitted(ctx context.Context, f File, r Reader) Input {
	sum := sha256.Sum256(f.Data)
	return s.readAdmitted(ctx, f, hex.EncodeToString(sum[:]), r)
}

func (s *Submission) readAdmitted(ctx context.Context, f File, sha string, r Reader) Input {
	if in, ok := s.failed[sha]; ok {
		in.Name, in.Path = filepath.Base(f.Name), f.Name
		if e, ok := in.Err.(*extractor.Error); ok {
			c := *e
			c.File = in.Name
			in.Err = &c
		}
		return in
	}
	in := ReadInput(ctx, f, r)
	if in.Doc == nil {
		if ctx.Err() == nil {
			s.failed[sha] = in
		}
		return in
	}
	text, items := in.Doc.Size()
	var over error
	switch {
	case s.text+text > s.lim.MaxTextBytes:
		over = submissionLimitErr("MaxTextBytes", "the documents hold more than %s of text", extractor.PlainBytes(s.lim.MaxTextBytes))
	case s.items+items > s.lim.MaxItems:
		over = submissionLimitErr("MaxItems", "the documents hold more than %d paragraphs, rows and cells", s.lim.MaxItems)
	}
	if over != nil {
		// The totals only grow: the same content listed again is refused
		// again, without reading it.
		in = refused(f.Name, sha, int64(len(f.Data)), over)
		s.failed[sha] = in
		return in
	}
	s.text += text
	s.items += items
	return in
}

// refused is the Input of a file not merged: its name, hash and size,
// and why.
func refused(path, sha string, size int64, err error) Input {
	name := filepath.Base(path)
	return Input{Name: name, Path: path, Err: &extractor.Error{File: name, Err: err},
		SHA256: sha, Bytes: size, Format: FormatByName(name)}
}

// Record makes the submission's record from its inputs (NormalizeStamped)
// and bounds its size: a record whose JSON is over MaxRecordBytes is made
// again from the files alone, each with a finding naming the limit.
func (s *Submission) Record(inputs []Input, p *profile.Profile, st Stamp) *schema.Record {
	rec := NormalizeStamped(inputs, p, st)
	b, err := json.Marshal(rec)
	if err == nil && len(b) <= s.lim.MaxRecordBytes {
		return rec
	}
	size := len(b)
	bare := make([]Input, len(inputs))
	for i, in := range inputs {
		if in.Doc == nil {
			bare[i] = in
			continue
		}
		d := in.Doc
		bare[i] = Input{Name: d.Name, Path: cmp.Or(in.Path, d.Name), SHA256: d.SHA256, Bytes: d.Bytes, Format: string(d.Format),
			Err: &extractor.Error{File: d.Name, Err: submissionLimitErr("MaxRecordBytes", "its record would be %s, more than %s", extractor.PlainBytes(int64(size)), extractor.PlainBytes(int64(s.lim.MaxRecordBytes)))}}
	}
	return NormalizeStamped(bare, p, st)
}
