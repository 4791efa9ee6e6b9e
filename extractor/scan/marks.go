package scan

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// bitmap is a binarised page: true is ink.
type bitmap struct {
	w, h int
	ink  []bool
}

func (b *bitmap) at(x, y int) bool { return b.ink[y*b.w+x] }

// findRules returns the ruling lines of a binarised upright page, the
// horizontal ones first, each kind top to bottom and left to right: dark
// runs at least minLen long (1/3 inch) and at most thick thick (1 mm),
// horizontal and vertical. A one-pixel gap (a scanner's dropout) does
// not break a run. A shorter vertical run (down to 1/12 inch) is a rule
// too when both its ends meet a horizontal rule an inch long or more: the sides of a table
// row ruled on its own, as spreadsheets print, are one row high. A
// letter's stem never reaches from one rule to the next.
func findRules(b *bitmap, dpi float64) []Rect {
	minLen := max(10, int(dpi/3))
	minSide := max(6, int(dpi/12))
	thick := max(2, int(dpi/25.4+0.5))
	const gap = 1
	// Horizontal runs, row by row, then vertical ones, column by
	// column, each stacked into rectangles.
	h := inkRuns(b.h, b.w, func(y, x int) bool { return b.at(x, y) }, minLen, gap)
	rules := stack(len(h), func(i int) (int, int, int) { return h[i].a0, h[i].a1, h[i].line }, thick, false)
	// The rules a row's side meets run across a table: an inch or
	// more. A bold serif face's baseline makes shorter runs, and its
	// stems would meet them.
	var across []Rect
	for _, r := range rules {
		if r.X1-r.X0 >= int(dpi) {
			across = append(across, r)
		}
	}
	meets := func(x, y int) bool {
		tol := max(2, thick/2)
		for _, r := range across {
			if x >= r.X0-tol && x < r.X1+tol && y >= r.Y0-tol && y < r.Y1+tol {
				return true
			}
		}
		return false
	}
	v := inkRuns(b.w, b.h, func(x, y int) bool { return b.at(x, y) }, minSide, gap)
	k := 0
	for _, r := range v {
		if r.a1-r.a0 >= minLen || meets(r.line, r.a0) && meets(r.line, r.a1-1) {
			v[k] = r
			k++
		}
	}
	v = v[:k]
	return append(rules, stack(len(v), func(i int) (int, int, int) { return v[i].a0, v[i].a1, v[i].line }, thick, true)...)
}

// inkRun is a run of ink along one line (a row or a column): from a0
// to a1 (exclusive) on line.
type inkRun struct{ a0, a1, line int }

// inkRuns finds, on each of n lines of length m, the runs of ink at
// least minLen long, bridging gaps of up to gap pixels; at(line, pos)
// tells whether a pixel is ink.
func inkRuns(n, m int, at func(line, pos int) bool, minLen, gap int) []inkRun {
	var runs []inkRun
	for l := 0; l < n; l++ {
		start, last := -1, -1
		for p := 0; p <= m; p++ {
			if p < m && at(l, p) {
				if start < 0 || p-last > gap+1 {
					if start >= 0 && last-start+1 >= minLen {
						runs = append(runs, inkRun{start, last + 1, l})
					}
					start = p
				}
				last = p
			}
		}
		if start >= 0 && last-start+1 >= minLen {
			runs = append(runs, inkRun{start, last + 1, l})
		}
	}
	return runs
}

// stack joins runs on neighbouring rows (columns when vertical) that
// overlap into rectangles, and keeps the thin ones. Runs come ordered by
// row.
func stack(n int, run func(int) (a0, a1, row int), thick int, vertical bool) []Rect {
	type open struct {
		a0, a1, r0, r1 int
	}
	var done, cur []open
	for i := 0; i < n; i++ {
		a0, a1, r := run(i)
		joined := false
		for j := range cur {
			c := &cur[j]
			if c.r1 >= r-1 && a0 < c.a1 && a1 > c.a0 {
				c.a0, c.a1, c.r1 = min(c.a0, a0), max(c.a1, a1), r
				joined = true
				break
			}
		}
		if !joined {
			cur = append(cur, open{a0, a1, r, r})
		}
		// Close what the scan has left behind.
		k := 0
		for _, c := range cur {
			if c.r1 < r-1 {
				done = append(done, c)
			} else {
				cur[k] = c
				k++
			}
		}
		cur = cur[:k]
	}
	done = append(done, cur...)
	var out []Rect
	for _, c := range done {
		if c.r1-c.r0+1 > thick {
			continue // a filled area or a bold letter, not a line
		}
		if vertical {
			out = append(out, Rect{c.r0, c.a0, c.r1 + 1, c.a1})
		} else {
			out = append(out, Rect{c.a0, c.r0, c.a1, c.r1 + 1})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Y0 != out[j].Y0 {
			return out[i].Y0 < out[j].Y0
		}
		return out[i].X0 < out[j].X0
	})
	return out
}

