// Package readtest holds what the tests of the format readers
// (extractor/pdf, extractor/docx, extractor/xlsx) share: reading a file
// as extractor/anyformat does, which those packages cannot import
// (anyformat imports them).
package readtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
)

// ReadFile reads the file at path with read when its content is of the
// given format, as anyformat.ReadFile does: the content is sniffed, a
// file of another format is refused as unsupported, and the document
// gets its name, format, digest and size.
func ReadFile(path string, format extractor.Format, read func(io.ReaderAt, int64) (*extractor.Document, error)) (*extractor.Document, error) {
	name := filepath.Base(path)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &extractor.Error{File: name, Err: err}
	}
	r := bytes.NewReader(data)
	got, err := extractor.SniffAt(r, int64(len(data)), extractor.DefaultLimits())
	if err == nil && got != format {
		err = fmt.Errorf("%w: a %s file, not %s", extractor.ErrUnsupported, got, format)
	}
	if err != nil {
		return nil, &extractor.Error{File: name, Err: err}
	}
	doc, err := read(r, int64(len(data)))
	if err != nil {
		var e *extractor.Error
		if errors.As(err, &e) {
			if e.File == "" {
				e.File = name
			}
			return nil, e
		}
		return nil, &extractor.Error{File: name, Err: err}
	}
	sum := sha256.Sum256(data)
	doc.Name, doc.Format, doc.SHA256, doc.Bytes = name, format, hex.EncodeToString(sum[:]), int64(len(data))
	return doc, nil
}

// FuzzSeeds lists a reader's fuzz seeds: the files with extension ext
// under the package's testdata and the samples.
func FuzzSeeds(f *testing.F, ext string) []string {
	var seeds []string
	filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(path), ext) {
			seeds = append(seeds, path)
		}
		return nil
	})
	samples, _ := filepath.Glob(filepath.Join("..", "..", "samples", "*"+ext))
	seeds = append(seeds, samples...)
	if len(seeds) == 0 {
		f.Fatalf("no %s seeds", ext)
	}
	return seeds
}

// KnownError tells whether err is one of the extractor's sentinels: the
// only errors a reader may give for a mutated file.
func KnownError(err error) bool {
	for _, s := range []error{extractor.ErrCorrupt, extractor.ErrEncrypted, extractor.ErrUnsupported, extractor.ErrEmpty, extractor.ErrLimit} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
