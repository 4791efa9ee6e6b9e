package pdf

import (
	"bytes"
	"image"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/finsam/ansokan/internal/readtest"

	"github.com/finsam/ansokan/extractor"
)

// FuzzReadPDF feeds mutated files to ReadLimited with the default
// limits, past the sniffing (extractor/anyformat's FuzzRead goes
// through it). The property: no panic escapes, the call returns (the
// limits bound the work), and the result is a document or an error,
// never both and never neither; an error wraps one of the sentinels, so
// a caller can tell the user why.
//
//	go test ./extractor/pdf -run '^$' -fuzz FuzzReadPDF -fuzztime 10m -parallel 1
//
// Seeds: every .pdf under testdata and the samples. Inputs that once
// failed are kept in testdata/fuzz/FuzzReadPDF/ and run with the
// ordinary tests.
func FuzzReadPDF(f *testing.F) {
	for _, path := range readtest.FuzzSeeds(f, ".pdf") {
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
			if strings.Contains(err.Error(), "pdf reader failed") {
				t.Fatalf("the reader's own code panicked: %v", err)
			}
		}
	})
}

// fuzzSeeds lists the files with the extension under testdata and in
// samples/.

// FuzzPageImage feeds mutated PDFs to the page image decoders (the
// embedded image of each page without text, turned upright), without
// OCR: no panic, and an image within the pixel budget or an error.
//
//	go test ./extractor/pdf -run '^$' -fuzz FuzzPageImage -fuzztime 2m -parallel 1
func FuzzPageImage(f *testing.F) {
	for _, path := range readtest.FuzzSeeds(f, ".pdf") {
		if b, err := os.ReadFile(path); err == nil && bytes.Contains(b, []byte("/Image")) {
			f.Add(b)
		}
	}
	for _, filter := range []string{"FlateDecode", "DCTDecode"} {
		img := image.NewGray(image.Rect(0, 0, 16, 12))
		f.Add(imagePDF(f, img, filter, 16, 12, "0 12 -16 0 16 0", 90))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const budget = 1 << 20
		lim := extractor.Limits{MaxOCRPixels: budget}.WithDefaults()
		file, err := pdfOpenPages(data, lim)
		if err != nil {
			return
		}
		w := &pdfWalker{fonts: map[string]*pdfFont{}, lim: lim}
		for i, ref := range file.pages[:min(len(file.pages), 4)] {
			p, err := w.page(ref, i+1)
			if err != nil || len(p.placed) != 1 {
				continue
			}
			func() {
				defer func() {
					// The library panics on broken objects (the OCR
					// worker recovers them); a runtime error (an index
					// out of range, a nil pointer) is a bug of ours.
					if x := recover(); x != nil {
						if _, ok := x.(runtime.Error); ok {
							t.Fatalf("panic: %v", x)
						}
					}
				}()
				g, err := pdfDecodeImage(p.placed[0].v, file.data, budget)
				if err != nil {
					return
				}
				if int64(g.Rect.Dx())*int64(g.Rect.Dy()) > budget {
					t.Fatalf("a %v image over the budget", g.Rect)
				}
				pdfUpright(g, p.placed[0].ctm, ref.rotate)
			}()
		}
	})
}
