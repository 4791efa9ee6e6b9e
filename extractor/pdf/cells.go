package pdf

import (
	"math"
	"sort"
	"strings"

	"github.com/finsam/ansokan/extractor"
)

// Cells from geometry. In a ruled table every cell is a box: the grid
// columns between the vertical rules and the bands between the
// horizontal rules, boxes joined where the rule between them is missing
// (a cell spanning columns, or rows). Every word inside a cell's box
// belongs to that cell, whatever the number of its lines: a header whose
// party names run over two or three lines is read whole, and a word
// broken at the cell's edge stays within its cell (the lines are joined
// with pdfJoinWrapped; whether the space between two pieces goes is for
// the normalizer, which knows the vocabulary).

// pdfGridCell is one cell of a ruled grid: rows r0..r1 (bands) and
// columns c0..c1, inclusive.
type pdfGridCell struct {
	r0, r1, c0, c1 int
	lines          map[*pdfLine][]pdfWord
	order          []*pdfLine
}

// pdfGrid builds a ruled table's rows from its boxes. It returns nil
// when the rules do not make a grid the lines fit (fewer than two bands,
// or a box holding two lines with amounts: a rule is missing between
// two data rows, and the line-based builder is the better reading).
func pdfGrid(pl *pdfPageLines, lines []*pdfLine, reg *pdfRegion, ys []float64) []*pdfRow {
	xs := reg.xs
	nr, nc := len(ys)-1, len(xs)-1
	if nr < 1 || nc < 1 {
		return nil
	}
	// hasH[k][c]: a rule at ys[k] across column c; hasV[k][i]: a rule at
	// xs[i] down band k.
	hasH := make([][]bool, len(ys))
	for k, y := range ys {
		hasH[k] = make([]bool, nc)
		for c := 0; c < nc; c++ {
			mid := (xs[c] + xs[c+1]) / 2
			for _, r := range pl.hrules {
				if math.Abs((r.y0+r.y1)/2-y) <= 2 && r.x0 <= mid && r.x1 >= mid {
					hasH[k][c] = true
					break
				}
			}
		}
	}
	hasV := make([][]bool, nr)
	for k := 0; k < nr; k++ {
		hasV[k] = make([]bool, len(xs))
		mid := (ys[k] + ys[k+1]) / 2
		for i, x := range xs {
			for _, r := range pl.vrules {
				if math.Abs((r.x0+r.x1)/2-x) <= 2 && r.y0 <= mid && r.y1 >= mid {
					hasV[k][i] = true
					break
				}
			}
		}
	}
	// Join boxes into cells (union–find over band × column).
	parent := make([]int, nr*nc)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		if ra, rb := find(a), find(b); ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	for k := 0; k < nr; k++ {
		for c := 0; c < nc; c++ {
			if c+1 < nc && !hasV[k][c+1] {
				union(k*nc+c, k*nc+c+1)
			}
			if k+1 < nr && !hasH[k+1][c] {
				union(k*nc+c, (k+1)*nc+c)
			}
		}
	}
	cells := map[int]*pdfGridCell{}
	for k := 0; k < nr; k++ {
		for c := 0; c < nc; c++ {
			root := find(k*nc + c)
			gc := cells[root]
			if gc == nil {
				gc = &pdfGridCell{r0: k, r1: k, c0: c, c1: c, lines: map[*pdfLine][]pdfWord{}}
				cells[root] = gc
			}
			gc.r0, gc.r1 = min(gc.r0, k), max(gc.r1, k)
			gc.c0, gc.c1 = min(gc.c0, c), max(gc.c1, c)
		}
	}
	boxOf := func(x, y float64) *pdfGridCell {
		k := -1
		for i := 0; i < nr; i++ {
			if y <= ys[i]+1 && y > ys[i+1]-1 {
				k = i
				break
			}
		}
		if k < 0 {
			return nil
		}
		c := -1
		for i := 0; i < nc; i++ {
			if x >= xs[i]-1 && x < xs[i+1]+1 {
				c = i
				break
			}
		}
		if c < 0 {
			return nil
		}
		return cells[find(k*nc+c)]
	}
	// Place every word; lines outside the grid's bands are left out.
	var outside []*pdfLine
	for _, l := range lines {
		y := l.y + 0.3*l.size
		placed := false
		for _, s := range l.segs {
			ws := s.words
			if len(ws) == 0 {
				ws = []pdfWord{{text: s.text, x0: s.x0, x1: s.x1}}
			}
			for _, w := range ws {
				gc := boxOf((w.x0+w.x1)/2, y)
				if gc == nil {
					continue
				}
				if _, ok := gc.lines[l]; !ok {
					gc.order = append(gc.order, l)
				}
				gc.lines[l] = append(gc.lines[l], w)
				placed = true
			}
		}
		if !placed {
			outside = append(outside, l)
		}
	}
	if len(outside) > 0 {
		return nil
	}
	rows := make([]*pdfRow, nr)
	for _, gc := range cells {
		if len(gc.order) == 0 {
			continue
		}
		amounts := 0
		var text string
		x0, x1 := math.Inf(1), math.Inf(-1)
		for _, l := range gc.order {
			ws := gc.lines[l]
			parts := make([]string, len(ws))
			for i, w := range ws {
				parts[i] = w.text
				x0, x1 = min(x0, w.x0), max(x1, w.x1)
			}
			t := strings.Join(parts, " ")
			if pdfIsAmount(t) {
				amounts++
			}
			text = pdfJoinWrapped(text, t)
		}
		if amounts >= 2 {
			return nil
		}
		r := rows[gc.r0]
		if r == nil {
			l := gc.order[0]
			r = &pdfRow{cells: map[int]*extractor.Cell{}, y: l.y, yLast: l.y, size: l.size, page: l.page}
			rows[gc.r0] = r
		}
		r.y = max(r.y, gc.order[0].y)
		r.yLast = min(r.yLast, gc.order[len(gc.order)-1].y)
		r.cells[gc.c0] = &extractor.Cell{Text: text, Col: gc.c0, Span: gc.c1 - gc.c0 + 1, X0: x0, X1: x1}
	}
	var out []*pdfRow
	for _, r := range rows {
		if r != nil {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].y > out[j].y })
	return out
}
