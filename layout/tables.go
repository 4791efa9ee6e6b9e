package layout

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Shape is the structure of a table, read from where its cells stand and
// what kind of text they hold (a short label, a date, an e-mail address,
// a number, a tick box), never from their words.
type Shape string

const (
	// ShapeUnknown: none of the shapes below (a one-column table of
	// labels over values, a table of sentences).
	ShapeUnknown Shape = "unknown"
	// ShapeSingleCell: one filled cell.
	ShapeSingleCell Shape = "single_cell"
	// ShapeLabelValue: two columns, a label and its value on each row
	// (a row may hold only its label, the top row may be a caption
	// spanning the table).
	ShapeLabelValue Shape = "label_value"
	// ShapeLabelColumns: a label column and N value columns, one per
	// party, usually under a header row that names them; a row holds one
	// kind of value.
	ShapeLabelColumns Shape = "label_columns"
	// ShapeHeaderRows: a header row over N data rows, one per party; a
	// column holds one kind of value.
	ShapeHeaderRows Shape = "header_rows"
	// ShapeSideBySide: N blocks next to each other, each read down its
	// column: a row repeats the same label in every column, or a single
	// row's cells each hold a block of paragraphs.
	ShapeSideBySide Shape = "side_by_side"
)

// Grid is one table of the items, its filled cells by row and grid
// column, with the shape its structure has.
type Grid struct {
	Table int // the items' table number
	Shape Shape
	// Caption is the row index of a one-cell caption row spanning the
	// table above the rest, or -1.
	Caption int
	// Header is the row index of the header row (ShapeHeaderRows, and
	// ShapeLabelColumns when the value columns are named), or -1.
	Header int
	// LabelCol is the grid column of the labels (ShapeLabelValue,
	// ShapeLabelColumns), or -1.
	LabelCol int
	// Rows and Cols are the row indexes and grid columns that hold a
	// filled cell, in order.
	Rows, Cols []int
	// First and Last are the indexes of the table's first and last item.
	First, Last int

	cells map[[2]int]int // (row, col) → the cell's first item
}

// At returns the index of the first item of the cell that starts at the
// row and grid column.
func (g *Grid) At(row, col int) (int, bool) {
	i, ok := g.cells[[2]int{row, col}]
	return i, ok
}

// Text returns the text of the cell at the row and grid column, its
// paragraphs joined by "\n"; "" for an empty cell.
func (g *Grid) Text(items []Item, row, col int) string {
	i, ok := g.At(row, col)
	if !ok {
		return ""
	}
	return cellText(items, i)
}

// rowCols returns the grid columns of the filled cells of a row.
func (g *Grid) rowCols(row int) []int {
	var out []int
	for _, c := range g.Cols {
		if _, ok := g.At(row, c); ok {
			out = append(out, c)
		}
	}
	return out
}

// Tables reads the grid and shape of every table among the items (nested
// tables are tables of their own), by table number.
func Tables(items []Item) map[int]*Grid {
	out := map[int]*Grid{}
	for i := range items {
		it := &items[i]
		if it.Table == 0 {
			continue
		}
		g := out[it.Table]
		if g == nil {
			g = &Grid{Table: it.Table, First: i, cells: map[[2]int]int{}}
			out[it.Table] = g
		}
		g.Last = i
		if !it.First {
			continue
		}
		if _, ok := g.cells[[2]int{it.Row, it.Col}]; ok {
			continue
		}
		g.cells[[2]int{it.Row, it.Col}] = i
		if !slices.Contains(g.Rows, it.Row) {
			g.Rows = append(g.Rows, it.Row)
		}
		if !slices.Contains(g.Cols, it.Col) {
			g.Cols = append(g.Cols, it.Col)
		}
	}
	for _, g := range out {
		slices.Sort(g.Rows)
		slices.Sort(g.Cols)
		g.classify(items)
	}
	return out
}

// Kinds of cell text, for telling rows of one kind of value from columns
// of one kind.
type cellKind int

const (
	kindEmpty cellKind = iota
	kindLabel          // a short text without digits: a label, a name, an organisation
	kindDate
	kindEmail
	kindNumber
	kindTick // tick boxes, Ja/Nej
	kindText // anything else: a sentence, a long text
)

