package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/scan"
	"github.com/finsam/ansokan/internal/corpus"
)

// needOCR skips a test when Tesseract (with its Swedish model) or
// pdftoppm is not installed.
func needOCR(t testing.TB) {
	t.Helper()
	if _, err := scan.Find(); err != nil {
		t.Skipf("tesseract not installed (Debian: tesseract-ocr tesseract-ocr-swe): %v", err)
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed (Debian: poppler-utils)")
	}
}

// renderPage renders one page of a PDF in grey at dpi (scan.RenderFile:
// pdftoppm).
func renderPage(t testing.TB, path string, page, dpi int) *image.Gray {
	t.Helper()
	img, err := scan.RenderFile(context.Background(), path, page, float64(dpi))
	if err != nil {
		t.Fatal(err)
	}
	return scan.ToGray(img)
}

// imagePDF writes a one-page PDF that is one image: the page is w×h
// points, the image is drawn with the matrix cm, its samples are
// encoded by filter ("DCTDecode" or "FlateDecode"); rotate is the
// page's /Rotate.
func imagePDF(t testing.TB, img *image.Gray, filter string, w, h float64, cm string, rotate int) []byte {
	t.Helper()
	var samples bytes.Buffer
	switch filter {
	case "DCTDecode":
		if err := jpeg.Encode(&samples, img, &jpeg.Options{Quality: 85}); err != nil {
			t.Fatal(err)
		}
	case "FlateDecode":
		zw := zlib.NewWriter(&samples)
		for y := 0; y < img.Rect.Dy(); y++ {
			zw.Write(img.Pix[y*img.Stride : y*img.Stride+img.Rect.Dx()])
		}
		zw.Close()
	}
	content := fmt.Sprintf("q %s cm /Im0 Do Q", cm)
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Rotate %d /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>", w, h, rotate))
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /%s /Length %d >>\nstream\n%s\nendstream",
		img.Rect.Dx(), img.Rect.Dy(), filter, samples.Len(), samples.Bytes()))
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

// docWords lists the words of a document's body (paragraphs and cells)
// on the given page.
func docWords(doc *extractor.Document, page int) []string {
	var words []string
	var add func([]extractor.Block)
	add = func(bs []extractor.Block) {
		for _, b := range bs {
			if b.Page != page && page > 0 {
				continue
			}
			words = append(words, strings.Fields(b.Text)...)
			if b.Table != nil {
				for _, r := range b.Table.Rows {
					for _, c := range r.Cells {
						words = append(words, strings.Fields(c.Text)...)
					}
				}
			}
		}
	}
	add(doc.Blocks)
	add(doc.Furniture)
	return words
}

// wordMatch is the share of want's words (as a multiset, punctuation
// and check boxes aside) found in got.
func wordMatch(want, got []string) (float64, []string) {
	clean := func(s string) string { return strings.Trim(s, ".,:;()\"'”“☐☒•-–") }
	have := map[string]int{}
	for _, w := range got {
		have[clean(w)]++
	}
	n, found := 0, 0
	var missing []string
	for _, w := range want {
		w = clean(w)
		if w == "" {
			continue
		}
		n++
		if have[w] > 0 {
			have[w]--
			found++
		} else {
			missing = append(missing, w)
		}
	}
	if n == 0 {
		return 0, nil
	}
	return float64(found) / float64(n), missing
}

