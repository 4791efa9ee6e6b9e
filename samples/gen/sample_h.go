package main

// Families H and I: budgets whose header cells wrap. The form is C's
// shape (numbered bold questions, a key–value field table, ☒ Ja, one
// signature table with a column per party) for the invented
// "Samordningsförbundet Skelleftebygden". H puts the budget in the
// document as a Word table with narrow party columns set in "Segoe UI",
// a font that is not installed: LibreOffice substitutes a wider one, so
// "Huvudinsatsägare", "Arbetsförmedlingen" and "Försäkringskassan" break
// mid-word and the party names run over two or three lines. I keeps the
// budget in its workbook, with narrow party columns in the same font;
// its PDF appends the workbook as LibreOffice Calc prints it (make.sh),
// bottom-aligned headers and all. Both are clean samples.

import (
	"path/filepath"

	"github.com/finsam/ansokan/schema"
	"github.com/finsam/ansokan/score"
)

const (
	hStem  = "h-langa-namn"
	hTitle = "Långa steg – samordnat stöd i Skelleftebygden"
	iStem  = "i-smala-kolumner"
	iTitle = "Smala steg – arbetsträning i Skelleftebygden"
)

var hParties = [4]string{"Skellefteå kommun", "Arbetsförmedlingen", "Region Västerbotten", "Försäkringskassan"}

func hBudget(name string) *budget {
	period := func(l bLine) bLine { l.from, l.to = day("2025-09-01"), day("2027-08-31"); return l }
	return &budget{
		name:        name,
		summaryName: name,
		start:       day("2025-09-01").t,
		end:         day("2027-08-31").t,
		unitHeader:  "Kostnader i kr",
		parties:     hParties,
		salaries: []bLine{
			period(bLine{label: "1. Samordnare", pct: pct(1), amounts: [4]int64{1080000, 0, 0, 0}}),
			period(bLine{label: "2. Arbetsterapeut", pct: pct(0.5), amounts: [4]int64{0, 0, 540000, 0}}),
		},
		rent: bLine{amounts: [4]int64{96000, 0, 0, 0}},
		other: map[string]bLine{
			"Utvärdering": {amounts: [4]int64{120000, 0, 0, 0}},
			"Inköpta utredningar, utbildningar och tjänster avsedda för deltagare": {amounts: [4]int64{90000, 0, 0, 0}},
			"Resor":                {amounts: [4]int64{40000, 0, 0, 0}},
			"Informationsmaterial": {amounts: [4]int64{14000, 0, 0, 0}},
		},
		ownSalaries: []bLine{
			period(bLine{label: "1. Arbetsförmedlare", pct: pct(0.25), amounts: [4]int64{0, 240000, 0, 0}}),
			period(bLine{label: "2. Handläggare", pct: pct(0.2), amounts: [4]int64{0, 0, 0, 180000}}),
		},
		summary: []summaryRow{
			{"Huvudinsatsägare", "Skellefteå kommun", 0},
			{"Delinsatsägare 1", "Arbetsförmedlingen", 1},
			{"Delinsatsägare 2", "Region Västerbotten", 2},
			{"Delinsatsägare 3", "Försäkringskassan", 3},
		},
	}
}

func writeH(out string) error {
	b := hBudget("Långa steg")
	b.wordGrid = []int{1800, 650, 900, 900, 1050, 1050, 1050, 1050, 1150}
	b.wordFont = "Segoe UI"
	b.wordSize = 15
	b.summary = nil // the Word table has no Budgetsammanställning
	return writeHI(out, hStem, hTitle, b, true)
}

func writeI(out string) error {
	b := hBudget("Smala steg")
	b.sheetFont = "Segoe UI"
	b.partyWidth = 13
	return writeHI(out, iStem, iTitle, b, false)
}