var (
	reCellDate   = regexp.MustCompile(`\b(19|20)\d\d-\d{1,2}(-\d{0,2})?\b|\b\d{1,2}[ ./]+(jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\p{L}*\.?[ ]*(\d{4})?|\b\d{1,2}/\d{1,2}[ -/]+\d{2,4}\b`)
	reCellNumber = regexp.MustCompile(`^[-−–+]?[\d\s\x{a0}\x{202f}.,]*\d[\d\s\x{a0}\x{202f}.,]*(%|kr|tkr|sek)?$`)
)

func kindOf(text string) cellKind {
	t := oneLine(text)
	low := strings.ToLower(t)
	switch {
	case t == "":
		return kindEmpty
	case strings.Trim(t, "☒☐☑✓✔xX ") == "" || low == "ja" || low == "nej" || strings.ContainsAny(t, "☒☐☑"):
		return kindTick
	case strings.Contains(t, "@") && !strings.Contains(t, " ") || strings.HasPrefix(low, "mailto:"):
		return kindEmail
	case strings.Contains(t, "@") && len(strings.Fields(t)) <= 3:
		return kindEmail // an address a PDF line broke
	case reCellNumber.MatchString(low):
		return kindNumber
	case reCellDate.MatchString(low) && utf8.RuneCountInString(t) <= 40:
		return kindDate
	case isLabel(t):
		return kindLabel
	}
	return kindText
}

// isLabel tells whether a cell's text is short enough, and free enough
// of digits and sentence ends, to be a label.
func isLabel(text string) bool {
	t := strings.TrimRight(oneLine(text), " :")
	return t != "" && utf8.RuneCountInString(t) <= maxLabelRunes && len(strings.Fields(t)) <= 8 &&
		!endsSentence(t) && !strings.HasSuffix(t, "?") && !strings.ContainsAny(t, "0123456789@") && hasLetter(t)
}

// classify sets the grid's shape from its structure.
func (g *Grid) classify(items []Item) {
	g.Shape, g.Caption, g.Header, g.LabelCol = ShapeUnknown, -1, -1, -1
	filled := len(g.cells)
	switch {
	case filled == 0:
		return
	case filled == 1:
		g.Shape = ShapeSingleCell
		return
	}
	rows := g.Rows
	// A one-cell row at the top over a wider table: a caption ("Insatsägare").
	if len(rows) > 1 && len(g.rowCols(rows[0])) == 1 && len(g.Cols) > 1 {
		c := g.rowCols(rows[0])[0]
		if i, _ := g.At(rows[0], c); c == g.Cols[0] && (items[i].Span > 1 || len(g.rowCols(rows[1])) > 1) {
			g.Caption = rows[0]
			rows = rows[1:]
		}
	}
	if len(g.Cols) == 1 {
		return // labels over values in one column: read as a stream
	}
	if g.sideBySide(items, rows) {
		g.Shape = ShapeSideBySide
		return
	}
	kind := func(r, c int) cellKind { return kindOf(g.Text(items, r, c)) }
	left, right := g.Cols[0], g.Cols[len(g.Cols)-1]
	if len(g.Cols) == 2 && g.labelValue(items, rows, left, right) {
		g.Shape, g.LabelCol = ShapeLabelValue, left
		return
	}
	if len(rows) < 2 {
		return
	}
	top := rows[0]
	body := rows[1:]
	// A header row: every filled cell a label, at least two of them.
	header := len(g.rowCols(top)) >= 2
	for _, c := range g.rowCols(top) {
		header = header && kind(top, c) == kindLabel
	}
	// A label column: the first column's cells below the top row are
	// distinct labels, and every row has one.
	labelCol := true
	var seen []string
	for _, r := range body {
		t := strings.ToLower(oneLine(g.Text(items, r, left)))
		if kind(r, left) != kindLabel || slices.Contains(seen, t) {
			labelCol = false
			break
		}
		seen = append(seen, t)
	}
	_, corner := g.At(top, left)
	switch {
	case header && labelCol && !corner:
		// An empty corner over a label column: the columns are named
		// above, the rows on the left.
		g.Shape, g.Header, g.LabelCol = ShapeLabelColumns, top, left
	case header && labelCol:
		// Both could be: the values of a row are of one kind when the
		// rows are the labels (a row of dates, a row of e-mails), those of
		// a column when the columns are.
		if g.uniformity(items, body, g.Cols[1:], true) > g.uniformity(items, body, g.Cols[1:], false) {
			g.Shape, g.Header, g.LabelCol = ShapeLabelColumns, top, left
		} else {
			g.Shape, g.Header = ShapeHeaderRows, top
		}
	case header:
		g.Shape, g.Header = ShapeHeaderRows, top
	case labelCol && kind(top, left) == kindLabel && len(g.Cols) >= 3:
		g.Shape, g.LabelCol = ShapeLabelColumns, left
	}
	if g.Shape != ShapeUnknown && g.ticks(items, rows) {
		// A table of tick boxes (Ja/Nej per question) holds choices, not
		// parties.
		g.Shape, g.Header, g.LabelCol = ShapeUnknown, -1, -1
	}
}

