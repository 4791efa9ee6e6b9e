package batch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/message"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/privacy"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

// Options configure a run.
type Options struct {
	Paths    []string // folders, zip archives, files
	Out      string   // the JSON Lines output
	Resume   bool     // skip the submissions Out already holds
	Register string   // the Excel register to write at the end; "" for none
	Jobs     int      // submissions processed at once; NumCPU when 0
	Group    Grouping // GroupStem when ""
	Limits   Limits
	Reader   normalizer.Reader // normalizer.InProcess when nil
	Profile  *profile.Profile  // the default profile when nil
	Log      *slog.Logger      // slog.Default() when nil
	// Now is the clock of the records' produced_at (time.Now when nil);
	// tests fix it.
	Now func() time.Time

	// Processor, when set, makes the records instead of Reader and
	// Profile: Jobs submissions are handed to it at once. A submission
	// with a file over Limits.MaxFileBytes is still made here (its bytes
	// were never held, so they cannot be handed on); its record says the
	// file is too large, as a local run's does.
	Processor Processor

	// Progress, when set, is called every ProgressEvery (default 1 s)
	// from the run's own goroutine, and once at the end.
	Progress      func(Stats)
	ProgressEvery time.Duration
}

// Stats are a run's counts.
type Stats struct {
	Files       int // files found in the submissions
	Submissions int // submissions found
	Skipped     int // files not read: other kinds, refused archives

	FilesDone       int // files of the submissions written or skipped
	SubmissionsDone int // submissions written or skipped

	Written    int // records written
	Duplicates int // submissions whose content another one in this run has
	Resumed    int // submissions the output held already
	Failed     int // submissions not written: a file vanished, an archive broke, the Processor failed

	Complete   int // written records that are complete
	Incomplete int // written records with a finding of severity error
	Unreadable int // written records with a file that could not be read
	Findings   int
	ByCode     map[string]int

	Elapsed time.Duration
}

// Processor makes a submission's record somewhere other than in this
// process: on the workers of a queue (queue.Processor), for one.
type Processor interface {
	// Process returns the record of one submission's files, in the order
	// given. id is the submission's content id (SubmissionID): the same
	// for the same set of files, so a processor may use it to recognise a
	// submission it was given before. An error means no record was made:
	// the submission counts as failed and is not written, and a run with
	// Resume hands it over again.
	Process(ctx context.Context, id string, files []normalizer.File) (*schema.Record, error)
}

// SubmissionID is the content id of a submission whose files have the
// given SHA-256 digests (hex): "batch-" and the first 32 hex digits of
// the SHA-256 of its content key. The same files, in any order and under
// any names, give the same id.
func SubmissionID(sums []string) string { return submissionID(contentKey(sums)) }

func submissionID(key string) string {
	h := sha256.Sum256([]byte(key))
	return "batch-" + hex.EncodeToString(h[:16])
}

// job is one submission with its bytes read.
type job struct {
	sub    Submission
	mail   *message.Message // the message the submission is, or nil
	key    string           // contentKey of the inputs' digests
	inputs []input
}

type input struct {
	file normalizer.File
	sum  string
	size int64
	err  error // ErrTooLarge: no bytes
}

type result struct {
	files int
	rec   *schema.Record
}

