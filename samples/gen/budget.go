package main

// One budget data structure for every sample, written either as the
// template's budget workbook ("Budget - detaljerad" and
// "Budgetsammanställning", with SUM formulas) or as a Word table in the
// same layout.

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// bDate is a date cell: a real date (written as an Excel serial with the
// ååmmdd format yy-mm-dd) or text typed by the applicant ("1/1-2023").
type bDate struct {
	t    time.Time
	text string
}

func (d bDate) empty() bool { return d.t.IsZero() && d.text == "" }

func day(s string) bDate {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return bDate{t: t}
}

func typed(s string) bDate { return bDate{text: s} }

// bLine is one budget row.
type bLine struct {
	label    string
	pct      *float64 // nil: empty cell
	from, to bDate
	amounts  [4]int64 // per party column; 0 is an empty cell
}

func pct(v float64) *float64 { return &v }

func (l bLine) total() int64 {
	var s int64
	for _, a := range l.amounts {
		s += a
	}
	return s
}

// budgetOtherLabels are the template's fixed "Övriga kostnader" rows; the
// empty label is the template's unlabelled row between them.
var budgetOtherLabels = []string{
	"Utvärdering",
	"Spridningsseminarier",
	"Utbildning insatsmedarbetare",
	"Inköpta utredningar, utbildningar och tjänster avsedda för deltagare",
	"Övriga aktiviteter för deltagare",
	"Telefon-, IT-kostnader",
	"Resor",
	"Tolk",
	"Informationsmaterial",
	"",
	"Övrigt",
	"",
}

// summaryRow is one party row of the Budgetsammanställning. col is the
// party column of the detailed budget it refers to, -1 for a placeholder
// row with zeros.
type summaryRow struct {
	role, name string
	col        int
}

// budget is one insats budget in the template's layout.
type budget struct {
	name        string // after "Budget - detaljerad "
	summaryName string // after "Budgetsammanställning "
	start, end  time.Time
	unitHeader  string    // "Kostnader i tkr"
	parties     [4]string // column headers as written
	salaries    []bLine   // requested, padded to 4 rows "1."–"4."
	rent, prem  bLine     // Lokalhyra, Övriga lokalkostnader (amounts and dates only)
	other       map[string]bLine
	ownSalaries []bLine // padded to 5 rows "1."–"5."
	ownRent     bLine
	ownPrem     bLine
	ownOther    []bLine // "Kostnadsbeteckning" rows, padded to 4
	summary     []summaryRow
	summaryESF  bool // the summary has an "Övrig finansiering, ESF mm" column

	// Layout overrides for the wrapped-header samples (H, I); zero values
	// keep the template's layout.
	wordGrid   []int   // the Word table's column widths (twips)
	wordFont   string  // the Word table's font
	wordSize   int     // the Word table's text size (half-points)
	sheetFont  string  // every workbook style's font
	partyWidth float64 // the workbook's party columns' width (characters)
}

func padLines(ls []bLine, n int, label func(i int) string) []bLine {
	out := append([]bLine(nil), ls...)
	for len(out) < n {
		out = append(out, bLine{label: label(len(out)), pct: pct(0)})
	}
	return out
}

func (b *budget) reqSalaries() []bLine {
	return padLines(b.salaries, 4, func(i int) string { return fmt.Sprintf("%d.", i+1) })
}

func (b *budget) ownSal() []bLine {
	return padLines(b.ownSalaries, 5, func(i int) string { return fmt.Sprintf("%d.", i+1) })
}

func (b *budget) ownOth() []bLine {
	out := append([]bLine(nil), b.ownOther...)
	for len(out) < 4 {
		out = append(out, bLine{label: "Kostnadsbeteckning"})
	}
	return out
}

func (b *budget) otherLines() []bLine {
	var out []bLine
	for _, lbl := range budgetOtherLabels {
		l := b.other[lbl]
		if lbl == "" {
			l = bLine{}
		}
		l.label = lbl
		out = append(out, l)
	}
	return out
}

func rentLine(l bLine) bLine { l.label = "Lokalhyra"; return l }
func premLine(l bLine) bLine { l.label = "Övriga lokalkostnader"; return l }

// sums of the sections, per party column.
func sumLines(ls ...[]bLine) (out [4]int64) {
	for _, g := range ls {
		for _, l := range g {
			for i, a := range l.amounts {
				out[i] += a
			}
		}
	}
	return out
}

