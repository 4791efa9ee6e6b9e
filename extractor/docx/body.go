package docx

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/finsam/ansokan/extractor"
)

// docxCtx is where in WordprocessingML an element sits: it decides what
// the element's children mean.
type docxCtx int

const (
	docxBlockCtx  docxCtx = iota // body, cell, text box, header: paragraphs and tables
	docxInlineCtx                // inside a paragraph: runs and their content
	docxTableCtx                 // inside w:tbl: rows
	docxRowCtx                   // inside w:tr: cells
)

// docxParser reads one part (document, header, footer, notes) in one
// streaming pass. Every handler is entered just after its element's start
// tag and returns just after its end tag.
type docxParser struct {
	pkg *docxPackage
	x   *docxXML
	out *[]extractor.Block // where finished blocks go

	count     bool // number the paragraphs (the main document and its notes)
	paraN     int
	paraSeq   int    // all paragraphs seen, numbered or not
	noteStyle string // style for notes paragraphs without one
	lists     docxListState

	tags          []string // tags of the enclosing content controls
	checks        []docxCheck
	fields        []docxField
	fieldOverflow int // fields nested beyond docxMaxFields

	cur  *docxPara
	run  *docxRun
	tbl  *docxTable
	row  *docxRow
	cell *docxCellProps

	sectRefs []docxSectRef
}

func newDocxParser(pkg *docxPackage, out *[]extractor.Block) *docxParser {
	return &docxParser{pkg: pkg, out: out}
}

type docxPara struct {
	ord       int
	text      strings.Builder
	style     string // pStyle id
	numID     string
	hasNum    bool
	ilvl      int // -1 unset
	outline   int // outlineLvl+1; -1 body text; 0 unset
	blockTag  string
	inlineTag string
	textRuns  int  // runs with visible text
	nonBold   bool // one of them is not bold
	looseText bool // text outside any run
	after     []extractor.Block
}

type docxRun struct {
	bold    int8
	rStyle  string
	font    string // lower-cased rFonts, when a symbol font
	hasText bool
}

type docxTable struct {
	rows []extractor.Row
	grid int
}

type docxRow struct {
	cells []extractor.Cell
	col   int
	after int
}

type docxCellProps struct {
	span   int
	merged bool
}

// docxCheck is an open w14:checkbox content control.
type docxCheck struct {
	checked bool
	emitted bool
}

// docxField is an open complex field (w:fldChar begin … end).
type docxField struct {
	sep        bool // past w:fldChar separate: the result is showing
	para       int  // docxParser.paraSeq of the paragraph it began in
	instr      string
	ffCheck    bool
	def        bool
	checked    bool
	hasChecked bool
	dropDown   bool
	entries    []string // w:ddList list entries
	selected   int      // w:ddList result (or default) index
}

type docxSectRef struct {
	kind string // FurnitureHeader or FurnitureFooter
	id   string
}

const (
	docxChecked   = "☒"
	docxUnchecked = "☐"
)

func docxBox(on bool) string {
	if on {
		return docxChecked
	}
	return docxUnchecked
}

// parseRoot reads a whole part.
func (p *docxParser) parseRoot(x *docxXML) error {
	p.x = x
	p.fields, p.fieldOverflow = nil, 0
	for {
		tok, err := x.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if t, ok := tok.(xml.StartElement); ok {
			if err := p.element(docxBlockCtx, t); err != nil {
				return err
			}
		}
	}
}

