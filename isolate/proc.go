package isolate

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/finsam/ansokan/extractor"
)

// proc is one child process, seen from the parent.
type proc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr *capture
	pid    int
	docs   int

	exited  chan struct{} // closed when the process has exited and been waited for
	waitErr error
}

// startProc starts a child and waits for its ready answer.
func startProc(cfg *Config) (*proc, error) {
	cmd := exec.Command(cfg.Command[0], cfg.Command[1:]...)
	gogc := "off"
	if cfg.GCPercent > 0 {
		gogc = strconv.Itoa(cfg.GCPercent)
	}
	// GOGC from the start, so that the runtime's own start and the
	// packages' initialisation run under it too.
	cmd.Env = append(cmd.Environ(), childEnv+"=1", fmt.Sprintf("GOMAXPROCS=%d", cfg.ChildProcs), "GOGC="+gogc)
	p := &proc{cmd: cmd, stderr: &capture{max: 16 << 10}, exited: make(chan struct{})}
	cmd.Stderr = p.stderr
	dieWithParent(cmd)
	var err error
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p.stdout = bufio.NewReaderSize(out, 64<<10)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", cfg.Command[0], err)
	}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()

	answer := make(chan error, 1)
	go func() {
		if err := writeJSON(p.stdin, hello{Memory: cfg.Memory, CPUMilli: cfg.CPUTime.Milliseconds(), MaxStack: cfg.MaxStack}); err != nil {
			answer <- err
			return
		}
		var r ready
		err := readJSON(p.stdout, &r)
		p.pid = r.PID
		answer <- err
	}()
	t := time.NewTimer(cfg.StartTimeout)
	defer t.Stop()
	select {
	case err = <-answer:
		if err != nil {
			p.kill()
		}
	case <-t.C:
		err = fmt.Errorf("no answer within %v", cfg.StartTimeout)
		p.kill()
		<-answer
	}
	if err != nil {
		return nil, fmt.Errorf("%s did not start as an extraction child (is isolate.Main called first in its main?): %w%s",
			cfg.Command[0], err, p.stderr.firstLine(": "))
	}
	return p, nil
}

// kill ends the process at once and waits for it.
func (p *proc) kill() {
	p.cmd.Process.Kill()
	<-p.exited
}

// stop lets the process end by closing its stdin; it is killed if it
// has not ended within grace.
func (p *proc) stop(grace time.Duration) {
	p.stdin.Close()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-p.exited:
	case <-t.C:
		p.kill()
	}
}

// outcome of one document in a child.
type outcome struct {
	resp response
	err  error // the exchange failed: the child died or the pipe broke
}

// extract sends one file and waits for the answer, the time limit or ctx.
// dead reports whether the process is gone (killed or died): it must not
// be used again.
func (p *proc) extract(ctx context.Context, cfg *Config, name string, data []byte) (doc *extractor.Document, rss int64, dead bool, err error) {
	p.docs++
	p.stderr.reset()
	done := make(chan outcome, 1)
	progressed := make(chan progress, 1)
	go func() {
		var o outcome
		if o.err = writeJSON(p.stdin, request{Name: name, Limits: cfg.Limits}); o.err == nil {
			if o.err = writeFrame(p.stdin, data); o.err == nil {
				var b []byte
				for {
					if b, o.err = readFrameMax(p.stdout, responseLimit(cfg.Limits)); o.err != nil {
						break
					}
					if len(b) > 0 && b[0] == progressTag {
						var pr progress
						if pr, o.err = decodeProgress(b); o.err != nil {
							break
						}
						if cfg.Progress != nil {
							// Every page, in order (the timer below needs only the latest).
							cfg.Progress(name, pr.done, pr.total)
						}
						select { // the latest counts; an unread older one is dropped
						case <-progressed:
						default:
						}
						progressed <- pr
						continue
					}
					o.resp, o.err = decodeResponse(b)
					break
				}
			}
		}
		done <- o
	}()
	// Timeout counts from the start, and again from each page a scan's
	// OCR finishes, up to Timeout plus the OCR's time limit for every
	// page (extractor.Limits.ProgressWait).
	start := time.Now()
	t := time.NewTimer(cfg.Timeout)
	defer t.Stop()
	extended := false
	for {
		select {
		case pr := <-progressed:
			t.Reset(cfg.Limits.ProgressWait(start, cfg.Timeout, pr.total))
			extended = true
			continue
		case o := <-done:
			if errors.Is(o.err, errMalformed) {
				// The child is alive but speaks nonsense: the file may have
				// subverted it. Do not wait for it to end.
				p.kill()
				return nil, 0, true, &extractor.Error{File: name, Err: &stopped{msg: "the reading process answered nonsense: " + o.err.Error()}}
			}
			if o.err != nil {
				return nil, 0, true, p.died(name, cfg, o.err)
			}
			if o.resp.Err != nil {
				return nil, o.resp.MaxRSSKB, false, o.resp.Err.decode(name)
			}
			if o.resp.Doc == nil {
				return nil, o.resp.MaxRSSKB, true, &extractor.Error{File: name, Err: fmt.Errorf("%w: the reading process answered nothing", ErrKilled)}
			}
			return o.resp.Doc, o.resp.MaxRSSKB, false, nil
		case <-t.C:
			p.kill()
			<-done
			return nil, 0, true, &extractor.Error{File: name, Err: &stopped{
				msg:   timeoutMsg(cfg.Timeout, extended, time.Since(start)),
				limit: true,
			}}
		case <-ctx.Done():
			p.kill()
			<-done
			return nil, 0, true, &extractor.Error{File: name, Err: ctx.Err()}
		}
	}
}

