package main

// Family E: the "Ansökan om insatsmedel" of an invented förbund
// (Samordningsförbundet Bergslagen Väst). Noun headings in Word's
// Heading 2 style with wordings of its own ("Insatsens inriktning" for
// the purpose, "Förväntade effekter" for the goals, "Utgångsläge",
// "Deltagare", "Arbetsmodell", "Resultatmätning", "Efter projekttiden",
// "Ekonomi"), the owner and the partners as "Organisation: X" lines under
// one heading, "Medverkande organisationer", the owner marked
// "(insatsägare)", dates written out ("1 september 2025 – 31 augusti
// 2026"), the anchoring as "[X] Ja [ ] Nej", one section the applicant
// added. A clean sample: every finding on it is a false alarm.

import (
	"path/filepath"

	"github.com/finsam/ansokan/schema"
	"github.com/finsam/ansokan/score"
)

const (
	eStem  = "e-bron-till-arbete"
	eTitle = "Bron till arbete"
)

var eParties = [4]string{"Karlskoga kommun", "Region Örebro län", "Arbetsförmedlingen", "Försäkringskassan"}

func eBudget() *budget {
	period := func(l bLine) bLine { l.from, l.to = day("2025-09-01"), day("2026-08-31"); return l }
	return &budget{
		name:        eTitle,
		summaryName: eTitle,
		start:       day("2025-09-01").t,
		end:         day("2026-08-31").t,
		unitHeader:  "Kostnader i kr",
		parties:     eParties,
		salaries: []bLine{
			period(bLine{label: "1. Jobbcoach", pct: pct(1), amounts: [4]int64{560000, 0, 0, 0}}),
			period(bLine{label: "2. Fysioterapeut", pct: pct(0.25), amounts: [4]int64{0, 160000, 0, 0}}),
		},
		rent: bLine{amounts: [4]int64{36000, 0, 0, 0}},
		other: map[string]bLine{
			"Utvärdering":                      {amounts: [4]int64{30000, 0, 0, 0}},
			"Utbildning insatsmedarbetare":     {amounts: [4]int64{12000, 0, 0, 0}},
			"Övriga aktiviteter för deltagare": {amounts: [4]int64{30000, 0, 0, 0}},
			"Resor":                            {amounts: [4]int64{8000, 0, 0, 0}},
			"Informationsmaterial":             {amounts: [4]int64{4000, 0, 0, 0}},
		},
		ownSalaries: []bLine{
			period(bLine{label: "1. Arbetsförmedlare", pct: pct(0.2), amounts: [4]int64{0, 0, 120000, 0}}),
			period(bLine{label: "2. Handläggare", pct: pct(0.1), amounts: [4]int64{0, 0, 0, 60000}}),
		},
		summary: []summaryRow{
			{"Huvudinsatsägare", "Karlskoga kommun", 0},
			{"Delinsatsägare 1", "Region Örebro län", 1},
			{"Delinsatsägare 2", "Arbetsförmedlingen", 2},
			{"Delinsatsägare 3", "Försäkringskassan", 3},
		},
	}
}

// eSigner is one party's block of E's signature table.
type eSigner struct{ org, date, name, email string }