// walk reads the children of the current element in a context.
func (p *docxParser) walk(ctx docxCtx) error {
	for {
		tok, err := p.x.next()
		if err != nil {
			return docxEOF(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if err := p.element(ctx, t); err != nil {
				return err
			}
		}
	}
}

// each calls fn for every child element of the current element; a child
// fn does not consume (false) is skipped.
func (p *docxParser) each(fn func(t xml.StartElement) (bool, error)) error {
	for {
		tok, err := p.x.next()
		if err != nil {
			return docxEOF(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			done, err := fn(t)
			if err != nil {
				return err
			}
			if !done {
				if err := p.x.skip(); err != nil {
					return err
				}
			}
		}
	}
}

// charData returns the text content of the current element.
func (p *docxParser) charData() (string, error) {
	var s string
	var b []byte
	for {
		tok, err := p.x.next()
		if err != nil {
			return "", docxEOF(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if s == "" && b == nil {
				s = string(t)
			} else {
				if b == nil {
					b = append(b, s...)
				}
				b = append(b, t...)
			}
		case xml.StartElement:
			if err := p.x.skip(); err != nil {
				return "", err
			}
		case xml.EndElement:
			if b != nil {
				return string(b), nil
			}
			return s, nil
		}
	}
}

func (p *docxParser) element(ctx docxCtx, t xml.StartElement) error {
	name := t.Name.Local
	switch name {
	case "del", "moveFrom", "delText", "delInstrText", "Fallback",
		"rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange", "tblGridChange",
		"commentReference", "annotationRef", "fldData", "sdtPr", "sdtEndPr":
		return p.x.skip()
	case "AlternateContent":
		return p.alternate(ctx)
	case "sdt":
		return p.sdt(ctx)
	case "txbxContent":
		return p.textBox()
	case "footnote", "endnote":
		switch docxAttr(t, "type") {
		case "separator", "continuationSeparator", "continuationNotice":
			return p.x.skip()
		}
	}
	switch ctx {
	case docxBlockCtx:
		switch name {
		case "p":
			return p.paragraph()
		case "tbl":
			return p.table()
		case "sectPr":
			return p.sectPr()
		case "tcPr":
			if p.cell != nil {
				return p.cellProps()
			}
			return p.x.skip()
		case "tblPr", "trPr", "tblGrid", "pPr", "rPr", "instrText":
			return p.x.skip()
		}
	case docxInlineCtx:
		switch name {
		case "r":
			return p.runElement()
		case "rPr":
			if p.run != nil {
				return p.runProps()
			}
			return p.x.skip()
		case "pPr":
			if p.cur != nil {
				return p.paraProps()
			}
			return p.x.skip()
		case "t":
			if strings.Contains(t.Name.Space, "drawingml") {
				return p.x.skip()
			}
			s, err := p.charData()
			p.emit(p.mapText(s))
			return err
		case "tab", "ptab":
			p.emit("\t")
			return p.x.skip()
		case "br", "cr":
			p.emit("\n")
			return p.x.skip()
		case "noBreakHyphen":
			p.emit("-")
			return p.x.skip()
		case "softHyphen", "tcPr", "tblPr", "trPr", "sectPr":
			return p.x.skip()
		case "sym":
			p.emit(docxSymText(docxAttr(t, "font"), docxAttr(t, "char")))
			return p.x.skip()
		case "fldChar":
			return p.fldChar(t)
		case "instrText":
			return p.instrText()
		case "p", "tbl":
			// A block inside a paragraph (a table in a run, broken
			// nesting): keep it after the paragraph.
			if p.cur == nil {
				break
			}
			saved := p.out
			p.out = &p.cur.after
			var err error
			if name == "p" {
				err = p.paragraph()
			} else {
				err = p.table()
			}
			p.out = saved
			return err
		}
	case docxTableCtx:
		switch name {
		case "tblGrid":
			return p.each(func(t xml.StartElement) (bool, error) {
				if t.Name.Local == "gridCol" {
					p.tbl.grid++
				}
				return false, nil
			})
		case "tr":
			return p.tableRow()
		case "tblPr", "tblPrEx":
			return p.x.skip()
		}
	case docxRowCtx:
		switch name {
		case "trPr":
			return p.rowProps()
		case "tc":
			return p.tableCell()
		case "tblPrEx":
			return p.x.skip()
		}
	}
	// Anything else (w:body, w:hyperlink, w:ins, w:moveTo, w:fldSimple,
	// w:smartTag, w:customXml, drawings …) is read through.
	return p.walk(ctx)
}

// alternate reads the first mc:Choice of an mc:AlternateContent and skips
// the rest (the mc:Fallback repeats the same content for old readers).
func (p *docxParser) alternate(ctx docxCtx) error {
	chosen := false
	return p.each(func(t xml.StartElement) (bool, error) {
		if t.Name.Local == "Choice" && !chosen {
			chosen = true
			return true, p.walk(ctx)
		}
		return false, nil
	})
}

// innerTag is the tag of the innermost named content control around.
func (p *docxParser) innerTag() string {
	for i := len(p.tags) - 1; i >= 0; i-- {
		if p.tags[i] != "" {
			return p.tags[i]
		}
	}
	return ""
}

// sdt reads a content control in any context: its content is read as if
// in place.
func (p *docxParser) sdt(ctx docxCtx) error {
	var tag, alias string
	var isCheck, checked bool
	return p.each(func(t xml.StartElement) (bool, error) {
		switch t.Name.Local {
		case "sdtPr":
			return true, p.each(func(t xml.StartElement) (bool, error) {
				switch t.Name.Local {
				case "tag":
					tag = docxAttr(t, "val")
				case "alias":
					alias = docxAttr(t, "val")
				case "checkbox":
					isCheck = true
					return true, p.each(func(t xml.StartElement) (bool, error) {
						if t.Name.Local == "checked" {
							checked = docxOn(t)
						}
						return false, nil
					})
				}
				return false, nil
			})
		case "sdtContent":
			name := tag
			if name == "" {
				name = alias
			}
			p.tags = append(p.tags, name)
			if ctx == docxInlineCtx && p.cur != nil && name != "" && p.cur.inlineTag == "" {
				p.cur.inlineTag = name
			}
			if isCheck {
				p.checks = append(p.checks, docxCheck{checked: checked})
			}
			err := p.walk(ctx)
			if isCheck {
				c := p.checks[len(p.checks)-1]
				p.checks = p.checks[:len(p.checks)-1]
				if !c.emitted && ctx == docxInlineCtx {
					p.emit(docxBox(c.checked))
				}
			}
			p.tags = p.tags[:len(p.tags)-1]
			return true, err
		}
		return false, nil
	})
}

// textBox reads a w:txbxContent: its blocks follow the paragraph that
// anchors the text box.
func (p *docxParser) textBox() error {
	var blocks []extractor.Block
	savedOut, savedCur, savedRun, savedCell, savedChecks := p.out, p.cur, p.run, p.cell, p.checks
	p.out, p.cur, p.run, p.cell, p.checks = &blocks, nil, nil, nil, nil
	nf := len(p.fields)
	err := p.walk(docxBlockCtx)
	p.fields = p.fields[:min(nf, len(p.fields))] // fields do not cross a text box's edge
	p.out, p.cur, p.run, p.cell, p.checks = savedOut, savedCur, savedRun, savedCell, savedChecks
	if p.cur != nil {
		p.cur.after = append(p.cur.after, blocks...)
	} else {
		*p.out = append(*p.out, blocks...)
	}
	return err
}

func (p *docxParser) paragraph() error {
	para := &docxPara{ilvl: -1, blockTag: p.innerTag()}
	if p.count {
		p.paraN++
		para.ord = p.paraN
	}
	p.paraSeq++
	seq := p.paraSeq
	savedCur, savedRun := p.cur, p.run
	p.cur, p.run = para, nil
	err := p.walk(docxInlineCtx)
	p.cur, p.run = savedCur, savedRun
	if err != nil {
		return err
	}
	// A field whose instruction is still open when its paragraph ends is
	// broken (no separate, no end): dropping it keeps it from hiding the
	// rest of the document. Results may span paragraphs (a TOC).
	for n := len(p.fields); n > 0 && !p.fields[n-1].sep && p.fields[n-1].para == seq; n-- {
		p.fields = p.fields[:n-1]
	}
	if b, ok := p.finishParagraph(para); ok {
		*p.out = append(*p.out, b)
	}
	*p.out = append(*p.out, para.after...)
	return nil
}

// finishParagraph resolves the paragraph's style, level, numbering and
// weight. ok is false for a paragraph with no visible text.
func (p *docxParser) finishParagraph(para *docxPara) (extractor.Block, bool) {
	styles := p.pkg.styles
	b := extractor.Block{Kind: extractor.KindParagraph, Paragraph: para.ord, Tag: para.inlineTag}
	if b.Tag == "" {
		b.Tag = para.blockTag
	}
	id := para.style
	if id != "" {
		if st := styles.byID[id]; st != nil && st.name != "" {
			b.Style = st.name
		} else {
			b.Style = id
		}
	}
	if b.Style == "" && p.noteStyle != "" {
		b.Style = p.noteStyle
	}
	if id == "" {
		id = styles.defaultPara
	}
	chain := styles.chain(id)

	outline := para.outline
	for _, st := range chain {
		if outline != 0 {
			break
		}
		outline = st.outline
	}
	if outline > 0 {
		b.Level = outline
	} else if outline == 0 {
		for _, st := range chain {
			if l := docxHeadingLevel(st.name); l > 0 {
				b.Level = l
				break
			}
		}
	}

	numID, ilvl := "", para.ilvl
	if para.hasNum {
		numID = para.numID
	}
	if numID == "" {
		for _, st := range chain {
			if st.numID != "" {
				numID = st.numID
				if ilvl < 0 {
					ilvl = st.ilvl
				}
				break
			}
		}
	}
	if numID != "" && numID != "0" {
		if ilvl < 0 {
			ilvl = p.styleLevel(numID, para.style)
		}
		if marker := p.lists.item(p.pkg.numbering, styles, numID, ilvl); marker != "" {
			b.ListMarker, b.ListLevel = marker, max(0, min(ilvl, 8))
			if b.Level == 0 {
				b.Kind = extractor.KindListItem
			}
		}
	}

	runs, nonBold := para.textRuns, para.nonBold
	if para.looseText {
		runs++
		nonBold = nonBold || !p.styleBold(chain)
	}
	b.Bold = runs > 0 && !nonBold
	b.Text = para.text.String()
	return b, strings.TrimSpace(b.Text) != ""
}

// styleLevel finds the list level a numbering definition links to a
// paragraph style (w:lvl/w:pStyle); 0 when none does.
func (p *docxParser) styleLevel(numID, styleID string) int {
	if styleID == "" {
		return 0
	}
	num := p.pkg.numbering.nums[numID]
	if num == nil {
		return 0
	}
	if abs := p.pkg.numbering.abstractOf(num, p.pkg.styles); abs != nil {
		for i, l := range abs.lvls {
			if l != nil && l.pStyle == styleID {
				return i
			}
		}
	}
	return 0
}

func (p *docxParser) styleBold(chain []*docxStyle) bool {
	for _, st := range chain {
		if st.bold != 0 {
			return st.bold > 0
		}
	}
	return p.pkg.styles.defaultBold > 0
}

func (p *docxParser) paraProps() error {
	para := p.cur
	return p.each(func(t xml.StartElement) (bool, error) {
		switch t.Name.Local {
		case "pStyle":
			para.style = docxAttr(t, "val")
		case "outlineLvl":
			if n, err := strconv.Atoi(docxAttr(t, "val")); err == nil && n >= 0 && n < 9 {
				para.outline = n + 1
			} else {
				para.outline = -1
			}
		case "numPr":
			return true, p.each(func(t xml.StartElement) (bool, error) {
				switch t.Name.Local {
				case "ilvl":
					if n, err := strconv.Atoi(docxAttr(t, "val")); err == nil && n >= 0 {
						para.ilvl = min(n, 8)
					}
				case "numId":
					para.numID, para.hasNum = docxAttr(t, "val"), true
				}
				return false, nil
			})
		case "sectPr":
			return true, p.sectPr()
		}
		return false, nil
	})
}

func (p *docxParser) sectPr() error {
	return p.each(func(t xml.StartElement) (bool, error) {
		switch t.Name.Local {
		case "headerReference":
			p.sectRefs = append(p.sectRefs, docxSectRef{kind: extractor.FurnitureHeader, id: docxAttr(t, "id")})
		case "footerReference":
			p.sectRefs = append(p.sectRefs, docxSectRef{kind: extractor.FurnitureFooter, id: docxAttr(t, "id")})
		}
		return false, nil
	})
}

func (p *docxParser) runElement() error {
	run := &docxRun{}
	saved := p.run
	p.run = run
	err := p.walk(docxInlineCtx)
	p.run = saved
	if run.hasText && p.cur != nil {
		p.cur.textRuns++
		if !p.runBold(run) {
			p.cur.nonBold = true
		}
	}
	return err
}

// runBold resolves a run's weight: direct formatting, then its character
// style, then the paragraph style, then the document defaults.
func (p *docxParser) runBold(run *docxRun) bool {
	if run.bold != 0 {
		return run.bold > 0
	}
	styles := p.pkg.styles
	for _, st := range styles.chain(run.rStyle) {
		if st.bold != 0 {
			return st.bold > 0
		}
	}
	id := ""
	if p.cur != nil {
		id = p.cur.style
	}
	if id == "" {
		id = styles.defaultPara
	}
	return p.styleBold(styles.chain(id))
}

func (p *docxParser) runProps() error {
	run := p.run
	return p.each(func(t xml.StartElement) (bool, error) {
		switch t.Name.Local {
		case "b":
			run.bold = docxTri(t)
		case "rStyle":
			run.rStyle = docxAttr(t, "val")
		case "rFonts":
			for _, a := range t.Attr {
				if l := strings.ToLower(a.Value); strings.Contains(l, "wingdings") || strings.Contains(l, "symbol") {
					run.font = l
				}
			}
		}
		return false, nil
	})
}

// emit adds text to the current paragraph, unless it sits in a field's
// instruction or stands for the glyph of a checkbox content control.
func (p *docxParser) emit(s string) {
	if p.cur == nil || s == "" || p.fieldOverflow > 0 {
		return
	}
	for i := range p.fields {
		if !p.fields[i].sep {
			return
		}
	}
	if n := len(p.checks); n > 0 {
		c := &p.checks[n-1]
		if c.emitted {
			return
		}
		c.emitted = true
		s = docxBox(c.checked)
	}
	p.cur.text.WriteString(s)
	if strings.TrimSpace(s) != "" {
		if p.run != nil {
			p.run.hasText = true
		} else {
			p.cur.looseText = true
		}
	}
}

func (p *docxParser) fldChar(t xml.StartElement) error {
	switch docxAttr(t, "fldCharType") {
	case "begin":
		f := docxField{para: p.paraSeq}
		err := p.each(func(t xml.StartElement) (bool, error) {
			if t.Name.Local != "ffData" {
				return false, nil
			}
			return true, p.each(func(t xml.StartElement) (bool, error) {
				if t.Name.Local == "ddList" {
					f.dropDown, f.selected = true, -1
					def := 0
					err := p.each(func(t xml.StartElement) (bool, error) {
						n, err := strconv.Atoi(docxAttr(t, "val"))
						switch t.Name.Local {
						case "result":
							if err == nil {
								f.selected = n
							}
						case "default":
							if err == nil {
								def = n
							}
						case "listEntry":
							if len(f.entries) < 64 {
								f.entries = append(f.entries, docxAttr(t, "val"))
							}
						}
						return false, nil
					})
					if f.selected < 0 {
						f.selected = def
					}
					return true, err
				}
				if t.Name.Local != "checkBox" {
					return false, nil
				}
				f.ffCheck = true
				return true, p.each(func(t xml.StartElement) (bool, error) {
					switch t.Name.Local {
					case "default":
						f.def = docxOn(t)
					case "checked":
						f.checked, f.hasChecked = docxOn(t), true
					}
					return false, nil
				})
			})
		})
		if len(p.fields) >= docxMaxFields {
			p.fieldOverflow++
		} else {
			p.fields = append(p.fields, f)
		}
		return err
	case "separate":
		if n := len(p.fields); n > 0 && p.fieldOverflow == 0 {
			p.fields[n-1].sep = true
		}
	case "end":
		if p.fieldOverflow > 0 {
			p.fieldOverflow--
		} else if n := len(p.fields); n > 0 {
			f := p.fields[n-1]
			p.fields = p.fields[:n-1]
			if f.ffCheck || strings.Contains(strings.ToUpper(f.instr), "FORMCHECKBOX") {
				on := f.def
				if f.hasChecked {
					on = f.checked
				}
				p.emit(docxBox(on))
			} else if f.dropDown && !f.sep && f.selected >= 0 && f.selected < len(f.entries) {
				// A drop-down form field shows its selected entry and has
				// no result of its own.
				p.emit(f.entries[f.selected])
			}
		}
	}
	return p.x.skip()
}

func (p *docxParser) instrText() error {
	s, err := p.charData()
	if n := len(p.fields); n > 0 && p.fieldOverflow == 0 && len(p.fields[n-1].instr) < 512 {
		p.fields[n-1].instr += s
	}
	return err
}

// mapText maps symbol-font and private-use characters (Wingdings check
// boxes, Symbol bullets) in a run's text to their Unicode meaning.
func (p *docxParser) mapText(s string) string {
	font := ""
	if p.run != nil {
		font = p.run.font
	}
	if font == "" && !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xF000 && r <= 0xF0FF }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if m := docxSymRune(font, r); m >= 0 {
			return m
		}
		return r
	}, s)
}

