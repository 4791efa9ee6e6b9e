package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/finsam/ansokan/batch"
	"github.com/finsam/ansokan/isolate"
	"github.com/finsam/ansokan/privacy"
	"github.com/finsam/ansokan/queue"
)

type batchOptions struct {
	Out        string
	Resume     bool
	Register   string
	Jobs       int
	Group      string
	Profile    string
	MaxFileMB  int64
	CPUProfile string      // hidden: for measurements
	MemProfile string      // hidden: for measurements
	Conn       connOptions // Conn.URL: --via-nats; "" to process here
	NATSGrace  time.Duration
	Isolation  isolation
	Paths      []string
}

const batchLong = `Reads every application under the PATHs (folders, searched recursively; zip
archives; files), groups the files of each submission, and appends one JSON
record per submission to --out (JSON Lines). Progress and a summary go to
stderr. Exit status 1 when a file could not be read or the run was
interrupted (run again with --resume to finish). The outputs (--out, --xlsx)
are checked before any file is read.

E-mail: every .eml file, every message of an mbox file (.mbox, .mbx, or no
extension and starting with "From ") and every message of a Maildir (cur/,
new/) is one submission of its own, with the message's sender, subject and
date in source.message. See README.md, "E-mail messages and mailbox exports".

A file named on the command line is read whatever its kind: one that is not
an application gets a record saying why, as with 'ansokan extract'. Files
found in a folder that are not applications (.txt, images, ...) are skipped
and counted.

Grouping (--group stem, the default): in each folder, files whose names
share a stem are one submission ("X.docx", "X.pdf", "X-budget.xlsx",
"Budget X.xlsx", "Ansökan X.docx"); a folder holding one application is one
submission whatever its files are called. See README.md, "Bulk digitising".

With --via-nats URL the records are made by the workers of that NATS
server or cluster ('ansokan serve', 'ansokan worker') instead of here:
each submission is submitted as one job and its record waited for, --jobs
at a time (set it to about the workers' total). The outputs are the same.
A submission whose job fails, or that is in flight when the connection is
closed or stays down longer than --nats-grace, counts as failed and is not
written; --resume submits it again. The records are made with the
workers' profile; --profile applies only to submissions with a file over
--max-file-mb, which are made here (their bytes are not held, so they
cannot be submitted).`