// labelValue tells whether a two-column table pairs a label on the left
// with its value on the right on every row.
func (g *Grid) labelValue(items []Item, rows []int, left, right int) bool {
	var seen []string
	values, numbers := 0, 0
	for _, r := range rows {
		cols := g.rowCols(r)
		if len(cols) == 1 && cols[0] != left {
			return false // a value without its label
		}
		t := strings.ToLower(oneLine(g.Text(items, r, left)))
		if !isLabel(t) || slices.Contains(seen, t) {
			return false
		}
		seen = append(seen, t)
		if v := g.Text(items, r, right); v != "" {
			if r != rows[0] {
				values++
			}
			switch kindOf(v) {
			case kindNumber:
				if r != rows[0] {
					numbers++
				}
			case kindTick:
				return false
			}
		}
	}
	if values == 0 && g.Text(items, rows[0], right) == "" {
		return false
	}
	// Labels over a column of figures under a header row ("Kostnadsslag |
	// Belopp"): a list, not labels with their values.
	if numbers == values && len(rows) > 1 && isLabel(g.Text(items, rows[0], right)) {
		return false
	}
	return true
}

// sideBySide tells whether the table holds blocks next to each other: a
// row repeats one label in each of its (two or more) cells, or the table
// is a single row whose cells each hold several paragraphs.
func (g *Grid) sideBySide(items []Item, rows []int) bool {
	for _, r := range rows {
		cols := g.rowCols(r)
		if len(cols) < 2 {
			continue
		}
		first := strings.ToLower(oneLine(g.Text(items, r, cols[0])))
		same := isLabel(first)
		for _, c := range cols[1:] {
			same = same && strings.ToLower(oneLine(g.Text(items, r, c))) == first
		}
		if same {
			return true
		}
	}
	if len(rows) != 1 || len(g.rowCols(rows[0])) < 2 {
		return false
	}
	for _, c := range g.rowCols(rows[0]) {
		if len(strings.Split(strings.TrimSpace(g.Text(items, rows[0], c)), "\n")) < 2 {
			return false
		}
	}
	return true
}

// uniformity measures how far the value cells are of one kind along rows
// (byRow) or along columns: the share of filled cells whose kind is the
// most common kind of their row or column.
func (g *Grid) uniformity(items []Item, rows, cols []int, byRow bool) float64 {
	outer, inner := cols, rows
	if byRow {
		outer, inner = rows, cols
	}
	same, total := 0, 0
	for _, o := range outer {
		count := map[cellKind]int{}
		n := 0
		for _, in := range inner {
			r, c := in, o
			if byRow {
				r, c = o, in
			}
			if k := kindOf(g.Text(items, r, c)); k != kindEmpty {
				count[k]++
				n++
			}
		}
		best := 0
		for _, v := range count {
			best = max(best, v)
		}
		same += best
		total += n
	}
	if total == 0 {
		return 0
	}
	return float64(same) / float64(total)
}

// ticks tells whether most of the table's value cells are tick boxes.
func (g *Grid) ticks(items []Item, rows []int) bool {
	ticks, values := 0, 0
	for _, r := range rows {
		for _, c := range g.rowCols(r) {
			if r == g.Header || c == g.LabelCol {
				continue
			}
			values++
			if kindOf(g.Text(items, r, c)) == kindTick {
				ticks++
			}
		}
	}
	return values > 0 && 2*ticks > values
}
