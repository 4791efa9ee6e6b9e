package scan

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"log/slog"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Orientation: a first pass "looks wrong" when the page has ink (more
// than inkedPage of its pixels) but gives fewer than fewWords confident
// words or a mean confidence under lowConf. Then Tesseract's OSD says
// how the page is turned; a turn it is at least minOSDConf sure of is
// made and the page read again, and the better pass (more characters in
// confident words) is kept.
const (
	inkedPage  = 0.002
	fewWords   = 5
	lowConf    = 60
	minOSDConf = 1.0
)

// Recognize reads one page image of the given resolution (0: unknown):
// it converts it to grey (scaled to 300 dpi when read above 400),
// straightens a skew of up to 10°, runs Tesseract once (again turned by
// 90, 180 or 270° when the first pass looks wrong and OSD says so),
// drops the low-confidence words that are not text, and finds the
// page's ruling lines and the ink that is neither. All coordinates are
// pixels of the returned upright image (Page.Width × Page.Height at
// Page.DPI).
func (e *Engine) Recognize(ctx context.Context, img image.Image, dpi float64) (*Page, error) {
	p, _, err := e.recognize(ctx, img, dpi)
	return p, err
}

// recognize is Recognize, with the upright grey image the coordinates
// refer to (also Page.Image).
func (e *Engine) recognize(ctx context.Context, img image.Image, dpi float64) (*Page, *image.Gray, error) {
	g, dpi, err := prepare(img, dpi)
	if err != nil {
		return nil, nil, err
	}
	pass, err := e.read(ctx, g, dpi)
	if err != nil {
		return nil, nil, err
	}
	if pass.looksWrong() {
		// OSD says how the page lies; when it cannot, a page on its side
		// still tells by the order of its words.
		rot, sideways := pass.sideways()
		if e.OSD {
			r, conf, err := e.orientation(ctx, g, dpi)
			if err == nil && conf >= minOSDConf && (!sideways || r == 90 || r == 270) {
				rot = r
			}
		}
		if rot != 0 {
			turned, err := e.read(ctx, rotate(g, rot), dpi)
			if err != nil {
				return nil, nil, err
			}
			turned.rotation = rot
			// Upright words in standing boxes are no use to the line
			// builder: a sideways pass loses to a turned one that reads
			// at least half as much.
			if turned.score() > pass.score() || (sideways && 2*turned.score() >= pass.score()) {
				pass = turned
			}
		}
	}
	page := pass.page(dpi)
	page.Image = pass.g
	if err := e.reread(ctx, pass.clean, dpi, page); err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		slog.Debug("ocr: re-reading the marks left as ink failed; they stay ink", "err", err)
	}
	return page, pass.g, nil
}

// pass is one reading of a page image.
type pass struct {
	g        *image.Gray
	clean    *image.Gray // g as Tesseract read it (cleanForOCR)
	rules    []Rect      // the ruling lines (findRules)
	bits     *bitmap
	words    []Word
	skew     float64
	rotation int
}

// read straightens a grey page and runs Tesseract on it.
func (e *Engine) read(ctx context.Context, g *image.Gray, dpi float64) (*pass, error) {
	p := &pass{g: g, bits: &bitmap{w: g.Bounds().Dx(), h: g.Bounds().Dy(), ink: binarise(g)}}
	if s := estimateSkew(p.bits); s != 0 && !e.noDeskew {
		p.skew = s
		p.g = deskew(g, s)
		p.bits = &bitmap{w: p.bits.w, h: p.bits.h, ink: binarise(p.g)}
	}
	boxes := findBoxes(p.bits, dpi)
	p.rules = findRules(p.bits, dpi)
	p.clean = cleanForOCR(p.g, p.bits, p.rules, boxes, dpi)
	words, err := e.ocr(ctx, p.clean, dpi)
	if err != nil {
		return nil, err
	}
	p.words = append(words, boxes...)
	return p, nil
}

