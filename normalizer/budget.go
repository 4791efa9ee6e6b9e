package normalizer

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/schema"
)

// The budget template (Uppsala län, v:19-07-10) as it reaches us: an xlsx
// workbook ("Budget - detaljerad", "Budgetsammanställning", a year sheet,
// sometimes an "Utkast"), the same pages printed into the signed PDF, or a
// table in the Word application. parseBudget reads the figures as written;
// the checks decide whether they add up.
//
// Decisions (documented for the checks):
//   - A line's Amounts holds only the non-zero party amounts; Total is the
//     total column as written, also when it is 0, and nil when empty.
//   - A Summa row's and a total row's Amounts hold every party column that
//     has a figure written, zeros included (they are "as written" totals);
//     an empty cell is left out.
//   - Placeholder columns (headed NAMN, or with no organisation under the
//     role) are not parties: their zero amounts are dropped, their non-zero
//     amounts are kept under the key "NAMN" (summed when several columns
//     are placeholders) so that the checks can flag them.
//   - Rows that are unused template rows ("2.", "3.", "Kostnadsbeteckning",
//     "Utvärdering" … with no amount, percent or date other than 0) are not
//     lines. A row still labelled "Kostnadsbeteckning" that carries amounts
//     is a line, label as written.
//   - Labels wrapped over two rows (PDF) are joined with a space; line
//     breaks inside a cell become spaces.
//   - Amounts are stored in kronor. The unit is inferred from the figures:
//     when the median non-zero figure is 10 000 or more, or the largest
//     is 100 000 or more, the figures are kronor whatever the header says
//     ("Kostnader i tkr" over kronor is the common case); otherwise, when
//     the header says tkr, they are thousands and are multiplied by 1 000.
//     Without a tkr header the figures are taken as kronor.

// BudgetLoc says where a budget figure was seen (for findings' evidence).
type BudgetLoc struct {
	File        string
	Page        int
	Sheet, Cell string
	Paragraph   int
}

// BudgetTable is a table of one source file.
type BudgetTable struct {
	File  string
	Table *extractor.Table
}

// parseBudget finds the budget template's tables among the tables of one
// or more documents and returns the budget as written (nil when there is
// none), and for each JSON pointer inside the record where its row or cell
// was seen: rows ("/budget/requested/salaries/lines/0",
// "/budget/requested/salaries/sum", "/budget/requested_total",
// "/budget/summary/2", "/budget/period", "/budget/unit_stated") and the
// cells below them (".../lines/0/total", ".../lines/0/amounts/Region
// Uppsala", ".../sum/percent", "/budget/summary/2/requested").
//
// When a submission holds the budget twice (the workbook and its pages in
// the signed PDF), the workbook's figures are used: they are exact.
func parseBudget(tables []BudgetTable) (*schema.Budget, map[string]BudgetLoc) {
	var files []string
	byFile := map[string][]*extractor.Table{}
	for _, t := range tables {
		if t.Table == nil {
			continue
		}
		if _, ok := byFile[t.File]; !ok {
			files = append(files, t.File)
		}
		byFile[t.File] = append(byFile[t.File], t.Table)
	}
	var results []*budgetParse
	for _, f := range files {
		rows, exact := budgetRows(f, byFile[f])
		if len(rows) == 0 {
			continue
		}
		p := newBudgetParse(exact)
		p.run(rows)
		if p.hasDetail || len(p.summary) > 0 {
			results = append(results, p)
		}
	}
	if len(results) == 0 {
		return nil, nil
	}
	return budgetAssemble(results)
}

// ---------------------------------------------------------------------
// Cells and rows, whatever the source.

type budgetCell struct {
	text   string // trimmed
	value  *float64
	numFmt string
	isDate bool
	ref    string
	col    int
	x0, x1 float64
	para   int
}

func (c budgetCell) hasX() bool { return c.x1 > 0 || c.x0 > 0 }

type budgetRow struct {
	cells []budgetCell
	loc   BudgetLoc
}

// budgetTableMarkers tell a budget table (or a piece of one, split by a PDF
// page break) from the application's other tables.
var budgetTableMarkers = []string{
	"lönekostnader", "lokalkostnader", "lokalhyra", "övriga kostnader", "egenfinansiering",
	"total kostnad för insatsen", "totalt från samordningsförbundet", "huvudinsatsägare",
	"delinsatsägare", "att rekvirera", "totalt projektet", "budget - detaljerad",
	"budgetsammanställning", "kostnader i tkr", "kostnader i kr", "insatsens löptid",
}

func budgetIsBudgetTable(t *extractor.Table) bool {
	if s := strings.ToLower(t.Sheet); strings.HasPrefix(s, "utkast") {
		return false
	}
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			low := budgetNorm(c.Text)
			if strings.HasPrefix(low, "utkast") {
				return false // a draft, not the budget
			}
			for _, m := range budgetTableMarkers {
				if strings.Contains(low, m) {
					return true
				}
			}
		}
	}
	return false
}