func sumPct(ls []bLine) float64 {
	var s float64
	for _, l := range ls {
		if l.pct != nil {
			s += *l.pct
		}
	}
	return s
}

func total4(a [4]int64) int64 { return a[0] + a[1] + a[2] + a[3] }

func add4(a, b [4]int64) (out [4]int64) {
	for i := range a {
		out[i] = a[i] + b[i]
	}
	return out
}

// requested returns the "Totalt från Samordningsförbundet" per column.
func (b *budget) requested() [4]int64 {
	return sumLines(b.reqSalaries(), []bLine{b.rent, b.prem}, b.otherLines())
}

// own returns the "Summa egenfinansiering" per column.
func (b *budget) own() [4]int64 {
	return sumLines(b.ownSal(), []bLine{b.ownRent, b.ownPrem}, b.ownOth())
}

// ---------------------------------------------------------------------
// Workbook

type budgetStyles struct {
	title, bold, header, label, labelBold, wrapLabel         int
	inAmount, inPct, inDate, inText, sumAmount, sumPct, date int
	plainAmount                                              int
}

func newBudgetStyles(f *excelize.File, font string) (budgetStyles, error) {
	var s budgetStyles
	border := []excelize.Border{
		{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1},
	}
	input := excelize.Fill{Type: "pattern", Color: []string{"FFF2CC"}, Pattern: 1}
	grey := excelize.Fill{Type: "pattern", Color: []string{"D9D9D9"}, Pattern: 1}
	light := excelize.Fill{Type: "pattern", Color: []string{"F2F2F2"}, Pattern: 1}
	amt, yymmdd, iso := "#,##0", "yy-mm-dd", "yyyy-mm-dd"
	defs := []struct {
		dst *int
		st  excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.bold, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: grey, Border: border,
			Alignment: &excelize.Alignment{WrapText: true, Horizontal: "center", Vertical: "center"}}},
		{&s.label, excelize.Style{Border: border}},
		{&s.labelBold, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Fill: light}},
		{&s.wrapLabel, excelize.Style{Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.inAmount, excelize.Style{Border: border, Fill: input, CustomNumFmt: &amt}},
		{&s.inPct, excelize.Style{Border: border, Fill: input, NumFmt: 9}},
		{&s.inDate, excelize.Style{Border: border, Fill: input, CustomNumFmt: &yymmdd, Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&s.inText, excelize.Style{Border: border, Fill: input, Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&s.sumAmount, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Fill: light, CustomNumFmt: &amt}},
		{&s.sumPct, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Fill: light, NumFmt: 9}},
		{&s.date, excelize.Style{Fill: input, CustomNumFmt: &iso, Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&s.plainAmount, excelize.Style{CustomNumFmt: &amt}},
	}
	for _, d := range defs {
		st := d.st
		if font != "" {
			fnt := excelize.Font{}
			if st.Font != nil {
				fnt = *st.Font
			}
			fnt.Family = font
			st.Font = &fnt
		}
		id, err := f.NewStyle(&st)
		if err != nil {
			return s, err
		}
		*d.dst = id
	}
	return s, nil
}

// sheetWriter wraps excelize calls for one sheet and keeps the first error.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	err   error
}

func (w *sheetWriter) set(cell string, v any, style int) {
	if w.err != nil {
		return
	}
	if v != nil {
		if err := w.f.SetCellValue(w.sheet, cell, v); err != nil {
			w.err = err
			return
		}
	}
	if style != 0 {
		w.err = w.f.SetCellStyle(w.sheet, cell, cell, style)
	}
}

func (w *sheetWriter) formula(cell, formula string, style int) {
	if w.err != nil {
		return
	}
	if err := w.f.SetCellFormula(w.sheet, cell, formula); err != nil {
		w.err = err
		return
	}
	if style != 0 {
		w.err = w.f.SetCellStyle(w.sheet, cell, cell, style)
	}
}

func (w *sheetWriter) merge(a, b string) {
	if w.err == nil {
		w.err = w.f.MergeCell(w.sheet, a, b)
	}
}

func (w *sheetWriter) style(a, b string, style int) {
	if w.err == nil {
		w.err = w.f.SetCellStyle(w.sheet, a, b, style)
	}
}

func (w *sheetWriter) colWidth(a, b string, width float64) {
	if w.err == nil {
		w.err = w.f.SetColWidth(w.sheet, a, b, width)
	}
}

func (w *sheetWriter) rowHeight(r int, h float64) {
	if w.err == nil {
		w.err = w.f.SetRowHeight(w.sheet, r, h)
	}
}

