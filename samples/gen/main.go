// Command gen writes ansokan's sample applications: Word documents and
// budget workbooks with invented content on real application templates,
// and the e-signature stamp page that make.sh overlays onto one PDF.
// See ../README.md for what each sample is; run ./make.sh to regenerate
// everything including the PDFs (which need LibreOffice and qpdf).
//
//	go run ./samples/gen [-out samples] [-work DIR]
//
// With -corpus N it writes instead N synthetic applications for
// benchmarks (see corpus.go); they are not committed.
//
//	go run ./samples/gen -corpus 1000 -out /tmp/corpus [-seed 1]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	out := flag.String("out", "samples", "folder for the sample files")
	work := flag.String("work", "", "folder for intermediate files (the e-signature stamp page); none when empty")
	corpus := flag.Int("corpus", 0, "write `N` synthetic applications for benchmarks into -out instead of the samples")
	seed := flag.Uint64("seed", 1, "the corpus's random seed")
	flag.Parse()
	if *corpus > 0 {
		if err := writeCorpus(*out, *corpus, *seed); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		return
	}
	if err := generate(*out, *work); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func generate(out, work string) error {
	steps := []struct {
		name string
		fn   func(string) error
	}{
		{"variant A", writeA},
		{"variant B", writeB},
		{"seed 000", write000},
		{"seed 003", write003},
		{"family C", writeC},
		{"family D", writeD},
		{"family G", writeG},
		{"family E", writeE},
		{"family F", writeF},
		{"template E", writeETemplate},
		{"template F", writeFTemplate},
		{"family H", writeH},
		{"family I", writeI},
	}
	if err := os.MkdirAll(filepath.Join(out, "templates"), 0o755); err != nil {
		return err
	}
	for _, s := range steps {
		if err := s.fn(out); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	if work != "" {
		if err := os.WriteFile(filepath.Join(work, "stamp.pdf"), stampPDF(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
