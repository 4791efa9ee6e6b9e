package main

// Family C: the "Projektansökan" of an invented förbund (Samordningsförbundet
// Norra Dalarna). No Word heading styles at all: the questions are
// numbered bold paragraphs; the fields sit in a two-column key–value
// table at the top; Ja/Nej is written with ballot-box characters; the
// amount applied for is a sentence; the signatures are one table with a
// column per party; the budget is the usual workbook. A clean sample:
// every finding on it is a false alarm.

import (
	"path/filepath"

	"github.com/finsam/ansokan/schema"
	"github.com/finsam/ansokan/score"
)

const (
	cStem  = "c-vagen-vidare"
	cTitle = "Vägen vidare – samordnat stöd i Norra Dalarna"
)

var cParties = [4]string{"Mora kommun", "Arbetsförmedlingen", "Region Dalarna", "Försäkringskassan"}

func cBudget() *budget {
	period := func(l bLine) bLine { l.from, l.to = day("2025-03-01"), day("2026-02-28"); return l }
	return &budget{
		name:        "Vägen vidare",
		summaryName: "Vägen vidare",
		start:       day("2025-03-01").t,
		end:         day("2026-02-28").t,
		unitHeader:  "Kostnader i kr",
		parties:     cParties,
		salaries: []bLine{
			period(bLine{label: "1. Samordnare", pct: pct(1), amounts: [4]int64{620000, 0, 0, 0}}),
			period(bLine{label: "2. Arbetsterapeut", pct: pct(0.5), amounts: [4]int64{0, 0, 310000, 0}}),
		},
		rent: bLine{amounts: [4]int64{60000, 0, 0, 0}},
		other: map[string]bLine{
			"Utvärdering":                      {amounts: [4]int64{80000, 0, 0, 0}},
			"Utbildning insatsmedarbetare":     {amounts: [4]int64{30000, 0, 0, 0}},
			"Övriga aktiviteter för deltagare": {amounts: [4]int64{100000, 0, 0, 0}},
			"Resor":                            {amounts: [4]int64{35000, 0, 0, 0}},
			"Informationsmaterial":             {amounts: [4]int64{15000, 0, 0, 0}},
		},
		ownSalaries: []bLine{
			period(bLine{label: "1. Arbetsförmedlare", pct: pct(0.3), amounts: [4]int64{0, 200000, 0, 0}}),
			period(bLine{label: "2. Handläggare", pct: pct(0.2), amounts: [4]int64{0, 0, 0, 150000}}),
		},
		summary: []summaryRow{
			{"Huvudinsatsägare", "Mora kommun", 0},
			{"Delinsatsägare 1", "Arbetsförmedlingen", 1},
			{"Delinsatsägare 2", "Region Dalarna", 2},
			{"Delinsatsägare 3", "Försäkringskassan", 3},
		},
	}
}

// boldSection writes a question as a bold paragraph (no heading style)
// and opens the section key for the gold; key "" opens none.
func (g *gdoc) boldSection(key, heading string) {
	g.close()
	g.doc.bold(heading)
	g.key = key
}

// kvTable is a two-column key–value table with shaded bold keys.
func kvTable(rows [][2]string) string {
	var cells [][]cell
	for _, r := range rows {
		cells = append(cells, []cell{
			{shade: "E7E6E6", content: para{runs: []run{{text: r[0], bold: true}}}.xml()},
			{content: para{runs: []run{{text: r[1]}}}.xml()},
		})
	}
	return table([]int{2600, 6400}, cells)
}

// cSigner is one party's column of C's signature table.
type cSigner struct {
	org, date, name, position, email string
}

