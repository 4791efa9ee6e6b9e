// Package isolate reads untrusted files in child processes: ansokan
// re-executes itself as an extraction child with its own memory, CPU and
// time limits, so a runaway parse is killed and reported as the file's
// error while the caller lives on. Children are reused from document to
// document; starting one costs a few milliseconds, a document read
// through one costs the copy of its bytes and of the document back.
//
// A Pool is a normalizer.Reader: the extract command, the queue workers
// and batch read every file through one.
package isolate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/anyformat"
	"github.com/finsam/ansokan/privacy"
)

// ErrKilled: the child reading the file was stopped (at a limit) or died.
// The file's *extractor.Error wraps it; when a limit stopped it, the
// error wraps extractor.ErrLimit too.
var ErrKilled = errors.New("reading process stopped")

// stopped is the reason a child was stopped.
type stopped struct {
	msg   string
	limit bool // a limit of Config stopped it: the file is too much
}

func (s *stopped) Error() string { return s.msg }

func (s *stopped) Is(target error) bool {
	return target == ErrKilled || s.limit && target == extractor.ErrLimit
}

// Retryable reports whether an error from Extract may pass on another
// try: the child was stopped or died, or could not be started. A file
// that was read and found unreadable is not retryable.
func Retryable(err error) bool {
	return errors.Is(err, ErrKilled) || errors.Is(err, errStart)
}

var errStart = errors.New("cannot start a reading process")

// Config sets up a Pool. Zero fields take the defaults of DefaultConfig.
type Config struct {
	// Children is the number of child processes, and so of files read
	// at once. Default: GOMAXPROCS.
	Children int
	// ChildProcs is the GOMAXPROCS of each child. Default: the cores
	// shared out among the children (GOMAXPROCS / Children, at least 1).
	// A child reads one file at a time, but its garbage collector runs
	// beside the reading on a spare core: with fewer children than
	// cores, one core per child would leave the others idle.
	ChildProcs int
	// Memory is how far a child's memory may grow while it reads, in
	// bytes: the Go runtime's soft limit, and (on Linux) the address
	// space it may map beyond what it had at start, after which an
	// allocation fails and the child dies. Default 1 GB.
	Memory int64
	// CPUTime is the CPU time one document may take (Linux: RLIMIT_CPU,
	// counted in whole seconds). Default 60 s.
	CPUTime time.Duration
	// Timeout is the wall-clock time one document may take, sending it
	// and receiving the document included; the child is killed then.
	// Default 2 minutes.
	Timeout time.Duration
	// MaxStack bounds a goroutine's stack in a child: deep nesting fails
	// fast instead of growing to the runtime's 1 GB. Default 64 MB.
	MaxStack int64
	// GCPercent is each child's GOGC: the collector runs when the heap
	// has grown by this percentage over what the last collection kept.
	// Default 400: a child holds one document at a time (a few MB live),
	// so collecting at five times that costs tens of MB at most and saves
	// most of the collector's work; Memory stays the backstop (the soft
	// limit makes the collector run harder as the heap nears it).
	// Negative: off, the collector runs only near Memory.
	GCPercent int
	// DocsPerChild retires a child after that many documents, so that
	// whatever a long-lived process accumulates is returned. Default 500.
	DocsPerChild int
	// Limits are the extractor's limits inside the child.
	Limits extractor.Limits
	// Command starts a child: a program and its arguments. It must call
	// Main first thing. Default: this executable, without arguments.
	Command []string
	// StartTimeout bounds a child's start. Default 10 s.
	StartTimeout time.Duration
	Log          *slog.Logger
	// Progress, when set, is called each time a child reports a page of
	// name read by OCR: done of total pages read so far. Calls for one
	// file come in order, one at a time, and all before its Extract
	// returns; calls for files read at once may interleave.
	Progress func(name string, done, total int)
}

// DefaultConfig returns the defaults a zero Config field takes.
func DefaultConfig() Config {
	return Config{
		Children:     runtime.GOMAXPROCS(0),
		Memory:       1 << 30,
		CPUTime:      60 * time.Second,
		Timeout:      2 * time.Minute,
		MaxStack:     64 << 20,
		GCPercent:    400,
		DocsPerChild: 500,
		Limits:       extractor.DefaultLimits(),
		StartTimeout: 10 * time.Second,
	}
}

