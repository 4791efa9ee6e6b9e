package main

// Family D: a question-form template of an invented förbund
// (Samordningsförbundet Umeälven). Every question is a shaded bold table
// cell, its answer in the cell below for some questions and in the cell
// to the right for others. The period and the anchoring are prose, the
// owner a "Sökande organisation:" line, the partners one per line, the
// signatures a grid with a row per party. Two deliberate defects (see
// README.md): Umeå kommun's signature row has no date, and the amount
// applied for in the text is 10 000 kr more than the budget's total.

import (
	"path/filepath"

	"github.com/finsam/ansokan/schema"
	"github.com/finsam/ansokan/score"
)

const (
	dStem  = "d-steg-for-steg"
	dTitle = "Steg för steg – samordnad rehabilitering i Umeå"
)

var dParties = [4]string{"Region Västerbotten", "Umeå kommun", "Arbetsförmedlingen", "Försäkringskassan"}

func dBudget() *budget {
	period := func(l bLine) bLine { l.from, l.to = day("2025-08-01"), day("2027-07-31"); return l }
	return &budget{
		name:        "Steg för steg",
		summaryName: "Steg för steg",
		start:       day("2025-08-01").t,
		end:         day("2027-07-31").t,
		unitHeader:  "Kostnader i kr",
		parties:     dParties,
		salaries: []bLine{
			period(bLine{label: "1. Projektledare", pct: pct(0.5), amounts: [4]int64{720000, 0, 0, 0}}),
			period(bLine{label: "2. Arbetsterapeut", pct: pct(1), amounts: [4]int64{1180000, 0, 0, 0}}),
		},
		rent: bLine{amounts: [4]int64{120000, 0, 0, 0}},
		other: map[string]bLine{
			"Utvärdering":                      {amounts: [4]int64{150000, 0, 0, 0}},
			"Utbildning insatsmedarbetare":     {amounts: [4]int64{60000, 0, 0, 0}},
			"Övriga aktiviteter för deltagare": {amounts: [4]int64{180000, 0, 0, 0}},
			"Resor":                            {amounts: [4]int64{50000, 0, 0, 0}},
			"Informationsmaterial":             {amounts: [4]int64{20000, 0, 0, 0}},
		},
		ownSalaries: []bLine{
			period(bLine{label: "1. Socialsekreterare", pct: pct(0.2), amounts: [4]int64{0, 300000, 0, 0}}),
			period(bLine{label: "2. Arbetsförmedlare", pct: pct(0.2), amounts: [4]int64{0, 0, 280000, 0}}),
			period(bLine{label: "3. Handläggare", pct: pct(0.1), amounts: [4]int64{0, 0, 0, 140000}}),
		},
		summary: []summaryRow{
			{"Huvudinsatsägare", "Region Västerbotten", 0},
			{"Delinsatsägare 1", "Umeå kommun", 1},
			{"Delinsatsägare 2", "Arbetsförmedlingen", 2},
			{"Delinsatsägare 3", "Försäkringskassan", 3},
		},
	}
}

// formQuestion writes a question in a shaded bold cell with its answer
// below it (right false) or to its right (right true).
func (d *doc) formQuestion(question string, right bool, answer string) {
	q := cell{shade: "DEEAF6", content: para{keepNext: true, runs: []run{{text: question, bold: true}}}.xml()}
	a := cell{content: answer}
	if right {
		d.add(table([]int{3400, 5600}, [][]cell{{q, a}}))
	} else {
		d.add(table([]int{9000}, [][]cell{{q}, {a}}))
	}
	d.p(para{spaceAft: -1})
}

