package normalizer

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The detailed budget's columns: which party (role and organisation) or
// total each column is, and where a cell falls among them.

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
// The detailed budget's column header: roles and organisations.

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