// docxSymRune maps a symbol-font character; -1 when it has no meaning
// ansokan knows.
func docxSymRune(font string, r rune) rune {
	pua := r >= 0xF000 && r <= 0xF0FF
	if !pua && font == "" {
		return -1
	}
	code := r
	if pua {
		code -= 0xF000
	}
	wing := strings.Contains(font, "wingdings") || (pua && font == "")
	sym := strings.Contains(font, "symbol") || (pua && font == "")
	switch {
	case wing && (code == 0xFE || code == 0xFD || code == 0x78):
		return '☒'
	case wing && (code == 0xA8 || code == 0x6F):
		return '☐'
	case wing && code == 0xFC:
		return '✓'
	case wing && (code == 0x9F || code == 0x6C):
		return '•'
	case sym && code == 0xB7:
		return '•'
	}
	return -1
}

// docxSymText renders a w:sym: mapped symbol-font characters, other
// characters when they are plain code points, nothing for unknown
// private-use ones.
func docxSymText(font, char string) string {
	v, err := strconv.ParseUint(char, 16, 32)
	if err != nil {
		return ""
	}
	r := rune(v)
	if m := docxSymRune(strings.ToLower(font), r); m >= 0 {
		return string(m)
	}
	if r >= 0xE000 && r <= 0xF8FF || r < 0x20 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF) {
		return ""
	}
	if strings.Contains(strings.ToLower(font), "wingdings") || strings.Contains(strings.ToLower(font), "symbol") {
		return "" // a symbol font's letter is not that letter
	}
	return string(r)
}

