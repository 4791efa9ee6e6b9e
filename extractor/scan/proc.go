package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Default limits of one tesseract or pdftoppm run.
const (
	DefaultTimeout = 120 * time.Second
	DefaultMemory  = 1536 << 20 // bytes of address space (RLIMIT_AS)
)

// maxOutput bounds what a child may write on stdout: a 600 dpi A4
// page's TSV is about 200 KB, a 300 dpi greyscale PNG about 10 MB.
const maxOutput = 256 << 20

// limits are the bounds of one child process.
type limits struct {
	Timeout time.Duration
	Memory  uint64 // bytes of address space; 0: no limit
}

// orDefaults is l with DefaultTimeout and DefaultMemory for what it
// leaves unset: an Engine's and a Renderer's limits.
func (l limits) orDefaults() limits {
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	if l.Memory == 0 {
		l.Memory = DefaultMemory
	}
	return l
}

// runLimited runs program with args as its own process group, the image
// (or PDF) on stdin, under a wall-clock timeout and an address-space
// limit, and returns its stdout. The child gets the limit from a
// /bin/sh wrapper ('ulimit -v' then exec), so it is in force before the
// program's first instruction (a prlimit after Start would race the
// program's first allocations). On timeout the whole group is killed;
// Pdeathsig kills the child when this process dies. A crash, a non-zero
// exit and a timeout are errors naming the reason, prefixed by name.
func runLimited(ctx context.Context, name, program string, lim limits, stdin io.Reader, args ...string) ([]byte, error) {
	if lim.Timeout <= 0 {
		lim.Timeout = DefaultTimeout
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	var cmd *exec.Cmd
	if lim.Memory > 0 {
		kb := strconv.FormatUint(lim.Memory/1024, 10)
		argv := append([]string{"-c", `ulimit -v ` + kb + ` && exec "$0" "$@"`, program}, args...)
		cmd = exec.CommandContext(ctx, "/bin/sh", argv...)
	} else {
		cmd = exec.CommandContext(ctx, program, args...)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error {
		// The group: a wrapper script's children go too.
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	// After the kill, stop waiting for pipes a stray grandchild holds.
	cmd.WaitDelay = 2 * time.Second
	// Tesseract's OpenMP threads cost more than they give on a page
	// (10 s instead of 2.6 s for a 300 dpi page on 2 cores): one thread,
	// and pages run in parallel instead.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	cmd.Stdin = stdin
	stdout := &capped{max: maxOutput}
	stderr := &capped{max: 64 << 10}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	if err != nil && parent.Err() != nil {
		return nil, fmt.Errorf("%s stopped: %w", name, parent.Err())
	}
	if err != nil && ctx.Err() != nil {
		return nil, fmt.Errorf("%s killed after %s", name, formatSeconds(lim.Timeout))
	}
	if stdout.over {
		return nil, fmt.Errorf("%s wrote more than %d MB", name, maxOutput>>20)
	}
	if err == nil {
		return stdout.buf.Bytes(), nil
	}
	msg := lastLines(stderr.buf.String())
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			reason := fmt.Sprintf("%s crashed: signal %s", name, unix.SignalName(ws.Signal()))
			if lim.Memory > 0 && (ws.Signal() == syscall.SIGSEGV || ws.Signal() == syscall.SIGABRT || ws.Signal() == syscall.SIGBUS) {
				reason += fmt.Sprintf(" (memory limit %d MB)", lim.Memory>>20)
			}
			if msg != "" {
				reason += ": " + msg
			}
			return nil, errors.New(reason)
		}
		reason := fmt.Sprintf("%s exited with status %d", name, exit.ExitCode())
		if lim.Memory > 0 && (strings.Contains(msg, "bad_alloc") || strings.Contains(msg, "memory")) {
			reason += fmt.Sprintf(" (memory limit %d MB)", lim.Memory>>20)
		}
		if msg != "" {
			reason += ": " + msg
		}
		return nil, errors.New(reason)
	}
	return nil, fmt.Errorf("%s: %w", name, err)
}

// capped keeps at most max bytes and remembers whether more came.
type capped struct {
	buf  bytes.Buffer
	max  int
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); len(p) > room {
		c.over = true
		if room > 0 {
			c.buf.Write(p[:room])
		}
		return len(p), nil
	}
	return c.buf.Write(p)
}

// lastLines is the end of a child's stderr, on one line, for an error.
func lastLines(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 300 {
		s = "…" + s[len(s)-300:]
	}
	return strings.Join(strings.Fields(s), " ")
}

func formatSeconds(d time.Duration) string {
	if d >= time.Second && d%time.Second == 0 {
		return fmt.Sprintf("%d s", int(d/time.Second))
	}
	return d.String()
}
