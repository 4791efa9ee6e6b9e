package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/pdfsig"
	"github.com/finsam/ansokan/isolate"
	"github.com/finsam/ansokan/normalizer"
)

// isolation is how the reading commands (extract, serve, worker, batch)
// read untrusted files: in child processes with limits (the default), or
// in process.
type isolation struct {
	InProcess bool
	MemoryMB  int64
	CPU       time.Duration
	Timeout   time.Duration
	// MaxFileBytes raises the extractor's file size limit (batch's
	// --max-file-mb); 0 keeps the default.
	MaxFileBytes int64
	// Progress, when set, is told of each page of a file read by OCR
	// (batch's progress): done of total pages so far.
	Progress func(name string, done, total int)
	// TrustDir is the folder of PEM certificates digital signatures are
	// chained to (--trust-dir, $ANSOKAN_TRUST_DIR); empty: no trust
	// list, and every signature's trusted is null.
	TrustDir string
}

// envTrustDir is --trust-dir's default.
const envTrustDir = "ANSOKAN_TRUST_DIR"

func addIsolationFlags(fs *pflag.FlagSet, o *isolation) {
	d := isolate.DefaultConfig()
	fs.BoolVar(&o.InProcess, "in-process", false, "read files in this process, without child processes and their memory and CPU limits; --doc-timeout still applies, but a read over it can only be abandoned, not stopped (for trusted files and debugging; a hostile file can take the process down)")
	fs.Int64Var(&o.MemoryMB, "doc-memory", d.Memory>>20, "memory in `MB` a reading process may grow by for one file; past it the file is reported as too large")
	fs.DurationVar(&o.CPU, "doc-cpu", d.CPUTime, "CPU time one file may take to read")
	fs.DurationVar(&o.Timeout, "doc-timeout", d.Timeout, "wall-clock time one file may take to read")
	fs.StringVar(&o.TrustDir, "trust-dir", os.Getenv(envTrustDir), "folder `DIR` of PEM certificates (*.pem, *.crt, *.cer) that digital signatures are checked against, e.g. the issuers of the förbund's e-signature service; without it a signature's trusted is null (default: $"+envTrustDir+")")
}

// check names the first flag out of range.
func (o isolation) check() error {
	switch {
	case o.MemoryMB < 16:
		return fmt.Errorf("--doc-memory must be at least 16 (MB)")
	case o.CPU < time.Second:
		return fmt.Errorf("--doc-cpu must be at least 1s")
	case o.Timeout <= 0:
		return fmt.Errorf("--doc-timeout must be positive")
	}
	if o.TrustDir != "" {
		// Read again by reader; checked here so that serve and worker
		// stop before they start a server or connect.
		if _, err := pdfsig.ReadTrustDir(o.TrustDir); err != nil {
			return fmt.Errorf("--trust-dir: %w", err)
		}
	}
	return nil
}

// reader returns the Reader for files read width at a time, and what
// closes it: it waits for the child processes to end and returns their
// counts (zero in process). Closing twice is harmless.
func (o isolation) reader(width int, log *slog.Logger) (normalizer.Reader, func() isolate.Stats, error) {
	lim := extractor.Limits{MaxFileBytes: o.MaxFileBytes}
	if o.TrustDir != "" {
		ders, err := pdfsig.ReadTrustDir(o.TrustDir)
		if err != nil {
			return nil, nil, fmt.Errorf("--trust-dir: %w", err)
		}
		lim.TrustAnchors = ders
		log.Debug("trust anchors", "dir", o.TrustDir, "certificates", len(ders))
	}
	if o.InProcess {
		r := normalizer.InProcess{Timeout: o.Timeout, Limits: lim}
		if o.Progress != nil {
			return pagesInProcess{r, o.Progress}, func() isolate.Stats { return isolate.Stats{} }, nil
		}
		return r, func() isolate.Stats { return isolate.Stats{} }, nil
	}
	p, err := isolate.New(isolate.Config{
		Children: width,
		Memory:   o.MemoryMB << 20,
		CPUTime:  o.CPU,
		Timeout:  o.Timeout,
		Limits:   lim,
		Log:      log,
		Progress: o.Progress,
	})
	if err != nil {
		return nil, nil, err
	}
	return p, sync.OnceValue(func() isolate.Stats {
		p.Close()
		s := p.Stats()
		log.Debug("reading processes", "started", s.Started, "files", s.Docs, "stopped", s.Stopped, "max_rss_kb", s.MaxRSSKB)
		return s
	}), nil
}

// pagesInProcess reads in process and reports each page read by OCR
// with the file's name, as the reading processes do.
type pagesInProcess struct {
	r        normalizer.InProcess
	progress func(name string, done, total int)
}

var _ normalizer.Reader = pagesInProcess{}

func (p pagesInProcess) Extract(ctx context.Context, name string, data []byte) (*extractor.Document, error) {
	r := p.r
	r.Limits.Progress = func(done, total int) { p.progress(name, done, total) }
	return r.Extract(ctx, name, data)
}
