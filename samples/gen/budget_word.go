package main

// The budget as a Word table in the layout of the template's "Budget -
// detaljerad" sheet (for templates that put the budget in the document).

const (
	nbsp   = "\u00a0"
	narrow = "\u202f"
)

// wordTable renders the budget. Party amounts use NBSP as thousands
// separator, the ATT REKVIRERA column U+202F (as pasted from different
// sources).
func (b *budget) wordTable() string {
	grid := []int{2700, 800, 1050, 1050, 1800, 1800, 1800, 1800, 1900}
	if b.wordGrid != nil {
		grid = b.wordGrid
	}
	const headShade, sumShade = "D9D9D9", "F2F2F2"
	p := func(s string, bold bool, align string) string {
		return para{style: "TableText", align: align, runs: []run{{text: s, bold: bold, font: b.wordFont, size: b.wordSize}}}.xml()
	}
	txt := func(s string) cell { return cell{content: p(s, false, "")} }
	hdrSize := 16
	if b.wordSize != 0 {
		hdrSize = b.wordSize
	}
	hdr := func(s string) cell {
		return cell{content: para{style: "TableText", align: "center", runs: []run{{text: s, bold: true, size: hdrSize, font: b.wordFont}}}.xml(), shade: headShade}
	}
	amt := func(n int64, sep string, showZero bool) cell {
		if n == 0 && !showZero {
			return cell{}
		}
		return cell{content: p(kr(n, sep), false, "right")}
	}
	sumAmt := func(n int64, sep string) cell {
		return cell{content: p(kr(n, sep), true, "right"), shade: sumShade}
	}
	date := func(d bDate) cell {
		switch {
		case !d.t.IsZero():
			return cell{content: p(d.t.Format("06-01-02"), false, "center")}
		case d.text != "":
			return cell{content: p(d.text, false, "center")}
		}
		return cell{}
	}
	percent := func(v *float64) cell {
		if v == nil {
			return cell{}
		}
		return cell{content: p(kr(int64(*v*100+0.5), nbsp)+"%", false, "right")}
	}
	var rows [][]cell
	line := func(l bLine) {
		row := []cell{txt(l.label), percent(l.pct), date(l.from), date(l.to)}
		for _, a := range l.amounts {
			row = append(row, amt(a, nbsp, false))
		}
		row = append(row, amt(l.total(), narrow, false))
		rows = append(rows, row)
	}
	sum := func(label string, pctSum *float64, a [4]int64) {
		row := []cell{{content: p(label, true, ""), shade: sumShade}, {content: func() string {
			if pctSum == nil {
				return ""
			}
			return p(kr(int64(*pctSum*100+0.5), nbsp)+"%", true, "right")
		}(), shade: sumShade}, {shade: sumShade}, {shade: sumShade}}
		for _, x := range a {
			row = append(row, sumAmt(x, nbsp))
		}
		row = append(row, sumAmt(total4(a), narrow))
		rows = append(rows, row)
	}
	section := func(s string) {
		rows = append(rows, []cell{{content: p(s, true, ""), span: 9}})
	}

	rows = append(rows,
		[]cell{{content: para{runs: []run{{text: "Budget - detaljerad " + b.name, bold: true, size: 26, font: b.wordFont}}}.xml(), span: 9}},
		[]cell{{content: p("Insatsens löptid:", true, "")},
			{content: p(b.start.Format("2006-01-02"), false, ""), span: 3},
			{content: p(b.end.Format("2006-01-02"), false, ""), span: 5}},
		[]cell{{content: p("Kostnader att rekvirera från Samordningsförbundet", true, ""), span: 9, shade: "FFF2CC"}},
	)
	head := []cell{{content: p(b.unitHeader, true, ""), span: 4, vMerge: "restart", shade: headShade}, hdr("Huvudinsatsägare"),
		hdr("Delinsatsägare"), hdr("Delinsatsägare"), hdr("Delinsatsägare"),
		{content: p("ATT REKVIRERA - ALLA INSATSÄGARE", true, "center"), vMerge: "restart", shade: headShade}}
	names := []cell{{span: 4, vMerge: "continue", shade: headShade}}
	for _, n := range b.parties {
		names = append(names, hdr(n))
	}
	names = append(names, cell{vMerge: "continue", shade: headShade})
	rows = append(rows, head, names)
	rows = append(rows, []cell{hdr("Lönekostnader inkl PO.pålägg"), hdr("tjänst i %"),
		hdr("tidsperiod (ååmmdd) från"), hdr("till"), {shade: headShade}, {shade: headShade}, {shade: headShade}, {shade: headShade}, {shade: headShade}})
	sal := b.reqSalaries()
	for _, l := range sal {
		line(l)
	}
	ps := sumPct(sal)
	salSum := sumLines(sal)
	sum("Summa lönekostnader", &ps, salSum)

	section("Lokalkostnader")
	line(rentLine(b.rent))
	line(premLine(b.prem))
	premSum := sumLines([]bLine{b.rent, b.prem})
	sum("Summa lokalkostnader", nil, premSum)

	section("Övriga kostnader")
	var oth []bLine
	for _, l := range b.otherLines() {
		if l.label != "" {
			oth = append(oth, l)
			line(l)
		}
	}
	sum("Summa övriga kostnader", nil, sumLines(oth))
	sum("Totalt från Samordningsförbundet", nil, b.requested())

	own := []cell{{content: p("Egenfinansiering", true, ""), span: 4, shade: headShade}}
	for _, n := range b.parties {
		own = append(own, hdr(n))
	}
	own = append(own, cell{shade: headShade})
	rows = append(rows, own)
	osal := b.ownSal()
	for _, l := range osal {
		line(l)
	}
	ops := sumPct(osal)
	sum("Summa lönekostnader", &ops, sumLines(osal))
	line(rentLine(b.ownRent))
	line(premLine(b.ownPrem))
	sum("Summa lokalkostnader", nil, sumLines([]bLine{b.ownRent, b.ownPrem}))
	for _, l := range b.ownOth() {
		line(l)
	}
	sum("Summa övriga kostnader", nil, sumLines(b.ownOth()))
	sum("Summa egenfinansiering", nil, b.own())
	sum("Total kostnad för insatsen", nil, add4(b.requested(), b.own()))
	return table(grid, rows)
}