func writeE(out string) error {
	b := eBudget()
	requested := total4(b.requested())

	d := recorded(&doc{header: "Samordningsförbundet Bergslagen Väst", stamp: "Insatsmedel 2025", title: eTitle,
		author: "Malin Sandberg", lastSect: sectPr(false, 1418)})
	d.heading(1, "Ansökan om insatsmedel")
	d.doc.text("Samordningsförbundet Bergslagen Väst")
	d.empty()

	d.heading(2, "Insatsens namn")
	d.doc.text(eTitle)
	d.heading(2, "Medverkande organisationer")
	d.doc.text("Organisation: Karlskoga kommun (insatsägare)")
	d.doc.text("Organisation: Region Örebro län")
	d.doc.text("Organisation: Arbetsförmedlingen")
	d.doc.text("Organisation: Försäkringskassan")
	d.heading(2, "Insatsperiod")
	d.doc.text("1 september 2025 – 31 augusti 2026")

	d.section(schema.SectionPurpose, 2, "Insatsens inriktning")
	d.text("Insatsen ska ge personer i Karlskoga som har varit borta från arbetsmarknaden länge ett samlat stöd, så att de kan ta ett första steg mot arbete eller studier.")
	d.section(schema.SectionGoals, 2, "Förväntade effekter")
	d.bullets(
		"Minst hälften av deltagarna har vid avslut en planering mot arbete eller studier.",
		"Deltagarna upplever att de får ett sammanhållet stöd.",
		"Parterna har en gemensam rutin för att lämna över deltagare mellan sig.",
	)
	d.section(schema.SectionBackground, 2, "Utgångsläge")
	d.text("I Karlskoga har andelen långtidsarbetslösa med ohälsa ökat under flera år. Många av dem har kontakt med tre eller fyra myndigheter samtidigt utan att någon håller ihop planeringen.")
	d.section(schema.SectionTargetGroup, 2, "Deltagare")
	d.text("Personer 20–64 år som bor i Karlskoga, har varit utan arbete i minst två år och behöver stöd från fler än en av parterna. Insatsen tar emot 30 deltagare under projekttiden.")
	d.section(schema.SectionMethods, 2, "Arbetsmodell")
	d.text("Jobbcoachen och fysioterapeuten arbetar i par med varje deltagare. Modellen bygger på individuellt stöd och stegvis träning på en arbetsplats.")
	d.bullets(
		"Gemensam kartläggning vid start.",
		"Veckovisa träffar med jobbcoachen.",
		"Arbetsträning hos en arbetsgivare i kommunen.",
	)
	d.section(schema.SectionEvaluation, 2, "Resultatmätning")
	d.text("Deltagarna registreras i SUS. Jobbcoachen följer upp varje deltagare efter tre och sex månader, och styrgruppen går igenom resultaten varje kvartal.")
	d.section(schema.SectionResultsUse, 2, "Efter projekttiden")
	d.text("Kommunens arbetsmarknadsenhet tar över arbetsmodellen när projekttiden är slut, om utvärderingen visar att den fungerar.")
	d.extraSection(2, "Risker och beroenden")
	d.text("Den största risken är att det tar tid att hitta arbetsgivare som tar emot deltagare för arbetsträning. Parterna har därför avsatt tid för arbetsgivarkontakter redan från start.")
	d.section(schema.SectionBudgetText, 2, "Ekonomi")
	d.text("Vi ansöker om " + kr(requested, " ") + " kr från samordningsförbundet. Budgeten finns i bifogad fil.")
	d.heading(2, "Förankring i beredningsgruppen")
	d.doc.text("[X] Ja [ ] Nej")
	d.doc.text("Ansökan presenterades för beredningsgruppen den 19 maj 2025.")

	d.heading(2, "Underskrifter")
	signers := []eSigner{
		{"Karlskoga kommun", "2025-06-02", "Malin Sandberg", "malin.sandberg@karlskoga.se"},
		{"Region Örebro län", "2025-06-03", "Ahmed Karimi", "ahmed.karimi@regionorebrolan.se"},
		{"Arbetsförmedlingen", "2025-06-04", "Lena Forsberg", "lena.forsberg@arbetsformedlingen.se"},
		{"Försäkringskassan", "2025-06-05", "Tomas Wik", "tomas.wik@forsakringskassan.se"},
	}
	lbl := func(s string) cell {
		return cell{shade: "E7E6E6", content: para{runs: []run{{text: s, bold: true, size: 16}}}.xml()}
	}
	val := func(s string) cell { return cell{content: para{runs: []run{{text: s, size: 16}}}.xml()} }
	rows := [][]cell{{lbl("")}}
	for _, s := range signers {
		rows[0] = append(rows[0], lbl(s.org))
	}
	for _, label := range []string{"Datum", "Namnteckning", "Namnförtydligande", "E-post"} {
		row := []cell{lbl(label)}
		for _, s := range signers {
			if label == "Namnteckning" {
				row = append(row, cell{content: "<w:p/><w:p/>"})
				continue
			}
			row = append(row, val(map[string]string{"Datum": s.date, "Namnförtydligande": s.name, "E-post": s.email}[label]))
		}
		rows = append(rows, row)
	}
	d.add(table([]int{1470, 1900, 1900, 1900, 1900}, rows))
	d.empty()
	if err := d.write(filepath.Join(out, eStem+".docx")); err != nil {
		return err
	}
	f, err := b.workbook(nil, nil)
	if err != nil {
		return err
	}
	if err := saveWorkbook(f, filepath.Join(out, eStem+"-budget.xlsx"), "Malin Sandberg"); err != nil {
		return err
	}

	g := &d.gold
	g.Title = strp(eTitle)
	g.Owner = &schema.Owner{Organisation: strp("Karlskoga kommun"), Units: []string{}}
	g.Partners = goldPartners("Region Örebro län", "Arbetsförmedlingen", "Försäkringskassan")
	g.Period = goldPeriod("2025-09-01", "2026-08-31", "")
	g.ExpectedParticipants = goldParticipants(30, false, "Insatsen tar emot 30 deltagare under projekttiden.")
	g.RequestedAmountSEK = int64p(requested)
	g.Anchoring = &schema.Anchoring{Discussed: boolp(true)}
	for i, s := range signers {
		g.Signatures = append(g.Signatures, goldSig(i == 0, s.org, s.date, s.name, s.email, false))
	}
	g.Budget = b.goldBudget(eParties)
	g.Findings = []score.GoldFinding{}
	g.Complete = boolp(true)
	return writeGold(out, eStem, g)
}

