package scan

// Check boxes. A form's ☐ and ☒ print as small square outlines, which
// Tesseract reads as "O", "CO" or "Oo", or drops. They are found in the
// page image before OCR: a connected mark the size of a check box
// (boxMinMM to boxMaxMM), about square, whose four sides are drawn
// along (at least boxSide of each side's pixels are ink) and whose four
// corners are ink (a letter O has empty corners). The interior says
// the state: more than boxChecked of its pixels ink is a cross, a tick
// or a fill. Each box becomes a word ☒ or ☐ of confidence 100, and is
// painted white in the image Tesseract reads.
const (
	boxMinMM   = 2.5
	boxMaxMM   = 7.0
	boxSquare  = 0.2  // |width − height| at most this share of the longer side
	boxSide    = 0.8  // share of a side's pixels that are ink
	boxChecked = 0.06 // share of the interior's pixels that are ink for a checked box
)

const (
	boxOn  = "☒"
	boxOff = "☐"
)

// findBoxes returns the check boxes on a binarised page as words, top to
// bottom, each on a Tesseract line of its own (Block −1).
func findBoxes(b *bitmap, dpi float64) []Word {
	if dpi <= 0 {
		dpi = 300
	}
	minPx := int(boxMinMM * dpi / 25.4)
	maxPx := int(boxMaxMM*dpi/25.4 + 0.5)
	seen := make([]bool, len(b.ink))
	var words []Word
	stack := make([]int, 0, 256)
	for i, on := range b.ink {
		if !on || seen[i] {
			continue
		}
		r := Rect{X0: b.w, Y0: b.h}
		seen[i] = true
		stack = append(stack[:0], i)
		big := false
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%b.w, p/b.w
			r.X0, r.Y0, r.X1, r.Y1 = min(r.X0, x), min(r.Y0, y), max(r.X1, x+1), max(r.Y1, y+1)
			if r.X1-r.X0 > maxPx || r.Y1-r.Y0 > maxPx {
				big = true // keep filling, so the component is seen once
			}
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= b.w || ny >= b.h {
						continue
					}
					if q := ny*b.w + nx; b.ink[q] && !seen[q] {
						seen[q] = true
						stack = append(stack, q)
					}
				}
			}
		}
		if big {
			continue
		}
		if text, ok := boxState(b, r, minPx, dpi); ok {
			words = append(words, Word{Text: text, Conf: 100, X0: r.X0, Y0: r.Y0, X1: r.X1, Y1: r.Y1, Block: -1, Par: 1, Line: len(words) + 1})
		}
	}
	return words
}

// boxState tells whether the mark in r is a check box, and its state.
func boxState(b *bitmap, r Rect, minPx int, dpi float64) (string, bool) {
	w, h := r.X1-r.X0, r.Y1-r.Y0
	if w < minPx || h < minPx || float64(abs(w-h)) > boxSquare*float64(max(w, h)) {
		return "", false
	}
	t := max(1, int(dpi*0.3/25.4+0.5)) // how far in from the edge a side may be drawn
	side := func(x0, y0, dx, dy, n int, inX, inY int) bool {
		ink := 0
		for i := 0; i < n; i++ {
			x, y := x0+i*dx, y0+i*dy
			for k := 0; k < t; k++ {
				if b.at(x+k*inX, y+k*inY) {
					ink++
					break
				}
			}
		}
		return float64(ink) >= boxSide*float64(n)
	}
	if !side(r.X0, r.Y0, 1, 0, w, 0, 1) || !side(r.X0, r.Y1-1, 1, 0, w, 0, -1) ||
		!side(r.X0, r.Y0, 0, 1, h, 1, 0) || !side(r.X1-1, r.Y0, 0, 1, h, -1, 0) {
		return "", false
	}
	corner := func(x0, y0 int) bool {
		for y := y0; y < y0+t+1; y++ {
			for x := x0; x < x0+t+1; x++ {
				if b.at(x, y) {
					return true
				}
			}
		}
		return false
	}
	if !corner(r.X0, r.Y0) || !corner(r.X1-t-1, r.Y0) || !corner(r.X0, r.Y1-t-1) || !corner(r.X1-t-1, r.Y1-t-1) {
		return "", false
	}
	in := 2 * t
	ink, n := 0, 0
	for y := r.Y0 + in; y < r.Y1-in; y++ {
		for x := r.X0 + in; x < r.X1-in; x++ {
			n++
			if b.at(x, y) {
				ink++
			}
		}
	}
	if n > 0 && float64(ink) > boxChecked*float64(n) {
		return boxOn, true
	}
	return boxOff, true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
