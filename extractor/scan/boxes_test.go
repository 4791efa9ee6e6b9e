package scan

import (
	"image"
	"testing"
)

// page draws marks on a white 300 dpi bitmap (a check box is 3.5 mm:
// about 41 px).
type page struct{ b *bitmap }

func newPage(w, h int) *page { return &page{&bitmap{w: w, h: h, ink: make([]bool, w*h)}} }

func (p *page) fill(x0, y0, x1, y1 int) {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			p.b.ink[y*p.b.w+x] = true
		}
	}
}

// square draws an outline t px thick.
func (p *page) square(x0, y0, w, h, t int) {
	p.fill(x0, y0, x0+w, y0+t)
	p.fill(x0, y0+h-t, x0+w, y0+h)
	p.fill(x0, y0, x0+t, y0+h)
	p.fill(x0+w-t, y0, x0+w, y0+h)
}

func (p *page) cross(x0, y0, n, t int) {
	for i := 0; i < n; i++ {
		p.fill(x0+i, y0+i, x0+i+t, y0+i+1)
		p.fill(x0+n-1-i, y0+i, x0+n-1-i+t, y0+i+1)
	}
}

func (p *page) circle(cx, cy, r, t int) {
	for y := cy - r; y <= cy+r; y++ {
		for x := cx - r; x <= cx+r; x++ {
			d := (x-cx)*(x-cx) + (y-cy)*(y-cy)
			if d <= r*r && d >= (r-t)*(r-t) {
				p.b.ink[y*p.b.w+x] = true
			}
		}
	}
}

func TestFindBoxes(t *testing.T) {
	for _, c := range []struct {
		name string
		draw func(p *page)
		want string // "" for no box
	}{
		{"empty box", func(p *page) { p.square(20, 20, 41, 41, 3) }, boxOff},
		{"crossed box", func(p *page) { p.square(20, 20, 41, 41, 3); p.cross(26, 26, 29, 3) }, boxOn},
		{"filled box", func(p *page) { p.fill(20, 20, 61, 61) }, boxOn},
		{"small box 2.6 mm", func(p *page) { p.square(20, 20, 31, 31, 2) }, boxOff},
		// Must not match.
		{"letter O", func(p *page) { p.circle(40, 40, 20, 4) }, ""},
		{"too small (a period)", func(p *page) { p.fill(20, 20, 26, 26) }, ""},
		{"too big (a table cell)", func(p *page) { p.square(10, 10, 150, 150, 2) }, ""},
		{"not square (a rule)", func(p *page) { p.square(20, 20, 70, 41, 3) }, ""},
		{"open side (a bracket)", func(p *page) {
			p.fill(20, 20, 61, 23)
			p.fill(20, 58, 61, 61)
			p.fill(20, 20, 23, 61)
		}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newPage(200, 200)
			c.draw(p)
			got := findBoxes(p.b, 300)
			switch {
			case c.want == "" && len(got) != 0:
				t.Fatalf("found %+v, want no box", got)
			case c.want != "" && (len(got) != 1 || got[0].Text != c.want || got[0].Conf != 100):
				t.Fatalf("found %+v, want one %s", got, c.want)
			}
		})
	}
}

func TestCleanForOCR(t *testing.T) {
	p := newPage(60, 40)
	p.fill(10, 10, 14, 30) // a stroke 4 px wide: stays
	p.fill(30, 10, 31, 11) // a halftone dot: goes
	p.fill(40, 20, 42, 21) // two dots side by side: go
	p.fill(0, 35, 60, 37)  // a rule: painted white
	g := image.NewGray(image.Rect(0, 0, 60, 40))
	for i, on := range p.b.ink {
		if !on {
			g.Pix[i] = 255
		}
	}
	ink := func(dpi float64, x, y int) bool {
		return cleanForOCR(g, p.b, []Rect{{0, 35, 60, 37}}, nil, dpi).GrayAt(x, y).Y < 128
	}
	for _, c := range []struct {
		x, y int
		dpi  float64
		want bool
	}{
		{12, 20, 300, true}, {30, 10, 300, false}, {40, 20, 300, false}, {41, 20, 300, false},
		{30, 36, 300, false},
		{30, 10, 150, true}, // below speckleDPI a dot may be a stroke
	} {
		if got := ink(c.dpi, c.x, c.y); got != c.want {
			t.Errorf("(%d,%d) at %v dpi: ink %v, want %v", c.x, c.y, c.dpi, got, c.want)
		}
	}
}

func TestTextish(t *testing.T) {
	for _, c := range []struct {
		text string
		conf float64
		want bool
	}{
		{"Underskrift", 90, true},
		{"~/;", 90, true}, // confident: print whatever it is
		{"eva.indqvist&Qmora.se", 33, true},
		{"Namnteckning", 30, true},
		// Must not: unsure and not word-like, or too unsure.
		{"~/;", 35, false},
		{"Ak", 35, false},
		{"Lindqvist", 12, false},
		{"il/|\\~", 38, false},
	} {
		if got := textish(Word{Text: c.text, Conf: c.conf}); got != c.want {
			t.Errorf("textish(%q, %v) = %v, want %v", c.text, c.conf, got, c.want)
		}
	}
}

func TestOddShape(t *testing.T) {
	for _, c := range []struct {
		w    Word
		want bool
	}{
		{Word{Text: "SN", X0: 158, Y0: 244, X1: 462, Y1: 292}, true}, // a stroke: 152 px a letter, 48 tall
		{Word{Text: "Olle", X0: 0, Y0: 0, X1: 60, Y1: 60}, true},     // three times the page's text height
		{Word{Text: "Underskrift", X0: 82, Y0: 180, X1: 202, Y1: 200}, false},
		{Word{Text: "—", X0: 0, Y0: 0, X1: 30, Y1: 18}, false},       // a dash is wide, not that wide
		{Word{Text: "Rubrik", X0: 0, Y0: 0, X1: 150, Y1: 38}, false}, // a heading under twice the text
	} {
		if got := oddShape(c.w, 20); got != c.want {
			t.Errorf("oddShape(%+v) = %v, want %v", c.w, got, c.want)
		}
	}
}
