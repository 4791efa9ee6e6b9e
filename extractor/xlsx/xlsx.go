// Package xlsx reads a .xlsx workbook into the extractor's document
// model with github.com/xuri/excelize/v2: one table per sheet, cells on
// the sheet's grid with their values, formulas and number formats.
package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/finsam/ansokan/extractor"
	"github.com/xuri/excelize/v2"
)

// Internal bounds on how much work the reader does; they refuse nothing
// (the refusing limits are in Limits).
const (
	// xlsxUnzipXMLSizeLimit is the size above which excelize spools a
	// worksheet or the shared strings to a temporary file instead of
	// holding it in memory.
	xlsxUnzipXMLSizeLimit = 16 << 20
	// xlsxMaxLookupCol: empty cells right of this column are not examined
	// for a formula without a cached value (each examination scans the
	// row; a row styled out to column XFD would make that quadratic).
	xlsxMaxLookupCol = 1024
)

// xlsxBareRef matches a formula that is only a cell reference
// ("E22", "$E$22", "'Budget - detaljerad'!E22").
var xlsxBareRef = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(('[^']+'|[^'!]+)!)?\$?[A-Za-z]{1,3}\$?[0-9]+$`) })

var xlsxOLE2Magic = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")

// Read reads a .xlsx workbook: each sheet, in order, becomes one table
// block whose rows are the sheet's used rows and whose cells sit on the
// sheet's grid (Cell.Col is the column index). Cells carry the raw value
// (Value for numbers, the Excel serial for dates), the formula, the number
// format and Text as a Swedish reader sees it. Formulas without a cached
// value (files written by generators) are computed. DefaultLimits apply.
func Read(r io.ReaderAt, size int64) (*extractor.Document, error) {
	return ReadLimited(r, size, extractor.DefaultLimits())
}

// ReadLimited is Read with the given limits (zero fields take their
// defaults). A file over a limit gives an error wrapping
// extractor.ErrLimit. The document's Name, Format, SHA256 and Bytes are
// left for the caller (extractor/anyformat) to fill.
func ReadLimited(r io.ReaderAt, size int64, lim extractor.Limits) (doc *extractor.Document, err error) {
	defer func() {
		if x := recover(); x != nil {
			doc, err = nil, fmt.Errorf("%w: xlsx reader panicked: %s", extractor.ErrCorrupt, xlsxTruncatePanic(x))
		}
	}()
	head := make([]byte, min(size, 8192))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if size == 0 {
		return nil, extractor.ErrEmpty
	}
	lim = lim.WithDefaults()
	if size > lim.MaxFileBytes {
		return nil, extractor.LimitErr("MaxFileBytes", "the file is %s, more than %s", extractor.PlainBytes(size), extractor.PlainBytes(lim.MaxFileBytes))
	}
	if bytes.HasPrefix(head, xlsxOLE2Magic) {
		// Encrypted OOXML (or a legacy .xls): the directory tells which.
		return nil, extractor.SniffOLE2(r, size, head)
	}
	if bytes.HasPrefix(head, []byte("PK")) {
		zr, err := extractor.OpenZip(r, size, lim)
		if err != nil {
			return nil, err
		}
		if err := xlsxCheckPackage(zr, lim); err != nil {
			return nil, err
		}
	}
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		UnzipSizeLimit:    lim.MaxZipUncompressedBytes,
		UnzipXMLSizeLimit: xlsxUnzipXMLSizeLimit,
	})
	if err != nil {
		return nil, xlsxOpenError(err)
	}
	defer f.Close()

	rd := &xlsxReader{f: f, styles: map[int]xlsxStyle{}, lim: lim}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		rd.date1904 = *props.Date1904
	}
	doc = &extractor.Document{Format: extractor.FormatXLSX}
	for _, name := range f.GetSheetList() {
		t, err := rd.sheet(name)
		if err != nil {
			return nil, &extractor.Error{Sheet: name, Err: err}
		}
		doc.Sheets = append(doc.Sheets, name)
		doc.Blocks = append(doc.Blocks, extractor.Block{Kind: extractor.KindTable, Sheet: name, Table: t})
	}
	if len(doc.Sheets) == 0 {
		return nil, fmt.Errorf("%w: the workbook has no worksheets", extractor.ErrCorrupt)
	}
	return doc, nil
}

// xlsxOpenError maps an error from excelize.OpenReader onto the sentinels.
func xlsxOpenError(err error) error {
	var xmlErr *xml.SyntaxError
	switch {
	case errors.Is(err, excelize.ErrWorkbookPassword),
		errors.Is(err, excelize.ErrUnsupportedEncryptMechanism),
		errors.Is(err, excelize.ErrUnknownEncryptMechanism),
		errors.Is(err, excelize.ErrWorkbookFileFormat):
		return fmt.Errorf("%w: %w", extractor.ErrEncrypted, err)
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrAlgorithm), errors.Is(err, zip.ErrChecksum),
		errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &xmlErr):
		return fmt.Errorf("%w: %w", extractor.ErrCorrupt, err)
	}
	// Anything else (unzip size limit, a missing part) also means the
	// package cannot be read as a workbook.
	return fmt.Errorf("%w: %w", extractor.ErrCorrupt, err)
}

// xlsxCheckPackage inflates every entry of the package once, before
// excelize (which holds them all in memory) sees it: the bytes actually
// inflated are counted against MaxZipUncompressedBytes, every XML part is
// tokenized against MaxXMLDepth and MaxXMLElements, and the merged ranges
// of each worksheet are counted against MaxXLSXMergesPerSheet. Only a
// limit is reported here; broken entries and broken XML are left for
// excelize to report.
func xlsxCheckPackage(zr *zip.Reader, lim extractor.Limits) error {
	budget := extractor.NewZipBudget(lim)
	for _, zf := range zr.File {
		rc, err := budget.Open(zf)
		if err != nil {
			continue
		}
		name := strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/"))
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") || strings.HasSuffix(name, ".vml") {
			merges := 0
			err = xmlCheckPart(rc, zf.Name, lim, func(t xml.StartElement) error {
				if t.Name.Local != "mergeCell" || !strings.HasPrefix(name, "xl/worksheets/") {
					return nil
				}
				merges++
				if merges > lim.MaxXLSXMergesPerSheet {
					return extractor.LimitErr("MaxXLSXMergesPerSheet", "worksheet %s has more than %d merged ranges", zf.Name, lim.MaxXLSXMergesPerSheet)
				}
				return nil
			})
		} else {
			_, err = io.Copy(io.Discard, rc)
		}
		rc.Close()
		if errors.Is(err, extractor.ErrLimit) {
			return err
		}
	}
	return nil
}

// xmlCheckPart reads an XML part to its end (or its first syntax error),
// counting nesting depth and elements against the limits; start is
// called for every start element. It returns the first limit error, or
// the error that stopped the reading.
func xmlCheckPart(r io.Reader, part string, lim extractor.Limits, start func(xml.StartElement) error) error {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.CharsetReader = func(string, io.Reader) (io.Reader, error) {
		return nil, errors.New("not UTF-8")
	}
	depth, elems := 0, 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			elems++
			if depth > lim.MaxXMLDepth {
				return extractor.LimitErr("MaxXMLDepth", "%s nests elements deeper than %d", part, lim.MaxXMLDepth)
			}
			if elems > lim.MaxXMLElements {
				return extractor.LimitErr("MaxXMLElements", "%s has more than %d elements", part, lim.MaxXMLElements)
			}
			if err := start(t); err != nil {
				return err
			}
		case xml.EndElement:
			depth--
		}
	}
}

type xlsxStyle struct {
	code   string
	isDate bool
}

type xlsxReader struct {
	f        *excelize.File
	date1904 bool
	styles   map[int]xlsxStyle // by cell style (xf) index
	cells    int
	text     int64
	calcs    int
	cost     *formulaCost
	lim      extractor.Limits
}

// xlsxMerge is a merged range in 1-based coordinates.
type xlsxMerge struct{ c0, r0, c1, r1 int }

func (rd *xlsxReader) sheet(name string) (*extractor.Table, error) {
	merges, err := rd.merges(name)
	if err != nil {
		return nil, err
	}
	// mergedAt tells whether a 1-based cell is a non-anchor cell of a
	// merged range; anchors gives the span of each range's top-left cell.
	anchors := map[[2]int]int{}
	cont := map[[2]int]bool{}
	for _, m := range merges {
		anchors[[2]int{m.c0, m.r0}] = m.c1 - m.c0 + 1
		for r := m.r0; r <= m.r1; r++ {
			for c := m.c0; c <= m.c1; c++ {
				if r != m.r0 || c != m.c0 {
					cont[[2]int{c, r}] = true
				}
			}
		}
	}

	rows, err := rd.f.Rows(name)
	if err != nil {
		return nil, xlsxSheetError(err)
	}
	defer rows.Close()
	t := &extractor.Table{Sheet: name}
	rowNum := 0
	for rows.Next() {
		rowNum++
		vals, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, xlsxSheetError(err)
		}
		row := extractor.Row{Num: rowNum}
		used := false
		for i, raw := range vals {
			col := i + 1
			rd.text += int64(len(raw))
			if rd.text > rd.lim.MaxXLSXTextBytes {
				return nil, extractor.LimitErr("MaxXLSXTextBytes", "the workbook has more than %s of cell text", extractor.PlainBytes(rd.lim.MaxXLSXTextBytes))
			}
			key := [2]int{col, rowNum}
			if cont[key] {
				continue // added below, in column order
			}
			if raw == "" && col > xlsxMaxLookupCol {
				continue
			}
			cell, ok, err := rd.cell(name, col, rowNum, raw)
			if err != nil {
				return nil, xlsxSheetError(err)
			}
			if span, isAnchor := anchors[key]; isAnchor {
				cell.Span = span
				ok = ok || span > 1
			}
			if !ok {
				continue
			}
			if cell.Text != "" || cell.Formula != "" {
				used = true
			}
			row.Cells = append(row.Cells, cell)
		}
		if !used {
			continue
		}
		row.Cells = xlsxAddMerged(row.Cells, rowNum, merges)
		if len(t.Rows) == rd.lim.MaxXLSXRowsPerSheet {
			return nil, extractor.LimitErr("MaxXLSXRowsPerSheet", "the sheet has more than %d used rows", rd.lim.MaxXLSXRowsPerSheet)
		}
		rd.cells += len(row.Cells)
		if rd.cells > rd.lim.MaxXLSXCells {
			return nil, extractor.LimitErr("MaxXLSXCells", "the workbook has more than %d cells", rd.lim.MaxXLSXCells)
		}
		for _, c := range row.Cells {
			t.Columns = max(t.Columns, c.Col+max(c.Span, 1))
		}
		t.Rows = append(t.Rows, row)
	}
	if err := rows.Error(); err != nil {
		return nil, xlsxSheetError(err)
	}
	return t, nil
}

// xlsxSheetError marks an error reading a sheet the workbook lists: the
// part is missing or broken, so the package is corrupt.
func xlsxSheetError(err error) error {
	if errors.Is(err, extractor.ErrCorrupt) || errors.Is(err, extractor.ErrLimit) {
		return err
	}
	return fmt.Errorf("%w: %w", extractor.ErrCorrupt, err)
}

// xlsxAddMerged puts the non-anchor cells of the merged ranges crossing
// row rowNum into the row (Merged, no text), keeping column order.
func xlsxAddMerged(cells []extractor.Cell, rowNum int, merges []xlsxMerge) []extractor.Cell {
	added := false
	for _, m := range merges {
		if rowNum < m.r0 || rowNum > m.r1 {
			continue
		}
		for c := m.c0; c <= m.c1; c++ {
			if rowNum == m.r0 && c == m.c0 {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(c, rowNum)
			cells = append(cells, extractor.Cell{Col: c - 1, Span: 1, Merged: true, Ref: ref})
			added = true
		}
	}
	if added {
		// Insertion sort: rows are short and nearly sorted.
		for i := 1; i < len(cells); i++ {
			for j := i; j > 0 && cells[j].Col < cells[j-1].Col; j-- {
				cells[j], cells[j-1] = cells[j-1], cells[j]
			}
		}
	}
	return cells
}

func (rd *xlsxReader) merges(sheet string) ([]xlsxMerge, error) {
	mcs, err := rd.f.GetMergeCells(sheet, true)
	if err != nil {
		return nil, xlsxSheetError(err)
	}
	var out []xlsxMerge
	for _, mc := range mcs {
		c0, r0, err0 := excelize.CellNameToCoordinates(mc.GetStartAxis())
		c1, r1, err1 := excelize.CellNameToCoordinates(mc.GetEndAxis())
		if err0 != nil || err1 != nil {
			continue // a malformed range is ignored, not fatal
		}
		if c1 < c0 {
			c0, c1 = c1, c0
		}
		if r1 < r0 {
			r0, r1 = r1, r0
		}
		// Ranges beyond the lookup width are not expanded (hostile sizes).
		if (c1-c0+1)*(r1-r0+1) > 100_000 {
			continue
		}
		out = append(out, xlsxMerge{c0, r0, c1, r1})
	}
	return out, nil
}

// cell builds one cell from its raw value; ok is false for a cell with
// nothing in it.
func (rd *xlsxReader) cell(sheet string, col, row int, raw string) (extractor.Cell, bool, error) {
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return extractor.Cell{}, false, fmt.Errorf("%w: %w", extractor.ErrCorrupt, err)
	}
	c := extractor.Cell{Col: col - 1, Span: 1, Ref: ref}
	formula, err := rd.f.GetCellFormula(sheet, ref)
	if err != nil {
		return extractor.Cell{}, false, err
	}
	c.Formula = strings.TrimPrefix(formula, "=")
	if raw == "" && c.Formula == "" {
		return c, false, nil
	}
	typ, err := rd.f.GetCellType(sheet, ref)
	if err != nil {
		return extractor.Cell{}, false, err
	}
	if raw == "" && c.Formula != "" {
		// No cached value (openpyxl, excelize-written files): compute it.
		// SUM ignores amounts typed as text; that is the workbook's own
		// arithmetic and the budget checks recompute anyway.
		if rd.calcs >= rd.lim.MaxXLSXFormulaCalcs {
			return extractor.Cell{}, false, extractor.LimitErr("MaxXLSXFormulaCalcs", "the workbook has more than %d formulas without a saved value", rd.lim.MaxXLSXFormulaCalcs)
		}
		rd.calcs++
		if rd.cost == nil {
			rd.cost = newFormulaCost(rd.f, rd.lim.MaxXLSXFormulaCells)
		}
		if err := rd.cost.add(sheet, ref); err != nil {
			return extractor.Cell{}, false, err
		}
		v, err := rd.f.CalcCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		if err != nil {
			// An unsupported function or a circular reference: keep the
			// formula, leave the value empty.
			return c, true, nil
		}
		if v == "" && xlsxBareRef().MatchString(c.Formula) {
			v = "0" // Excel shows a reference to an empty cell as 0
		}
		raw = v
		if _, perr := strconv.ParseFloat(v, 64); perr == nil {
			typ = excelize.CellTypeNumber
		} else {
			typ = excelize.CellTypeFormula
		}
	}

	switch typ {
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString, excelize.CellTypeFormula:
		c.Text = raw
		return c, true, nil
	case excelize.CellTypeBool:
		switch raw {
		case "1", "TRUE", "true":
			c.Text = "SANT"
		case "0", "FALSE", "false":
			c.Text = "FALSKT"
		default:
			c.Text = raw
		}
		return c, true, nil
	case excelize.CellTypeError:
		c.Text = raw
		return c, true, nil
	case excelize.CellTypeDate:
		// An ISO 8601 date cell (t="d").
		c.IsDate = true
		c.Text = raw
		if t, ok := xlsxParseISO(raw); ok {
			serial := xlsxSerial(t, rd.date1904)
			c.Value = &serial
			c.Text = t.Format("2006-01-02")
		}
		return c, true, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil {
		c.Text = raw // a number cell holding something else: keep it as written
		return c, true, nil
	}
	c.Value = &v
	st, err := rd.style(sheet, ref)
	if err != nil {
		return extractor.Cell{}, false, err
	}
	c.NumFmt, c.IsDate = st.code, st.isDate
	if c.IsDate {
		c.Text = xlsxFormatDate(v, st.code, rd.date1904)
	} else {
		c.Text = xlsxFormatNumber(v, st.code)
	}
	return c, true, nil
}

// style gives the number format of a cell, cached by style index.
func (rd *xlsxReader) style(sheet, ref string) (xlsxStyle, error) {
	idx, err := rd.f.GetCellStyle(sheet, ref)
	if err != nil {
		return xlsxStyle{}, err
	}
	if st, ok := rd.styles[idx]; ok {
		return st, nil
	}
	st := xlsxStyle{code: "General"}
	if s, err := rd.f.GetStyle(idx); err == nil && s != nil {
		switch {
		case s.CustomNumFmt != nil && *s.CustomNumFmt != "":
			st.code = *s.CustomNumFmt
			st.isDate = xlsxIsDateFormat(st.code)
		default:
			if code, ok := xlsxBuiltinNumFmt[s.NumFmt]; ok {
				st.code = code
				st.isDate = xlsxIsDateFormat(code)
			} else if xlsxLocaleDateFmt(s.NumFmt) {
				st.code, st.isDate = "yyyy-mm-dd", true
			}
		}
	}
	rd.styles[idx] = st
	return st, nil
}

func xlsxParseISO(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// xlsxSerial converts a time to an Excel serial (1900 system, or 1904).
func xlsxSerial(t time.Time, date1904 bool) float64 {
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	frac := float64(t.Hour()*3600+t.Minute()*60+t.Second()) / 86400
	return float64(day.Sub(epoch)/(24*time.Hour)) + frac
}

// xlsxTruncatePanic renders a recovered panic value, cut to about 200 bytes:
// panic messages can carry raw document content.
func xlsxTruncatePanic(x any) string {
	s := fmt.Sprint(x)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