func newBatchCmd(ios *streams) *cobra.Command {
	opts := batchOptions{Jobs: runtime.NumCPU(), Group: string(batch.GroupStem), MaxFileMB: batch.DefaultLimits.MaxFileBytes >> 20}
	cmd := &cobra.Command{
		Use:   "batch --out FILE [flags] PATH...",
		Short: "Digitise folders and archives of applications into a JSON Lines file and a register",
		Long:  batchLong,
		Example: `  ansokan batch --out records.jsonl --xlsx register.xlsx inkorg/
  ansokan batch --out records.jsonl --resume inkorg/ 2024.zip`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if err := opts.check(); err != nil {
				return usagef(cmd, "%v", err)
			}
			return exit(batchRun(cmd.Context(), opts, ios.Err))
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.Out, "out", "", "append records to `FILE` (JSON Lines; required)")
	fs.BoolVar(&opts.Resume, "resume", false, "skip the submissions whose files --out already holds (by content hash); cut a torn last line")
	fs.StringVar(&opts.Register, "xlsx", "", "write the Excel register of every record in --out to `FILE` at the end")
	fs.IntVar(&opts.Jobs, "jobs", opts.Jobs, "submissions processed at once")
	fs.StringVar(&opts.Group, "group", opts.Group, "how files form submissions: `stem`, folder or file")
	fs.StringVar(&opts.Profile, "profile", "", "förbund profile `FILE` (JSON); default: the built-in Uppsala 2019 profile")
	fs.Int64Var(&opts.MaxFileMB, "max-file-mb", opts.MaxFileMB, "a file larger than `MB` gets a record saying it is too large")
	fs.StringVar(&opts.CPUProfile, "cpuprofile", "", "write a CPU profile to `FILE`")
	fs.StringVar(&opts.MemProfile, "memprofile", "", "write a heap profile to `FILE` when the run ends")
	hideFlag(fs, "cpuprofile")
	hideFlag(fs, "memprofile")
	fs.StringVar(&opts.Conn.URL, "via-nats", "", "have the workers of the NATS server or cluster at `URL`s (comma-separated) make the records")
	addAuthFlags(fs, &opts.Conn)
	fs.DurationVar(&opts.NATSGrace, "nats-grace", 30*time.Second, "with --via-nats: how long a lost connection may take to come back before the submissions in flight fail")
	addIsolationFlags(fs, &opts.Isolation)
	cmd.RegisterFlagCompletionFunc("group", cobra.FixedCompletions(
		[]cobra.Completion{string(batch.GroupStem), string(batch.GroupFolder), string(batch.GroupFile)}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// check names the first problem of the command line.
func (o batchOptions) check() error {
	if _, err := batch.ParseGrouping(o.Group); err != nil {
		return fmt.Errorf("--group: %w", err)
	}
	switch {
	case o.Out == "":
		return errors.New("--out is required")
	case len(o.Paths) == 0:
		return errors.New("no folders, archives or files given")
	case o.Jobs < 1:
		return errors.New("--jobs must be at least 1")
	case o.MaxFileMB < 1:
		return errors.New("--max-file-mb must be at least 1")
	case o.NATSGrace <= 0:
		return errors.New("--nats-grace must be positive")
	case o.Conn.URL == "" && o.Conn.authGiven():
		return errors.New("the NATS connection flags need --via-nats URL")
	}
	return o.Isolation.check()
}

// batchErr is an error of package batch on one line, without the
// package's own "batch: " prefix (the command's name says it).
func batchErr(err error) string {
	return strings.TrimPrefix(oneLine(err), "batch: ")
}

func batchRun(ctx context.Context, opts batchOptions, stderr io.Writer) int {
	fail := func(code int, format string, args ...any) int {
		fmt.Fprintf(stderr, "ansokan batch: "+format+"\n", args...)
		return code
	}
	group, _ := batch.ParseGrouping(opts.Group) // checked
	// The outputs first: a run must not be lost to a missing folder.
	if err := batch.CheckOutputs(opts.Out, opts.Register, opts.Resume); err != nil {
		if errors.Is(err, batch.ErrOutputExists) {
			return fail(exitUsage, "%s", batchErr(err))
		}
		return fail(exitFailed, "%s", batchErr(err))
	}
	prof, err := loadProfile(opts.Profile)
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	if opts.CPUProfile != "" {
		f, err := os.Create(opts.CPUProfile)
		if err != nil {
			return fail(exitUsage, "%v", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fail(exitUsage, "%v", err)
		}
		defer pprof.StopCPUProfile()
	}
	if opts.MemProfile != "" {
		defer func() {
			f, err := os.Create(opts.MemProfile)
			if err != nil {
				slog.Error("batch: heap profile", "err", err)
				return
			}
			defer f.Close()
			runtime.GC()
			if err := pprof.WriteHeapProfile(f); err != nil {
				slog.Error("batch: heap profile", "err", err)
			}
		}()
	}

	display := newProgressDisplay(stderr)
	log := slog.New(privacy.NewHandler(slog.NewTextHandler(display, &slog.HandlerOptions{Level: slog.LevelInfo})))
	bopts := batch.Options{
		Paths: opts.Paths, Out: opts.Out, Resume: opts.Resume, Register: opts.Register,
		Jobs: opts.Jobs, Group: group, Profile: prof, Log: log,
		Limits: batch.Limits{MaxFileBytes: opts.MaxFileMB << 20},
	}
	// The reading processes start with the first file read here: none
	// when the workers make the records (--via-nats).
	opts.Isolation.MaxFileBytes = opts.MaxFileMB << 20
	// A scan takes seconds a page: each page read by OCR is shown as it
	// comes (on the bar, or a log line), not only the file when it ends.
	if display.tty {
		opts.Isolation.Progress = display.page
	} else {
		opts.Isolation.Progress = func(name string, done, total int) { logPage(log, name, done, total) }
	}
	r, closeReader, err := opts.Isolation.reader(opts.Jobs, log)
	if err != nil {
		return fail(exitFailed, "%v", err)
	}
	defer closeReader()
	bopts.Reader = r
	if opts.Conn.URL != "" {
		nc, js, err := opts.Conn.connect(ctx, "ansokan batch", queue.RoleClient, false, stderr)
		if err != nil {
			return fail(exitFailed, "%v", err)
		}
		defer nc.Close()
		c, err := queue.Open(ctx, js)
		if err != nil {
			return fail(exitFailed, "%s: %v", opts.Conn.URL, err)
		}
		bopts.Processor = queue.NewProcessor(c, opts.NATSGrace, log)
		log.Info("records are made by the workers", "nats", opts.Conn.URL, "jobs", opts.Jobs)
	}
	if display.tty {
		bopts.ProgressEvery = 200 * time.Millisecond
		bopts.Progress = display.bar
	} else {
		bopts.ProgressEvery = 10 * time.Second
		bopts.Progress = func(s batch.Stats) { logProgress(log, s) }
	}
	st, err := batch.Run(ctx, bopts)
	display.done()
	readers := closeReader()
	// The error first, then what was done before it (nothing when the
	// run stopped before reading a file).
	code := exitOK
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		code = fail(exitUnreadable, "interrupted; run again with --resume to finish")
	case errors.Is(err, batch.ErrOutputExists):
		return fail(exitUsage, "%s", batchErr(err))
	case err != nil:
		code = fail(exitUnreadable, "%s", batchErr(err))
	case st.Unreadable > 0 || st.Failed > 0:
		code = exitUnreadable
	}
	if err == nil || st.Submissions > 0 {
		printSummary(stderr, st)
		printReaders(stderr, readers)
	}
	return code
}

// progressDisplay draws a progress bar on a terminal and lets log lines
// through above it; on anything else it only passes log lines on.
type progressDisplay struct {
	mu    sync.Mutex
	w     io.Writer // log lines: escaped (see terminalWriter)
	raw   io.Writer // the bar's own control sequences
	tty   bool
	width int
	shown bool // a bar is on the last line
	last  batch.Stats
	ocr   string // the last page read by OCR: "page 3/10 of x.pdf (OCR)"
}

func newProgressDisplay(w io.Writer) *progressDisplay {
	d := &progressDisplay{w: w, raw: w, width: 80}
	if t, ok := w.(*terminalWriter); ok {
		// The bar is ours (counts and fixed text): its control sequences
		// go round the escaping.
		d.raw = t.Raw()
	}
	if f, ok := w.(interface{ Fd() uintptr }); ok && term.IsTerminal(int(f.Fd())) { // an *os.File, or privacy.Writer over one
		d.tty = true
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 20 {
			d.width = cols
		}
	}
	return d
}

// Write passes a log line, clearing the bar first (slog writes whole lines).
func (d *progressDisplay) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.shown {
		fmt.Fprint(d.raw, "\r\033[K")
		d.shown = false
	}
	return d.w.Write(p)
}

func (d *progressDisplay) bar(s batch.Stats) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.draw(s)
}

// page shows the page of a file just read by OCR on the bar at once.
// The name goes round the log's escaping and masking, so it is masked
// and escaped here, on one line.
func (d *progressDisplay) page(name string, done, total int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	base := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, filepath.Base(name))
	d.ocr = pageText(string(escapeTerminal([]byte(privacy.Mask(base)))), done, total)
	d.draw(d.last)
}