// writeETemplate writes E's blank template: the headings with the
// förbund's guidance in the answer places, no answers.
func writeETemplate(out string) error {
	d := &doc{header: "Samordningsförbundet Bergslagen Väst", stamp: "Insatsmedel 2025", title: "Ansökan om insatsmedel",
		author: "Samordningsförbundet Bergslagen Väst", lastSect: sectPr(false, 1418)}
	d.heading(1, "Ansökan om insatsmedel")
	d.text("Samordningsförbundet Bergslagen Väst")
	d.empty()
	guide := func(s string) { d.p(para{runs: []run{{text: s, italic: true}}}) }
	for _, q := range [][2]string{
		{"Insatsens namn", ""},
		{"Medverkande organisationer", "Skriv en rad per organisation: Organisation: namn. Ange vem som är insatsägare."},
		{"Insatsperiod", "Skriv här när insatsen startar och slutar."},
		{"Insatsens inriktning *", "Beskriv här vad insatsen ska uppnå och för vem."},
		{"Förväntade effekter *", "Beskriv här vilka effekter insatsen ska ge för deltagarna och för parterna."},
		{"Utgångsläge *", "Beskriv här nuläget och varför insatsen behövs."},
		{"Deltagare *", "Beskriv här vilka deltagarna är och hur många de beräknas bli."},
		{"Arbetsmodell *", "Beskriv här hur arbetet ska gå till."},
		{"Resultatmätning *", "Beskriv här hur resultaten ska mätas och följas upp."},
		{"Efter projekttiden", "Beskriv här hur arbetet tas tillvara efter projekttiden."},
		{"Ekonomi", "Skriv här vilket belopp som söks. Bifoga förbundets budgetmall."},
		{"Förankring i beredningsgruppen", "[ ] Ja [ ] Nej"},
		{"Underskrifter", ""},
	} {
		d.heading(2, q[0])
		if q[1] != "" {
			guide(q[1])
		}
	}
	return d.write(filepath.Join(out, "templates", "e-mall.docx"))
}