// Word filtering: a word under minConf whose text is mostly not letters
// or digits is a guess at marks that are not print (a signature read as
// "~/;"): it leaves Words, and its pixels stay ink.
const minConf = 40

func garbage(w Word) bool {
	if leader(w.Text) || framedFigure(w.Text) {
		return true
	}
	if w.Conf >= minConf {
		return false
	}
	alnum, n := 0, 0
	for _, r := range w.Text {
		n++
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			alnum++
		}
	}
	return alnum < 2 || alnum*2 < n
}

// framedFigure tells whether OCR read a figure alone in a ruled cell
// with brackets or bars it made up: "[0]", "[1" (a "0"), "0|". Such a
// word leaves Words; its marks stay ink and are read again with a
// word beside them (reread), which reads them right.
func framedFigure(s string) bool {
	if utf8.RuneCountInString(s) > 12 || !strings.ContainsAny(s, "[]|") {
		return false
	}
	rest := strings.Trim(s, "[]|")
	return strings.Trim(rest, "0123456789oO ,.") == "" && !strings.ContainsAny(rest, "[]|")
}

// Shapes: a word under shapeConf whose letters would be more than
// oddWidth times as wide as the word is tall, or which stands more than
// oddHeight times the page's median word height, is a stroke Tesseract
// made letters of (a signature across an erased line read as "SN" at 47):
// it leaves Words, and its pixels stay ink.
const (
	shapeConf = 70
	oddWidth  = 2.0
	oddHeight = 2.0
)

func oddShape(w Word, medianH int) bool {
	h := w.Y1 - w.Y0
	n := utf8.RuneCountInString(w.Text)
	if h <= 0 || n == 0 {
		return false
	}
	if float64(w.X1-w.X0)/float64(n) > oddWidth*float64(h) {
		return true
	}
	return medianH > 0 && float64(h) > oddHeight*float64(medianH)
}

// medianHeight is the median height of the confident words' boxes (0
// when there are none).
func medianHeight(words []Word) int {
	var hs []int
	for _, w := range words {
		if w.Conf >= minConf && w.Block >= 0 {
			hs = append(hs, w.Y1-w.Y0)
		}
	}
	if len(hs) == 0 {
		return 0
	}
	sort.Ints(hs)
	return hs[len(hs)/2]
}

// inkTextConf: a word kept (not garbage) at this confidence or more is
// print, even when under minConf: its pixels are not ink. Printed words
// Tesseract is unsure of ("eva.indqvist&Qmora.se" at 150 dpi) otherwise
// read as handwriting on an unsigned block.
const inkTextConf = 30

// textish tells whether a kept word's pixels are print, not ink: a
// confident word, or one of inkTextConf or more that is mostly letters
// and digits.
func textish(w Word) bool {
	if w.Conf >= minConf {
		return true
	}
	if w.Conf < inkTextConf {
		return false
	}
	alnum, n := 0, 0
	for _, r := range w.Text {
		n++
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			alnum++
		}
	}
	return alnum >= 3 && alnum*4 >= 3*n
}

// leader says whether a "word" is a typed line: underscores, dashes or
// dots ("________", "......"), which the rules and the ink account for.
func leader(s string) bool {
	n := 0
	for _, r := range s {
		if !strings.ContainsRune("_-–—.…", r) {
			return false
		}
		n++
	}
	return n >= 3
}