func readBytes(t testing.TB, b []byte) *extractor.Document {
	t.Helper()
	doc, err := ReadLimited(bytes.NewReader(b), int64(len(b)), extractor.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestOCRSamplePage prints a sample page, reads it back by OCR from an
// image-only PDF, and compares the words with the digital PDF's:
// c-vagen-vidare.pdf page 1 (a key-value table) as a JPEG, and the
// signature page of g-ett-steg-till.pdf as Flate samples, turned a
// quarter by its image matrix and the page's /Rotate.
func TestOCRSamplePage(t *testing.T) {
	needOCR(t)
	for _, tc := range []struct {
		file   string
		page   int
		filter string
		turn   bool
	}{
		{"c-vagen-vidare.pdf", 1, "DCTDecode", false},
		{"g-ett-steg-till.pdf", 2, "FlateDecode", true},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("..", "..", "samples", tc.file)
			digital, err := readFile(path)
			if err != nil {
				t.Fatal(err)
			}
			img := renderPage(t, path, tc.page, 150)
			w, h := float64(img.Rect.Dx())*72/150, float64(img.Rect.Dy())*72/150
			var b []byte
			if tc.turn {
				// The page is stored landscape, the image drawn turned
				// a quarter clockwise, and /Rotate 90 turns it back.
				b = imagePDF(t, img, tc.filter, h, w, fmt.Sprintf("0 %g %g 0 %g 0", w, -h, h), 90)
			} else {
				b = imagePDF(t, img, tc.filter, w, h, fmt.Sprintf("%g 0 0 %g 0 0", w, h), 0)
			}
			doc := readBytes(t, b)
			if len(doc.Scans) != 1 || doc.Scans[0].Err != "" || doc.Scans[0].Source != "embedded" {
				t.Fatalf("scans = %+v", doc.Scans)
			}
			if s := doc.Scans[0]; s.DPI < 149 || s.DPI > 151 || s.Confidence < 80 || s.Width < w-1 || s.Width > w+1 {
				t.Errorf("scan = %+v, want 150 dpi, %.0f points wide, confidence over 80", s, w)
			}
			if len(doc.NoTextPages) != 1 {
				t.Errorf("NoTextPages = %v, want [1]", doc.NoTextPages)
			}
			score, missing := wordMatch(docWords(digital, tc.page), docWords(doc, 1))
			t.Logf("%s p%d: %.1f%% of the words; missing %q", tc.file, tc.page, 100*score, missing)
			if testing.Verbose() {
				t.Logf("OCR:\n%s\ndigital:\n%s", pdfDump(doc), pdfDump(digital))
			}
			if score < 0.95 {
				t.Errorf("OCR found %.1f%% of the digital page's words, want 95%%\n%s", 100*score, pdfDump(doc))
			}
		})
	}
}

// TestOCRCCITT reads a sample page printed in black and white at 200
// dpi and stored as CCITT Group 4 with BlackIs1 (pdftoppm -mono, tiffcp
// -c g4, tiff2pdf): the page decoded here must read as the digital one.
func TestOCRCCITT(t *testing.T) {
	needOCR(t)
	var tools []string
	for _, tool := range []string{"tiffcp", "tiff2pdf"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skip(tool + " not installed (Debian: libtiff-tools)")
		}
		tools = append(tools, p)
	}
	dir := t.TempDir()
	sample := filepath.Join("..", "..", "samples", "c-vagen-vidare.pdf")
	mono, g4, out := filepath.Join(dir, "m"), filepath.Join(dir, "g4.tif"), filepath.Join(dir, "g4.pdf")
	for _, cmd := range [][]string{
		{"pdftoppm", "-f", "1", "-l", "1", "-r", "200", "-mono", "-tiff", "-singlefile", sample, mono},
		{tools[0], "-c", "g4", mono + ".tif", g4},
		{tools[1], "-o", out, g4},
	} {
		if msg, err := exec.Command(cmd[0], cmd[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v %s", cmd[0], err, msg)
		}
	}
	digital, err := readFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := readFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Scans) != 1 || doc.Scans[0].Source != "embedded" || doc.Scans[0].DPI != 200 {
		t.Fatalf("scans %+v", doc.Scans)
	}
	score, missing := wordMatch(docWords(digital, 1), docWords(doc, 1))
	t.Logf("%.1f%% of the words; missing %q", 100*score, missing)
	if score < 0.95 {
		t.Errorf("OCR found %.1f%% of the digital page's words, want 95%%\n%s", 100*score, pdfDump(doc))
	}
}

