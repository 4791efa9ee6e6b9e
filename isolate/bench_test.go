package isolate

import (
	"bytes"
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/finsam/ansokan/extractor/anyformat"
)

// The cost of isolation per document: the same samples read in process
// and through one reused child. The difference is the copy of the file
// to the child and of the document back through pipes, and the
// response's encoding and decoding (BenchmarkCodecRoundTrip).
func BenchmarkInProcess(b *testing.B) {
	files := samples(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		f := files[i%len(files)]
		if _, err := anyformat.Read(bytes.NewReader(f.data), int64(len(f.data)), f.name); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPool reads through one reused child, under the default
// collector setting (GCPercent 400) and others; child-cpu-ms/op is the
// child's own CPU time (user + sys) per document, where the collector's
// work shows, child-peak-MB its peak resident memory.
func BenchmarkPool(b *testing.B) {
	for _, gc := range []struct {
		name    string
		percent int
	}{{"GOGC=default", 0}, {"GOGC=100", 100}, {"GOGC=off", -1}} {
		b.Run(gc.name, func(b *testing.B) {
			files := samples(b)
			p, err := New(Config{Children: 1, DocsPerChild: 1 << 30, GCPercent: gc.percent})
			if err != nil {
				b.Fatal(err)
			}
			before := childrenCPU()
			n := 0
			for i := 0; b.Loop(); i++ {
				f := files[i%len(files)]
				if _, err := p.Extract(context.Background(), f.name, f.data); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.StopTimer()
			peak := p.Stats().MaxRSSKB
			p.Close()
			if peak > 0 {
				b.ReportMetric(float64(peak)/1024, "child-peak-MB")
			}
			if cpu := childrenCPU() - before; cpu > 0 && n > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(n), "child-cpu-ms/op")
			}
		})
	}
}

// childrenCPU is the CPU time of the children this process has waited
// for (0 where getrusage is not available).
func childrenCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// A child's start: exec, the Go runtime's start, the handshake and the
// limits, then its end.
func BenchmarkChildStart(b *testing.B) {
	cfg, err := Config{}.withDefaults()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c, err := startProc(&cfg)
		if err != nil {
			b.Fatal(err)
		}
		c.stop(time.Second)
	}
}