func (w *sheetWriter) landscapeFit() {
	if w.err != nil {
		return
	}
	orient, one, zero, a4 := "landscape", 1, 0, 9
	if err := w.f.SetPageLayout(w.sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		w.err = err
		return
	}
	t := true
	w.err = w.f.SetSheetProps(w.sheet, &excelize.SheetPropsOptions{FitToPage: &t})
}

var partyCols = [4]string{"E", "F", "G", "H"}

const (
	detailSheet  = "Budget - detaljerad"
	summarySheet = "Budgetsammanställning"
)

// detailRefs records where the totals of the detailed sheet landed, for
// the summary sheet's cross-sheet formulas.
type detailRefs struct {
	requestedRow, ownRow, totalRow int
}

// writeDetail writes the "Budget - detaljerad" sheet.
func (b *budget) writeDetail(f *excelize.File, st budgetStyles) (detailRefs, error) {
	w := &sheetWriter{f: f, sheet: detailSheet}
	var refs detailRefs
	c := func(col string, row int) string { return fmt.Sprintf("%s%d", col, row) }
	w.colWidth("A", "A", 38)
	w.colWidth("B", "B", 10)
	w.colWidth("C", "D", 11)
	w.colWidth("E", "H", 19)
	if b.partyWidth > 0 {
		w.colWidth("B", "B", 12)
		w.colWidth("E", "H", b.partyWidth)
	}
	w.colWidth("I", "I", 22)

	w.set("A1", "Budget - detaljerad "+b.name, st.title)
	w.merge("A1", "I1")
	w.set("A3", "Insatsens löptid:", st.bold)
	w.set("B3", b.start, st.date)
	w.set("C3", b.end, st.date)
	w.merge("C3", "D3")
	w.set("A5", "Fyll i färgmarkerade fält:", 0)
	w.set("B5", nil, st.inText)
	w.set("A6", "Kostnader att rekvirera från Samordningsförbundet", st.bold)
	w.merge("A6", "I6")

	w.set("A7", b.unitHeader, st.header)
	w.style("B7", "D8", st.header)
	w.set("E7", "Huvudinsatsägare", st.header)
	for i := 1; i < 4; i++ {
		w.set(c(partyCols[i], 7), "Delinsatsägare", st.header)
	}
	for i, p := range b.parties {
		w.set(c(partyCols[i], 8), p, st.header)
	}
	w.set("A8", nil, st.header)
	w.set("I7", "ATT REKVIRERA - ALLA INSATSÄGARE", st.header)
	w.merge("I7", "I8")
	w.rowHeight(8, 30)
	if b.partyWidth > 0 {
		w.rowHeight(7, 30)
		w.rowHeight(8, 45)
	}

	// lineRows writes lines from row r and returns the next row.
	lineRows := func(r int, ls []bLine, withPct bool) int {
		for _, l := range ls {
			st1 := st.label
			if len(l.label) > 40 {
				st1 = st.wrapLabel
				w.rowHeight(r, 30)
			}
			w.set(c("A", r), l.label, st1)
			if withPct {
				if l.pct != nil {
					w.set(c("B", r), *l.pct, st.inPct)
				} else {
					w.set(c("B", r), nil, st.inPct)
				}
			} else {
				w.set(c("B", r), nil, st.label)
			}
			for j, d := range []bDate{l.from, l.to} {
				col := []string{"C", "D"}[j]
				switch {
				case !d.t.IsZero():
					w.set(c(col, r), d.t, st.inDate)
				case d.text != "":
					w.set(c(col, r), d.text, st.inText)
				default:
					w.set(c(col, r), nil, st.inText)
				}
			}
			for j, a := range l.amounts {
				if a != 0 {
					w.set(c(partyCols[j], r), a, st.inAmount)
				} else {
					w.set(c(partyCols[j], r), nil, st.inAmount)
				}
			}
			w.formula(c("I", r), fmt.Sprintf("SUM(E%d:H%d)", r, r), st.sumAmount)
			r++
		}
		return r
	}
	sumRow := func(r int, label string, first, last int, withPct bool) {
		w.set(c("A", r), label, st.labelBold)
		if withPct {
			w.formula(c("B", r), fmt.Sprintf("SUM(B%d:B%d)", first, last), st.sumPct)
		} else {
			w.set(c("B", r), nil, st.labelBold)
		}
		w.style(c("C", r), c("D", r), st.labelBold)
		for _, col := range append(partyCols[:], "I") {
			w.formula(c(col, r), fmt.Sprintf("SUM(%s%d:%s%d)", col, first, col, last), st.sumAmount)
		}
	}
	addRow := func(r int, label string, rows ...int) {
		w.set(c("A", r), label, st.labelBold)
		w.style(c("B", r), c("D", r), st.labelBold)
		for _, col := range append(partyCols[:], "I") {
			var parts []string
			for _, x := range rows {
				parts = append(parts, fmt.Sprintf("%s%d", col, x))
			}
			w.formula(c(col, r), strings.Join(parts, "+"), st.sumAmount)
		}
	}

	// Requested: salaries.
	r := 9
	w.set(c("A", r), "Lönekostnader", st.header)
	w.set(c("B", r), "tjänst i %", st.header)
	w.set(c("C", r), "tidsperiod (ååmmdd)", st.header)
	w.merge(c("C", r), c("D", r))
	w.style(c("E", r), c("I", r+1), st.header)
	r++
	w.set(c("A", r), "inkl PO.pålägg", st.header)
	w.set(c("B", r), nil, st.header)
	w.set(c("C", r), "från", st.header)
	w.set(c("D", r), "till", st.header)
	r++
	first := r
	r = lineRows(r, append(b.reqSalaries(), bLine{}), true)
	salSum := r
	sumRow(r, "Summa lönekostnader", first, r-1, true)
	r += 2

	w.set(c("A", r), "Lokalkostnader", st.bold)
	r++
	first = r
	r = lineRows(r, []bLine{rentLine(b.rent), {}, premLine(b.prem)}, false)
	premSum := r
	sumRow(r, "Summa lokalkostnader", first, r-1, false)
	r += 2

	w.set(c("A", r), "Övriga kostnader", st.bold)
	r++
	first = r
	r = lineRows(r, b.otherLines(), false)
	otherSum := r
	sumRow(r, "Summa övriga kostnader", first, r-1, false)
	r += 2

	refs.requestedRow = r
	addRow(r, "Totalt från Samordningsförbundet", salSum, premSum, otherSum)
	r += 2

	// Own financing.
	w.set(c("A", r), "Egenfinansiering", st.header)
	w.style(c("B", r), c("D", r), st.header)
	for i, p := range b.parties {
		w.set(c(partyCols[i], r), p, st.header)
	}
	w.set(c("I", r), nil, st.header)
	if b.partyWidth > 0 {
		w.rowHeight(r, 45)
	}
	r++
	w.set(c("A", r), "Lönekostnader inkl po-pål", st.bold)
	w.set(c("B", r), "tjänst i %", st.bold)
	r++
	first = r
	r = lineRows(r, b.ownSal(), true)
	ownSalSum := r
	sumRow(r, "Summa lönekostnader", first, r-1, true)
	r += 2
	w.set(c("A", r), "Lokalkostnader", st.bold)
	r++
	first = r
	r = lineRows(r, []bLine{rentLine(b.ownRent), premLine(b.ownPrem)}, false)
	ownPremSum := r
	sumRow(r, "Summa lokalkostnader", first, r-1, false)
	r += 2
	w.set(c("A", r), "Övriga kostnader", st.bold)
	r++
	first = r
	r = lineRows(r, b.ownOth(), false)
	ownOtherSum := r
	sumRow(r, "Summa övriga kostnader", first, r-1, false)
	r += 2
	refs.ownRow = r
	addRow(r, "Summa egenfinansiering", ownSalSum, ownPremSum, ownOtherSum)
	r += 2
	refs.totalRow = r
	addRow(r, "Total kostnad för insatsen", refs.requestedRow, refs.ownRow)
	w.landscapeFit()
	return refs, w.err
}

