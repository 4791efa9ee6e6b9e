package anyformat

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
)

// FuzzRead feeds mutated files through ReadLimited with the default
// limits: sniffing, then whichever reader the bytes now ask for. The
// property: no panic escapes, the call returns, and the result is a
// document or an error, never both and never neither; an error wraps one
// of the sentinels; a document carries its size and digest. The readers'
// own targets (FuzzReadPDF in extractor/pdf, FuzzReadDOCX, FuzzReadXLSX)
// go past the sniffing.
//
//	go test ./extractor/anyformat -run '^$' -fuzz FuzzRead -fuzztime 10m -parallel 1
//
// Seeds: every fixture under the readers' testdata and this package's,
// and the samples.
func FuzzRead(f *testing.F) {
	var seeds []string
	for _, dir := range []string{"testdata", "../pdf/testdata", "../docx/testdata", "../xlsx/testdata"} {
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			switch strings.ToLower(filepath.Ext(path)) {
			case ".pdf", ".docx", ".xlsx", ".doc", ".xls", ".odt", ".ods":
				if err == nil && !d.IsDir() {
					seeds = append(seeds, path)
				}
			}
			return nil
		})
	}
	for _, ext := range []string{".pdf", ".docx", ".xlsx"} {
		samples, _ := filepath.Glob(filepath.Join("..", "..", "samples", "*"+ext))
		seeds = append(seeds, samples...)
	}
	if len(seeds) == 0 {
		f.Fatal("no seeds")
	}
	for _, path := range seeds {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadLimited(bytes.NewReader(data), int64(len(data)), "fuzz", extractor.Limits{})
		switch {
		case doc == nil && err == nil:
			t.Fatal("no document and no error")
		case doc != nil && err != nil:
			t.Fatalf("a document and an error: %v", err)
		case err != nil:
			known := false
			for _, s := range []error{extractor.ErrCorrupt, extractor.ErrEncrypted, extractor.ErrUnsupported, extractor.ErrEmpty, extractor.ErrLimit} {
				known = known || errors.Is(err, s)
			}
			if !known {
				t.Fatalf("error without a sentinel: %v", err)
			}
			if strings.Contains(err.Error(), "docx reader failed") || strings.Contains(err.Error(), "pdf reader failed") {
				t.Fatalf("a reader's own code panicked: %v", err)
			}
		default:
			if doc.Bytes != int64(len(data)) || doc.SHA256 == "" {
				t.Fatalf("document header: %d bytes, sha %q", doc.Bytes, doc.SHA256)
			}
		}
	})
}