func (p *docxParser) table() error {
	tb := &docxTable{}
	blk := extractor.Block{Kind: extractor.KindTable, Tag: p.innerTag()}
	if p.count {
		blk.Paragraph = p.paraN + 1
	}
	saved := p.tbl
	p.tbl = tb
	err := p.walk(docxTableCtx)
	p.tbl = saved
	if err != nil {
		return err
	}
	cols := tb.grid
	for _, r := range tb.rows {
		if n := len(r.Cells); n > 0 {
			cols = max(cols, r.Cells[n-1].Col+r.Cells[n-1].Span)
		}
	}
	blk.Table = &extractor.Table{Rows: tb.rows, Columns: cols}
	*p.out = append(*p.out, blk)
	return nil
}

func (p *docxParser) tableRow() error {
	rw := &docxRow{}
	saved := p.row
	p.row = rw
	err := p.walk(docxRowCtx)
	p.row = saved
	p.tbl.rows = append(p.tbl.rows, extractor.Row{Cells: rw.cells})
	return err
}

func (p *docxParser) rowProps() error {
	rw := p.row
	return p.each(func(t xml.StartElement) (bool, error) {
		switch t.Name.Local {
		case "gridBefore":
			if n, err := strconv.Atoi(docxAttr(t, "val")); err == nil && n > 0 && n < 1000 {
				rw.col += n
			}
		case "gridAfter":
			if n, err := strconv.Atoi(docxAttr(t, "val")); err == nil && n > 0 && n < 1000 {
				rw.after = n
			}
		}
		return false, nil
	})
}