// TestOCRCorpus reads the corpus's scanned PDFs: each kind of page
// image (CCITT G4, JPEG, JBIG2 rendered, a page with /Rotate) gives its
// text.
func TestOCRCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("OCR of five pages at 300 dpi (-short)")
	}
	needOCR(t)
	dir, ok := corpus.Dir()
	if !ok {
		t.Skip("no corpus (set " + corpus.Env + ")")
	}
	for _, tc := range []struct {
		file   string
		source string
		want   string // a word of the text; "" for a page that may read as nothing
	}{
		{"ocrmypdf--ccitt.pdf", "embedded", "LinnSequencer"},
		{"pypdf--imagemagick-CCITTFaxDecode.pdf", "embedded", ""}, // a 16×16 image
		{"ocrmypdf--c02-22.pdf", "embedded", "the"},
		{"ocrmypdf--jbig2.pdf", "rendered", "the"},
		// CCITT with /EndOfLine true that x/image/ccitt refuses
		// ("missing End-of-Line"): rendered instead.
		{"pikepdf--ccitt-endofline-true.pdf", "rendered", "Datum"},
		// /Rotate 270 over a portrait scan: the page shows its text
		// sideways, as pdftoppm draws it; the engine's orientation
		// detection turns it a quarter back and reads the sentence.
		{"docling--ocr_test_rotated_90.pdf", "embedded", "Docling"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			doc, err := readFile(filepath.Join(dir, "pdf", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Scans) == 0 {
				t.Fatalf("no scans; NoTextPages %v", doc.NoTextPages)
			}
			s := doc.Scans[0]
			t.Logf("%+v", s)
			if s.Err != "" || (tc.want != "" && (s.Words < 5 || s.Confidence < 60)) {
				t.Errorf("scan = %+v", s)
			}
			if tc.source != "" && s.Source != tc.source {
				t.Errorf("source %q, want %q", s.Source, tc.source)
			}
			if strings.Contains(tc.file, "rotated") && (s.Rotation%180 == 0 || s.Width > s.Height) {
				// Shown landscape with the text running up the page:
				// read upright, a quarter turn back, portrait.
				t.Errorf("the page was turned %d° and reads %.0f×%.0f points, want a quarter turn to portrait", s.Rotation, s.Width, s.Height)
			}
			text := strings.Join(docWords(doc, 0), " ")
			if !strings.Contains(text, tc.want) {
				t.Errorf("text lacks %q:\n%s", tc.want, pdfDump(doc))
			}
		})
	}
}

