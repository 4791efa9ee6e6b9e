package scan

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/internal/corpus"
)

// TestCorpusScans reads the shared corpus's images and scanned PDFs and
// logs what each mechanism found (rotation, skew, words, confidence,
// time): the numbers in the package comment. OCR of thirty pages takes
// minutes, so it runs only with ANSOKAN_OCR_CORPUS=1.
func TestCorpusScans(t *testing.T) {
	if os.Getenv("ANSOKAN_OCR_CORPUS") != "1" {
		t.Skip("set ANSOKAN_OCR_CORPUS=1 to read the corpus's scans (minutes of OCR)")
	}
	dir, ok := corpus.Dir()
	if !ok {
		t.Skipf("no corpus (set %s)", corpus.Env)
	}
	e := engine(t)
	only := os.Getenv("ANSOKAN_OCR_ONLY")
	imgs, _ := filepath.Glob(filepath.Join(dir, "img", "*"))
	pdfs := []string{"ocrmypdf--skew.pdf", "docling--ocr_test_rotated_90.pdf", "ocrmypdf--cardinal.pdf", "ocrmypdf--rotated_skew.pdf", "ocrmypdf--hugemono.pdf"}
	for _, p := range pdfs {
		imgs = append(imgs, filepath.Join(dir, "pdf", p))
	}
	for _, path := range imgs {
		name := filepath.Base(path)
		if only != "" && !strings.Contains(name, only) {
			continue
		}
		var frames []image.Image
		var dpis []float64
		if strings.HasSuffix(name, ".pdf") {
			for page := 1; page <= 4; page++ {
				img, err := RenderFile(context.Background(), path, page, 150)
				if err != nil {
					if page == 1 {
						t.Logf("%s: %v", name, err)
					}
					break
				}
				frames, dpis = append(frames, img), append(dpis, 150)
			}
		} else {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			frames, dpis, err = DecodeImage(data)
			if err != nil {
				t.Logf("%s: %v", name, err)
				continue
			}
		}
		for i, img := range frames {
			start := time.Now()
			p, g, err := e.recognize(context.Background(), img, dpis[i])
			if err != nil {
				t.Logf("%s frame %d: %v", name, i+1, err)
				continue
			}
			if d := os.Getenv("ANSOKAN_OCR_DUMP"); d != "" {
				dumpPage(t, filepath.Join(d, fmt.Sprintf("%s-%d.png", name, i+1)), g, p)
			}
			var text []string
			for _, w := range p.Words {
				if len(text) < 12 {
					text = append(text, w.Text)
				}
			}
			t.Logf("%s frame %d: %dx%d px at %.0f dpi, rotation %d, skew %.2f°, %d words, conf %.1f, %d rules, %d ink, %s: %s",
				name, i+1, p.Width, p.Height, p.DPI, p.Rotation, p.Skew, len(p.Words), p.Confidence, len(p.Rules), len(p.Ink), time.Since(start).Round(time.Millisecond), strings.Join(text, " "))
		}
	}
}

// dumpPage writes the upright grey page with the words (green), rules
// (red) and ink (blue) drawn on it, for a person to look at.
func dumpPage(t *testing.T, path string, g *image.Gray, p *Page) {
	out := image.NewRGBA(g.Bounds())
	draw.Draw(out, out.Bounds(), g, image.Point{}, draw.Src)
	box := func(r Rect, c color.RGBA) {
		for x := r.X0; x < r.X1; x++ {
			out.Set(x, r.Y0, c)
			out.Set(x, r.Y1-1, c)
		}
		for y := r.Y0; y < r.Y1; y++ {
			out.Set(r.X0, y, c)
			out.Set(r.X1-1, y, c)
		}
	}
	for _, w := range p.Words {
		box(Rect{w.X0, w.Y0, w.X1, w.Y1}, color.RGBA{0, 180, 0, 255})
	}
	for _, r := range p.Rules {
		box(r, color.RGBA{255, 0, 0, 255})
	}
	for _, r := range p.Ink {
		box(r, color.RGBA{0, 0, 255, 255})
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, out); err != nil {
		t.Fatal(err)
	}
}

// TestCorpusMeasures logs the numbers the package comment quotes: skew
// straightened on ocrmypdf--skew.pdf (words, confidence and how far the
// tops of one line's words spread, without and with deskewing) and the
// turned page tesseract--phototest-rotated-R.png against the upright
// phototest.tif (word accuracy). Opt-in like TestCorpusScans.
func TestCorpusMeasures(t *testing.T) {
	if os.Getenv("ANSOKAN_OCR_CORPUS") != "1" {
		t.Skip("set ANSOKAN_OCR_CORPUS=1 to read the corpus's scans (minutes of OCR)")
	}
	dir, ok := corpus.Dir()
	if !ok {
		t.Skipf("no corpus (set %s)", corpus.Env)
	}
	e := engine(t)
	ctx := context.Background()
	for _, name := range []string{"ocrmypdf--skew.pdf", "ocrmypdf--rotated_skew.pdf"} {
		img, err := RenderFile(ctx, filepath.Join(dir, "pdf", name), 1, 150)
		if err != nil {
			t.Fatal(err)
		}
		for _, off := range []bool{true, false} {
			e2 := *e
			e2.noDeskew = off
			p, err := e2.Recognize(ctx, img, 150)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s deskew %v: skew %.2f°, %d words, conf %.1f, %d lines, tops of a line spread %d px (median), %d px (90th percentile)",
				name, !off, p.Skew, len(p.Words), p.Confidence, len(lineSpreads(p)), percentile(lineSpreads(p), 50), percentile(lineSpreads(p), 90))
		}
	}
	read := func(path string) *Page {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		frames, dpi, err := DecodeImage(data)
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.Recognize(ctx, frames[0], dpi[0])
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	ref := read(filepath.Join(dir, "img", "tesseract--phototest.tif"))
	rot := read(filepath.Join(dir, "img", "tesseract--phototest-rotated-R.png"))
	have := map[string]int{}
	for _, w := range rot.Words {
		have[w.Text]++
	}
	same := 0
	for _, w := range ref.Words {
		if have[w.Text] > 0 {
			have[w.Text]--
			same++
		}
	}
	t.Logf("phototest-rotated-R: rotation %d, %d words, %d of the upright page's %d words (%.1f %%), conf %.1f (upright %.1f)",
		rot.Rotation, len(rot.Words), same, len(ref.Words), 100*float64(same)/float64(len(ref.Words)), rot.Confidence, ref.Confidence)
}

// lineSpreads is, for each of Tesseract's lines with at least three
// words, how far its words' tops spread (pixels).
func lineSpreads(p *Page) []int {
	lines := map[[3]int][]Word{}
	for _, w := range p.Words {
		k := [3]int{w.Block, w.Par, w.Line}
		lines[k] = append(lines[k], w)
	}
	var out []int
	for _, ws := range lines {
		if len(ws) < 3 {
			continue
		}
		lo, hi := ws[0].Y0, ws[0].Y0
		for _, w := range ws {
			lo, hi = min(lo, w.Y0), max(hi, w.Y0)
		}
		out = append(out, hi-lo)
	}
	return out
}

func percentile(v []int, p int) int {
	if len(v) == 0 {
		return 0
	}
	s := append([]int(nil), v...)
	sort.Ints(s)
	return s[min(len(s)-1, len(s)*p/100)]
}