// budgetRows concatenates the budget tables of one file into one stream
// of rows (a budget split over PDF pages continues where it left off).
// exact reports whether cells carry numeric values (a workbook).
func budgetRows(file string, tables []*extractor.Table) (rows []budgetRow, exact bool) {
	for _, t := range tables {
		if !budgetIsBudgetTable(t) {
			continue
		}
		for _, r := range t.Rows {
			br := budgetRow{loc: BudgetLoc{File: file, Page: r.Page, Sheet: t.Sheet}}
			if br.loc.Page == 0 {
				br.loc.Page = t.Page
			}
			for _, c := range r.Cells {
				if c.Merged {
					continue
				}
				text := strings.TrimSpace(c.Text)
				if text == "" && c.Value == nil {
					continue
				}
				bc := budgetCell{text: text, value: c.Value, numFmt: c.NumFmt, isDate: c.IsDate,
					ref: c.Ref, col: c.Col, x0: c.X0, x1: c.X1}
				if c.Value != nil {
					exact = true
				}
				for _, b := range c.Blocks {
					if b.Paragraph > 0 {
						bc.para = b.Paragraph
						break
					}
				}
				br.cells = append(br.cells, bc)
			}
			if len(br.cells) == 0 {
				continue
			}
			br.loc.Cell = br.cells[0].ref
			br.loc.Paragraph = br.cells[0].para
			rows = append(rows, br)
		}
	}
	return rows, exact
}

// budgetNorm lower-cases and collapses white space, and makes dashes
// plain, for matching template texts.
func budgetNorm(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return budgetDashes.Replace(s)
}

// budgetDashes is built once: a Replacer is costly to make and safe to share.
var budgetDashes = strings.NewReplacer("–", "-", "—", "-", "\u00ad", "")