// textRules drops the "rules" that are part of a confident word's
// letters: a horizontal run that lies for the most part inside a word's
// box (a bold or blurred baseline), and a vertical run no taller than
// twice the word that stands inside its box, not at its edge (the "("
// of a word in a row printed so tight that it touches both rules).
func textRules(rules []Rect, words []Word) []Rect {
	var out []Rect
rules:
	for _, r := range rules {
		if r.Y1-r.Y0 > r.X1-r.X0 {
			for _, w := range words {
				h := w.Y1 - w.Y0
				if w.Conf >= minConf && r.X0 > w.X0 && r.X1 < w.X1 && r.Y1-r.Y0 <= 2*h &&
					2*(min(r.Y1, w.Y1)-max(r.Y0, w.Y0)) >= h {
					continue rules
				}
			}
		}
		covered := 0
		for _, w := range words {
			if w.Conf < minConf || r.Y0 < w.Y0-1 || r.Y1 > w.Y1+1 {
				continue
			}
			covered += max(0, min(r.X1, w.X1+1)-max(r.X0, w.X0-1))
		}
		if vertical := r.Y1-r.Y0 > r.X1-r.X0; vertical || covered*2 < r.X1-r.X0 {
			out = append(out, r)
		}
	}
	return out
}

// mergeInk returns the ink boxes of a page from its marks (inkMarks):
// marks closer than inkJoin merged into one box. marks is not changed.
func mergeInk(marks []Rect, dpi float64) []Rect {
	return mergeBoxes(append([]Rect(nil), marks...), inkJoin(dpi))
}

// inkJoin is the distance under which ink marks are one (2 mm).
func inkJoin(dpi float64) int { return max(3, int(dpi*2/25.4+0.5)) }

// inkMarks returns the dark marks that are neither in a confident
// word's box nor on a ruling line: connected components (8-neighbours)
// of at least minSize (0.5 mm) across, not merged (mergeInk merges them).
func inkMarks(b *bitmap, dpi float64, words []Word, rules []Rect) []Rect {
	mask := make([]bool, len(b.ink))
	copy(mask, b.ink)
	clear := func(r Rect, pad int) {
		for y := max(0, r.Y0-pad); y < min(b.h, r.Y1+pad); y++ {
			for x := max(0, r.X0-pad); x < min(b.w, r.X1+pad); x++ {
				mask[y*b.w+x] = false
			}
		}
	}
	for _, w := range words {
		if textish(w) {
			clear(Rect{w.X0, w.Y0, w.X1, w.Y1}, 1)
		}
	}
	for _, r := range rules {
		clear(r, 1)
	}
	minSize := max(2, int(dpi*0.5/25.4+0.5))
	var boxes []Rect
	stackXY := make([]int, 0, 1024)
	for i, on := range mask {
		if !on {
			continue
		}
		// Flood fill the component from i.
		r := Rect{X0: b.w, Y0: b.h}
		mask[i] = false
		stackXY = append(stackXY[:0], i)
		for len(stackXY) > 0 {
			p := stackXY[len(stackXY)-1]
			stackXY = stackXY[:len(stackXY)-1]
			x, y := p%b.w, p/b.w
			r.X0, r.Y0, r.X1, r.Y1 = min(r.X0, x), min(r.Y0, y), max(r.X1, x+1), max(r.Y1, y+1)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= b.w || ny >= b.h {
						continue
					}
					if q := ny*b.w + nx; mask[q] {
						mask[q] = false
						stackXY = append(stackXY, q)
					}
				}
			}
		}
		if r.X1-r.X0 < minSize && r.Y1-r.Y0 < minSize {
			continue // speckle
		}
		boxes = append(boxes, r)
	}
	return boxes
}

// mergeBoxes joins boxes closer than gap until none are.
func mergeBoxes(boxes []Rect, gap int) []Rect {
	for merged := true; merged; {
		merged = false
		for i := 0; i < len(boxes); i++ {
			for j := i + 1; j < len(boxes); j++ {
				a, c := boxes[i], boxes[j]
				if a.X0-gap < c.X1 && c.X0-gap < a.X1 && a.Y0-gap < c.Y1 && c.Y0-gap < a.Y1 {
					boxes[i] = Rect{min(a.X0, c.X0), min(a.Y0, c.Y0), max(a.X1, c.X1), max(a.Y1, c.Y1)}
					boxes = append(boxes[:j], boxes[j+1:]...)
					merged = true
					j--
				}
			}
		}
	}
	sort.Slice(boxes, func(i, j int) bool {
		if boxes[i].Y0 != boxes[j].Y0 {
			return boxes[i].Y0 < boxes[j].Y0
		}
		return boxes[i].X0 < boxes[j].X0
	})
	return boxes
}
