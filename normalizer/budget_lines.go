package normalizer

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/finsam/ansokan/schema"
)

// The parse of one file's rows: meta rows, cost groups and their lines.

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
		if len(f.label) > 0 && budgetOnlyFigures(c.text) {
			continue // "50 4": a percent OCR misread, not the label's words
		}
		f.label = append(f.label, c.text)
	}
	return f
}

// budgetLabelIs tells whether a row's label (budgetNorm'd) starts with
// the words of a template's label: exactly, or with one letter wrong in
// each word of budgetFuzzyLen letters or more ("summa egenfinansicring",
// as OCR reads a scanned budget or an applicant types it). The short
// words must be right, and so the labels the template tells apart
// ("summa lönekostnader", "summa lokalkostnader") stay apart.
func budgetLabelIs(label, want string) bool {
	if strings.HasPrefix(label, want) {
		return true
	}
	lw, ww := strings.Fields(label), strings.Fields(want)
	if len(lw) < len(ww) {
		return false
	}
	for i, w := range ww {
		got := lw[i]
		if got == w {
			continue
		}
		if utf8.RuneCountInString(w) < budgetFuzzyLen || orgDistance(got, w, 2) > 1 {
			return false
		}
	}
	return true
}

// budgetFuzzyLen is the length from which a label word may have one
// letter wrong.
const budgetFuzzyLen = 8

// budgetOnlyFigures tells whether a cell holds digits and their
// punctuation only.
func budgetOnlyFigures(s string) bool {
	return strings.ContainsAny(s, "0123456789") && strings.Trim(s, "0123456789 \u00a0,.%-") == ""
}

func (f budgetFigures) hasAmounts() bool { return len(f.amounts) > 0 }

// detailRow handles one row of the detailed budget.
func (p *budgetParse) detailRow(r budgetRow, low string) {
	m := p.cols
	f := p.figures(r, m)
	label := budgetLabelText(f.label)
	llow := budgetNorm(label)
	switch {
	case budgetLabelIs(llow, "summa lönekostnader"):
		p.sumRow(r, f, "salaries")
	case budgetLabelIs(llow, "summa lokalkostnader"):
		p.sumRow(r, f, "premises")
	case budgetLabelIs(llow, "summa övriga kostnader"):
		p.sumRow(r, f, "other")
	case budgetLabelIs(llow, "totalt från samordningsförbundet"):
		p.reqTotal = p.totalRow(r, f, "/requested_total")
		p.section, p.group = "own", ""
	case budgetLabelIs(llow, "summa egenfinansiering"):
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
	// The period is the row's last two dates: the from and to columns
	// are the last before the amounts in every template, and a cell
	// left of them that reads as a date is something else (a percent
	// OCR read as "100926", a date the label mentions).
	dates := f.dates
	if len(dates) > 2 {
		dates = dates[len(dates)-2:]
	}
	if len(dates) > 0 {
		line.From = &dates[0]
	}
	if len(dates) > 1 {
		line.To = &dates[1]
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