// pageText is how a page read by OCR is shown.
func pageText(name string, done, total int) string {
	return fmt.Sprintf("page %d/%d of %s (OCR)", done, total, name)
}

func logPage(log *slog.Logger, name string, done, total int) {
	log.Info(pageText(name, done, total))
}

func (d *progressDisplay) draw(s batch.Stats) {
	d.last = s
	rate := float64(s.FilesDone) / max(s.Elapsed.Seconds(), 1e-3)
	eta := "–"
	if rate > 0 && s.FilesDone > 0 {
		eta = (time.Duration(float64(s.Files-s.FilesDone)/rate) * time.Second).Round(time.Second).String()
	}
	text := fmt.Sprintf(" %d/%d files  %.1f/s  ETA %s  findings %d", s.FilesDone, s.Files, rate, eta, s.Findings)
	if d.ocr != "" {
		text += "  " + d.ocr
		if r := []rune(text); len(r) > d.width-13 { // keep 10 cells of bar
			text = string(r[:max(d.width-14, 0)]) + "…"
		}
	}
	n := max(d.width-len([]rune(text))-3, 10)
	fill := 0
	if s.Files > 0 {
		fill = n * s.FilesDone / s.Files
	}
	fmt.Fprintf(d.raw, "\r\033[K[%s%s]%s", strings.Repeat("█", fill), strings.Repeat("░", n-fill), text)
	d.shown = true
}

func (d *progressDisplay) done() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.shown {
		fmt.Fprintln(d.w)
		d.shown = false
	}
}

func logProgress(log *slog.Logger, s batch.Stats) {
	rate := float64(s.FilesDone) / max(s.Elapsed.Seconds(), 1e-3)
	args := []any{"files", s.FilesDone, "of", s.Files, "per_second", fmt.Sprintf("%.1f", rate), "findings", s.Findings}
	if rate > 0 && s.FilesDone > 0 {
		args = append(args, "eta", (time.Duration(float64(s.Files-s.FilesDone)/rate) * time.Second).Round(time.Second).String())
	}
	log.Info("progress", args...)
}

// printReaders says what the reading processes did and the memory they
// and this process took at most (nothing when files were read in process).
func printReaders(w io.Writer, s isolate.Stats) {
	if s.Started == 0 {
		return
	}
	fmt.Fprintf(w, "  reading processes %d, stopped at a limit or died %d; peak memory: each at most %d MB, this process %d MB\n",
		s.Started, s.Stopped, s.MaxRSSKB>>10, selfMaxRSSKB()>>10)
}

func printSummary(w io.Writer, s batch.Stats) {
	rate := float64(s.FilesDone) / max(s.Elapsed.Seconds(), 1e-3)
	fmt.Fprintf(w, "ansokan batch: %d files in %d submissions (%d other files skipped), %s, %.1f files/s\n",
		s.Files, s.Submissions, s.Skipped, s.Elapsed.Round(time.Millisecond), rate)
	fmt.Fprintf(w, "  records written %d: complete %d, incomplete %d, with an unreadable file %d\n",
		s.Written, s.Complete, s.Incomplete, s.Unreadable)
	fmt.Fprintf(w, "  not written: duplicates %d, already in the output %d, failed %d\n", s.Duplicates, s.Resumed, s.Failed)
	codes := slices.SortedFunc(maps.Keys(s.ByCode), func(a, b string) int {
		return cmp.Or(cmp.Compare(s.ByCode[b], s.ByCode[a]), strings.Compare(a, b))
	})
	fmt.Fprintf(w, "  findings %d\n", s.Findings)
	for _, c := range codes {
		fmt.Fprintf(w, "    %-34s %d\n", c, s.ByCode[c])
	}
}