// Run processes the submissions under opts.Paths and appends one record
// per submission to opts.Out.
//
// One goroutine reads and hashes each submission's files in path order
// and drops those whose content was seen (in this run, or in the output
// on resume); opts.Jobs workers turn submissions into records through
// opts.Reader; the calling goroutine writes them. Channels hold at most
// opts.Jobs submissions each, so memory depends on the number of jobs,
// not of files (the list of names and hashes aside).
//
// When ctx is cancelled, records still being made are dropped (a record
// made under a cancelled context could say a file is unreadable when it
// was not), what was written is synced, and Run returns ctx's error with
// the counts so far; run again with Resume to finish.
func Run(ctx context.Context, opts Options) (Stats, error) {
	start := time.Now()
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	if opts.Group == "" {
		opts.Group = GroupStem
	}
	if opts.Reader == nil {
		opts.Reader = normalizer.InProcess{}
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.ProgressEvery <= 0 {
		opts.ProgressEvery = time.Second
	}
	lim := opts.Limits.orDefault()
	log := privacy.Logger(opts.Log)

	// The outputs before any work: a run must not be lost to them.
	if err := registerWritable(opts.Register); err != nil {
		return Stats{}, err
	}
	held := map[string]bool{}
	out, err := openLog(opts.Out, opts.Resume, log, func(k string) { held[k] = true })
	if err != nil {
		return Stats{}, err
	}
	found, err := Discover(opts.Paths, opts.Group, lim, log)
	if err != nil {
		out.close()
		return Stats{}, err
	}
	var st stats
	st.s = Stats{Files: found.Files, Submissions: len(found.Submissions), Skipped: found.Skipped, ByCode: map[string]int{}}
	if opts.Resume {
		log.Info("resuming", "file", opts.Out, "records", len(held))
	}

	stopProgress := func() {}
	if opts.Progress != nil {
		done := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			t := time.NewTicker(opts.ProgressEvery)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					opts.Progress(st.snapshot(start))
				}
			}
		})
		stopProgress = func() { close(done); wg.Wait() }
	}

	jobs := make(chan job, opts.Jobs)
	results := make(chan result, opts.Jobs)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(jobs)
		return produce(gctx, found.Submissions, lim, held, &st, jobs, log)
	})
	var workers sync.WaitGroup
	for range opts.Jobs {
		workers.Go(func() {
			for j := range jobs {
				rec, err := opts.record(gctx, j)
				if gctx.Err() != nil {
					continue // drop: see the doc comment
				}
				if err != nil {
					log.Error("submission failed; not written (a resumed run tries it again)",
						"submission", j.sub.Name, "files", j.sub.paths(), "err", err)
					st.skip(len(j.sub.Files), &st.s.Failed)
					continue
				}
				select {
				case results <- result{files: len(j.sub.Files), rec: rec}:
				case <-gctx.Done():
				}
			}
		})
	}
	g.Go(func() error {
		workers.Wait()
		close(results)
		return nil
	})
	g.Go(func() error {
		for r := range results {
			if err := out.append(r.rec); err != nil {
				return err
			}
			st.wrote(r.files, r.rec)
		}
		return nil
	})
	err = g.Wait()
	if cerr := out.close(); err == nil {
		err = cerr
	}
	stopProgress()
	if err == nil {
		err = ctx.Err()
	}
	if err == nil && opts.Register != "" {
		err = WriteRegister(opts.Out, opts.Register)
	}
	final := st.snapshot(start)
	if opts.Progress != nil {
		opts.Progress(final)
	}
	return final, err
}

