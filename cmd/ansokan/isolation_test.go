package main

import (
	"log/slog"
	"testing"
	"time"

	"github.com/finsam/ansokan/normalizer"
)

// --in-process reads with --doc-timeout and --max-file-mb, as the
// reading children do (the memory and CPU limits cannot apply in process).
func TestInProcessReaderTakesLimits(t *testing.T) {
	o := isolation{InProcess: true, MemoryMB: 64, CPU: time.Second, Timeout: 3 * time.Second, MaxFileBytes: 5 << 20}
	r, stop, err := o.reader(2, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ip, ok := r.(normalizer.InProcess)
	if !ok {
		t.Fatalf("reader %T, want normalizer.InProcess", r)
	}
	if ip.Timeout != 3*time.Second || ip.Limits.MaxFileBytes != 5<<20 {
		t.Errorf("in-process reader %+v: want the timeout and file size limit of the flags", ip)
	}
}