// writeSummary writes the "Budgetsammanställning" sheet.
func (b *budget) writeSummary(f *excelize.File, st budgetStyles, refs detailRefs) error {
	w := &sheetWriter{f: f, sheet: summarySheet}
	c := func(col string, row int) string { return fmt.Sprintf("%s%d", col, row) }
	w.colWidth("A", "A", 30)
	w.colWidth("B", "E", 18)
	last := "D"
	if b.summaryESF {
		last = "E"
	}
	w.set("A1", "Budgetsammanställning "+b.summaryName, st.title)
	w.merge("A1", last+"1")
	w.set("A3", "Projektets löptid", st.bold)
	w.set("B3", b.start, st.date)
	w.set("C3", b.end, st.date)
	w.set("A5", b.unitHeader, st.header)
	w.set("B5", "Att rekvirera från Samordningsförbundet", st.header)
	w.set("C5", "Projektägarnas egenfinansiering", st.header)
	if b.summaryESF {
		w.set("D5", "Övrig finansiering, ESF mm", st.header)
		w.set("E5", "Totalt projektet", st.header)
	} else {
		w.set("D5", "Totalt projektet", st.header)
	}
	w.rowHeight(5, 45)
	r := 6
	var firstAmt int
	for i, s := range b.summary {
		w.set(c("A", r), s.role, st.labelBold)
		w.style(c("B", r), c(last, r), st.labelBold)
		r++
		if i == 0 {
			firstAmt = r
		}
		w.set(c("A", r), s.name, st.label)
		if s.col >= 0 {
			col := partyCols[s.col]
			w.formula(c("B", r), fmt.Sprintf("'%s'!%s%d", detailSheet, col, refs.requestedRow), st.inAmount)
			w.formula(c("C", r), fmt.Sprintf("'%s'!%s%d", detailSheet, col, refs.ownRow), st.inAmount)
		} else {
			w.set(c("B", r), 0, st.inAmount)
			w.set(c("C", r), 0, st.inAmount)
		}
		if b.summaryESF {
			w.set(c("D", r), nil, st.inAmount)
			w.formula(c("E", r), fmt.Sprintf("SUM(B%d:D%d)", r, r), st.sumAmount)
		} else {
			w.formula(c("D", r), fmt.Sprintf("SUM(B%d:C%d)", r, r), st.sumAmount)
		}
		r++
	}
	w.set(c("A", r), "Summa", st.labelBold)
	cols := []string{"B", "C", "D"}
	if b.summaryESF {
		cols = append(cols, "E")
	}
	for _, col := range cols {
		w.formula(c(col, r), fmt.Sprintf("SUM(%s%d:%s%d)", col, firstAmt, col, r-1), st.sumAmount)
	}
	r += 2
	w.set(c("A", r), "Instruktioner till ansökan:", st.bold)
	w.set(c("A", r+2), "För över innehållet i denna tabell till projektplanen under rubriken Projektets finansiering.", 0)
	w.set(c("A", r+3), "Den detaljerade budgeten skickas med ansökan som en bilaga.", 0)
	w.landscapeFit()
	return w.err
}

