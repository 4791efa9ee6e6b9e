package pdf

import (
	"math"
	"sort"
	"strings"

	"github.com/finsam/ansokan/extractor"
)

// Tables from lines with several cells, or from a ruled grid.
//
// Columns come from the vertical ruling lines when the table is drawn
// with them; otherwise from the segments' x-intervals across the rows
// (left-aligned text and right-aligned amounts of one column overlap
// somewhere, neighbouring columns do not). Rows come from the horizontal
// rules when present, else one row per line, with wrapped label lines
// folded into the neighbouring row they belong to (see pdfFold).

// pdfRegion is an area ruled by vertical lines.
type pdfRegion struct {
	x0, y0, x1, y1 float64
	xs             []float64 // column boundaries, left to right
}

// pdfRuledRegions finds the page's ruled table areas with at least two
// columns. Rules taller than most of the page (page frames) are ignored.
func pdfRuledRegions(pl *pdfPageLines) []pdfRegion {
	h := pl.box[3] - pl.box[1]
	var vs []pdfRule
	for _, r := range pl.vrules {
		if r.y1-r.y0 > 3 && r.y1-r.y0 < 0.85*h {
			vs = append(vs, r)
		}
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].y1 > vs[j].y1 })
	var regions []pdfRegion
	var cur *pdfRegion
	var xs []float64
	done := func() {
		if cur == nil {
			return
		}
		sort.Float64s(xs)
		for _, x := range xs {
			if len(cur.xs) == 0 || x-cur.xs[len(cur.xs)-1] > 2 {
				cur.xs = append(cur.xs, x)
			}
		}
		if len(cur.xs) >= 3 {
			cur.x0, cur.x1 = cur.xs[0], cur.xs[len(cur.xs)-1]
			regions = append(regions, *cur)
		}
		cur, xs = nil, nil
	}
	for _, r := range vs {
		x := (r.x0 + r.x1) / 2
		if cur != nil && r.y1 >= cur.y0-2 {
			cur.y0 = min(cur.y0, r.y0)
			xs = append(xs, x)
			continue
		}
		done()
		cur = &pdfRegion{y0: r.y0, y1: r.y1}
		xs = []float64{x}
	}
	done()
	return regions
}

// pdfRow is a table row under construction.
type pdfRow struct {
	cells  map[int]*extractor.Cell
	y      float64 // first line's baseline
	yLast  float64 // last line's baseline
	size   float64
	page   int
	merged bool
}

func (r *pdfRow) put(col int, s pdfSeg) {
	c := r.cells[col]
	if c == nil {
		r.cells[col] = &extractor.Cell{Text: s.text, Col: col, Span: 1, X0: s.x0, X1: s.x1}
		return
	}
	if s.x0 >= c.X1-0.5 || r.merged {
		if r.merged {
			c.Text = pdfJoinWrapped(c.Text, s.text)
		} else {
			c.Text += " " + s.text
		}
	} else {
		c.Text = s.text + " " + c.Text
	}
	c.X0, c.X1 = min(c.X0, s.x0), max(c.X1, s.x1)
}

// amounts tells whether the row holds an amount, a percentage or a date
// (not a lone small number such as the "1" of a wrapped "Delinsatsägare 1").
func (r *pdfRow) amounts() bool {
	for _, c := range r.cells {
		if pdfIsAmount(c.Text) {
			return true
		}
	}
	return false
}

// pdfIsAmount tells whether a cell's text is an amount, a percentage or a
// date.
func pdfIsAmount(s string) bool {
	if !pdfNumericRe().MatchString(s) {
		return false
	}
	digits := 0
	for _, ch := range s {
		if ch >= '0' && ch <= '9' {
			digits++
		}
	}
	return digits >= 3 || strings.ContainsAny(s, "%/")
}

