package scan

import (
	"context"
	"image"
	"math"
	"strings"
	"testing"
)

// TestSignatureInk: a stroke drawn across a signature line comes out as
// ink; the printed labels, the printed name and the ruled lines do not;
// the Swedish words are read with å, ä and ö.
func TestSignatureInk(t *testing.T) {
	e := engine(t)
	f := signatureForm(t)
	p, err := e.Recognize(context.Background(), f.img.Gray, 150)
	if err != nil {
		t.Fatal(err)
	}
	text := wordsText(p)
	for _, want := range []string{"Underskrift", "Namnförtydligande", "Åsa", "Öberg", "Göteborg"} {
		if !strings.Contains(text, want) {
			t.Errorf("words %q: no %q", text, want)
		}
	}
	inkOnStroke := false
	for _, r := range p.Ink {
		if overlaps(r, f.stroke) {
			inkOnStroke = true
		}
		for _, l := range append(f.labels, f.name) {
			if overlaps(r, l) {
				t.Errorf("ink %v over printed text %v", r, l)
			}
		}
	}
	if !inkOnStroke {
		t.Errorf("no ink on the stroke %v: ink %v", f.stroke, p.Ink)
	}
	for _, l := range []Rect{f.signLine, f.nameLine} {
		found := false
		for _, r := range p.Rules {
			if overlaps(r, l) && r.X1-r.X0 > (l.X1-l.X0)/3 {
				found = true
			}
		}
		if !found {
			t.Errorf("no rule on the line %v: rules %v", l, p.Rules)
		}
	}
	if p.Rotation != 0 || p.Skew != 0 || p.Confidence < 70 {
		t.Errorf("rotation %d, skew %.2f, confidence %.1f: want 0, 0, ≥ 70", p.Rotation, p.Skew, p.Confidence)
	}
}

// TestSignatureBlank: the same form without the stroke has no ink on
// the signature line.
func TestSignatureBlank(t *testing.T) {
	e := engine(t)
	c := newCanvas(t, 1200, 320, 150, 12)
	c.text(80, 100, "Underskrift")
	draw := Rect{80, 250, 700, 252}
	for y := draw.Y0; y < draw.Y1; y++ {
		for x := draw.X0; x < draw.X1; x++ {
			c.Pix[y*c.Stride+x] = 0
		}
	}
	c.text(80, 300, "Namnförtydligande")
	p, err := e.Recognize(context.Background(), c.Gray, 150)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Ink) != 0 {
		t.Errorf("ink on a blank form: %v (words %q, rules %v)", p.Ink, wordsText(p), p.Rules)
	}
}

// TestOrientation: the form turned by 90, 180 and 270° is read upright,
// and Rotation says how it was turned back.
func TestOrientation(t *testing.T) {
	e := engine(t)
	if !e.OSD {
		t.Skip("no orientation model (Debian: tesseract-ocr-osd)")
	}
	f := signatureForm(t)
	for _, turn := range []int{90, 180, 270} {
		img := rotate(f.img.Gray, turn)
		p, err := e.Recognize(context.Background(), img, 150)
		if err != nil {
			t.Fatal(err)
		}
		if want := (360 - turn) % 360; p.Rotation != want {
			t.Errorf("turned %d°: rotation %d, want %d", turn, p.Rotation, want)
		}
		if text := wordsText(p); !strings.Contains(text, "Underskrift") || !strings.Contains(text, "Namnförtydligande") {
			t.Errorf("turned %d°: words %q", turn, text)
		}
		if p.Width != 1200 || p.Height != 520 {
			t.Errorf("turned %d°: upright page %dx%d, want 1200x520", turn, p.Width, p.Height)
		}
	}
}

// TestSkew: a page skewed by a few degrees is straightened: Skew says
// the angle and the words of one printed line share their baseline.
func TestSkew(t *testing.T) {
	e := engine(t)
	c := newCanvas(t, 1240, 500, 150, 12)
	c.text(60, 120, "Projektets namn: Samverkan för återgång i arbete")
	c.text(60, 200, "Sökt belopp från förbundet 450 000 kronor")
	c.text(60, 280, "Kontaktperson Åsa Öberg, telefon 031-123 45 67")
	for _, angle := range []float64{-3, 2} {
		// deskew turns by -angle: the page's lines then slope by angle.
		img := deskew(c.Gray, -angle)
		p, err := e.Recognize(context.Background(), img, 150)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(p.Skew-angle) > 0.3 {
			t.Errorf("skewed %.1f°: estimated %.2f°", angle, p.Skew)
		}
		lines := map[[3]int][]Word{}
		for _, w := range p.Words {
			k := [3]int{w.Block, w.Par, w.Line}
			lines[k] = append(lines[k], w)
		}
		if len(lines) != 3 {
			t.Errorf("skewed %.1f°: %d lines, want 3: %q", angle, len(lines), wordsText(p))
		}
		for _, ws := range lines {
			lo, hi := math.MaxInt, math.MinInt
			for _, w := range ws {
				// Tops: the words' x-heights or capitals; bottoms
				// carry descenders.
				lo, hi = min(lo, w.Y0), max(hi, w.Y0)
			}
			if hi-lo > 8 {
				t.Errorf("skewed %.1f°: tops of one line spread over %d px: %v", angle, hi-lo, ws)
			}
		}
	}
}

func wordsText(p *Page) string {
	var s []string
	for _, w := range p.Words {
		s = append(s, w.Text)
	}
	return strings.Join(s, " ")
}

// BenchmarkRecognize reads a synthetic A4 page at 150 dpi: forty lines
// of Swedish text and a signature block.
func BenchmarkRecognize(b *testing.B) {
	e := engine(b)
	c := newCanvas(b, 1240, 1754, 150, 11)
	for i := 0; i < 40; i++ {
		c.text(120, 150+i*36, "Förbundets medel används till insatser för återgång i arbete.")
	}
	c.text(120, 1650, "Underskrift")
	c.signature(300, 1660, 250)
	var img image.Image = c.Gray
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.Recognize(context.Background(), img, 150); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyse is the Go side of Recognize on the same page, without
// Tesseract: binarising, the skew search, rules and ink.
func BenchmarkAnalyse(b *testing.B) {
	c := newCanvas(b, 1240, 1754, 150, 11)
	for i := 0; i < 40; i++ {
		c.text(120, 150+i*36, "Förbundets medel används till insatser för återgång i arbete.")
	}
	c.text(120, 1650, "Underskrift")
	c.signature(300, 1660, 250)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bits := &bitmap{w: 1240, h: 1754, ink: binarise(c.Gray)}
		estimateSkew(bits)
		rules := findRules(bits, 150)
		mergeInk(inkMarks(bits, 150, nil, rules), 150)
	}
}

// TestBlankPage: a blank page (paper noise only) reads as nothing, with
// no OSD pass and no error.
func TestBlankPage(t *testing.T) {
	e := engine(t)
	c := newCanvas(t, 600, 400, 150, 12)
	for i := range c.Pix {
		c.Pix[i] = uint8(245 + i*7%11) // 245-255
	}
	p, err := e.Recognize(context.Background(), c.Gray, 150)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Words) != 0 || len(p.Rules) != 0 || len(p.Ink) != 0 || p.Rotation != 0 || p.Skew != 0 || p.Confidence != 0 {
		t.Errorf("blank page: %+v", p)
	}
}