// budgetLabelText joins a label's lines and cells with single spaces.
func budgetLabelText(parts []string) string {
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// budgetAmounts reads a cell as amounts: one amount, or several zeros when
// a PDF glued empty cells together ("00"). ok is false when the cell is
// not an amount.
func budgetAmounts(c budgetCell) (vals []int64, ok bool) {
	if c.value != nil {
		if c.isDate || strings.Contains(c.numFmt, "%") {
			return nil, false
		}
		return []int64{int64(math.Round(*c.value))}, true
	}
	t := c.text
	if t == "" {
		return nil, false
	}
	if n, ok := ParseAmount(t); ok {
		if t != "0" && strings.Trim(t, "0") == "" {
			return make([]int64, len(t)), true // "00": glued zeros
		}
		return []int64{n}, true
	}
	// "0 0" or "0\u00a00": zero cells glued with a space.
	f := strings.Fields(t)
	if len(f) > 1 {
		for _, w := range f {
			if w != "0" {
				return nil, false
			}
		}
		return make([]int64, len(f)), true
	}
	if t == "-" || t == "–" {
		return []int64{0}, true // accounting format's zero
	}
	return nil, false
}

func budgetPercent(c budgetCell) (float64, bool) {
	if c.value != nil {
		if strings.Contains(c.numFmt, "%") {
			return math.Round(*c.value*100*1e6) / 1e6, true
		}
		return 0, false
	}
	return ParsePercent(c.text, false)
}

func budgetDate(c budgetCell) (string, bool) {
	if c.value != nil {
		if !c.isDate {
			return "", false
		}
		t, err := excelize.ExcelDateToTime(*c.value, false)
		if err != nil {
			return "", false
		}
		return t.Format("2006-01-02"), true
	}
	d, ok := ParseShortDate(c.text)
	if !ok || d.Day == 0 || d.Month == 0 || d.Year == 0 {
		return "", false
	}
	return d.String(), true
}

// budgetRowDates finds the dates in a row: date cells, and dates inside
// text cells ("Insatsens löptid: 2023-01-01 2024-12-31").
func budgetRowDates(r budgetRow) []string {
	var out []string
	for _, c := range r.cells {
		if d, ok := budgetDate(c); ok {
			out = append(out, d)
			continue
		}
		if c.value != nil {
			continue
		}
		for _, m := range FindDates(c.text) {
			if s := m.Date.String(); len(s) == len("2006-01-02") {
				out = append(out, s)
			}
		}
	}
	return out
}

// ---------------------------------------------------------------------
// Columns.

const (
	budgetColParty = iota
	budgetColTotal
)

type budgetColumn struct {
	start       float64
	kind        int
	key         string // canonical organisation, "NAMN" for a placeholder
	placeholder bool
}

// budgetCols is where the figures of a block sit: party columns and the
// total column, each from its start to the next one's. Positions are x
// (points) for PDF cells and grid columns otherwise.
type budgetCols struct {
	xmode bool
	cols  []budgetColumn // sorted by start
}

func (m *budgetCols) pos(c budgetCell) float64 {
	if m.xmode && c.hasX() {
		if c.x1 > c.x0 {
			return (c.x0 + c.x1) / 2
		}
		return c.x0
	}
	return float64(c.col)
}

// budgetXSlack lets a PDF cell start a little left of its header.
const budgetXSlack = 2.0

// index gives the column a cell falls in, -1 for the label area left of
// the first column.
func (m *budgetCols) index(c budgetCell) int {
	p := m.pos(c)
	slack := 0.0
	if m.xmode {
		slack = budgetXSlack
	}
	idx := -1
	for i, col := range m.cols {
		if p >= col.start-slack {
			idx = i
		}
	}
	return idx
}

// gluedIndex gives the column of the k-th of n figures glued into one
// cell ("00"): spread over the cell's width in a PDF, consecutive
// columns on a grid.
func (m *budgetCols) gluedIndex(c budgetCell, idx, k, n int) int {
	if n == 1 {
		return idx
	}
	if m.xmode && c.x1 > c.x0 {
		w := (c.x1 - c.x0) / float64(n)
		return m.index(budgetCell{x0: c.x0 + float64(k)*w, x1: c.x0 + float64(k+1)*w})
	}
	return idx + k
}

func (m *budgetCols) sortCols() {
	sort.SliceStable(m.cols, func(i, j int) bool { return m.cols[i].start < m.cols[j].start })
}

// budgetOrg reads a header cell as a party: a canonical organisation, a
// placeholder ("NAMN") or a name as written.
func budgetOrg(s string) (key string, placeholder, ok bool) {
	s = strings.Join(strings.Fields(s), " ")
	low := budgetNorm(s)
	switch {
	case s == "":
		return "", false, false
	case strings.HasPrefix(low, "namn"):
		return "NAMN", true, true
	case strings.Contains(low, "rekvirera") || strings.Contains(low, "alla insatsägare"):
		return "", false, false
	}
	if c, ok := CanonicalOrganisation(s); ok {
		return c, false, true
	}
	if _, ok := ParseAmount(s); ok {
		return "", false, false
	}
	if _, ok := ParsePercent(s, false); ok {
		return "", false, false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsLetter(r) {
		return "", false, false
	}
	return s, false, true
}

// budgetRole reports whether a cell starts with a party role and returns
// what follows it (the organisation, when the cell holds both).
func budgetRole(s string) (rest string, ok bool) {
	low := budgetNorm(s)
	for _, role := range []string{"huvudinsatsägare", "delinsatsägare"} {
		if strings.HasPrefix(low, role) {
			// Cut the role (and its number) from the original text.
			fs := strings.Fields(s)
			i := 1
			if i < len(fs) && strings.Trim(fs[i], "0123456789.:") == "" {
				i++
			}
			return strings.Join(fs[i:], " "), true
		}
	}
	return "", false
}

func budgetIsTotalHeader(low string) bool {
	return (strings.Contains(low, "att rekvirera") && !strings.Contains(low, "från")) ||
		strings.Contains(low, "alla insatsägare")
}

// ---------------------------------------------------------------------
// The parse of one file's rows.

type budgetParse struct {
	exact bool

	hasDetail  bool
	unitStated string
	period     []string
	periodLoc  BudgetLoc
	unitLoc    BudgetLoc

	parties   []string
	requested *schema.CostGroups
	own       *schema.CostGroups
	reqTotal  *schema.Total
	ownTotal  *schema.Total
	totalCost *schema.Total

	summary       []schema.SummaryRow
	summaryTitled bool

	locs map[string]BudgetLoc // pointers relative to /budget

	// state
	state     int
	cols      *budgetCols
	section   string // "requested" or "own"
	group     string // "salaries", "premises", "other"
	pending   []string
	lastGroup *schema.CostGroup // the group of the line just read, for a label's second half
	lastIdx   int
	titled    bool // a "Budgetsammanställning" title was seen
	sumCols   *budgetCols
	sumRole   bool // a summary role row waits for its organisation row
	sumHeads  int  // header rows seen for the summary being read

	pendingSummary []schema.SummaryRow
	sumLocs        map[string]BudgetLoc
	periodInsats   bool // the period came from "Insatsens löptid"
}

const (
	budgetStateNone = iota
	budgetStateDetail
	budgetStateSummaryHead
	budgetStateSummary
)

func newBudgetParse(exact bool) *budgetParse {
	return &budgetParse{exact: exact, locs: map[string]BudgetLoc{}}
}

func budgetNewGroups() *schema.CostGroups {
	return &schema.CostGroups{
		Salaries: &schema.CostGroup{Lines: []schema.BudgetLine{}},
		Premises: &schema.CostGroup{Lines: []schema.BudgetLine{}},
		Other:    &schema.CostGroup{Lines: []schema.BudgetLine{}},
	}
}

func (p *budgetParse) run(rows []budgetRow) {
	for i := 0; i < len(rows); i++ {
		r := rows[i]
		low := budgetNorm(budgetRowText(r))
		p.meta(r, low)
		if strings.Contains(low, "budgetsammanställning") {
			p.titled = true
		}
		// A party header (Huvudinsatsägare | Delinsatsägare …) starts the
		// detailed budget, wherever we are.
		if n := p.partyHeader(rows, i); n > 0 && !p.hasDetail {
			i += n - 1
			continue
		}
		switch p.state {
		case budgetStateDetail:
			p.detailRow(r, low)
		case budgetStateSummaryHead, budgetStateSummary:
			p.summaryRow(r, low)
		default:
			if budgetIsSummaryStart(low) {
				p.state = budgetStateSummaryHead
				p.sumCols = &budgetCols{}
				p.sumHeads = 0
				p.pendingSummary, p.sumLocs = nil, map[string]BudgetLoc{}
				p.summaryHead(r)
			}
		}
	}
	if p.state == budgetStateSummary || p.state == budgetStateSummaryHead {
		p.endSummary()
	}
}

func budgetRowText(r budgetRow) string {
	var parts []string
	for _, c := range r.cells {
		parts = append(parts, c.text)
	}
	return strings.Join(parts, " ")
}

// meta picks up the unit ("Kostnader i tkr") and the period ("Insatsens
// löptid: …", "Projektets löptid …") wherever they are.
func (p *budgetParse) meta(r budgetRow, low string) {
	if p.unitStated == "" {
		if i := strings.Index(low, "kostnader i "); i >= 0 {
			rest := low[i+len("kostnader i "):]
			switch {
			case strings.HasPrefix(rest, "tkr"):
				p.unitStated, p.unitLoc = "tkr", r.loc
			case strings.HasPrefix(rest, "kr"):
				p.unitStated, p.unitLoc = "kr", r.loc
			}
		}
	}
	insats := strings.Contains(low, "insatsens löptid")
	if strings.Contains(low, "löptid") && (len(p.period) == 0 || (insats && !p.periodInsats)) {
		if ds := budgetRowDates(r); len(ds) > 0 {
			if len(ds) > 2 {
				ds = ds[:2]
			}
			p.period, p.periodLoc, p.periodInsats = ds, r.loc, insats
		}
	}
}

// partyHeader recognises the detailed budget's column header at rows[i]
// and returns how many rows it takes (0 when it is not one).
func (p *budgetParse) partyHeader(rows []budgetRow, i int) int {
	r := rows[i]
	var roles []budgetCell
	var orgs []string
	for _, c := range r.cells {
		if rest, ok := budgetRole(c.text); ok {
			roles = append(roles, c)
			orgs = append(orgs, rest)
		}
	}
	// A single role in the row's first cell labels a summary row
	// ("Huvudinsatsägare" / "Älvkarleby kommun 1 540 400 …").
	if len(roles) == 0 || (len(roles) == 1 && r.cells[0].text == roles[0].text) {
		return 0
	}
	m := &budgetCols{xmode: true}
	for _, c := range roles {
		if !c.hasX() {
			m.xmode = false
		}
	}
	for j, c := range roles {
		start := m.pos(c)
		if m.xmode {
			start = c.x0
		}
		key, ph, ok := budgetOrg(orgs[j])
		if !ok {
			key, ph = "", true
		}
		m.cols = append(m.cols, budgetColumn{start: start, kind: budgetColParty, key: key, placeholder: ph})
	}
	used := 1
	addTotal := func(c budgetCell) {
		for _, col := range m.cols {
			if col.kind == budgetColTotal {
				return
			}
		}
		start := m.pos(c)
		if m.xmode && c.hasX() {
			start = c.x0
		}
		m.cols = append(m.cols, budgetColumn{start: start, kind: budgetColTotal})
	}
	for _, c := range r.cells {
		if budgetIsTotalHeader(budgetNorm(c.text)) {
			addTotal(c)
		}
	}
	m.sortCols()
	// The organisations may sit on the next row (xlsx, PDF).
	if i+1 < len(rows) {
		next := rows[i+1]
		named := false
		for _, c := range next.cells {
			low := budgetNorm(c.text)
			if budgetIsTotalHeader(low) {
				addTotal(c)
				named = true
				continue
			}
			key, ph, ok := budgetOrg(c.text)
			if !ok {
				continue
			}
			idx := m.index(c)
			if idx < 0 || m.cols[idx].kind != budgetColParty || (m.cols[idx].key != "" && !m.cols[idx].placeholder) {
				continue
			}
			m.cols[idx].key, m.cols[idx].placeholder = key, ph
			named = true
		}
		if named {
			used = 2
			m.sortCols()
		}
	}
	for k := range m.cols {
		if m.cols[k].kind == budgetColParty && m.cols[k].key == "" {
			m.cols[k].key, m.cols[k].placeholder = "NAMN", true
		}
	}
	p.cols = m
	p.hasDetail = true
	p.state = budgetStateDetail
	p.section = "requested"
	p.group = ""
	p.requested = budgetNewGroups()
	p.parties = p.parties[:0]
	for _, col := range m.cols {
		if col.kind == budgetColParty && !col.placeholder && !budgetContains(p.parties, col.key) {
			p.parties = append(p.parties, col.key)
		}
	}
	p.locs["/parties"] = r.loc
	return used
}

func budgetContains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// rowFigures splits a row into its label area (cells left of the first
// column) and the figures in the party and total columns.
type budgetFigures struct {
	label   []string
	percent *float64
	dates   []string
	amounts map[int]int64 // by column index
	refs    map[int]string
	percRef string
}

func (p *budgetParse) figures(r budgetRow, m *budgetCols) budgetFigures {
	f := budgetFigures{amounts: map[int]int64{}, refs: map[int]string{}}
	left := []budgetCell{}
	for _, c := range r.cells {
		idx := m.index(c)
		if idx < 0 {
			left = append(left, c)
			continue
		}
		vals, ok := budgetAmounts(c)
		if !ok {
			continue
		}
		for k, v := range vals {
			j := m.gluedIndex(c, idx, k, len(vals))
			if j < 0 || j >= len(m.cols) {
				continue
			}
			if _, seen := f.amounts[j]; seen {
				continue // two figures in one column: keep the first
			}
			f.amounts[j] = v
			f.refs[j] = c.ref
		}
	}
	for i := 0; i < len(left); i++ {
		c := left[i]
		if v, ok := budgetPercent(c); ok && f.percent == nil {
			f.percent = &v
			f.percRef = c.ref
			continue
		}
		if d, ok := budgetDate(c); ok {
			f.dates = append(f.dates, d)
			continue
		}
		// A date split over two cells ("31/12-" "2023").
		if i+1 < len(left) && c.value == nil && left[i+1].value == nil {
			if d, ok := budgetDate(budgetCell{text: c.text + " " + left[i+1].text}); ok {
				f.dates = append(f.dates, d)
				i++
				continue
			}
		}
		if c.value != nil {
			continue // a stray number in the label area
		}
		if _, ok := budgetAmounts(c); ok && len(f.label) > 0 {
			continue
		}
		f.label = append(f.label, c.text)
	}
	return f
}

func (f budgetFigures) hasAmounts() bool { return len(f.amounts) > 0 }

// detailRow handles one row of the detailed budget.
func (p *budgetParse) detailRow(r budgetRow, low string) {
	m := p.cols
	f := p.figures(r, m)
	label := budgetLabelText(f.label)
	llow := budgetNorm(label)
	switch {
	case strings.HasPrefix(llow, "summa lönekostnader"):
		p.sumRow(r, f, "salaries")
	case strings.HasPrefix(llow, "summa lokalkostnader"):
		p.sumRow(r, f, "premises")
	case strings.HasPrefix(llow, "summa övriga kostnader"):
		p.sumRow(r, f, "other")
	case strings.HasPrefix(llow, "totalt från samordningsförbundet"):
		p.reqTotal = p.totalRow(r, f, "/requested_total")
		p.section, p.group = "own", ""
	case strings.HasPrefix(llow, "summa egenfinansiering"):
		p.ownTotal = p.totalRow(r, f, "/own_financing_total")
	case strings.HasPrefix(llow, "total kostnad"):
		p.totalCost = p.totalRow(r, f, "/total_cost")
		p.state = budgetStateNone
		p.pending, p.lastGroup = nil, nil
	case strings.HasPrefix(llow, "egenfinansiering"):
		p.ownHeader(r)
	case strings.HasPrefix(llow, "lönekostnader") && !f.hasAmounts():
		p.group, p.pending, p.lastGroup = "salaries", nil, nil
	case (llow == "lokalkostnader" || strings.HasPrefix(llow, "lokalkostnader ")) && !f.hasAmounts():
		p.group, p.pending, p.lastGroup = "premises", nil, nil
	case strings.HasPrefix(llow, "övriga kostnader") && !f.hasAmounts():
		p.group, p.pending, p.lastGroup = "other", nil, nil
	case strings.HasPrefix(llow, "kostnader att rekvirera"), strings.HasPrefix(llow, "fyll i"),
		strings.HasPrefix(llow, "budget - detaljerad"), strings.Contains(llow, "löptid"),
		strings.HasPrefix(llow, "inkl po"), strings.HasPrefix(llow, "kostnader i "):
		// template furniture
	default:
		p.lineRow(r, f, label)
	}
}

func (p *budgetParse) groups() *schema.CostGroups {
	if p.section == "own" {
		if p.own == nil {
			p.own = budgetNewGroups()
		}
		return p.own
	}
	return p.requested
}

func budgetGroup(g *schema.CostGroups, name string) *schema.CostGroup {
	switch name {
	case "salaries":
		return g.Salaries
	case "premises":
		return g.Premises
	}
	return g.Other
}

// ownHeader reads the Egenfinansiering block's repeated party header: the
// organisations rename the columns they stand over.
//
// The template's own-financing block opens with its salary lines, sometimes
// without a "Lönekostnader" subheading of its own, so the group starts as
// salaries until a subheading says otherwise.
func (p *budgetParse) ownHeader(r budgetRow) {
	p.section, p.group, p.pending, p.lastGroup = "own", "salaries", nil, nil
	if p.own == nil {
		p.own = budgetNewGroups()
	}
	m := &budgetCols{xmode: p.cols.xmode, cols: append([]budgetColumn(nil), p.cols.cols...)}
	renamed := map[int]bool{}
	for _, c := range r.cells[1:] {
		key, ph, ok := budgetOrg(c.text)
		if !ok {
			continue
		}
		idx := m.index(c)
		if idx < 0 || m.cols[idx].kind != budgetColParty || renamed[idx] {
			continue
		}
		m.cols[idx].key, m.cols[idx].placeholder = key, ph
		renamed[idx] = true
	}
	p.cols = m
}

// lineRow handles a cost line, a wrapped label piece or an unused row.
func (p *budgetParse) lineRow(r budgetRow, f budgetFigures, label string) {
	if p.group == "" {
		return
	}
	hasFigures := f.hasAmounts() || f.percent != nil || len(f.dates) > 0
	if !hasFigures {
		if label == "" {
			return
		}
		// A label alone on its row: the second half of the line above
		// ("tjänster avsedda för deltagare"), or the first half of the
		// next one.
		if p.lastGroup != nil && budgetStartsLower(label) {
			l := &p.lastGroup.Lines[p.lastIdx]
			l.Label += " " + label
			return
		}
		p.pending = append(p.pending, label)
		return
	}
	if len(p.pending) > 0 {
		if label == "" || budgetStartsLower(label) || budgetEndsOpen(p.pending[len(p.pending)-1]) {
			label = budgetLabelText(append(p.pending, label))
		}
		p.pending = nil
	}
	line := schema.BudgetLine{Label: label, Amounts: map[string]int64{}}
	if f.percent != nil {
		line.Percent = f.percent
	}
	if len(f.dates) > 0 {
		line.From = &f.dates[0]
	}
	if len(f.dates) > 1 {
		line.To = &f.dates[1]
	}
	used := (f.percent != nil && *f.percent != 0) || len(f.dates) > 0
	for idx, v := range f.amounts {
		col := p.cols.cols[idx]
		if col.kind == budgetColTotal {
			line.Total = budgetI64(v)
			used = used || v != 0
			continue
		}
		if v == 0 {
			continue
		}
		used = true
		line.Amounts[col.key] += v
	}
	if !used {
		p.lastGroup = nil
		return // an unused template row
	}
	g := budgetGroup(p.groups(), p.group)
	g.Lines = append(g.Lines, line)
	n := len(g.Lines) - 1
	ptr := "/" + p.sectionKey() + "/" + p.group + "/lines/" + strconv.Itoa(n)
	p.locs[ptr] = r.loc
	p.cellLocs(ptr, r, f)
	p.lastGroup, p.lastIdx = g, n
}

func (p *budgetParse) sectionKey() string {
	if p.section == "own" {
		return "own_financing"
	}
	return "requested"
}

// cellLocs records where each figure of a row was seen.
func (p *budgetParse) cellLocs(ptr string, r budgetRow, f budgetFigures) {
	for idx, ref := range f.refs {
		loc := r.loc
		loc.Cell = ref
		col := p.cols.cols[idx]
		if col.kind == budgetColTotal {
			p.locs[ptr+"/total"] = loc
		} else {
			p.locs[ptr+"/amounts/"+budgetPointerEscape(col.key)] = loc
		}
	}
	if f.percRef != "" {
		loc := r.loc
		loc.Cell = f.percRef
		p.locs[ptr+"/percent"] = loc
	}
}

func budgetPointerEscape(s string) string { return pointerEscaper.Replace(s) }

// pointerEscaper escapes a JSON Pointer key (RFC 6901).
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func budgetStartsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

func budgetEndsOpen(s string) bool {
	s = strings.TrimSpace(s)
	low := strings.ToLower(s)
	return strings.HasSuffix(s, ",") || strings.HasSuffix(s, "-") || strings.HasSuffix(low, " och") ||
		strings.HasSuffix(low, " samt") || strings.HasSuffix(low, " för") || strings.HasSuffix(low, " till")
}

// amountsAsWritten gives a Summa or total row's party amounts: every
// written figure, zeros included, placeholders only when non-zero.
func (p *budgetParse) amountsAsWritten(f budgetFigures) (map[string]int64, *int64) {
	out := map[string]int64{}
	var total *int64
	for idx, v := range f.amounts {
		col := p.cols.cols[idx]
		switch {
		case col.kind == budgetColTotal:
			total = budgetI64(v)
		case col.placeholder && v == 0:
		default:
			out[col.key] += v
		}
	}
	return out, total
}

func (p *budgetParse) sumRow(r budgetRow, f budgetFigures, group string) {
	p.group, p.pending, p.lastGroup = group, nil, nil
	am, total := p.amountsAsWritten(f)
	g := budgetGroup(p.groups(), group)
	g.Sum = &schema.SumRow{Percent: f.percent, Amounts: am, Total: total}
	ptr := "/" + p.sectionKey() + "/" + group + "/sum"
	p.locs[ptr] = r.loc
	p.cellLocs(ptr, r, f)
}

func (p *budgetParse) totalRow(r budgetRow, f budgetFigures, ptr string) *schema.Total {
	p.group, p.pending, p.lastGroup = "", nil, nil
	am, total := p.amountsAsWritten(f)
	p.locs[ptr] = r.loc
	p.cellLocs(ptr, r, f)
	return &schema.Total{Amounts: am, Total: total}
}

func budgetI64(v int64) *int64 { return &v }

// ---------------------------------------------------------------------
// Budgetsammanställning.

const (
	budgetSumRequested = iota
	budgetSumOwn
	budgetSumOther
	budgetSumTotal
)

func budgetIsSummaryStart(low string) bool {
	if strings.Contains(low, "kostnader att rekvirera") {
		return false
	}
	return strings.Contains(low, "att rekvirera från") || strings.Contains(low, "totalt projektet") ||
		strings.Contains(low, "projektägarnas")
}

// summaryKind classifies a summary header fragment (the header may wrap:
// "Att rekvirera från" / "Samordningsförbundet").
func budgetSummaryKind(low string) (int, bool) {
	switch {
	case strings.Contains(low, "rekvirera"), strings.HasPrefix(low, "samordningsförbundet"):
		return budgetSumRequested, true
	case strings.Contains(low, "egenfinansiering"), strings.HasPrefix(low, "projektägarnas"):
		return budgetSumOwn, true
	case strings.Contains(low, "övrig finansiering"), strings.Contains(low, "esf"):
		return budgetSumOther, true
	case strings.Contains(low, "totalt"):
		return budgetSumTotal, true
	}
	return 0, false
}

// summaryHead adds a header row's fragments to the summary's columns.
func (p *budgetParse) summaryHead(r budgetRow) {
	m := p.sumCols
	if len(m.cols) == 0 {
		m.xmode = true
		for _, c := range r.cells {
			if !c.hasX() {
				m.xmode = false
			}
		}
	}
	for _, c := range r.cells {
		kind, ok := budgetSummaryKind(budgetNorm(c.text))
		if !ok {
			continue
		}
		start := m.pos(c)
		if m.xmode && c.hasX() {
			start = c.x0
		}
		found := false
		for k := range m.cols {
			if m.cols[k].kind == kind {
				m.cols[k].start = math.Min(m.cols[k].start, start)
				found = true
			}
		}
		if !found {
			m.cols = append(m.cols, budgetColumn{start: start, kind: kind})
		}
	}
	m.sortCols()
}

func (p *budgetParse) summaryRow(r budgetRow, low string) {
	first := r.cells[0]
	firstLow := budgetNorm(first.text)
	if p.state == budgetStateSummaryHead {
		_, isRole := budgetRole(first.text)
		_, _, isOrg := budgetOrg(first.text)
		_, isKind := budgetSummaryKind(firstLow)
		if !isRole && !(isOrg && !isKind && len(r.cells) > 1) {
			p.sumHeads++
			if p.sumHeads > 4 {
				p.state = budgetStateNone // not a summary after all
				return
			}
			p.summaryHead(r)
			return
		}
		if len(p.sumCols.cols) < 2 {
			p.state = budgetStateNone
			return
		}
		p.state = budgetStateSummary
	}
	if strings.HasPrefix(firstLow, "summa") {
		p.endSummary()
		return
	}
	m := p.sumCols
	var label []string
	vals := map[int]int64{}
	refs := map[int]string{}
	for _, c := range r.cells {
		idx := m.index(c)
		if idx < 0 {
			label = append(label, c.text)
			continue
		}
		am, ok := budgetAmounts(c)
		if !ok {
			continue
		}
		for k, v := range am {
			j := m.gluedIndex(c, idx, k, len(am))
			if j < 0 || j >= len(m.cols) {
				continue
			}
			if _, seen := vals[j]; !seen {
				vals[j], refs[j] = v, c.ref
			}
		}
	}
	text := strings.Join(label, "\n")
	org := ""
	if rest, ok := budgetRole(text); ok {
		org = rest
		if org == "" && len(vals) == 0 {
			p.sumRole = true // the organisation is on the next row
			return
		}
	} else if p.sumRole || len(vals) > 0 {
		org = text
	} else {
		return // text between the rows (instructions)
	}
	p.sumRole = false
	key, ph, ok := budgetOrg(org)
	if !ok {
		key, ph = "NAMN", true
	}
	row := schema.SummaryRow{Party: key}
	nonZero := false
	for idx, v := range vals {
		switch m.cols[idx].kind {
		case budgetSumRequested:
			row.Requested = budgetI64(v)
		case budgetSumOwn:
			row.OwnFinancing = budgetI64(v)
		case budgetSumOther:
			row.Other = budgetI64(v)
		case budgetSumTotal:
			row.Total = budgetI64(v)
		}
		nonZero = nonZero || v != 0
	}
	if ph && !nonZero {
		return // an unused placeholder row
	}
	ptr := "/summary/" + strconv.Itoa(len(p.pendingSummary))
	p.sumLocs[ptr] = r.loc
	names := map[int]string{budgetSumRequested: "requested", budgetSumOwn: "own_financing", budgetSumOther: "other", budgetSumTotal: "total"}
	for idx, ref := range refs {
		loc := r.loc
		loc.Cell = ref
		p.sumLocs[ptr+"/"+names[m.cols[idx].kind]] = loc
	}
	p.pendingSummary = append(p.pendingSummary, row)
}

// endSummary keeps the summary just read: the first one, or a later one
// under a "Budgetsammanställning" title when the kept one had none.
func (p *budgetParse) endSummary() {
	rows, locs, titled := p.pendingSummary, p.sumLocs, p.titled
	p.pendingSummary, p.sumLocs = nil, nil
	p.state, p.sumRole, p.titled = budgetStateNone, false, false
	if len(rows) == 0 || (len(p.summary) > 0 && (p.summaryTitled || !titled)) {
		return
	}
	p.summary, p.summaryTitled = rows, titled
	for k := range p.locs {
		if strings.HasPrefix(k, "/summary/") {
			delete(p.locs, k)
		}
	}
	for k, v := range locs {
		p.locs[k] = v
	}
}

// ---------------------------------------------------------------------
// Putting the budget together.

// budgetAssemble makes the record's budget from the per-file parses: the
// detailed budget from the best source (a workbook's exact values before
// a PDF's or Word's text), the summary from the same file when it has one.
func budgetAssemble(results []*budgetParse) (*schema.Budget, map[string]BudgetLoc) {
	pick := func(ok func(*budgetParse) bool) *budgetParse {
		var best *budgetParse
		for _, r := range results {
			if ok(r) && (best == nil || (r.exact && !best.exact)) {
				best = r
			}
		}
		return best
	}
	detail := pick(func(r *budgetParse) bool { return r.hasDetail })
	summary := detail
	if summary == nil || len(summary.summary) == 0 {
		if s := pick(func(r *budgetParse) bool { return len(r.summary) > 0 }); s != nil {
			summary = s
		}
	}
	meta := detail
	if meta == nil {
		meta = summary
	}

	b := &schema.Budget{Parties: []string{}, Summary: []schema.SummaryRow{}}
	locs := map[string]BudgetLoc{}
	unitSrc := meta
	if unitSrc.unitStated == "" && summary != nil && summary.unitStated != "" {
		unitSrc = summary
	}
	if unitSrc.unitStated != "" {
		u := unitSrc.unitStated
		b.UnitStated = &u
		locs["/budget/unit_stated"] = unitSrc.unitLoc
	}
	periodSrc := meta
	if len(periodSrc.period) == 0 && summary != nil && len(summary.period) > 0 {
		periodSrc = summary
	}
	if ps := periodSrc.period; len(ps) > 0 {
		b.Period = &schema.BudgetPeriod{Start: &ps[0]}
		if len(ps) > 1 {
			b.Period.End = &ps[1]
		}
		locs["/budget/period"] = periodSrc.periodLoc
	}
	if detail != nil {
		b.Parties = append(b.Parties, detail.parties...)
		b.Requested, b.OwnFinancing = detail.requested, detail.own
		b.RequestedTotal, b.OwnFinancingTotal, b.TotalCost = detail.reqTotal, detail.ownTotal, detail.totalCost
		for k, v := range detail.locs {
			if !strings.HasPrefix(k, "/summary/") {
				locs["/budget"+k] = v
			}
		}
	}
	if summary != nil && len(summary.summary) > 0 {
		b.Summary = append(b.Summary, summary.summary...)
		for k, v := range summary.locs {
			if strings.HasPrefix(k, "/summary/") {
				locs["/budget"+k] = v
			}
		}
		if detail == nil {
			for _, r := range b.Summary {
				if r.Party != "NAMN" && !budgetContains(b.Parties, r.Party) {
					b.Parties = append(b.Parties, r.Party)
				}
			}
		}
	}
	b.Unit = "kr"
	if med, top := budgetMedianMax(b); b.UnitStated != nil && *b.UnitStated == "tkr" && med > 0 &&
		med < budgetKronorMedian && top < budgetKronorMax {
		b.Unit = "tkr"
		budgetScale(b, 1000)
	}
	return b, locs
}

// budgetEach calls fn on every figure of the budget.
func budgetEach(b *schema.Budget, fn func(*int64)) {
	amounts := func(m map[string]int64) {
		for k, v := range m {
			fn(&v)
			m[k] = v
		}
	}
	for _, g := range []*schema.CostGroups{b.Requested, b.OwnFinancing} {
		if g == nil {
			continue
		}
		for _, cg := range []*schema.CostGroup{g.Salaries, g.Premises, g.Other} {
			if cg == nil {
				continue
			}
			for i := range cg.Lines {
				amounts(cg.Lines[i].Amounts)
				if cg.Lines[i].Total != nil {
					fn(cg.Lines[i].Total)
				}
			}
			if cg.Sum != nil {
				amounts(cg.Sum.Amounts)
				if cg.Sum.Total != nil {
					fn(cg.Sum.Total)
				}
			}
		}
	}
	for _, t := range []*schema.Total{b.RequestedTotal, b.OwnFinancingTotal, b.TotalCost} {
		if t == nil {
			continue
		}
		amounts(t.Amounts)
		if t.Total != nil {
			fn(t.Total)
		}
	}
	for i := range b.Summary {
		for _, v := range []*int64{b.Summary[i].Requested, b.Summary[i].OwnFinancing, b.Summary[i].Other, b.Summary[i].Total} {
			if v != nil {
				fn(v)
			}
		}
	}
}

// A budget whose figures reach these sizes is in kronor, whatever its
// header says: in thousands they would make a project of tens of
// millions, far above any Finsam insats (a whole budget is typically 1-5
// million kronor; its salary lines are hundreds of thousands).
const (
	budgetKronorMedian = 10_000  // median non-zero figure
	budgetKronorMax    = 100_000 // largest figure
)

// budgetMedianMax gives the median and the largest of the budget's
// non-zero figures, in absolute value; 0, 0 when there are none.
func budgetMedianMax(b *schema.Budget) (median, top int64) {
	var vs []int64
	budgetEach(b, func(v *int64) {
		if *v != 0 {
			vs = append(vs, max(*v, -*v))
		}
	})
	if len(vs) == 0 {
		return 0, 0
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i] < vs[j] })
	return vs[len(vs)/2], vs[len(vs)-1]
}

func budgetScale(b *schema.Budget, k int64) {
	budgetEach(b, func(v *int64) { *v *= k })
}
