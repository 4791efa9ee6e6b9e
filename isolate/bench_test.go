package isolate

import (
	"bytes"
	"context"
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

func BenchmarkPool(b *testing.B) {
	files := samples(b)
	p, err := New(Config{Children: 1, DocsPerChild: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		f := files[i%len(files)]
		if _, err := p.Extract(context.Background(), f.name, f.data); err != nil {
			b.Fatal(err)
		}
	}
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