// TestOCRMixed reads a partly scanned PDF (qpdf joins a sample's
// digital first page and a scan of the signature block of another): the
// page with text is read as it is and the image page by OCR.
func TestOCRMixed(t *testing.T) {
	needOCR(t)
	qpdf, err := exec.LookPath("qpdf")
	if err != nil {
		t.Skip("qpdf not installed (Debian: qpdf)")
	}
	dir := t.TempDir()
	digitalPath := filepath.Join("..", "..", "samples", "c-vagen-vidare.pdf")
	img := band(renderPage(t, filepath.Join("..", "..", "samples", "g-ett-steg-till.pdf"), 2, 150), 250, 700)
	w, h := float64(img.Rect.Dx())*72/150, float64(img.Rect.Dy())*72/150
	scanPath, mixed := filepath.Join(dir, "scan.pdf"), filepath.Join(dir, "mixed.pdf")
	if err := os.WriteFile(scanPath, imagePDF(t, img, "DCTDecode", w, h, fmt.Sprintf("%g 0 0 %g 0 0", w, h), 0), 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(qpdf, "--empty", "--pages", digitalPath, "1", scanPath, "1", "--", mixed).CombinedOutput(); err != nil {
		t.Fatalf("qpdf: %v %s", err, msg)
	}
	doc, err := readFile(mixed)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(doc.NoTextPages) != "[2]" || len(doc.Scans) != 1 || doc.Scans[0].Page != 2 || doc.Scans[0].Err != "" {
		t.Fatalf("no text %v, scans %+v", doc.NoTextPages, doc.Scans)
	}
	digital, err := readFile(digitalPath)
	if err != nil {
		t.Fatal(err)
	}
	// Every word of the text page (the page header is furniture only in
	// the two-page original, where it repeats).
	if score, missing := wordMatch(docWords(digital, 1), docWords(doc, 1)); score != 1 {
		t.Errorf("the text page lost %q beside a scan", missing)
	}
	if text := strings.Join(docWords(doc, 2), " "); !strings.Contains(text, "Namnförtydligande") {
		t.Errorf("the scanned page's text: %q", text)
	}
}

// TestOCRHugeImage: a page image over MaxOCRPixels is that page's error,
// named after the limit, and nothing is decoded.
func TestOCRHugeImage(t *testing.T) {
	needOCR(t)
	dir, ok := corpus.Dir()
	if !ok {
		t.Skip("no corpus (set " + corpus.Env + ")")
	}
	doc, err := readFile(filepath.Join(dir, "pdf", "ocrmypdf--hugemono.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Scans) != 1 || !strings.Contains(doc.Scans[0].Err, "MaxOCRPixels") {
		t.Fatalf("scans = %+v, want the MaxOCRPixels limit", doc.Scans)
	}
}

// TestOCRUnavailable: without an engine the scanned page is listed with
// the engine's error, and the document reads as before.
func TestOCRUnavailable(t *testing.T) {
	old := pdfOCREngine
	defer func() { pdfOCREngine = old }()
	pdfOCREngine = func() (*scan.Engine, error) { return nil, scan.ErrUnavailable }
	img := image.NewGray(image.Rect(0, 0, 60, 80))
	doc := readBytes(t, imagePDF(t, img, "FlateDecode", 60, 80, "60 0 0 80 0 0", 0))
	if len(doc.Scans) != 1 || doc.Scans[0].Err != scan.ErrUnavailable.Error() || len(doc.NoTextPages) != 1 {
		t.Fatalf("scans %+v, no text %v", doc.Scans, doc.NoTextPages)
	}
}

// TestPDFUpright: the pixels come out as the page shows them whatever
// the image matrix and /Rotate.
func TestPDFUpright(t *testing.T) {
	// A 3×2 image with distinct pixels 0..5, row by row from the top.
	src := image.NewGray(image.Rect(0, 0, 3, 2))
	for i := range src.Pix {
		src.Pix[i] = uint8(i)
	}
	for _, tc := range []struct {
		ctm    pdfMat
		rotate int
		want   string
	}{
		{pdfMat{3, 0, 0, 2, 0, 0}, 0, "3x2 [0 1 2 3 4 5]"},
		{pdfMat{3, 0, 0, -2, 0, 2}, 0, "3x2 [3 4 5 0 1 2]"},  // flipped vertically
		{pdfMat{-3, 0, 0, 2, 3, 0}, 0, "3x2 [2 1 0 5 4 3]"},  // flipped horizontally
		{pdfMat{3, 0, 0, 2, 0, 0}, 180, "3x2 [5 4 3 2 1 0]"}, // page upside down
		{pdfMat{3, 0, 0, 2, 0, 0}, 90, "2x3 [3 0 4 1 5 2]"},  // page turned clockwise
		{pdfMat{3, 0, 0, 2, 0, 0}, 270, "2x3 [2 5 1 4 0 3]"},
		{pdfMat{0, 3, -2, 0, 2, 0}, 90, "3x2 [0 1 2 3 4 5]"}, // drawn a quarter anticlockwise, page turned back
	} {
		g, _, err := pdfUpright(src, tc.ctm, tc.rotate)
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprintf("%dx%d %v", g.Rect.Dx(), g.Rect.Dy(), g.Pix)
		if got != tc.want {
			t.Errorf("ctm %v rotate %d: %s, want %s", tc.ctm, tc.rotate, got, tc.want)
		}
	}
	if _, _, err := pdfUpright(src, pdfMat{2, 1, -1, 2, 0, 0}, 0); err == nil {
		t.Error("an image at an angle was turned")
	}
}
