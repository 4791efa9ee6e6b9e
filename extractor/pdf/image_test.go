package pdf

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/scan"
	"golang.org/x/image/tiff"
)

// band cuts the rows y0..y1 of a page image (full width, so the page's
// resolution is still told from its width).
func band(g *image.Gray, y0, y1 int) *image.Gray {
	return g.SubImage(image.Rect(0, y0, g.Rect.Dx(), y1)).(*image.Gray)
}

// TestReadImageTIFF reads a two-frame TIFF (the key-value table of one
// sample and the signature block of another, printed at 150 dpi): two
// pages, each OCR'd from its frame.
func TestReadImageTIFF(t *testing.T) {
	needOCR(t)
	tiffcp, err := exec.LookPath("tiffcp")
	if err != nil {
		t.Skip("tiffcp not installed (Debian: libtiff-tools)")
	}
	dir := t.TempDir()
	a := renderPage(t, filepath.Join("..", "..", "samples", "c-vagen-vidare.pdf"), 1, 150)
	b := renderPage(t, filepath.Join("..", "..", "samples", "g-ett-steg-till.pdf"), 2, 150)
	var files []string
	for i, img := range []*image.Gray{band(a, 180, 560), band(b, 250, 700)} {
		var buf bytes.Buffer
		if err := tiff.Encode(&buf, img, &tiff.Options{Compression: tiff.Deflate}); err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(dir, string(rune('a'+i))+".tif")
		os.WriteFile(f, buf.Bytes(), 0o644)
		files = append(files, f)
	}
	out := filepath.Join(dir, "scan.tif")
	if msg, err := exec.Command(tiffcp, append(files, out)...).CombinedOutput(); err != nil {
		t.Fatalf("tiffcp: %v %s", err, msg)
	}
	data, _ := os.ReadFile(out)
	doc, err := ReadImage(bytes.NewReader(data), int64(len(data)), extractor.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Pages != 2 || len(doc.Scans) != 2 || len(doc.NoTextPages) != 2 {
		t.Fatalf("pages %d scans %+v no text %v", doc.Pages, doc.Scans, doc.NoTextPages)
	}
	for _, s := range doc.Scans {
		if s.Err != "" || s.Source != "image" || s.DPI != 150 || s.Confidence < 80 {
			t.Errorf("scan %+v", s)
		}
	}
	text := strings.Join(docWords(doc, 0), " ")
	for _, want := range []string{"Projektnamn", "Kontaktperson", "Namnförtydligande", "Underskrifter"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, pdfDump(doc))
		}
	}
	var kv bool
	for _, bl := range doc.Blocks {
		if bl.Table != nil && bl.Page == 1 && len(bl.Table.Rows) >= 5 {
			kv = true
		}
	}
	if !kv {
		t.Errorf("page 1's key-value table is not a table:\n%s", pdfDump(doc))
	}
}

// TestReadImageNoOCR: without OCR an image is a document of pages
// without text, each saying why it was not read.
func TestReadImageNoOCR(t *testing.T) {
	old := pdfOCREngine
	defer func() { pdfOCREngine = old }()
	pdfOCREngine = func() (*scan.Engine, error) { return nil, scan.ErrUnavailable }
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 40, 30)))
	doc, err := ReadImage(bytes.NewReader(buf.Bytes()), int64(buf.Len()), extractor.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Pages != 1 || len(doc.NoTextPages) != 1 || len(doc.Scans) != 1 || doc.Scans[0].Err == "" || len(doc.Blocks) != 0 {
		t.Fatalf("%+v", doc)
	}
}

// TestReadImageLimit: a frame over MaxOCRPixels is that page's error,
// found from the header before any pixel is decoded.
func TestReadImageLimit(t *testing.T) {
	needOCR(t)
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 200, 100)))
	doc, err := ReadImage(bytes.NewReader(buf.Bytes()), int64(buf.Len()), extractor.Limits{MaxOCRPixels: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Scans) != 1 || !strings.Contains(doc.Scans[0].Err, "MaxOCRPixels") {
		t.Fatalf("scans %+v", doc.Scans)
	}
}

// TestOCRLimitsReachEngine: a document's OCRPageMemory bounds its
// Tesseract runs (the fake Tesseract says the address-space limit it
// got), on a copy of the engine: the process's shared engine keeps its
// own limits.
func TestOCRLimitsReachEngine(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "tesseract")
	script := "#!/bin/sh\ncat >/dev/null\necho \"memory limit $(ulimit -v) kB\" >&2\nexit 1\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	shared := &scan.Engine{Path: fake, Langs: "swe", PageTimeout: scan.DefaultTimeout, Memory: scan.DefaultMemory}
	old := pdfOCREngine
	defer func() { pdfOCREngine = old }()
	pdfOCREngine = func() (*scan.Engine, error) { return shared, nil }
	g := image.NewGray(image.Rect(0, 0, 300, 200))
	for i := range g.Pix {
		g.Pix[i] = 0xFF
	}
	for x := 50; x < 250; x++ {
		g.Pix[100*g.Stride+x] = 0
	}
	var buf bytes.Buffer
	png.Encode(&buf, g)
	doc, err := ReadImage(bytes.NewReader(buf.Bytes()), int64(buf.Len()), extractor.Limits{OCRPageMemory: 256 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Scans) != 1 || !strings.Contains(doc.Scans[0].Err, "memory limit 262144 kB") {
		t.Fatalf("scans %+v: want tesseract run under 256 MB", doc.Scans)
	}
	if shared.Memory != scan.DefaultMemory || shared.PageTimeout != scan.DefaultTimeout {
		t.Errorf("the shared engine was changed: %+v", shared)
	}
}