func (p *pass) looksWrong() bool {
	ink := 0
	for _, on := range p.bits.ink {
		if on {
			ink++
		}
	}
	if float64(ink) < inkedPage*float64(len(p.bits.ink)) {
		return false // a blank page reads as nothing whichever way up
	}
	confident := 0
	for _, w := range p.words {
		if w.Conf >= minConf {
			confident++
		}
	}
	if confident < fewWords || meanConf(p.words) < lowConf {
		return true
	}
	_, sideways := p.sideways()
	return sideways
}

// sideways says whether Tesseract read the page's lines on a page that
// lies on its side: most long confident words stand taller than wide.
// Then the words' order along their lines is a guess at the turn that
// makes the page upright: reading down, the page was turned clockwise
// (turn back by 270°); reading up, by 90°. Only a guess: Tesseract reads
// a page turned the other way as upside-down letters, top to bottom.
func (p *pass) sideways() (rot int, ok bool) {
	long, tall := 0, 0
	for _, w := range p.words {
		if w.Conf >= minConf && utf8.RuneCountInString(w.Text) >= 4 {
			long++
			if w.Y1-w.Y0 > w.X1-w.X0 {
				tall++
			}
		}
	}
	if long == 0 || tall*2 <= long {
		return 0, false
	}
	down, up := 0, 0
	for i := 1; i < len(p.words); i++ {
		a, b := p.words[i-1], p.words[i]
		if a.Block != b.Block || a.Par != b.Par || a.Line != b.Line {
			continue
		}
		if b.Y0 > a.Y0 {
			down++
		} else if b.Y0 < a.Y0 {
			up++
		}
	}
	switch {
	case down > up:
		return 270, true
	case up > down:
		return 90, true
	}
	return 0, false
}

// score is the number of characters in confident words, weighted by
// their confidence.
func (p *pass) score() float64 {
	s := 0.0
	for _, w := range p.words {
		if w.Conf >= minConf {
			s += float64(utf8.RuneCountInString(w.Text)) * w.Conf / 100
		}
	}
	return s
}

// page finishes a pass: the words kept, the rules, the ink.
func (p *pass) page(dpi float64) *Page {
	kept := p.words[:0:0]
	mh := medianHeight(p.words)
	for _, w := range p.words {
		if !garbage(w) && !(w.Conf < shapeConf && oddShape(w, mh)) {
			kept = append(kept, w)
		}
	}
	rules := textRules(p.rules, kept)
	marks := inkMarks(p.bits, dpi, kept, rules)
	return &Page{
		Width: p.bits.w, Height: p.bits.h, DPI: dpi,
		Rotation: p.rotation, Skew: p.skew,
		Words:      kept,
		Rules:      rules,
		marks:      marks,
		Ink:        mergeInk(marks, dpi),
		Confidence: meanConf(kept),
	}
}

// orientation runs Tesseract's orientation detection (OSD) and returns
// the clockwise turn that makes the page upright and OSD's confidence.
func (e *Engine) orientation(ctx context.Context, g *image.Gray, dpi float64) (int, float64, error) {
	argv := []string{"stdin", "stdout", "--psm", "0", "-l", "osd"}
	if dpi > 0 {
		argv = append(argv, "--dpi", strconv.Itoa(int(dpi+0.5)))
	}
	out, err := e.run(ctx, "tesseract (orientation)", encodePGM(g), argv...)
	if err != nil {
		return 0, 0, err
	}
	return parseOSD(out)
}

// parseOSD reads the "Rotate:" and "Orientation confidence:" lines of
// Tesseract's OSD output.
func parseOSD(b []byte) (int, float64, error) {
	rot, conf := -1, -1.0
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "Rotate":
			n, err := strconv.Atoi(v)
			if err != nil || n%90 != 0 || n < 0 || n >= 360 {
				return 0, 0, fmt.Errorf("tesseract OSD: rotation %q", v)
			}
			rot = n
		case "Orientation confidence":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return 0, 0, fmt.Errorf("tesseract OSD: confidence %q", v)
			}
			conf = f
		}
	}
	if rot < 0 || conf < 0 {
		return 0, 0, fmt.Errorf("tesseract OSD: no orientation in %q", clip(string(b)))
	}
	return rot, conf, nil
}
