package xlsx

import (
	"bytes"
	"os"
	"testing"

	"github.com/finsam/ansokan/internal/readtest"

	"github.com/finsam/ansokan/extractor"
)

// FuzzReadXLSX feeds mutated files to ReadLimited with the default
// limits, past the sniffing (extractor/anyformat's FuzzRead goes
// through it). The property: no panic escapes, the call returns (the
// limits bound the work), and the result is a document or an error,
// never both and never neither; an error wraps one of the sentinels, so
// a caller can tell the user why.
//
//	go test ./extractor/xlsx -run '^$' -fuzz FuzzReadXLSX -fuzztime 10m -parallel 1
//
// Seeds: every .xlsx under testdata and the samples. Inputs that once
// failed are kept in testdata/fuzz/FuzzReadXLSX/ and run with the
// ordinary tests.
func FuzzReadXLSX(f *testing.F) {
	for _, path := range readtest.FuzzSeeds(f, ".xlsx") {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadLimited(bytes.NewReader(data), int64(len(data)), extractor.Limits{})
		switch {
		case doc == nil && err == nil:
			t.Fatal("no document and no error")
		case doc != nil && err != nil:
			t.Fatalf("a document and an error: %v", err)
		case err != nil:
			if !readtest.KnownError(err) {
				t.Fatalf("error without a sentinel: %v", err)
			}
		}
	})
}

// fuzzSeeds lists the files with the extension under testdata and in
// samples/.
