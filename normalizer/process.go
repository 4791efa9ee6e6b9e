package normalizer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/anyformat"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

// File is one file of a submission as received: its name and bytes.
type File struct {
	// Name is the file's path as given (relative to a batch's folder, on
	// the command line, or the upload's name): the record's path; its
	// base name is the record's name.
	Name string
	Data []byte
}

// Reader reads one file into a document. anyformat.Read behind InProcess
// is one; an isolated pool of child processes (package isolate) is the
// one for untrusted files.
type Reader interface {
	Extract(ctx context.Context, name string, data []byte) (*extractor.Document, error)
}

// InProcess reads files in the calling process, for trusted input (and
// debugging). The extractor's limits bound the work it counts (bytes
// inflated, pages, operators, elements, cells), and Timeout bounds the
// wall-clock time of one read; memory and CPU time are not bounded.
//
// A read over Timeout cannot be stopped: Go cannot kill a goroutine, so
// Extract returns an error wrapping extractor.ErrLimit and the read goes
// on in the background, holding its memory and a core, until it ends (or
// for ever, for a parser that loops). The child processes of package
// isolate are the real bound: they are killed at their limits. Read
// untrusted files through them.
type InProcess struct {
	// Limits are the extractor's limits; zero fields take their defaults.
	Limits extractor.Limits
	// Timeout bounds one file's read. Default DefaultReadTimeout.
	Timeout time.Duration
}

// DefaultReadTimeout is InProcess's default Timeout: the reading
// children's default (isolate.DefaultConfig().Timeout), two minutes, far
// above the seconds a real application takes.
const DefaultReadTimeout = 2 * time.Minute

// Extract implements Reader. It returns when the read ends, when Timeout
// has passed (an error wrapping extractor.ErrLimit, naming the limit) or
// when ctx is done (an error wrapping ctx.Err()), whichever comes first.
// A scan read by OCR gets Timeout again from each page read, as a
// reading child does (extractor.Limits.ProgressWait): '--in-process'
// and 'extract' read a long scan too.
func (p InProcess) Extract(ctx context.Context, name string, data []byte) (*extractor.Document, error) {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultReadTimeout
	}
	return readBounded(ctx, name, p.Limits, timeout, func(lim extractor.Limits) (*extractor.Document, error) {
		return anyformat.ReadLimited(bytes.NewReader(data), int64(len(data)), name, lim)
	})
}

// readTimeout is the error of a read stopped waiting for at its Timeout.
type readTimeout struct {
	limit, took time.Duration
	extended    bool // by pages read by OCR
}

func (e readTimeout) Error() string {
	const tail = " (limit Timeout); read in process, it could not be killed"
	if !e.extended {
		return fmt.Sprintf("reading stopped after %v"+tail, e.limit)
	}
	return fmt.Sprintf("reading stopped after %v, %v after the last page read by OCR"+tail, e.took.Round(time.Second), e.limit)
}

// Is makes the timeout a limit, as a reading child's is.
func (readTimeout) Is(target error) bool { return target == extractor.ErrLimit }

// readBounded runs read on its own goroutine and waits for it at most
// timeout, and no longer than ctx; each page read by OCR gives it
// timeout again (lim.ProgressWait). read gets lim with a Progress that
// tells the wait (and calls lim's own Progress, if any). A read given up
// on is left to end on its own: its result is dropped (the channels are
// buffered, so the goroutine does not block). A panic in read is raised
// again in the caller's goroutine, as if read had run there (the queue
// worker recovers it per job); one in a read given up on is dropped.
func readBounded(ctx context.Context, name string, lim extractor.Limits, timeout time.Duration, read func(extractor.Limits) (*extractor.Document, error)) (*extractor.Document, error) {
	type result struct {
		doc      *extractor.Document
		err      error
		panicked any
	}
	done := make(chan result, 1)
	// The pages to read, after each page read; a report that finds the
	// channel full is dropped: the one waiting resets the wait as well.
	progressed := make(chan int, 1)
	caller := lim.Progress
	lim.Progress = func(n, total int) {
		if caller != nil {
			caller(n, total)
		}
		select {
		case progressed <- total:
		default:
		}
	}
	go func() {
		var r result
		defer func() {
			if r.panicked = recover(); r.panicked != nil {
				r.doc, r.err = nil, nil
			}
			done <- r
		}()
		r.doc, r.err = read(lim)
	}()
	start := time.Now()
	t := time.NewTimer(timeout)
	defer t.Stop()
	extended := false
	for {
		select {
		case total := <-progressed:
			t.Reset(lim.ProgressWait(start, timeout, total))
			extended = true
		case r := <-done:
			if r.panicked != nil {
				panic(r.panicked)
			}
			return r.doc, r.err
		case <-t.C:
			return nil, &extractor.Error{File: name, Err: readTimeout{limit: timeout, took: time.Since(start), extended: extended}}
		case <-ctx.Done():
			return nil, &extractor.Error{File: name, Err: ctx.Err()}
		}
	}
}

// Process reads the files of one submission and makes its record: the
// path every caller (extract, the queue workers, batch) takes from bytes
// to a checked record. A file that cannot be read still counts: the
// record says why (document.unreadable). A cancelled context is reported
// the same way for the files not yet read. The default SubmissionLimits
// bound what is read and merged.
func Process(ctx context.Context, files []File, r Reader, p *profile.Profile) *schema.Record {
	if r == nil {
		r = InProcess{}
	}
	s := NewSubmission(SubmissionLimits{})
	inputs := make([]Input, 0, len(files))
	for _, f := range files {
		inputs = append(inputs, s.Read(ctx, f, r))
	}
	return s.Record(inputs, p, Stamp{})
}

// ReadInput reads one file into an Input; a file that cannot be read
// becomes an Input carrying the reason, its hash and size.
func ReadInput(ctx context.Context, f File, r Reader) Input {
	name := filepath.Base(f.Name)
	var doc *extractor.Document
	err := ctx.Err()
	if err == nil {
		doc, err = r.Extract(ctx, name, f.Data)
	}
	if err == nil && doc != nil {
		return Input{Doc: doc, Path: f.Name}
	}
	sum := sha256.Sum256(f.Data)
	return Input{Name: name, Path: f.Name, Err: err, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(f.Data)), Format: FormatByName(name)}
}

// FormatByName guesses a file's format from its extension, for the
// record of a file whose content could not be read ("" when unknown).
func FormatByName(name string) string {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".docx", ".pdf", ".xlsx":
		return ext[1:]
	}
	return ""
}