// pdfTable builds a table block from its lines (top to bottom).
func pdfTable(pl *pdfPageLines, lines []*pdfLine, reg *pdfRegion) extractor.Block {
	var bounds [][2]float64
	if reg != nil {
		for i := 0; i+1 < len(reg.xs); i++ {
			bounds = append(bounds, [2]float64{reg.xs[i], reg.xs[i+1]})
		}
	} else {
		bounds = pdfColumns(lines)
	}
	colOf := func(s pdfSeg) int {
		best, bestOv := -1, 0.0
		for i, b := range bounds {
			ov := min(s.x1, b[1]) - max(s.x0, b[0])
			if ov > bestOv {
				best, bestOv = i, ov
			}
		}
		if best >= 0 {
			return best
		}
		// No overlap: the nearest column.
		mid := (s.x0 + s.x1) / 2
		bestD := math.Inf(1)
		for i, b := range bounds {
			d := math.Min(math.Abs(mid-b[0]), math.Abs(mid-b[1]))
			if d < bestD {
				best, bestD = i, d
			}
		}
		return max(best, 0)
	}
	// putLine places a line's segments; a segment that spans several
	// columns (a gap narrower than the split threshold) is cut at the
	// word that crosses into the next column.
	putLine := func(r *pdfRow, l *pdfLine) {
		for _, s := range l.segs {
			cols := 0
			for _, b := range bounds {
				if min(s.x1, b[1])-max(s.x0, b[0]) > 1 {
					cols++
				}
			}
			if cols < 2 || len(s.words) < 2 {
				r.put(colOf(s), s)
				continue
			}
			var part pdfSeg
			pc := -1
			for _, w := range s.words {
				c := colOf(pdfSeg{x0: w.x0, x1: w.x1})
				if c != pc && part.text != "" {
					r.put(pc, part)
					part = pdfSeg{}
				}
				if part.text == "" {
					part = pdfSeg{text: w.text, x0: w.x0, x1: w.x1, size: s.size, bold: s.bold}
				} else {
					part.text += " " + w.text
					part.x1 = w.x1
				}
				pc = c
			}
			if part.text != "" {
				r.put(pc, part)
			}
		}
	}
	newRow := func(l *pdfLine) *pdfRow {
		r := &pdfRow{cells: map[int]*extractor.Cell{}, y: l.y, yLast: l.y, size: l.size, page: l.page}
		putLine(r, l)
		return r
	}

	var rows []*pdfRow
	var hys []float64
	if reg != nil {
		hys = pdfRowRules(pl, reg)
	}
	if len(hys) >= 2 {
		rows = pdfGrid(pl, lines, reg, hys)
	}
	if rows != nil {
		// Cells from the grid's boxes.
	} else if len(hys) >= 3 {
		// Bands between horizontal rules.
		band := func(l *pdfLine) int {
			y := l.y + 0.3*l.size
			for k := 0; k+1 < len(hys); k++ {
				if y <= hys[k]+1 && y > hys[k+1]-1 {
					return k
				}
			}
			return -1
		}
		var group []*pdfLine
		gband := -2
		emit := func() {
			if len(group) == 0 {
				return
			}
			multi := 0
			for _, l := range group {
				cols := map[int]bool{}
				for _, s := range l.segs {
					cols[colOf(s)] = true
				}
				if len(cols) >= 2 {
					multi++
				}
			}
			if multi >= 2 || gband < 0 {
				var br []*pdfRow
				for _, l := range group {
					br = append(br, newRow(l))
				}
				rows = append(rows, pdfFold(br)...)
			} else {
				r := newRow(group[0])
				r.merged = true
				for _, l := range group[1:] {
					putLine(r, l)
					r.yLast = l.y
				}
				rows = append(rows, r)
			}
			group = nil
		}
		for _, l := range lines {
			b := band(l)
			if b != gband || b < 0 {
				emit()
				gband = b
			}
			group = append(group, l)
		}
		emit()
	} else {
		for _, l := range lines {
			rows = append(rows, newRow(l))
		}
		if reg == nil {
			bounds = pdfMergeColumns(rows, bounds)
		}
		rows = pdfFold(rows)
	}

	t := &extractor.Table{Columns: len(bounds), Page: pl.num}
	blk := extractor.Block{Kind: extractor.KindTable, Table: t, Page: pl.num, X0: math.Inf(1), X1: math.Inf(-1)}
	for _, r := range rows {
		row := extractor.Row{Page: r.page, Y: r.y}
		for c := 0; c < len(bounds); c++ {
			if cell, ok := r.cells[c]; ok {
				row.Cells = append(row.Cells, *cell)
				blk.X0, blk.X1 = min(blk.X0, cell.X0), max(blk.X1, cell.X1)
				c += max(cell.Span, 1) - 1
			} else {
				row.Cells = append(row.Cells, extractor.Cell{Col: c, Span: 1, X0: bounds[c][0], X1: bounds[c][1]})
			}
		}
		t.Rows = append(t.Rows, row)
	}
	if len(rows) > 0 {
		blk.Y = rows[0].y
	}
	if math.IsInf(blk.X0, 0) {
		blk.X0, blk.X1 = 0, 0
	}
	return blk
}

// pdfMergeColumns joins neighbouring columns that never both hold text
// in one row: a left-aligned header over right-aligned amounts makes two
// column clusters that do not overlap but are one column.
func pdfMergeColumns(rows []*pdfRow, bounds [][2]float64) [][2]float64 {
	for c := 0; c+1 < len(bounds); {
		clash := false
		for _, r := range rows {
			if r.cells[c] != nil && r.cells[c+1] != nil {
				clash = true
				break
			}
		}
		if clash {
			c++
			continue
		}
		bounds[c][1] = bounds[c+1][1]
		bounds = append(bounds[:c+1], bounds[c+2:]...)
		for _, r := range rows {
			cells := map[int]*extractor.Cell{}
			for k, cell := range r.cells {
				if k > c {
					k--
				}
				cell.Col = k
				if old := cells[k]; old != nil {
					old.Text += " " + cell.Text
					old.X0, old.X1 = min(old.X0, cell.X0), max(old.X1, cell.X1)
					continue
				}
				cells[k] = cell
			}
			r.cells = cells
		}
	}
	return bounds
}