// writeHI writes H (wordTable true: the budget is a Word table in the
// document) or I (the budget is the workbook beside it).
func writeHI(out, stem, title string, b *budget, wordTable bool) error {
	requested, own := total4(b.requested()), total4(b.own())
	d := recorded(&doc{header: "Samordningsförbundet Skelleftebygden", stamp: "Ansökan 2025", title: title,
		author: "Hanna Marklund", lastSect: sectPr(false, 1000)})
	d.p(para{runs: []run{{text: "Ansökan om samverkansmedel", bold: true, size: 36}}})
	d.doc.text("Samordningsförbundet Skelleftebygden")
	d.empty()
	d.add(kvTable([][2]string{
		{"Projektnamn", title},
		{"Projektägare", "Skellefteå kommun"},
		{"Samverkansparter", "Arbetsförmedlingen, Region Västerbotten, Försäkringskassan"},
		{"Projektperiod", "2025-09-01 – 2027-08-31"},
		{"Antal deltagare", "50"},
		{"Kontaktperson", "Hanna Marklund, projektledare"},
	}))
	d.empty()

	d.boldSection(schema.SectionPurpose, "1. Syfte med insatsen")
	d.text("Syftet är att personer i Skellefteå som står långt från arbetsmarknaden ska få ett samordnat stöd från parterna, så att de kan börja arbeta, studera eller delta i arbetslivsinriktad rehabilitering.")
	d.boldSection(schema.SectionGoals, "2. Mål")
	d.text("Insatsen har följande mål:")
	d.bullets(
		"Minst 50 personer deltar under projektperioden.",
		"Fyra av tio deltagare har vid avslut gått vidare till arbete eller studier.",
		"Parterna har en gemensam rutin för överlämning som används även efter projektperioden.",
	)
	d.boldSection(schema.SectionBackground, "3. Bakgrund och behov")
	d.text("Skellefteå växer snabbt och arbetsgivarna söker personal, samtidigt som en grupp invånare har stått utan arbete i många år. Många av dem har kontakt med flera av parterna men får inget samlat stöd.")
	d.boldSection(schema.SectionTargetGroup, "4. Målgrupp")
	d.text("Personer 18–64 år som är folkbokförda i Skellefteå kommun, som har behov av samordnat stöd från minst två av parterna och som har varit utan arbete i mer än två år.")
	d.boldSection(schema.SectionMethods, "5. Metod och arbetssätt")
	d.text("En samordnare är deltagarens kontaktperson och kallar till gemensamma möten. Arbetsterapeuten bedömer arbetsförmågan och följer deltagaren under arbetsträningen hos en arbetsgivare.")
	d.boldSection(schema.SectionEvaluation, "6. Uppföljning och utvärdering")
	d.text("Styrgruppen följer upp insatsen varje kvartal. Deltagarna registreras i SUS, och en extern utvärderare lämnar en slutrapport i juni 2027.")
	d.boldSection(schema.SectionResultsUse, "7. Implementering")
	d.text("Rutinen för gemensam planering förs in i parternas ordinarie samverkan under projektperiodens sista halvår. Styrgruppen beslutar om implementeringen i januari 2027.")
	d.boldSection(schema.SectionBudgetText, "8. Budget och finansiering")
	d.text("Från förbundet söks " + kr(requested, " ") + " kr; den totala kostnaden är " + kr(requested+own, " ") +
		" kr varav egenfinansiering " + kr(own, " ") + " kr.")
	if wordTable {
		d.text("Budgeten finns i tabellen nedan.")
	} else {
		d.text("Budgeten i sin helhet finns i bifogad fil.")
	}
	d.boldSection("", "9. Förankring")
	d.doc.text("Har ansökan diskuterats i beredningsgruppen?   ☒ Ja   ☐ Nej")
	d.key = "anchoring.how"
	d.text("Ansökan har diskuterats i beredningsgruppen i Skellefteå den 20 maj 2025.")

	d.boldSection("", "Underskrifter")
	signers := []cSigner{
		{"Skellefteå kommun", "2025-06-02", "Tove Lindberg", "Arbetsmarknadschef", "tove.lindberg@skelleftea.se"},
		{"Arbetsförmedlingen", "2025-06-03", "Mats Holmgren", "Sektionschef", "mats.holmgren@arbetsformedlingen.se"},
		{"Region Västerbotten", "2025-06-04", "Sara Nordin", "Verksamhetschef", "sara.nordin@regionvasterbotten.se"},
		{"Försäkringskassan", "2025-06-05", "Erik Stenlund", "Enhetschef", "erik.stenlund@forsakringskassan.se"},
	}
	lbl := func(s string) cell {
		return cell{shade: "E7E6E6", content: para{runs: []run{{text: s, bold: true, size: 16}}}.xml()}
	}
	val := func(s string) cell { return cell{content: para{runs: []run{{text: s, size: 16}}}.xml()} }
	rows := [][]cell{{lbl("")}}
	for _, s := range signers {
		rows[0] = append(rows[0], lbl(s.org))
	}
	for _, label := range []string{"Datum", "Namnteckning", "Namnförtydligande", "Befattning", "E-post"} {
		row := []cell{lbl(label)}
		for _, s := range signers {
			v := map[string]string{"Datum": s.date, "Namnförtydligande": s.name, "Befattning": s.position, "E-post": s.email}[label]
			if label == "Namnteckning" {
				row = append(row, cell{content: "<w:p/><w:p/>"})
				continue
			}
			row = append(row, val(v))
		}
		rows = append(rows, row)
	}
	d.add(table([]int{1470, 1900, 1900, 1900, 1900}, rows))
	d.empty()
	if wordTable {
		d.doc.bold("Bilaga 1. Budget")
		d.add(b.wordTable())
		d.empty()
	}
	if err := d.write(filepath.Join(out, stem+".docx")); err != nil {
		return err
	}
	if !wordTable {
		f, err := b.workbook(nil, nil)
		if err != nil {
			return err
		}
		if err := saveWorkbook(f, filepath.Join(out, stem+"-budget.xlsx"), "Hanna Marklund"); err != nil {
			return err
		}
	}

	g := &d.gold
	g.Title = strp(title)
	g.Owner = &schema.Owner{Organisation: strp("Skellefteå kommun"), Units: []string{}}
	g.Partners = goldPartners("Arbetsförmedlingen", "Region Västerbotten", "Försäkringskassan")
	g.Period = goldPeriod("2025-09-01", "2027-08-31", "")
	g.ExpectedParticipants = goldParticipants(50, false, "50")
	g.RequestedAmountSEK = int64p(requested)
	g.Anchoring = &schema.Anchoring{Discussed: boolp(true)}
	for i, s := range signers {
		g.Signatures = append(g.Signatures, goldSig(i == 0, s.org, s.date, s.name, s.email, false))
	}
	g.ExtraSections = []schema.Section{}
	g.Budget = b.goldBudget(hParties)
	g.Findings = []score.GoldFinding{}
	g.Complete = boolp(true)
	return writeGold(out, stem, g)
}
