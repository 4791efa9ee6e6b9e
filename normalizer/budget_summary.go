package normalizer

import (
	"math"
	"strconv"
	"strings"

	"github.com/finsam/ansokan/schema"
)

// Summa rows, total rows and the Budgetsammanställning (the summary
// per year and party).

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