func writeC(out string) error {
	b := cBudget()
	requested, own := total4(b.requested()), total4(b.own())

	d := recorded(&doc{header: "Samordningsförbundet Norra Dalarna", stamp: "Projektansökan 2024", title: cTitle,
		author: "Jonas Eriksson", lastSect: sectPr(false, 1418)})
	d.p(para{runs: []run{{text: "Projektansökan", bold: true, size: 36}}})
	d.doc.text("Samordningsförbundet Norra Dalarna")
	d.empty()
	d.add(kvTable([][2]string{
		{"Projektnamn", cTitle},
		{"Projektägare", "Mora kommun"},
		{"Samverkansparter", "Arbetsförmedlingen, Region Dalarna, Försäkringskassan"},
		{"Projektperiod", "2025-03-01 – 2026-02-28"},
		{"Antal deltagare", "45"},
		{"Kontaktperson", "Jonas Eriksson, projektledare"},
	}))
	d.empty()

	d.boldSection(schema.SectionPurpose, "1. Syfte med insatsen")
	d.text("Syftet är att personer i Mora, Orsa och Älvdalen som står långt från arbetsmarknaden ska få ett samordnat stöd från parterna, så att de kan börja arbeta, studera eller delta i arbetslivsinriktad rehabilitering. " +
		"Insatsen ska också pröva hur parterna kan dela på en samordnare i ett glest befolkat område.")
	d.boldSection(schema.SectionGoals, "2. Mål")
	d.text("Insatsen har följande mål:")
	d.bullets(
		"Minst 45 personer deltar under projektperioden.",
		"Hälften av deltagarna har vid avslut gått vidare till arbete, studier eller en insats hos någon av parterna.",
		"Parterna har en gemensam rutin för aktualisering som används även efter projektperioden.",
	)
	d.boldSection(schema.SectionBackground, "3. Bakgrund och behov")
	d.text("Avstånden i norra Dalarna är långa och flera av parterna saknar kontor i de mindre orterna. Personer som behöver stöd från flera parter möter därför ofta ett splittrat stöd med långa väntetider mellan kontakterna.")
	d.text("En kartläggning som parterna gjorde hösten 2024 visar att ett sextiotal personer har haft kontakt med minst tre av parterna under det senaste året utan att komma vidare.")
	d.boldSection(schema.SectionTargetGroup, "4. Målgrupp")
	d.text("Personer 18–64 år som är folkbokförda i Mora, Orsa eller Älvdalen, som har behov av samordnat stöd från minst två av parterna och som har varit utan arbete i mer än ett år.")
	d.boldSection(schema.SectionMethods, "5. Metod och arbetssätt")
	d.text("En samordnare är deltagarens kontaktperson och kallar till gemensamma möten med de parter som berörs. Arbetsterapeuten gör en bedömning av arbetsförmågan tidigt i processen.")
	d.numbered(numDecimal,
		"Inskrivning och kartläggning tillsammans med deltagaren.",
		"Gemensam planering vid ett flerpartsmöte.",
		"Aktiviteter som arbetsträning, studiebesök och hälsofrämjande insatser.",
		"Överlämning till den part som tar över planeringen.",
	)
	d.boldSection(schema.SectionEvaluation, "6. Uppföljning och utvärdering")
	d.text("Styrgruppen följer upp insatsen varje kvartal. Deltagarna registreras i SUS och skattar sin egen utveckling vid start och avslut. En extern utvärderare lämnar en rapport i februari 2026.")
	d.boldSection(schema.SectionResultsUse, "7. Implementering")
	d.text("Rutinen för aktualisering och flerpartsmöten förs in i parternas ordinarie samverkan under projektperiodens sista kvartal. Styrgruppen beslutar om implementeringen i december 2025.")
	d.boldSection(schema.SectionBudgetText, "8. Budget och finansiering")
	d.text("Från förbundet söks " + kr(requested, " ") + " kr; den totala kostnaden är " + kr(requested+own, " ") +
		" kr varav egenfinansiering " + kr(own, " ") + " kr.")
	d.text("Budgeten i sin helhet finns i bifogad fil.")
	d.boldSection("", "9. Förankring")
	d.doc.text("Har ansökan diskuterats i beredningsgruppen?   ☒ Ja   ☐ Nej")
	d.key = "anchoring.how"
	d.text("Ansökan har diskuterats i beredningsgruppen för Mora, Orsa och Älvdalen den 14 januari 2025 och i förbundets styrgrupp den 4 februari 2025.")

	d.boldSection("", "Underskrifter")
	signers := []cSigner{
		{"Mora kommun", "2025-02-10", "Eva Lindqvist", "Arbetsmarknadschef", "eva.lindqvist@mora.se"},
		{"Arbetsförmedlingen", "2025-02-11", "Per Olsson", "Sektionschef", "per.olsson@arbetsformedlingen.se"},
		{"Region Dalarna", "2025-02-12", "Maria Hedlund", "Verksamhetschef", "maria.hedlund@regiondalarna.se"},
		{"Försäkringskassan", "2025-02-13", "Lars Nyström", "Enhetschef", "lars.nystrom@forsakringskassan.se"},
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
	if err := d.write(filepath.Join(out, cStem+".docx")); err != nil {
		return err
	}
	f, err := b.workbook(nil, nil)
	if err != nil {
		return err
	}
	if err := saveWorkbook(f, filepath.Join(out, cStem+"-budget.xlsx"), "Jonas Eriksson"); err != nil {
		return err
	}

	// The gold. The printed name is the Namnförtydligande row; the
	// position has its own row (Befattning) and is not part of the name.
	g := &d.gold
	g.Title = strp(cTitle)
	g.Owner = &schema.Owner{Organisation: strp("Mora kommun"), Units: []string{}}
	g.Partners = goldPartners("Arbetsförmedlingen", "Region Dalarna", "Försäkringskassan")
	g.Period = goldPeriod("2025-03-01", "2026-02-28", "")
	g.ExpectedParticipants = goldParticipants(45, false, "45")
	g.RequestedAmountSEK = int64p(requested)
	g.Anchoring = &schema.Anchoring{Discussed: boolp(true)}
	for i, s := range signers {
		g.Signatures = append(g.Signatures, goldSig(i == 0, s.org, s.date, s.name, s.email, false))
	}
	g.ExtraSections = []schema.Section{}
	g.Budget = b.goldBudget(cParties)
	g.Findings = []score.GoldFinding{}
	g.Complete = boolp(true)
	return writeGold(out, cStem, g)
}
