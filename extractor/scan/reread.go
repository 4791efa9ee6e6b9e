package scan

import (
	"context"
	"image"
	"image/color"
	"image/draw"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Tesseract's page segmentation leaves out what stands alone far from
// other text: the "0" at the right edge of a budget row whose label is
// at the left, a lone figure in a ruled cell. Those marks come out as
// ink. reread gathers the ink marks that are the size of a letter and
// sit on a line of recognised text, lays them side by side on one
// strip, reads the strip as one line (one more Tesseract run per page,
// only when there are such marks) and keeps what reads as a figure with
// confidence: a word on the line it sits on, no longer ink. Only figures
// are taken back: a budget's cells are where a lost mark changes the
// record, and a piece of a signature must not turn into a word.
const (
	// rereadMinConf is the confidence a re-read figure needs (Tesseract
	// is less sure of one character alone than of a word).
	rereadMinConf = 60
	// rereadZeroConf is the confidence a lone "0" needs: the commonest
	// mark left alone in a budget's grid, and one Tesseract scores low
	// however clear it is.
	rereadZeroConf = 50
	// rereadDark: only pixels darker than this are copied to the strip,
	// so that the grey edge a painted-out rule leaves is not read as "[".
	rereadDark = 160
	// rereadMax bounds the marks re-read on one page.
	rereadMax = 300
)

// rereadFigure is what a re-read mark must read as: a figure, with
// group spaces, a decimal comma or a percent sign, or a row's number
// ("2.").
var rereadFigure = regexp.MustCompile(`^-?[0-9]+([ ,.][0-9]+)*[.%]?$`)

// reread reads the letter-sized ink marks of page again (see above) on
// g, the image the page's words were read from, and moves those that
// read as figures from page.Ink to page.Words.
func (e *Engine) reread(ctx context.Context, g *image.Gray, dpi float64, page *Page) error {
	mh := medianHeight(page.Words)
	if mh == 0 || len(page.marks) == 0 {
		return nil
	}
	type mark struct {
		r    Rect
		line int // index in page.Words of the word whose line it joins
		y    int // where its line is on the strip
		x    int // where it starts on its line
		of   []int
	}
	// The marks of one line closer than half a letter's height are one
	// candidate word ("2" and its "."); marks one above the other are
	// not, however close (the ink's 2 mm join puts "2.", "3.", "4." of
	// a numbered column in one box).
	groups := lineGroups(page.marks, mh/2)
	var marks []mark
	for _, gr := range groups {
		r := gr.r
		h, w := r.Y1-r.Y0, r.X1-r.X0
		if 2*h < mh || 4*h > 5*mh || w > 6*h || len(marks) == rereadMax {
			continue
		}
		// The nearest confident word on the same line, a word of
		// letters before a figure: beside a figure, a figure reads as
		// one word with it.
		best, dist, lettered := -1, 0, false
		for i, wd := range page.Words {
			if wd.Conf < minConf || wd.Block < 0 {
				continue
			}
			if ov := min(r.Y1, wd.Y1) - max(r.Y0, wd.Y0); 2*ov < h {
				continue
			}
			d := max(wd.X0-r.X1, r.X0-wd.X1, 0)
			l := letters(wd.Text) >= 3
			if best < 0 || l && !lettered || l == lettered && d < dist {
				best, dist, lettered = i, d, l
			}
		}
		if best >= 0 {
			marks = append(marks, mark{r: r, line: best, of: gr.of})
		}
	}
	if len(marks) == 0 {
		return nil
	}
	// The strip: the marks one under the other, each on a line of its
	// own with a letter's height of margin, so that each reads as a
	// line of its own (side by side, Tesseract reads "0 0 0" as one
	// unsure word).
	// Each mark is cut out with a third of a letter's height around
	// it: a row number's full stop is too small to be a mark of its
	// own ("2." is the mark "2" and a speck).
	b := g.Bounds()
	crop := func(r Rect) image.Rectangle {
		ex, ey := mh/3, mh/5
		return image.Rect(max(b.Min.X, r.X0-ex), max(b.Min.Y, r.Y0-ey), min(b.Max.X, r.X1+ex), min(b.Max.Y, r.Y1+ey))
	}
	// A scan under 300 dpi is enlarged on the strip: Tesseract misreads
	// a figure alone that is a dozen pixels high ("0" as "[").
	k := 1
	if dpi > 0 && dpi < 250 {
		k = int(300/dpi + 0.5)
	}
	// Each line of the strip starts with the word the mark is beside on
	// the page, cut out too: alone, a figure has no line to be measured
	// against and Tesseract reads a bold "0" as "LU"; after a word it
	// reads it right. The mark is the line's last word.
	ctx0 := func(m mark) image.Rectangle {
		w := page.Words[m.line]
		return image.Rect(w.X0, w.Y0, w.X1, w.Y1).Intersect(b)
	}
	gap := 2 * mh
	wmax, hmax := 0, 0
	for _, m := range marks {
		c, cw := crop(m.r), ctx0(m)
		wmax, hmax = max(wmax, cw.Dx()+gap+c.Dx()), max(hmax, c.Dy(), cw.Dy())
	}
	pitch := hmax + mh
	strip := image.NewGray(image.Rect(0, 0, k*(wmax+2*mh), k*(mh+len(marks)*pitch)))
	draw.Draw(strip, strip.Bounds(), image.White, image.Point{}, draw.Src)
	put := func(c image.Rectangle, x0, y0 int) {
		for y := 0; y < c.Dy(); y++ {
			for x := 0; x < c.Dx(); x++ {
				v := g.GrayAt(c.Min.X+x, c.Min.Y+y).Y
				if v >= rereadDark {
					continue
				}
				for dy := 0; dy < k; dy++ {
					for dx := 0; dx < k; dx++ {
						strip.SetGray(k*(x0+x)+dx, k*(y0+y)+dy, color.Gray{Y: v})
					}
				}
			}
		}
	}
	for i := range marks {
		m := &marks[i]
		m.y = mh + i*pitch
		c, cw := crop(m.r), ctx0(*m)
		// Both sit on the line as on the page: their tops as far apart.
		top := min(c.Min.Y, cw.Min.Y)
		put(cw, mh, m.y+cw.Min.Y-top)
		m.x = mh + cw.Dx() + gap
		put(c, m.x, m.y+c.Min.Y-top)
	}
	argv := []string{"stdin", "stdout", "-l", e.Langs}
	if dpi > 0 {
		argv = append(argv, "--dpi", strconv.Itoa(int(float64(k)*dpi+0.5)))
	}
	out, err := e.run(ctx, "tesseract (re-read)", encodePGM(strip), append(argv, "--psm", "6", "tsv")...)
	if err != nil {
		return err
	}
	words, err := parseTSV(out)
	if err != nil {
		return err
	}
	// A mark's reading is the words after the context word on its
	// line, joined ("500 000" is two words); a word without a digit
	// that Tesseract is unsure of is noise beside it (a "—" at 24).
	read := make([]Word, len(marks))
	for n := range words {
		w := words[n]
		i := ((w.Y0+w.Y1)/(2*k) - mh + mh/2) / pitch
		if i < 0 || i >= len(marks) || w.X1 <= k*(marks[i].x-gap/2) {
			continue // the context word, or nothing
		}
		if !strings.ContainsAny(w.Text, "0123456789") && w.Conf < minConf {
			continue
		}
		if read[i].Text == "" {
			read[i] = w
			continue
		}
		read[i].Text += " " + w.Text
		read[i].Conf = min(read[i].Conf, w.Conf)
	}
	taken := make([]bool, len(page.marks))
	any := false
	for i, m := range marks {
		w := read[i]
		if w.Text == "" || w.Conf < rereadMinConf && !(w.Text == "0" && w.Conf >= rereadZeroConf) {
			continue
		}
		text := w.Text
		if strings.Trim(text, "oO") == "" {
			// A round mark alone on a line of figures: a grey scan's
			// "0" reads as the letter.
			text = strings.Repeat("0", len(text))
		}
		if !rereadFigure.MatchString(text) {
			continue
		}
		on := page.Words[m.line]
		page.Words = append(page.Words, Word{Text: text, Conf: w.Conf,
			X0: m.r.X0, Y0: m.r.Y0, X1: m.r.X1, Y1: m.r.Y1,
			Block: on.Block, Par: on.Par, Line: on.Line})
		for _, k := range m.of {
			taken[k] = true
		}
		any = true
	}
	if any {
		var rest []Rect
		for k, r := range page.marks {
			if !taken[k] {
				rest = append(rest, r)
			}
		}
		page.marks = rest
		page.Ink = mergeInk(rest, dpi)
	}
	return nil
}

// markGroup is marks (indexes into a page's marks) on one line.
type markGroup struct {
	r  Rect
	of []int
}

// lineGroups joins marks that overlap vertically by half the smaller
// one's height and are less than gap apart side by side.
func lineGroups(marks []Rect, gap int) []markGroup {
	gs := make([]markGroup, len(marks))
	for i, r := range marks {
		gs[i] = markGroup{r: r, of: []int{i}}
	}
	for merged := true; merged; {
		merged = false
		for i := 0; i < len(gs); i++ {
			for j := i + 1; j < len(gs); j++ {
				a, c := gs[i].r, gs[j].r
				ov := min(a.Y1, c.Y1) - max(a.Y0, c.Y0)
				if 2*ov < min(a.Y1-a.Y0, c.Y1-c.Y0) || a.X0-gap >= c.X1 || c.X0-gap >= a.X1 {
					continue
				}
				gs[i] = markGroup{r: Rect{min(a.X0, c.X0), min(a.Y0, c.Y0), max(a.X1, c.X1), max(a.Y1, c.Y1)}, of: append(gs[i].of, gs[j].of...)}
				gs = append(gs[:j], gs[j+1:]...)
				merged = true
				j--
			}
		}
	}
	return gs
}

// letters counts the letters in s.
func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
