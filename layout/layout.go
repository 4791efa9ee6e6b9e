// Package layout finds the structure of an application from how it looks
// and where things stand, not from its words: which paragraphs and table
// cells are heading candidates (a heading style, a bold or larger line,
// numbering, a question, a label ending in a colon, a shaded or bold cell
// over or beside its answer, a one-cell header row), and which labels
// carry a value (inline "Label: value", two-column key–value tables,
// label rows with the values below). It reads the extractor's document
// model and knows nothing of any förbund's wording; the normalizer gives
// the candidates their meaning.
package layout

import (
	"strings"

	"github.com/finsam/ansokan/extractor"
)

// Loc says where an item was seen in its source file.
type Loc struct {
	File      string
	Page      int // 1-based PDF page; 0 when the format has no pages
	Paragraph int // 1-based Word paragraph
	Sheet     string
	Cell      string
}

// Item is one paragraph-sized piece of a document's body in reading
// order, whatever its format: a paragraph, a list item, or (part of) a
// table cell. Tables are flattened row by row.
type Item struct {
	Text string // as written, soft line breaks kept as "\n"
	// StyleLevel is the heading level a Word style or outline level gives
	// (exact); SizeLevel the level a PDF reader inferred from font size and
	// weight (a hint). At most one is set.
	StyleLevel int
	SizeLevel  int
	Bold       bool // the whole paragraph is bold
	Marker     string
	ListLevel  int
	Loc        Loc

	// Table coordinates (Table = 0: not in a table; tables are numbered
	// from 1 in document order). Row and Col are 0-based; Col is the
	// grid column where the cell starts.
	Table, Row, Col int
	// Columns is the table's grid width; RowCells the number of cells in
	// the item's row that hold text; Span the grid columns the cell covers.
	Columns, RowCells, Span int
	// First tells that the item is the first paragraph of its cell.
	First bool
	// PDF positions (0 when unknown).
	X0, X1 float64
	// Above and Below are a PDF paragraph's baseline distances to the line
	// above and below it on its page (extractor.Block.Above, Below); 0
	// when unknown.
	Above, Below float64
}

// Level is the item's heading level hint, from a style or font size.
func (it *Item) Level() int { return max(it.StyleLevel, it.SizeLevel) }

// Options steer Flatten. Both hooks may be nil.
type Options struct {
	// Skip tells whether a top-level block is left out (the caller reads
	// it otherwise).
	Skip func(i int) bool
	// Table is called for every table met, nested ones included, in
	// document order; when it returns false the table's cells are not
	// flattened (a budget table, read by the caller).
	Table func(t *extractor.Table) bool
}

// Flatten turns a document's body into items in reading order.
func Flatten(doc *extractor.Document, opt Options) []Item {
	f := &flattener{doc: doc, opt: opt}
	for i := range doc.Blocks {
		if opt.Skip != nil && opt.Skip(i) {
			continue
		}
		f.block(&doc.Blocks[i], cellPos{})
	}
	return f.items
}

type flattener struct {
	doc       *extractor.Document
	opt       Options
	items     []Item
	nextTable int
}

// cellPos is where a block stands when it is inside a table cell.
type cellPos struct {
	table, row, col, columns, rowCells, span int
	first                                    bool
}

func (f *flattener) block(b *extractor.Block, pos cellPos) {
	switch b.Kind {
	case extractor.KindTable:
		if b.Table == nil {
			return
		}
		if f.opt.Table != nil && !f.opt.Table(b.Table) {
			return
		}
		if f.doc.Format == extractor.FormatXLSX {
			return // a workbook's cells are figures, not answers
		}
		f.nextTable++
		id := f.nextTable
		t := b.Table
		for r, rw := range t.Rows {
			filled := 0
			for _, c := range rw.Cells {
				if !c.Merged && strings.TrimSpace(c.Text) != "" {
					filled++
				}
			}
			for _, c := range rw.Cells {
				if c.Merged {
					continue
				}
				cp := cellPos{table: id, row: r, col: c.Col, columns: t.Columns, rowCells: filled, span: max(c.Span, 1), first: true}
				if len(c.Blocks) > 0 {
					for i := range c.Blocks {
						before := len(f.items)
						f.block(&c.Blocks[i], cp)
						if len(f.items) > before {
							cp.first = false
						}
					}
					continue
				}
				if strings.TrimSpace(c.Text) == "" {
					continue
				}
				page := rw.Page
				if page == 0 {
					page = t.Page
				}
				f.items = append(f.items, Item{
					Text:  c.Text,
					Loc:   Loc{File: f.doc.Name, Page: page, Sheet: t.Sheet, Cell: c.Ref},
					Table: id, Row: r, Col: c.Col, Columns: t.Columns, RowCells: filled, Span: cp.span, First: true,
					X0: c.X0, X1: c.X1,
				})
			}
		}
	default:
		if strings.TrimSpace(b.Text) == "" {
			return
		}
		it := Item{
			Text:  b.Text,
			Bold:  b.Bold,
			Loc:   Loc{File: f.doc.Name, Page: b.Page, Paragraph: b.Paragraph, Sheet: b.Sheet},
			Table: pos.table, Row: pos.row, Col: pos.col, Columns: pos.columns, RowCells: pos.rowCells,
			Span: pos.span, First: pos.first,
			X0: b.X0, X1: b.X1, Above: b.Above, Below: b.Below,
		}
		if f.doc.Format == extractor.FormatPDF {
			it.SizeLevel = b.Level
		} else {
			it.StyleLevel = b.Level
		}
		if b.Kind == extractor.KindListItem {
			it.Marker = b.ListMarker
			if it.Marker == "" {
				it.Marker = "•"
			}
			it.ListLevel = b.ListLevel
		}
		f.items = append(f.items, it)
	}
}
