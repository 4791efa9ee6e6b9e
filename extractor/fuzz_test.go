package extractor

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fuzz targets feed mutated files through ReadLimited with the
// default limits. The property: no panic escapes, the call returns (the
// limits bound the work), and the result is a document or an error,
// never both and never neither. An error always wraps one of the
// sentinels, so a caller can tell the user why.
//
//	go test ./extractor -run '^$' -fuzz FuzzReadPDF -fuzztime 10m -parallel 1
//
// Seeds: every fixture of the format under testdata and the samples.
// Inputs that once failed are kept in testdata/fuzz/FuzzXxx/ and run
// with the ordinary tests.

func FuzzReadDOCX(f *testing.F) { fuzzRead(f, ".docx") }
func FuzzReadPDF(f *testing.F)  { fuzzRead(f, ".pdf") }
func FuzzReadXLSX(f *testing.F) { fuzzRead(f, ".xlsx") }

func fuzzRead(f *testing.F, ext string) {
	var seeds []string
	filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(path), ext) {
			seeds = append(seeds, path)
		}
		return nil
	})
	samples, _ := filepath.Glob(filepath.Join("..", "samples", "*"+ext))
	seeds = append(seeds, samples...)
	if len(seeds) == 0 {
		f.Fatalf("no %s seeds", ext)
	}
	for _, path := range seeds {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadLimited(bytes.NewReader(data), int64(len(data)), "fuzz"+ext, Limits{})
		switch {
		case doc == nil && err == nil:
			t.Fatal("no document and no error")
		case doc != nil && err != nil:
			t.Fatalf("a document and an error: %v", err)
		case err != nil:
			if !fuzzKnownError(err) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			if errors.Is(err, errDocxPanic) || strings.Contains(err.Error(), "pdf reader failed") {
				t.Fatalf("a reader's own code panicked: %v", err)
			}
		default:
			if doc.Bytes != int64(len(data)) || doc.SHA256 == "" {
				t.Fatalf("document header: %d bytes, sha %q", doc.Bytes, doc.SHA256)
			}
		}
	})
}

func fuzzKnownError(err error) bool {
	for _, s := range []error{ErrCorrupt, ErrEncrypted, ErrUnsupported, ErrEmpty, ErrLimit} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
