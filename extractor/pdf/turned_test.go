package pdf

import (
	"fmt"
	"image"
	"path/filepath"
	"strings"
	"testing"
)

// turnGray turns a grey image clockwise by deg (0, 90, 180, 270), as a
// scanner fed the sheet that way stores it.
func turnGray(g *image.Gray, deg int) *image.Gray {
	for ; deg > 0; deg -= 90 {
		w, h := g.Rect.Dx(), g.Rect.Dy()
		out := image.NewGray(image.Rect(0, 0, h, w))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out.Pix[x*out.Stride+h-1-y] = g.Pix[y*g.Stride+x]
			}
		}
		g = out
	}
	return g
}

// TestOCRTurnedPage: a scanned page stored turned (by 90, 180 or 270°,
// no /Rotate: the pixels lie on their side) reads as the upright page
// does, bold headings included. The top of c-vagen-vidare.pdf page 2
// at 150 dpi (two bold section headings, "7. Implementering" and "8.
// Budget och finansiering", and their body text) is stored each way up
// as the page's one embedded image, and once as a small image on a
// larger page, so that the page is rendered by pdftoppm. Bold used to be
// measured only on an image stored upright: a turned page's headings
// came out as plain list items and its sections were lost.
func TestOCRTurnedPage(t *testing.T) {
	needOCR(t)
	if testing.Short() {
		t.Skip("OCR of five part pages (-short)")
	}
	path := filepath.Join("..", "..", "samples", "c-vagen-vidare.pdf")
	page := renderPage(t, path, 2, 150)
	top := image.NewGray(image.Rect(0, 0, page.Rect.Dx(), 420))
	for y := range top.Rect.Dy() {
		copy(top.Pix[y*top.Stride:], page.Pix[(y+90)*page.Stride:(y+91)*page.Stride])
	}
	for _, tc := range []struct {
		turn     int
		rendered bool
	}{{0, false}, {90, false}, {180, false}, {270, false}, {90, true}} {
		t.Run(fmt.Sprintf("turned %d rendered %v", tc.turn, tc.rendered), func(t *testing.T) {
			img := turnGray(top, tc.turn)
			w, h := float64(img.Rect.Dx())*72/150, float64(img.Rect.Dy())*72/150
			pw, ph := w, h
			if tc.rendered {
				pw, ph = w*1.3, h*1.3 // the image covers under 60 % of the page
			}
			doc := readBytes(t, imagePDF(t, img, "FlateDecode", pw, ph, fmt.Sprintf("%g 0 0 %g 0 0", w, h), 0))
			if len(doc.Scans) != 1 || doc.Scans[0].Err != "" {
				t.Fatalf("scans = %+v", doc.Scans)
			}
			s := doc.Scans[0]
			wantSource := map[bool]string{false: "embedded", true: "rendered"}[tc.rendered]
			if s.Source != wantSource || s.Rotation != (360-tc.turn)%360 {
				t.Errorf("scan: source %s rotation %d, want %s %d", s.Source, s.Rotation, wantSource, (360-tc.turn)%360)
			}
			bold := func(text string) (bool, bool) {
				for _, b := range doc.Blocks {
					if strings.Contains(b.Text, text) {
						return b.Bold, true
					}
				}
				return false, false
			}
			for _, c := range []struct {
				text string
				bold bool
			}{
				{"Implementering", true},
				{"Budget och finansiering", true},
				{"Rutinen för aktualisering", false},
				{"Från förbundet söks", false},
			} {
				if got, ok := bold(c.text); !ok || got != c.bold {
					t.Errorf("%q: found %v, bold %v, want bold %v\n%s", c.text, ok, got, c.bold, pdfDump(doc))
				}
			}
		})
	}
}