// sheetFunc adds one sheet to a budget workbook.
type sheetFunc func(*excelize.File, budgetStyles) error

// workbook builds the budget workbook: the detailed sheet, the extra
// sheets written by the callbacks in order, then the summary sheet.
func (b *budget) workbook(between, after []sheetFunc) (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", detailSheet); err != nil {
		return nil, err
	}
	st, err := newBudgetStyles(f, b.sheetFont)
	if err != nil {
		return nil, err
	}
	refs, err := b.writeDetail(f, st)
	if err != nil {
		return nil, fmt.Errorf("detail sheet: %w", err)
	}
	for _, e := range between {
		if err := e(f, st); err != nil {
			return nil, err
		}
	}
	if _, err := f.NewSheet(summarySheet); err != nil {
		return nil, err
	}
	if err := b.writeSummary(f, st, refs); err != nil {
		return nil, fmt.Errorf("summary sheet: %w", err)
	}
	for _, e := range after {
		if err := e(f, st); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// saveWorkbook writes the workbook with fixed document properties.
func saveWorkbook(f *excelize.File, path, creator string) error {
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator:        creator,
		LastModifiedBy: creator,
		Created:        "2019-07-10T08:00:00Z",
		Modified:       "2019-07-10T08:00:00Z",
		Title:          "Budget samverkansinsats",
		Language:       "sv-SE",
	}); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	if err := f.SaveAs(path); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Chmod(path, 0o644) // excelize creates files executable

}

// ---------------------------------------------------------------------
// Swedish amount formatting for Word text.

// kr formats n with the given thousands separator: kr(1540400, " ") = "1 540 400".
func kr(n int64, sep string) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := fmt.Sprintf("%d", n)
	var parts []string
	for len(s) > 3 {
		parts = append([]string{s[len(s)-3:]}, parts...)
		s = s[:len(s)-3]
	}
	parts = append([]string{s}, parts...)
	out := strings.Join(parts, sep)
	if neg {
		out = "-" + out
	}
	return out
}
