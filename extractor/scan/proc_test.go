package scan

import (
	"context"
	"errors"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fake writes a shell script standing in for tesseract and returns an
// engine that runs it.
func fake(t *testing.T, script string) *Engine {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tesseract")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return &Engine{Path: path, Langs: "swe", PageTimeout: 10 * time.Second, Memory: 256 << 20}
}

const tsvHeader = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"

// TestChildFailures: every way a tesseract run can go wrong is an error
// naming the reason, and a page that reads well gives its words.
func TestChildFailures(t *testing.T) {
	page := image.NewGray(image.Rect(0, 0, 40, 30))
	for i := range page.Pix {
		page.Pix[i] = 255
	}
	tests := []struct {
		name, script string
		timeout      time.Duration
		memory       uint64
		want         string // in the error; "" for none
		words        int
	}{
		{"good", "cat >/dev/null; printf '" + tsvHeader + "\\n5\\t1\\t1\\t1\\t1\\t1\\t2\\t3\\t10\\t8\\t91.5\\tHej\\n'", 0, 0, "", 1},
		{"hang", "exec sleep 60", 300 * time.Millisecond, 0, "tesseract killed after 300ms", 0},
		{"crash", "kill -SEGV $$", 0, 0, "tesseract crashed: signal SIGSEGV", 0},
		{"abort", "kill -ABRT $$", 0, 0, "tesseract crashed: signal SIGABRT (memory limit 256 MB)", 0},
		{"exit", "echo 'Error opening data file swe.traineddata' >&2; exit 1", 0, 0, "tesseract exited with status 1: Error opening data file swe.traineddata", 0},
		{"garbage", "cat >/dev/null; echo 'this is not a table'", 0, 0, "tesseract wrote no TSV", 0},
		{"bad row", "cat >/dev/null; printf '" + tsvHeader + "\\n5\\t1\\tx\\t1\\t1\\t1\\t2\\t3\\t10\\t8\\t91.5\\tHej\\n'", 0, 0, "field 3", 0},
		{"short row", "cat >/dev/null; printf '" + tsvHeader + "\\n5\\t1\\t1\\n'", 0, 0, "a row of 3 fields", 0},
		{"limit in force", "ulimit -v >&2; exit 3", 0, 0, "status 3: " + strconv.Itoa(256<<10), 0},
		// dash runs out of its 32 MB building a 64 MB string.
		{"memory", "x=$(head -c 64000000 /dev/zero | tr '\\0' a); echo survived >&2; exit 0", 0, 32 << 20, "memory limit 32 MB", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := fake(t, tt.script)
			if tt.timeout > 0 {
				e.PageTimeout = tt.timeout
			}
			if tt.memory > 0 {
				e.Memory = tt.memory
			}
			start := time.Now()
			p, err := e.Recognize(context.Background(), page, 150)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Words) != tt.words {
					t.Errorf("%d words, want %d", len(p.Words), tt.words)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one with %q", err, tt.want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

// TestTimeoutKillsGroup: on timeout the program's own children die too
// (the process group is killed), and Recognize returns only once their
// output pipe is closed.
func TestTimeoutKillsGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	e := fake(t, "sleep 60 & echo $! > "+pidFile+"; wait")
	e.PageTimeout = 300 * time.Millisecond
	_, err := e.Recognize(context.Background(), image.NewGray(image.Rect(0, 0, 20, 20)), 150)
	if err == nil || !strings.Contains(err.Error(), "killed after") {
		t.Fatalf("error %v, want a kill", err)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid := strings.TrimSpace(string(b))
	// The grandchild was sent SIGKILL with its group. The kernel closes
	// its files (the stdout pipe Recognize waited on) before the process
	// is a zombie, so it may still be running its exit for a moment:
	// wait for that, bounded far above what an exit takes.
	deadline := time.Now().Add(10 * time.Second)
	for {
		stat, err := os.ReadFile("/proc/" + pid + "/stat")
		if errors.Is(err, os.ErrNotExist) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(string(stat))
		if len(f) > 2 && (f[2] == "Z" || f[2] == "X") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the script's child %s is still running 10 s after the kill (state %s)", pid, f[2])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestCancel: a cancelled context stops the run and says so.
func TestCancel(t *testing.T) {
	e := fake(t, "exec sleep 60")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.Recognize(ctx, image.NewGray(image.Rect(0, 0, 20, 20)), 150)
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}