// pdfRowRules lists the distinct heights of the horizontal rules across
// a ruled region, top to bottom.
func pdfRowRules(pl *pdfPageLines, reg *pdfRegion) []float64 {
	var ys []float64
	for _, r := range pl.hrules {
		if r.x1 > reg.x0+2 && r.x0 < reg.x1-2 && r.y0 >= reg.y0-2 && r.y1 <= reg.y1+2 {
			ys = append(ys, (r.y0+r.y1)/2)
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(ys)))
	var out []float64
	for _, y := range ys {
		if len(out) == 0 || out[len(out)-1]-y > 2 {
			out = append(out, y)
		}
	}
	return out
}

// pdfColumns clusters the x-intervals of the multi-cell lines' segments
// into columns: a column boundary is where no segment covers x. Segments
// are first cut where two words stand wider apart than a word space
// (about 0.45 em), so that two cells closer than the segment threshold do
// not bridge two columns.
func pdfColumns(lines []*pdfLine) [][2]float64 {
	var iv [][2]float64
	add := func(l *pdfLine) {
		for _, s := range l.segs {
			if len(s.words) == 0 {
				iv = append(iv, [2]float64{s.x0, s.x1})
				continue
			}
			cur := [2]float64{s.words[0].x0, s.words[0].x1}
			for _, w := range s.words[1:] {
				if w.x0-cur[1] > 0.45*s.size {
					iv = append(iv, cur)
					cur = [2]float64{w.x0, w.x1}
					continue
				}
				cur[1] = max(cur[1], w.x1)
			}
			iv = append(iv, cur)
		}
	}
	for _, l := range lines {
		if len(l.segs) >= 2 {
			add(l)
		}
	}
	if len(iv) == 0 {
		for _, l := range lines {
			add(l)
		}
	}
	var pts []float64
	for _, v := range iv {
		pts = append(pts, v[0], v[1])
	}
	sort.Float64s(pts)
	var cols [][2]float64
	open := false
	for i := 0; i+1 < len(pts); i++ {
		a, b := pts[i], pts[i+1]
		if b-a < 1e-6 {
			continue
		}
		mid := (a + b) / 2
		covered := false
		for _, v := range iv {
			if v[0] < mid && mid < v[1] {
				covered = true
				break
			}
		}
		if covered {
			if open {
				cols[len(cols)-1][1] = b
			} else {
				cols = append(cols, [2]float64{a, b})
				open = true
			}
		} else {
			open = false
		}
	}
	if len(cols) == 0 {
		cols = [][2]float64{{pts[0], pts[len(pts)-1]}}
	}
	return cols
}

// pdfFold folds wrapped lines into the row they belong to. A row is a
// continuation when it holds no amount, only columns where a neighbour
// row also has text, and fewer cells than that neighbour, and it is
// close to it (within 1.6 line heights). It goes to the closer of the row
// above and the row below: Writer tables align cells at the top, so a
// wrapped label's further lines sit just below its row; a Calc export
// aligns cells at the bottom, so the label's first lines sit just above
// it. On a tie the row above wins.
func pdfFold(rows []*pdfRow) []*pdfRow {
	for changed := true; changed; {
		changed = false
		for i, r := range rows {
			if r.amounts() {
				continue
			}
			fits := func(n *pdfRow) bool {
				if len(n.cells) <= len(r.cells) {
					return false
				}
				for c := range r.cells {
					if _, ok := n.cells[c]; !ok {
						return false
					}
				}
				return true
			}
			dUp, dDown := math.Inf(1), math.Inf(1)
			if i > 0 && fits(rows[i-1]) {
				dUp = rows[i-1].yLast - r.y
			}
			if i+1 < len(rows) && fits(rows[i+1]) {
				dDown = r.yLast - rows[i+1].y
			}
			lim := 1.6 * r.size
			switch {
			case dUp <= dDown && dUp <= lim:
				n := rows[i-1]
				for c, cell := range r.cells {
					n.cells[c].Text = pdfJoinWrapped(n.cells[c].Text, cell.Text)
					n.cells[c].X0, n.cells[c].X1 = min(n.cells[c].X0, cell.X0), max(n.cells[c].X1, cell.X1)
				}
				n.yLast = r.yLast
			case dDown < dUp && dDown <= lim:
				n := rows[i+1]
				for c, cell := range r.cells {
					n.cells[c].Text = pdfJoinWrapped(cell.Text, n.cells[c].Text)
					n.cells[c].X0, n.cells[c].X1 = min(n.cells[c].X0, cell.X0), max(n.cells[c].X1, cell.X1)
				}
				n.y = r.y
			default:
				continue
			}
			rows = append(rows[:i], rows[i+1:]...)
			changed = true
			break
		}
	}
	return rows
}

// pdfCellTexts is a debugging and test helper: the row's cell texts.
func pdfCellTexts(r extractor.Row) []string {
	out := make([]string, len(r.Cells))
	for i, c := range r.Cells {
		out[i] = strings.TrimSpace(c.Text)
	}
	return out
}