// produce reads the submissions' files in order and sends those not yet
// held. A submission whose file cannot be read at all (it vanished, its
// archive broke) is logged and counted as failed; resume tries it again.
func produce(ctx context.Context, subs []Submission, lim Limits, held map[string]bool, st *stats, jobs chan<- job, log *slog.Logger) error {
	o := &opener{lim: lim}
	defer o.close()
	ours := map[string]bool{} // content keys sent in this run
	for _, sub := range subs {
		if err := ctx.Err(); err != nil {
			return err
		}
		j := job{sub: sub}
		sums := make([]string, 0, len(sub.Files))
		var failed error
		seenHere := map[string]bool{}
		for _, s := range sub.Files {
			if s.Mail != NotMail {
				ins, m, err := o.readMail(s)
				if err != nil {
					failed = err
					break
				}
				j.mail = m
				for _, in := range ins {
					if !seenHere[in.sum] {
						seenHere[in.sum] = true
						sums = append(sums, in.sum)
						j.inputs = append(j.inputs, in)
					}
				}
				continue
			}
			data, sum, size, err := o.read(s)
			if err != nil && !errors.Is(err, ErrTooLarge) {
				failed = err
				break
			}
			if seenHere[sum] {
				continue // the same content twice in one submission: once
			}
			seenHere[sum] = true
			sums = append(sums, sum)
			j.inputs = append(j.inputs, input{file: normalizer.File{Name: s.Rel, Data: data}, sum: sum, size: size, err: err})
		}
		if failed != nil {
			log.Error("submission not read", "submission", sub.Name, "err", failed)
			st.skip(len(sub.Files), &st.s.Failed)
			continue
		}
		key := contentKey(sums)
		j.key = key
		switch {
		case ours[key]:
			st.skip(len(sub.Files), &st.s.Duplicates)
			log.Debug("same content as an earlier submission; skipped", "submission", sub.Name)
			continue
		case held[key]:
			st.skip(len(sub.Files), &st.s.Resumed)
			continue
		}
		ours[key] = true
		select {
		case jobs <- j:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// record makes a submission's record, here or through the Processor.
// Only a Processor's failure is an error.
func (o *Options) record(ctx context.Context, j job) (*schema.Record, error) {
	id, msg := submissionID(j.key), (*schema.Message)(nil)
	if j.mail != nil {
		// A message's id follows its Message-ID, so the same message
		// from another export has the same id.
		id, msg = j.mail.SubmissionID(), j.mail.Record()
	}
	if o.Processor == nil || !j.held() {
		return process(ctx, j, o.Reader, o.Profile, normalizer.Stamp{Now: o.Now, SubmissionID: id, Message: msg}), nil
	}
	files := make([]normalizer.File, len(j.inputs))
	for i, in := range j.inputs {
		files[i] = in.file
	}
	rec, err := o.Processor.Process(ctx, id, files)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, errors.New("the processor returned no record")
	}
	sums := make([]string, 0, len(rec.Source.Files))
	for _, f := range rec.Source.Files {
		sums = append(sums, f.SHA256)
	}
	if contentKey(sums) != j.key {
		return nil, fmt.Errorf("the processor returned the record of other files (%d files, first %q)", len(rec.Source.Files), firstName(rec))
	}
	if msg != nil && rec.Source.Message == nil {
		rec.Source.Message = msg
	}
	return rec, nil
}

// held reports whether the job holds the bytes of all its files: not
// when one is over the size limit.
func (j job) held() bool {
	for _, in := range j.inputs {
		if in.err != nil {
			return false
		}
	}
	return true
}

func firstName(rec *schema.Record) string {
	if len(rec.Source.Files) == 0 {
		return ""
	}
	return rec.Source.Files[0].Name
}

// process makes a submission's record here: normalizer.Process's own steps,
// so that a file over the size limit gets its record without its bytes;
// the default SubmissionLimits bound the submission.
func process(ctx context.Context, j job, r normalizer.Reader, p *profile.Profile, st normalizer.Stamp) *schema.Record {
	sub := normalizer.NewSubmission(normalizer.SubmissionLimits{})
	ins := make([]normalizer.Input, 0, len(j.inputs))
	for _, in := range j.inputs {
		if refused, ok := sub.Admit(in.file.Name, in.sum, in.size); !ok {
			ins = append(ins, refused)
			continue
		}
		if in.err != nil {
			name := filepath.Base(in.file.Name)
			ins = append(ins, normalizer.Input{
				Name: name, Path: in.file.Name, Err: &extractor.Error{File: name, Err: in.err},
				SHA256: in.sum, Bytes: in.size, Format: normalizer.FormatByName(name),
			})
			continue
		}
		ins = append(ins, sub.ReadAdmitted(ctx, in.file, r))
	}
	return sub.Record(ins, p, st)
}

// stats are the counts, shared by the producer, the writer and the
// progress reporter.
type stats struct {
	mu sync.Mutex
	s  Stats
}

func (st *stats) skip(files int, counter *int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	*counter++
	st.s.FilesDone += files
	st.s.SubmissionsDone++
}

func (st *stats) wrote(files int, rec *schema.Record) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.s.Written++
	st.s.FilesDone += files
	st.s.SubmissionsDone++
	if rec.Complete {
		st.s.Complete++
	} else {
		st.s.Incomplete++
	}
	unreadable := false
	for _, f := range rec.Findings {
		st.s.Findings++
		st.s.ByCode[f.Code]++
		unreadable = unreadable || f.Code == schema.CodeDocumentUnreadable
	}
	if unreadable {
		st.s.Unreadable++
	}
}

func (st *stats) snapshot(start time.Time) Stats {
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.s
	s.ByCode = maps.Clone(st.s.ByCode)
	s.Elapsed = time.Since(start)
	return s
}
