package batch

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkRun measures documents per second over a generated tree of
// the samples (about 100 files), at 1 and 2 jobs, with the in-process
// reader. bench/batch.sh measures larger corpora and memory.
func BenchmarkRun(b *testing.B) {
	dir := b.TempDir()
	tr := makeTree(b, filepath.Join(dir, "in"), 40)
	for _, jobs := range []int{1, 2} {
		b.Run("jobs="+strconv.Itoa(jobs), func(b *testing.B) {
			out := filepath.Join(dir, "records.jsonl")
			files := 0
			for b.Loop() {
				os.Remove(out)
				st, err := Run(context.Background(), Options{Paths: []string{tr.root}, Out: out, Jobs: jobs, Log: quietLog()})
				if err != nil {
					b.Fatal(err)
				}
				files += st.FilesDone
			}
			b.ReportMetric(float64(files)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// BenchmarkRegister measures writing the register from a JSON Lines
// file of about 100 records.
func BenchmarkRegister(b *testing.B) {
	dir := b.TempDir()
	tr := makeTree(b, filepath.Join(dir, "in"), 100)
	out := filepath.Join(dir, "records.jsonl")
	if _, err := Run(context.Background(), Options{Paths: []string{tr.root}, Out: out, Jobs: 2, Log: quietLog()}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := WriteRegister(out, filepath.Join(dir, "register.xlsx")); err != nil {
			b.Fatal(err)
		}
	}
}