func writeD(out string) error {
	b := dBudget()
	// The defect: the text asks for 10 000 kr more than the budget.
	stated := total4(b.requested()) + 10000

	d := &doc{header: "Samordningsförbundet Umeälven", stamp: "Ansökningsformulär 2025", title: dTitle,
		author: "Sofia Lundberg", lastSect: sectPr(false, 1418)}
	d.p(para{runs: []run{{text: "Ansökan om medel för samverkansinsats", bold: true, size: 32}}})
	d.text("Samordningsförbundet Umeälven")
	d.text("Sökande organisation: Region Västerbotten")
	d.empty()

	sections := map[string]string{}
	answer := func(key, question string, right bool, blocks ...ablk) {
		d.formQuestion(question, right, blocksXML(blocks))
		if key != "" {
			sections[key] = blocksGold(blocks)
		}
	}
	answer("", "Vad heter insatsen?", true, tp(dTitle))
	answer("", "Vilka organisationer samverkar i insatsen?", false,
		tp("Umeå kommun"), tp("Arbetsförmedlingen"), tp("Försäkringskassan"))
	answer("", "Under vilken tid pågår insatsen?", true,
		tp("Insatsen pågår 1 augusti 2025 till 31 juli 2027. Intag av nya deltagare sker till och med 30 april 2027."))
	answer(schema.SectionPurpose, "Vad är syftet med insatsen?", true,
		tp("Syftet är att personer med långvarig psykisk eller fysisk ohälsa i Umeå ska få ett samordnat stöd från vården, kommunen, Arbetsförmedlingen och Försäkringskassan, så att de kan närma sig arbete eller studier."))
	answer(schema.SectionGoals, "Vilka mål har insatsen?", false,
		tp("Insatsen har tre mål:"),
		bl("Minst 60 personer deltar under projekttiden."),
		bl("Sju av tio deltagare har vid avslut en planering hos någon av parterna."),
		bl("Parterna har en gemensam modell för rehabiliteringskoordinering som lever kvar efter projekttiden."))
	answer(schema.SectionBackground, "Varför behövs insatsen?", false,
		tp("Vårdcentralerna i Umeå möter många patienter som är sjukskrivna länge och som samtidigt har kontakt med socialtjänsten och Arbetsförmedlingen. Stödet ges i dag parallellt och ofta utan att parterna känner till varandras planering."),
		tp("En förstudie som förbundet finansierade 2024 visar att deltagare som får en gemensam planering tidigt kommer vidare snabbare."))
	answer(schema.SectionTargetGroup, "Vem riktar sig insatsen till?", true,
		tp("Personer 18–64 år i Umeå kommun som har varit sjukskrivna eller utan arbete i mer än ett år på grund av ohälsa och som behöver stöd från minst två av parterna."),
		tp("Cirka 60 deltagare under projekttiden."))
	answer(schema.SectionMethods, "Hur ska arbetet bedrivas?", false,
		tp("En arbetsterapeut och en projektledare bildar ett team som tar emot deltagare från alla fyra parterna. Teamet använder rehabiliteringskoordinering och flerpartsmöten."),
		bl("Kartläggning av arbetsförmåga och behov."),
		bl("Gemensam planering med de parter som berörs."),
		bl("Stegvis arbetsträning hos arbetsgivare i kommunen."))
	answer(schema.SectionEvaluation, "Hur ska insatsen följas upp?", true,
		tp("Styrgruppen följer upp insatsen varje kvartal. Deltagarna registreras i SUS, och Umeå universitet gör en utvärdering som redovisas i juni 2027."))
	answer(schema.SectionResultsUse, "Hur tas resultaten tillvara efter projekttiden?", false,
		tp("Modellen för rehabiliteringskoordinering förs in i vårdcentralernas och kommunens ordinarie arbete. Styrgruppen tar fram en plan för det senast i januari 2027."))
	answer(schema.SectionBudgetText, "Vilken budget söks?", true,
		tp("Vi söker "+kr(stated, " ")+" kr från förbundet för hela projekttiden. Se bifogad budget."))
	answer("anchoring.how", "Hur har ansökan förankrats?", false,
		tp("Ansökan har förankrats i beredningsgruppen den 12 mars 2025."))

	d.p(para{runs: []run{{text: "Underskrifter", bold: true, size: 26}}})
	type dSigner struct{ role, org, date, name, email string }
	signers := []dSigner{
		{"Sökande", "Region Västerbotten", "2025-03-20", "Sofia Lundberg, verksamhetschef", "sofia.lundberg@regionvasterbotten.se"},
		{"Samverkanspart", "Umeå kommun", "", "Johan Berglund, avdelningschef", "johan.berglund@umea.se"}, // no date (defect)
		{"Samverkanspart", "Arbetsförmedlingen", "2025-03-21", "Amir Hassan, sektionschef", "amir.hassan@arbetsformedlingen.se"},
		{"Samverkanspart", "Försäkringskassan", "2025-03-24", "Karin Holmgren, enhetschef", "karin.holmgren@forsakringskassan.se"},
	}
	hdr := func(s string) cell {
		return cell{shade: "DEEAF6", content: para{runs: []run{{text: s, bold: true, size: 16}}}.xml()}
	}
	val := func(s string) cell { return cell{content: para{runs: []run{{text: s, size: 16}}}.xml()} }
	rows := [][]cell{{hdr("Roll"), hdr("Organisation"), hdr("Datum"), hdr("Namn"), hdr("E-post")}}
	for _, s := range signers {
		rows = append(rows, []cell{val(s.role), val(s.org), val(s.date), val(s.name), val(s.email)})
	}
	d.add(table([]int{1600, 1900, 1100, 1900, 2570}, rows))
	d.empty()
	if err := d.write(filepath.Join(out, dStem+".docx")); err != nil {
		return err
	}
	f, err := b.workbook(nil, nil)
	if err != nil {
		return err
	}
	if err := saveWorkbook(f, filepath.Join(out, dStem+"-budget.xlsx"), "Sofia Lundberg"); err != nil {
		return err
	}

	g := &score.Gold{Sections: map[string]score.GoldSection{}}
	for k, t := range sections {
		g.Sections[k] = score.GoldSection{Text: t}
	}
	g.Title = strp(dTitle)
	g.Owner = &schema.Owner{Organisation: strp("Region Västerbotten"), Units: []string{}}
	g.Partners = goldPartners("Umeå kommun", "Arbetsförmedlingen", "Försäkringskassan")
	g.Period = goldPeriod("2025-08-01", "2027-07-31", "2027-04-30")
	g.ExpectedParticipants = goldParticipants(60, false, "Cirka 60 deltagare under projekttiden.")
	g.RequestedAmountSEK = int64p(stated)
	g.Anchoring = &schema.Anchoring{Discussed: boolp(true)}
	for i, s := range signers {
		g.Signatures = append(g.Signatures, goldSig(i == 0, s.org, s.date, s.name, s.email, false))
	}
	g.Budget = b.goldBudget(dParties)
	g.Findings = []score.GoldFinding{
		finding(schema.CodeSignatureDateMissing, "Umeå kommun"),
		finding(schema.CodeBudgetRequestedAmount, "Totalt från Samordningsförbundet"),
	}
	g.Complete = boolp(false)
	return writeGold(out, dStem, g)
}
