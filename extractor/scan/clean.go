package scan

import "image"

// Cleaning the image Tesseract reads. Two things on form scans make
// Tesseract read what is not there: table borders, read as "|" or "—"
// and glued to the words beside them, and the halftone of shaded cells
// (a black-and-white scan prints the grey as scattered dots), which
// hides the label printed on it. Both are painted white in a copy of
// the page given to Tesseract; the ruling lines stay in Page.Rules for
// the table builder, and the ink is still looked for on the page as
// scanned.
const (
	// speckleDPI: speckle is removed from pages read at this resolution
	// or more; below it a stroke may be one pixel wide.
	speckleDPI = 250
	// speckleMax: an ink pixel with at most this many ink pixels in its
	// 3×3 neighbourhood (itself included) is speckle. A stroke two
	// pixels wide has at least four.
	speckleMax = 3
	// rulePad: pixels painted white around a ruling line, for its
	// anti-aliased edge.
	rulePad = 1
)

// cleanForOCR returns a copy of g with the ruling lines, the check
// boxes (findBoxes) and, at
// speckleDPI or more, the halftone speckle painted white. b is g
// binarised.
func cleanForOCR(g *image.Gray, b *bitmap, rules []Rect, boxes []Word, dpi float64) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, b.w, b.h))
	for y := 0; y < b.h; y++ {
		copy(out.Pix[y*out.Stride:y*out.Stride+b.w], g.Pix[y*g.Stride:y*g.Stride+b.w])
	}
	if dpi >= speckleDPI {
		for y := 0; y < b.h; y++ {
			for x := 0; x < b.w; x++ {
				if b.at(x, y) && neighbours(b, x, y) <= speckleMax {
					out.Pix[y*out.Stride+x] = 255
				}
			}
		}
	}
	for _, w := range boxes {
		paint(out, b, Rect{w.X0, w.Y0, w.X1, w.Y1}, rulePad)
	}
	for _, r := range rules {
		paint(out, b, r, rulePad)
	}
	return out
}

// paint paints r and pad pixels around it with the paper beside it:
// along a line, each cross-section gets the lighter of the two pixels
// just outside it. White on a grey-shaded cell would leave a light
// frame that Tesseract reads as "[" and "]" around a figure. g is the
// image before painting.
func paint(out *image.Gray, b *bitmap, r Rect, pad int) {
	x0, y0 := max(0, r.X0-pad), max(0, r.Y0-pad)
	x1, y1 := min(b.w, r.X1+pad), min(b.h, r.Y1+pad)
	if x0 >= x1 || y0 >= y1 {
		return
	}
	at := func(x, y int) uint8 {
		if x < 0 || y < 0 || x >= b.w || y >= b.h {
			return 255
		}
		return out.Pix[y*out.Stride+x]
	}
	if x1-x0 >= y1-y0 { // horizontal: fill each column
		for x := x0; x < x1; x++ {
			v := max(at(x, y0-1), at(x, y1))
			for y := y0; y < y1; y++ {
				out.Pix[y*out.Stride+x] = v
			}
		}
		return
	}
	for y := y0; y < y1; y++ { // vertical: fill each row
		v := max(at(x0-1, y), at(x1, y))
		for x := x0; x < x1; x++ {
			out.Pix[y*out.Stride+x] = v
		}
	}
}

// neighbours counts the ink pixels in the 3×3 square around (x, y).
func neighbours(b *bitmap, x, y int) int {
	n := 0
	for yy := max(0, y-1); yy <= min(b.h-1, y+1); yy++ {
		for xx := max(0, x-1); xx <= min(b.w-1, x+1); xx++ {
			if b.ink[yy*b.w+xx] {
				n++
			}
		}
	}
	return n
}
