package scan

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"os/exec"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// engine is the machine's Tesseract, or the test skips.
func engine(t testing.TB) *Engine {
	t.Helper()
	if _, err := exec.LookPath("tesseract"); err != nil {
		t.Skip("tesseract not installed (Debian: tesseract-ocr tesseract-ocr-swe tesseract-ocr-osd)")
	}
	e, err := Find()
	if err != nil {
		t.Skipf("OCR unavailable: %v", err)
	}
	return e
}

// canvas is a white grey page to draw a test form on.
type canvas struct {
	*image.Gray
	dpi  float64
	face font.Face
}

func newCanvas(t testing.TB, w, h int, dpi, pt float64) *canvas {
	t.Helper()
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: pt, DPI: dpi, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(g, g.Bounds(), image.White, image.Point{}, draw.Src)
	return &canvas{Gray: g, dpi: dpi, face: face}
}

// text draws s with its baseline at (x, y) and returns its box.
func (c *canvas) text(x, y int, s string) Rect {
	d := &font.Drawer{Dst: c.Gray, Src: image.Black, Face: c.face, Dot: fixed.P(x, y)}
	b, _ := d.BoundString(s)
	d.DrawString(s)
	return Rect{b.Min.X.Floor(), b.Min.Y.Floor(), b.Max.X.Ceil(), b.Max.Y.Ceil()}
}

// line draws a dark line of the given thickness from (x0, y0) to (x1, y1).
func (c *canvas) line(x0, y0, x1, y1 float64, thick float64) {
	n := int(math.Hypot(x1-x0, y1-y0)) * 2
	for i := 0; i <= n; i++ {
		t := float64(i) / float64(max(n, 1))
		c.dot(x0+(x1-x0)*t, y0+(y1-y0)*t, thick)
	}
}

func (c *canvas) dot(x, y, thick float64) {
	r := thick / 2
	for dy := -r; dy <= r; dy++ {
		for dx := -r; dx <= r; dx++ {
			if dx*dx+dy*dy <= r*r+0.25 {
				c.SetGray(int(x+dx), int(y+dy), color.Gray{})
			}
		}
	}
}

// signature draws a handwritten-looking stroke: a cubic Bézier loop
// and a flourish, from (x, y) over w pixels, dark and 3 px thick.
func (c *canvas) signature(x, y, w float64) Rect {
	pts := [][4][2]float64{
		{{x, y}, {x + w*0.15, y - w*0.35}, {x + w*0.3, y + w*0.2}, {x + w*0.45, y - w*0.05}},
		{{x + w*0.45, y - w*0.05}, {x + w*0.6, y - w*0.3}, {x + w*0.75, y + w*0.15}, {x + w, y - w*0.1}},
	}
	for _, p := range pts {
		px, py := p[0][0], p[0][1]
		for i := 1; i <= 200; i++ {
			t := float64(i) / 200
			u := 1 - t
			qx := u*u*u*p[0][0] + 3*u*u*t*p[1][0] + 3*u*t*t*p[2][0] + t*t*t*p[3][0]
			qy := u*u*u*p[0][1] + 3*u*u*t*p[1][1] + 3*u*t*t*p[2][1] + t*t*t*p[3][1]
			c.line(px, py, qx, qy, 3)
			px, py = qx, qy
		}
	}
	return Rect{int(x) - 2, int(y - w*0.35), int(x + w + 2), int(y + w*0.2)}
}

func overlaps(a, b Rect) bool {
	return a.X0 < b.X1 && b.X0 < a.X1 && a.Y0 < b.Y1 && b.Y0 < a.Y1
}

// signatureForm draws the part of an application's last page that the
// signature check reads, at 150 dpi: the labels, a ruled signature line
// with a handwritten stroke across it, the printed name on a second
// ruled line. It returns the page and where the stroke, the name, the
// labels and the lines are.
type form struct {
	img                *canvas
	stroke, name       Rect
	labels             []Rect
	signLine, nameLine Rect
}

func signatureForm(t testing.TB) *form {
	c := newCanvas(t, 1200, 520, 150, 12)
	f := &form{img: c}
	f.labels = append(f.labels, c.text(80, 80, "Ort och datum: Göteborg 2026-03-14"))
	f.labels = append(f.labels, c.text(80, 200, "Underskrift"))
	// The signature line: 2 px, from x 80 to 700 at y 300.
	f.signLine = Rect{80, 300, 700, 302}
	draw.Draw(c.Gray, image.Rect(80, 300, 700, 302), image.Black, image.Point{}, draw.Src)
	f.stroke = c.signature(160, 285, 300)
	f.labels = append(f.labels, c.text(80, 350, "Namnförtydligande"))
	f.name = c.text(80, 440, "Åsa Öberg")
	f.nameLine = Rect{80, 455, 700, 457}
	draw.Draw(c.Gray, image.Rect(80, 455, 700, 457), image.Black, image.Point{}, draw.Src)
	return f
}