func (c Config) withDefaults() (Config, error) {
	d := DefaultConfig()
	if c.Children <= 0 {
		c.Children = d.Children
	}
	if c.ChildProcs <= 0 {
		c.ChildProcs = max(1, runtime.GOMAXPROCS(0)/c.Children)
	}
	if c.Memory <= 0 {
		c.Memory = d.Memory
	}
	if c.CPUTime <= 0 {
		c.CPUTime = d.CPUTime
	}
	if c.Timeout <= 0 {
		c.Timeout = d.Timeout
	}
	if c.MaxStack <= 0 {
		c.MaxStack = d.MaxStack
	}
	if c.GCPercent == 0 {
		c.GCPercent = d.GCPercent
	}
	if c.DocsPerChild <= 0 {
		c.DocsPerChild = d.DocsPerChild
	}
	if c.Limits.MaxFileBytes <= 0 {
		c.Limits.MaxFileBytes = d.Limits.MaxFileBytes
	}
	c.Limits.MaxFileBytes = min(c.Limits.MaxFileBytes, maxFrame) // a file travels in one frame
	if c.StartTimeout <= 0 {
		c.StartTimeout = d.StartTimeout
	}
	if len(c.Command) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return c, fmt.Errorf("isolate: the child command: %w", err)
		}
		c.Command = []string{exe}
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	c.Log = privacy.Logger(c.Log) // a file name in a log line is masked
	return c, nil
}

// Stats count a pool's work.
type Stats struct {
	Started  int   // children started
	Docs     int   // documents read (or refused) by a child
	Stopped  int   // documents whose child was stopped at a limit or died
	MaxRSSKB int64 // the largest resident set a child reported
}

// Pool reads files in child processes. It is safe for concurrent use;
// at most Config.Children files are read at once, the others wait.
type Pool struct {
	cfg   Config
	slots chan struct{}

	mu     sync.Mutex
	idle   []*proc
	closed bool
	stats  Stats
	live   sync.WaitGroup // children not yet ended
}

// New returns a pool; children start when the first files come.
func New(cfg Config) (*Pool, error) {
	if os.Getenv(childEnv) == "1" {
		// A child that did not stop in Main would start children of its
		// own, and they theirs.
		return nil, errors.New("isolate: a pool inside an extraction child: call isolate.Main first in main (or TestMain)")
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Pool{cfg: cfg, slots: make(chan struct{}, cfg.Children)}, nil
}

// Config returns the pool's configuration, defaults filled in.
func (p *Pool) Config() Config { return p.cfg }

// Extract reads one file in a child. It implements normalizer.Reader.
// The error is an *extractor.Error naming the file: the reader's own
// (encrypted, corrupt …), or ErrKilled when the child was stopped at a
// limit or died, or ctx's error when ctx ended first.
func (p *Pool) Extract(ctx context.Context, name string, data []byte) (*extractor.Document, error) {
	if int64(len(data)) > p.cfg.Limits.MaxFileBytes {
		// Refused (ErrLimit) before a byte is parsed: no child needed.
		return anyformat.ReadLimited(bytes.NewReader(nil), int64(len(data)), name, p.cfg.Limits)
	}
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, &extractor.Error{File: name, Err: ctx.Err()}
	}
	defer func() { <-p.slots }()

	c, err := p.get()
	if err != nil {
		return nil, &extractor.Error{File: name, Err: err}
	}
	doc, rss, dead, err := c.extract(ctx, &p.cfg, name, data)
	p.mu.Lock()
	p.stats.Docs++
	p.stats.MaxRSSKB = max(p.stats.MaxRSSKB, rss)
	if dead && ctx.Err() == nil {
		p.stats.Stopped++
	}
	p.mu.Unlock()
	if dead {
		p.cfg.Log.Warn("reading process stopped", "file", name, "pid", c.pid, "err", err)
		p.live.Done()
	} else {
		p.put(c)
	}
	return doc, err
}

// get returns an idle child or starts one.
func (p *Pool) get() (*proc, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, fmt.Errorf("%w: the pool is closed", errStart)
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.live.Add(1)
	p.stats.Started++
	p.mu.Unlock()
	c, err := startProc(&p.cfg)
	if err != nil {
		p.live.Done()
		return nil, fmt.Errorf("%w: %w", errStart, err)
	}
	p.cfg.Log.Debug("reading process started", "pid", c.pid)
	return c, nil
}

// put returns a child after a document: to the idle list, or to its end
// when it has done its share or the pool is closed.
func (p *Pool) put(c *proc) {
	p.mu.Lock()
	if !p.closed && c.docs < p.cfg.DocsPerChild {
		p.idle = append(p.idle, c)
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	c.stop(time.Second)
	p.live.Done()
}

// Stats returns the pool's counts so far.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// Close ends the idle children and waits for the busy ones to finish
// their document and end. Extract after Close fails.
func (p *Pool) Close() error {
	p.mu.Lock()
	p.closed = true
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, c := range idle {
		c.stop(time.Second)
		p.live.Done()
	}
	p.live.Wait()
	return nil
}
