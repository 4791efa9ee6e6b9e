package normalizer

import (
	"math"
	"strings"

	"github.com/finsam/ansokan/extractor"
)

// The handwritten-signature verdict. On a page read by OCR a signature
// is ink, not text: the OCR engine lists the marks that are neither
// recognised words nor ruling lines (extractor.ScanPage.Ink). A block's
// signature area is where its signature label (Underskrift,
// Namnteckning, a "(namn)" line: the labels sigLabel knows as sigSign
// and sigNameSign) says the signature goes:
//
//   - a label cell beside its value cell (a label/value table, a label
//     column with one column per party): the value's column, between the
//     rows above and below;
//   - a label over its values (a header row with a block per row below):
//     the label's column in the block's row;
//   - a label line or one-column table row: under the label, down to the
//     next label below it (Namnförtydligande, Datum, Befattning…) or at
//     most sigMaxHeight; beside the label when the next label leaves no
//     room under it.
//
// Ink of the page that lies in the area (enough of the mark, not a speck
// grazing its edge) makes the block signed by hand; none makes it
// unsigned; an area that cannot be placed (no label seen, the label not
// found on the page, an area too small to sign in) leaves it undecided.

// Geometry of a signature area, in points.
const (
	sigMaxHeight = 72.0  // how far under its label a signature may go
	sigMaxWidth  = 300.0 // how wide a signature line under a paragraph label is taken to be
	sigAscent    = 9.0   // a line of text's height over its baseline
	sigDescent   = 3.0   // and under it
	sigMinWidth  = 40.0  // an area narrower or lower than these is no place to sign
	sigMinHeight = 10.0
	// The "Underskrift" heading over a whole block places its signature
	// only when it leaves a signature's room under it; a heading right
	// over the block's first label says nothing of where to sign.
	sigHeadingRoom = 24.0
	inkMinArea     = 12.0 // a mark smaller than this (pt²) is a speck
	inkMinShare    = 0.25 // the share of a mark's box that must lie in the area
	inkMinOverW    = 6.0  // and the overlap's least width and height
	inkMinOverH    = 3.0
)

// geoBox is a text of a page with its position: a paragraph, or a table
// cell with its table, row and grid column.
type geoBox struct {
	page   int
	text   string
	x0, x1 float64
	y      float64 // baseline
	t      *extractor.Table
	row    int
}

// pageBoxes lists the document's positioned texts in reading order, as
// layout.Flatten walks them.
func pageBoxes(doc *extractor.Document) []geoBox {
	var out []geoBox
	for i := range doc.Blocks {
		b := &doc.Blocks[i]
		if b.Kind != extractor.KindTable {
			out = append(out, geoBox{page: b.Page, text: b.Text, x0: b.X0, x1: b.X1, y: b.Y, row: -1})
			continue
		}
		t := b.Table
		if t == nil {
			continue
		}
		for r, rw := range t.Rows {
			page := rw.Page
			if page == 0 {
				page = t.Page
			}
			for _, c := range rw.Cells {
				if c.Merged || strings.TrimSpace(c.Text) == "" {
					continue
				}
				out = append(out, geoBox{page: page, text: c.Text, x0: c.X0, x1: c.X1, y: rw.Y, t: t, row: r})
			}
		}
	}
	return out
}

// locate finds the item's box: the same text at the same place, the
// k-th such when k items before it look the same.
func locate(items []item, idx int, boxes []geoBox) (geoBox, bool) {
	it := items[idx]
	same := func(page int, text string, x0, x1 float64) bool {
		return page == it.loc.page && text == it.text && x0 == it.x0 && x1 == it.x1
	}
	k := 0
	for _, o := range items[:idx] {
		if same(o.loc.page, o.text, o.x0, o.x1) {
			k++
		}
	}
	for _, b := range boxes {
		if same(b.page, b.text, b.x0, b.x1) {
			if k == 0 {
				return b, true
			}
			k--
		}
	}
	return geoBox{}, false
}

// handwritten decides whether the block's signature area on a page read
// by OCR carries ink; nil when the block has no signature label, its
// page was not read by OCR, or the area cannot be placed.
func handwritten(f *form, boxes []geoBox, b sigBlock) (*bool, int) {
	if b.sign.at == 0 || b.sign.at > len(f.items) {
		return nil, 0
	}
	it := f.items[b.sign.at-1]
	page := it.loc.page
	sp := scanOf(f.doc, page)
	if sp == nil {
		return nil, 0
	}
	area, ok := signArea(f.items, boxes, b.sign, sp)
	if !ok {
		return nil, page
	}
	return ptr(inkIn(area, sp.Ink)), page
}

// scanOf is the page's OCR reading, nil when it was not read by OCR.
func scanOf(d *extractor.Document, page int) *extractor.ScanPage {
	for i := range d.Scans {
		if d.Scans[i].Page == page && d.Scans[i].Err == "" {
			return &d.Scans[i]
		}
	}
	return nil
}