func timeoutMsg(limit time.Duration, extended bool, took time.Duration) string {
	if !extended {
		return fmt.Sprintf("reading stopped after %v (limit Timeout)", limit)
	}
	return fmt.Sprintf("reading stopped after %v, %v after the last page read by OCR (limit Timeout)", took.Round(time.Second), limit)
}

// died explains a child that ended in the middle of a document: its
// exit status and the last thing it wrote on stderr say why.
func (p *proc) died(name string, cfg *Config, ioErr error) error {
	t := time.NewTimer(cfg.StartTimeout)
	defer t.Stop()
	select {
	case <-p.exited:
	case <-t.C:
		p.kill() // the pipe broke but the process lives on
	}
	log := p.stderr.String()
	var exit *exec.ExitError
	code := -1
	if errors.As(p.waitErr, &exit) {
		code = exit.ExitCode()
	}
	var s *stopped
	switch {
	case code == exitCPU:
		s = &stopped{msg: fmt.Sprintf("reading stopped after %v of CPU time (limit CPUTime)", cfg.CPUTime), limit: true}
	case strings.Contains(log, "out of memory") || strings.Contains(log, "cannot allocate memory"):
		s = &stopped{msg: fmt.Sprintf("reading stopped at %s of memory (limit Memory)", megabytes(cfg.Memory)), limit: true}
	case strings.Contains(log, "stack exceeds"):
		s = &stopped{msg: fmt.Sprintf("reading stopped: nesting too deep for %s of stack (limit MaxStack)", megabytes(cfg.MaxStack)), limit: true}
	default:
		why := p.stderr.fatal()
		if why == "" && p.waitErr != nil {
			why = p.waitErr.Error()
		}
		if why == "" {
			why = ioErr.Error()
		}
		s = &stopped{msg: "the reading process died: " + why}
	}
	return &extractor.Error{File: name, Err: s}
}

func megabytes(n int64) string {
	if n%(1<<30) == 0 {
		return fmt.Sprintf("%d GB", n>>30)
	}
	return fmt.Sprintf("%d MB", n>>20)
}

// capture keeps the first max bytes a child writes on stderr since the
// last reset: a Go process that dies says why first ("fatal error: …",
// "panic: …") and then dumps its goroutines.
type capture struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (c *capture) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - len(c.buf); room > 0 {
		c.buf = append(c.buf, b[:min(room, len(b))]...)
	}
	return len(b), nil
}

func (c *capture) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf = c.buf[:0]
}

func (c *capture) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.buf)
}

// fatal picks the line that says why a Go process died ("fatal error:
// …", "panic: …"), else the first line.
func (c *capture) fatal() string {
	lines := strings.Split(strings.TrimSpace(c.String()), "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "panic:") {
			return l
		}
	}
	return strings.TrimSpace(lines[0])
}

func (c *capture) firstLine(prefix string) string {
	if l := c.fatal(); l != "" {
		return prefix + l
	}
	return ""
}