func (p *docxParser) tableCell() error {
	rw := p.row
	props := &docxCellProps{span: 1}
	var blocks []extractor.Block
	savedOut, savedCell := p.out, p.cell
	p.out, p.cell = &blocks, props
	nf := len(p.fields)
	err := p.walk(docxBlockCtx)
	p.fields = p.fields[:min(nf, len(p.fields))] // fields do not cross a cell's edge
	p.out, p.cell = savedOut, savedCell
	c := extractor.Cell{Col: rw.col, Span: props.span, Merged: props.merged}
	if !c.Merged {
		c.Blocks = blocks
		c.Text = docxCellText(blocks)
	}
	rw.col += props.span
	rw.cells = append(rw.cells, c)
	return err
}

func (p *docxParser) cellProps() error {
	c := p.cell
	return p.each(func(t xml.StartElement) (bool, error) {
		switch t.Name.Local {
		case "gridSpan":
			if n, err := strconv.Atoi(docxAttr(t, "val")); err == nil && n > 1 && n < 1000 {
				c.span = n
			}
		case "vMerge", "hMerge":
			if v := docxAttr(t, "val"); v == "" || v == "continue" {
				c.merged = true
			}
		}
		return false, nil
	})
}

// docxBlockText is a block's text as it reads in a cell: list items with
// their marker, tables row by row with cells joined by " | ".
func docxBlockText(b *extractor.Block) string {
	switch {
	case b.Table != nil:
		lines := make([]string, 0, len(b.Table.Rows))
		for _, r := range b.Table.Rows {
			cells := make([]string, len(r.Cells))
			for i := range r.Cells {
				cells[i] = r.Cells[i].Text
			}
			lines = append(lines, strings.Join(cells, " | "))
		}
		return strings.Join(lines, "\n")
	case b.ListMarker != "":
		return b.ListMarker + " " + b.Text
	}
	return b.Text
}

func docxCellText(blocks []extractor.Block) string {
	switch len(blocks) {
	case 0:
		return ""
	case 1:
		return docxBlockText(&blocks[0])
	}
	parts := make([]string, len(blocks))
	for i := range blocks {
		parts[i] = docxBlockText(&blocks[i])
	}
	return strings.Join(parts, "\n")
}
