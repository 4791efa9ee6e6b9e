package main

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/batch"
	"github.com/finsam/ansokan/extractor/scan"
)

// TestBatchReportsOCRPages: batch shows each page of a scan as the OCR
// reads it ("page 1/2 of skannad.pdf (OCR)"), from the reading process
// (the default) and in process. The scan is two strips of sample A's
// first page rendered at 150 dpi, each a page of a PDF without text.
func TestBatchReportsOCRPages(t *testing.T) {
	if _, err := scan.Find(); err != nil {
		t.Skipf("tesseract not installed (Debian: tesseract-ocr tesseract-ocr-swe): %v", err)
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed (Debian: poppler-utils)")
	}
	t.Setenv("OMP_THREAD_LIMIT", "1")
	dir := t.TempDir()
	var strips []*image.Gray
	for _, y := range []string{"150", "450"} {
		out, err := exec.Command("pdftoppm", "-r", "150", "-gray", "-png", "-f", "1", "-l", "1",
			"-x", "0", "-y", y, "-W", "1240", "-H", "240", "../../samples/a-sprangbradan.pdf").Output()
		if err != nil {
			t.Fatalf("pdftoppm: %v", err)
		}
		img, err := png.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		g := image.NewGray(img.Bounds())
		draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
		strips = append(strips, g)
	}
	for _, mode := range []string{"isolated", "in-process"} {
		t.Run(mode, func(t *testing.T) {
			in := filepath.Join(dir, mode)
			os.Mkdir(in, 0o755)
			if err := os.WriteFile(filepath.Join(in, "skannad.pdf"), grayPDF(strips, 150), 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"batch", "--out", filepath.Join(dir, mode+".jsonl"), "--jobs", "1", in}
			if mode == "in-process" {
				args = append(args[:1], append([]string{"--in-process"}, args[1:]...)...)
			}
			code, _, stderr := runCmd(t, args...)
			if code != exitOK {
				t.Fatalf("exit %d:\n%s", code, stderr)
			}
			for _, want := range []string{"page 1/2 of skannad.pdf (OCR)", "page 2/2 of skannad.pdf (OCR)"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			// The pages come before the file's end is counted.
			if p, f := strings.Index(stderr, "page 2/2 of"), strings.Index(stderr, "records written 1"); p < 0 || f < 0 || p > f {
				t.Errorf("page lines not before the summary:\n%s", stderr)
			}
		})
	}
}

// grayPDF writes a PDF with one page per image, each page the image
// alone (Flate-compressed grey) at dpi: a scan without a text layer.
func grayPDF(imgs []*image.Gray, dpi float64) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(s string, stream []byte) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\n", len(offs), s)
		if stream != nil {
			fmt.Fprintf(&b, "stream\n%s\nendstream\n", stream)
		}
		b.WriteString("endobj\n")
	}
	b.WriteString("%PDF-1.4\n")
	n := len(imgs)
	var kids []string
	for i := range n {
		kids = append(kids, fmt.Sprintf("%d 0 R", 3+3*i))
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n), nil)
	for i, g := range imgs {
		w, h := g.Bounds().Dx(), g.Bounds().Dy()
		pw, ph := float64(w)*72/dpi, float64(h)*72/dpi
		content, im := 4+3*i, 5+3*i
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>", pw, ph, im, content), nil)
		cs := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", pw, ph)
		obj(fmt.Sprintf("<< /Length %d >>", len(cs)), []byte(cs))
		var px bytes.Buffer
		zw := zlib.NewWriter(&px)
		for y := range h {
			zw.Write(g.Pix[y*g.Stride : y*g.Stride+w])
		}
		zw.Close()
		obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>", w, h, px.Len()), px.Bytes())
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

// On a terminal the page read by OCR joins the bar at once, its name
// masked and escaped (the bar goes round the log's writer), cut to the
// terminal's width.
func TestProgressBarShowsOCRPage(t *testing.T) {
	var out bytes.Buffer
	d := &progressDisplay{w: &out, raw: &out, tty: true, width: 120}
	d.bar(batch.Stats{Files: 4, FilesDone: 1, Elapsed: time.Second})
	d.page("in/ansökan\x1b]0;x\a 19121212-1212.pdf", 3, 10)
	got := out.String()
	last := got[strings.LastIndex(got, "\r"):]
	for _, want := range []string{"1/4 files", "page 3/10 of ansökan\\x1b]0;x\\x07 "} {
		if !strings.Contains(last, want) {
			t.Errorf("bar lacks %q: %q", want, last)
		}
	}
	if strings.Contains(last, "19121212-1212") {
		t.Errorf("personnummer not masked: %q", last)
	}
	if strings.Count(last, "\x1b") != 1 || strings.Contains(last, "\a") {
		t.Errorf("control sequences besides the bar's own: %q", last)
	}
	d.width = 40
	d.page("a-very-long-name-of-a-scanned-application.pdf", 4, 10)
	got = out.String()
	last = got[strings.LastIndex(got, "\r"):]
	if n := len([]rune(strings.TrimPrefix(last, "\r\x1b[K"))); n > 40 {
		t.Errorf("bar of %d cells on a 40-cell terminal: %q", n, last)
	}
}
