package xlsx

import (
	"strconv"
	"strings"

	"github.com/xuri/efp"
	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/extractor"
)

// formulaCost counts, before CalcCellValue runs, the cells computing a
// formula will visit, the way excelize visits them: every cell of every
// range and reference the formula names, and, once per workbook (excelize
// keeps a formula's result for the rest of the file), the same for every
// formula cell among them. The count runs over the whole workbook
// against MaxXLSXFormulaCells; the walk itself stops at the limit, so a
// chain of formulas that would take excelize minutes costs milliseconds
// to refuse.
type formulaCost struct {
	f       *excelize.File
	limit   int
	visited int
	seen    map[string]bool   // formula cells already counted, "sheet!A1"
	formula map[string]string // GetCellFormula's answers, "sheet!A1"
	dims    map[string][2]int // a sheet's used columns and rows
	names   map[string]string // defined names → what they refer to
}

func newFormulaCost(f *excelize.File, limit int) *formulaCost {
	c := &formulaCost{f: f, limit: limit, seen: map[string]bool{}, formula: map[string]string{}, dims: map[string][2]int{}, names: map[string]string{}}
	for _, dn := range f.GetDefinedName() {
		c.names[strings.ToUpper(dn.Name)] = strings.TrimPrefix(dn.RefersTo, "=")
	}
	return c
}

// add counts the evaluation of the formula cell sheet!ref and of the
// formula cells it depends on, and refuses the workbook once the count
// passes the limit.
func (c *formulaCost) add(sheet, ref string) error {
	// An explicit stack, not recursion: a chain of formulas is as deep
	// as the workbook is long.
	type cell struct{ sheet, ref string }
	stack := []cell{{sheet, ref}}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		key := x.sheet + "!" + x.ref
		if c.seen[key] {
			continue
		}
		c.seen[key] = true
		fx := c.cellFormula(x.sheet, x.ref)
		p := efp.ExcelParser()
		for _, tok := range p.Parse(fx) {
			if tok.TType != efp.TokenTypeOperand || tok.TSubType != efp.TokenSubTypeRange {
				continue
			}
			target := tok.TValue
			if to, ok := c.names[strings.ToUpper(target)]; ok {
				target = to
			}
			for _, part := range strings.Split(target, ",") { // a name may list several ranges
				s, c0, r0, c1, r1, ok := c.parseRange(x.sheet, part)
				if !ok {
					c.visited++ // a name or reference excelize resolves to one value
					continue
				}
				area := (c1 - c0 + 1) * (r1 - r0 + 1)
				if area <= 0 || area > c.limit-c.visited {
					return c.over()
				}
				c.visited += area
				for r := r0; r <= r1; r++ {
					for col := c0; col <= c1; col++ {
						name, err := excelize.CoordinatesToCellName(col, r)
						if err != nil {
							continue
						}
						if !c.seen[s+"!"+name] && c.cellFormula(s, name) != "" {
							stack = append(stack, cell{s, name})
						}
					}
				}
			}
		}
		if c.visited > c.limit {
			return c.over()
		}
	}
	return nil
}

func (c *formulaCost) over() error {
	return extractor.LimitErr("MaxXLSXFormulaCells", "computing the workbook's formulas would visit more than %d cells", c.limit)
}

func (c *formulaCost) cellFormula(sheet, ref string) string {
	key := sheet + "!" + ref
	fx, ok := c.formula[key]
	if !ok {
		fx, _ = c.f.GetCellFormula(sheet, ref)
		fx = strings.TrimPrefix(fx, "=")
		c.formula[key] = fx
	}
	return fx
}

// parseRange reads a reference ("A1", "$B$2:C9", "'Budget - detaljerad'!E7:H7",
// "A:A", "3:5") into its sheet and 1-based corners. A whole column or row
// is clipped to the sheet's used area, as excelize clips it.
func (c *formulaCost) parseRange(sheet, s string) (string, int, int, int, int, bool) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "!"); i >= 0 {
		sheet = strings.Trim(strings.ReplaceAll(s[:i], "''", "'"), "'")
		s = s[i+1:]
	}
	s = strings.ReplaceAll(s, "$", "")
	from, to, isRange := strings.Cut(s, ":")
	if !isRange {
		to = from
	}
	c0, r0, ok0 := c.corner(sheet, from, false)
	c1, r1, ok1 := c.corner(sheet, to, true)
	if !ok0 || !ok1 {
		return "", 0, 0, 0, 0, false
	}
	if c1 < c0 {
		c0, c1 = c1, c0
	}
	if r1 < r0 {
		r0, r1 = r1, r0
	}
	return sheet, c0, r0, c1, r1, true
}

// corner reads one corner of a range: a cell, a column ("A") or a row
// ("3"); a missing row or column is the first or the last used one.
func (c *formulaCost) corner(sheet, s string, last bool) (col, row int, ok bool) {
	if col, row, err := excelize.CellNameToCoordinates(s); err == nil {
		return col, row, true
	}
	cols, rows := 1, 1
	if last {
		d := c.dim(sheet)
		cols, rows = d[0], d[1]
	}
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n <= excelize.TotalRows {
		return cols, n, true
	}
	if n, err := excelize.ColumnNameToNumber(s); err == nil {
		return n, rows, true
	}
	return 0, 0, false
}

// dim is the sheet's used columns and rows: its last row and the
// widest row's last column, read from the rows themselves (the declared
// dimension can be missing or wrong).
func (c *formulaCost) dim(sheet string) [2]int {
	if d, ok := c.dims[sheet]; ok {
		return d
	}
	var d [2]int
	if rows, err := c.f.Rows(sheet); err == nil {
		for rows.Next() {
			d[1]++
			if cols, err := rows.Columns(excelize.Options{RawCellValue: true}); err == nil {
				d[0] = max(d[0], len(cols))
			}
		}
		rows.Close()
	}
	d = [2]int{max(d[0], 1), max(d[1], 1)}
	c.dims[sheet] = d
	return d
}