// signArea places the signature area of a block (see above).
func signArea(items []item, boxes []geoBox, ref signRef, sp *extractor.ScanPage) (extractor.Box, bool) {
	L, ok := locate(items, ref.at-1, boxes)
	if !ok || L.x1 <= L.x0 || L.y <= 0 {
		return extractor.Box{}, false
	}
	width := sp.Width
	if width <= 0 {
		width = 595 // A4
	}
	var a extractor.Box
	switch {
	case L.t != nil && ref.col >= 0 && ref.row >= 0 && ref.row < len(L.t.Rows):
		a.X0, a.X1 = colBand(L.t, ref.col, width)
		a.Y0, a.Y1 = rowBand(L.t, ref.row)
	default:
		if strings.Contains(strings.TrimSpace(L.text), "\n") {
			return extractor.Box{}, false // the label is one line of several: its height is not known
		}
		var x0, x1 float64
		if L.t != nil {
			x0, x1 = colBand(L.t, cellCol(L), width)
		} else {
			x0, x1 = L.x0-6, min(L.x0+sigMaxWidth, width-18)
			for _, o := range boxes {
				if o.page == L.page && math.Abs(o.y-L.y) < 4 && o.x0 > L.x1 {
					x1 = min(x1, o.x0-2) // the next column's text on the label's line
				}
			}
		}
		top, bottom := L.y-sigDescent, L.y-sigMaxHeight
		for _, o := range boxes {
			if o.page != L.page || o.y >= L.y-sigDescent || o.y+sigAscent <= bottom || o.x1 <= x0 || o.x0 >= x1 {
				continue
			}
			if _, _, _, ok := sigLabel(firstLine(o.text)); ok {
				bottom = o.y + sigAscent // the next label
			}
		}
		a = extractor.Box{X0: x0, Y0: bottom, X1: x1, Y1: top}
		if top-bottom < sigMinHeight+2*sigDescent {
			// No room under the label: the signature goes beside it.
			a = extractor.Box{X0: L.x1 + 4, Y0: L.y - 2*sigDescent, X1: max(x1, L.x1+sigMaxWidth/2), Y1: L.y + sigAscent + 2*sigDescent}
		}
	}
	if a.X1-a.X0 < sigMinWidth || a.Y1-a.Y0 < sigMinHeight || ref.heading && a.Y1-a.Y0 < sigHeadingRoom {
		return extractor.Box{}, false
	}
	return a, true
}

// cellCol is the grid column of a cell's box.
func cellCol(b geoBox) int {
	for _, c := range b.t.Rows[b.row].Cells {
		if c.X0 == b.x0 && c.X1 == b.x1 && c.Text == b.text {
			return c.Col
		}
	}
	return 0
}

// colBand is the horizontal extent of grid column c: from the text of
// the columns left of it to the text of those right of it.
func colBand(t *extractor.Table, c int, width float64) (float64, float64) {
	left, right := math.Inf(-1), math.Inf(1)
	own0, own1 := math.Inf(1), math.Inf(-1)
	for _, rw := range t.Rows {
		for _, cell := range rw.Cells {
			if cell.Merged || cell.X1 <= cell.X0 || strings.TrimSpace(cell.Text) == "" {
				continue
			}
			switch span := max(cell.Span, 1); {
			case cell.Col+span <= c:
				left = max(left, cell.X1)
			case cell.Col > c:
				right = min(right, cell.X0)
			case cell.Col == c && span == 1:
				own0, own1 = min(own0, cell.X0), max(own1, cell.X1)
			}
		}
	}
	x0 := left + 2
	if math.IsInf(left, -1) {
		x0 = 36.0 // the page's margin
		if !math.IsInf(own0, 1) {
			x0 = own0 - 6
		}
	}
	x1 := right - 2
	if math.IsInf(right, 1) {
		x1 = min(max(own1, x0+sigMaxWidth*2/3), width-18)
	}
	return x0, x1
}

// rowBand is the vertical extent of row r: from the row above's text to
// the row below's, at most a signature's height around the row's line.
func rowBand(t *extractor.Table, r int) (float64, float64) {
	rw := t.Rows[r]
	bottom, top := rw.Y-sigMaxHeight/3, rw.Y+sigMaxHeight/3
	if r > 0 && t.Rows[r-1].Page == rw.Page && t.Rows[r-1].Y > rw.Y {
		top = min(top, t.Rows[r-1].Y-sigDescent)
	}
	if r+1 < len(t.Rows) && t.Rows[r+1].Page == rw.Page && t.Rows[r+1].Y < rw.Y {
		bottom = max(bottom, t.Rows[r+1].Y+sigAscent)
	}
	return bottom, top
}

// inkIn tells whether a mark lies in the area: enough of it (a share of
// its box, with some width and height), and not a speck.
func inkIn(a extractor.Box, ink []extractor.Box) bool {
	for _, b := range ink {
		w, h := b.X1-b.X0, b.Y1-b.Y0
		if w*h < inkMinArea {
			continue
		}
		ow := min(a.X1, b.X1) - max(a.X0, b.X0)
		oh := min(a.Y1, b.Y1) - max(a.Y0, b.Y0)
		if ow >= inkMinOverW && oh >= inkMinOverH && ow*oh >= inkMinShare*w*h {
			return true
		}
	}
	return false
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
