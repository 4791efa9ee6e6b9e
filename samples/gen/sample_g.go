package main

// Family G: the "Ansökan om samverkansmedel" of an invented förbund
// (Samordningsförbundet Sydöstra Skåne). Like C its questions are numbered
// bold paragraphs and its fields a key–value table; its signatures take
// the two shapes C and D lack: the owner's and the first partner's
// blocks side by side in one two-column table that repeats each label in
// both columns, then one two-column label/value table per remaining
// partner with the "Underskrift" row inside the table, between the date
// and the printed name. A clean sample: every finding on it is a false
// alarm.

import (
	"path/filepath"

	"github.com/finsam/ansokan/schema"
	"github.com/finsam/ansokan/score"
)

const (
	gStem  = "g-ett-steg-till"
	gTitle = "Ett steg till – arbetsträning i Ystad"
)

var gParties = [4]string{"Ystads kommun", "Arbetsförmedlingen", "Region Skåne", "Försäkringskassan"}

func gBudget() *budget {
	period := func(l bLine) bLine { l.from, l.to = day("2025-09-01"), day("2027-08-31"); return l }
	return &budget{
		name:        "Ett steg till",
		summaryName: "Ett steg till",
		start:       day("2025-09-01").t,
		end:         day("2027-08-31").t,
		unitHeader:  "Kostnader i kr",
		parties:     gParties,
		salaries: []bLine{
			period(bLine{label: "1. Arbetsmarknadskonsulent", pct: pct(1), amounts: [4]int64{1080000, 0, 0, 0}}),
			period(bLine{label: "2. Fysioterapeut", pct: pct(0.25), amounts: [4]int64{0, 0, 290000, 0}}),
		},
		rent: bLine{amounts: [4]int64{48000, 0, 0, 0}},
		other: map[string]bLine{
			"Utvärdering":                      {amounts: [4]int64{50000, 0, 0, 0}},
			"Övriga aktiviteter för deltagare": {amounts: [4]int64{60000, 0, 0, 0}},
			"Resor":                            {amounts: [4]int64{22000, 0, 0, 0}},
		},
		ownSalaries: []bLine{
			period(bLine{label: "1. Arbetsförmedlare", pct: pct(0.2), amounts: [4]int64{0, 260000, 0, 0}}),
			period(bLine{label: "2. Handläggare", pct: pct(0.1), amounts: [4]int64{0, 0, 0, 130000}}),
		},
		summary: []summaryRow{
			{"Huvudinsatsägare", "Ystads kommun", 0},
			{"Delinsatsägare 1", "Arbetsförmedlingen", 1},
			{"Delinsatsägare 2", "Region Skåne", 2},
			{"Delinsatsägare 3", "Försäkringskassan", 3},
		},
	}
}

// gSigner is one party's signature block in E.
type gSigner struct {
	role, org, date, name, email string
}

func writeG(out string) error {
	b := gBudget()
	requested, own := total4(b.requested()), total4(b.own())

	d := recorded(&doc{header: "Samordningsförbundet Sydöstra Skåne", stamp: "Ansökan 2025", title: gTitle,
		author: "Lina Persson", lastSect: sectPr(false, 1418)})
	d.p(para{runs: []run{{text: "Ansökan om samverkansmedel", bold: true, size: 36}}})
	d.doc.text("Samordningsförbundet Sydöstra Skåne")
	d.empty()
	d.add(kvTable([][2]string{
		{"Insatsens namn", gTitle},
		{"Huvudman", "Ystads kommun"},
		{"Samverkansparter", "Arbetsförmedlingen, Region Skåne, Försäkringskassan"},
		{"Projektperiod", "2025-09-01 – 2027-08-31"},
		{"Antal deltagare", "40"},
		{"Kontaktperson", "Lina Persson, utvecklingsledare"},
	}))
	d.empty()

	d.boldSection(schema.SectionPurpose, "1. Syfte med insatsen")
	d.text("Syftet är att personer i Ystad som har varit borta från arbetsmarknaden länge ska få arbetsträna på en riktig arbetsplats med stöd av en arbetsmarknadskonsulent och en fysioterapeut, så att de kan gå vidare till arbete eller studier.")
	d.boldSection(schema.SectionGoals, "2. Mål")
	d.text("Insatsen har följande mål:")
	d.bullets(
		"Minst 40 personer deltar under projektperioden.",
		"Fyra av tio deltagare har vid avslut ett arbete, en utbildning eller en arbetsträning med lön.",
		"Parterna har en gemensam modell för arbetsträning som används även efter projektperioden.",
	)
	d.boldSection(schema.SectionBackground, "3. Bakgrund och behov")
	d.text("I Ystad finns många personer som har haft försörjningsstöd eller sjukersättning i flera år. Parterna erbjuder var för sig arbetsträning, men platserna är få och stödet på arbetsplatsen räcker sällan för den som har både fysiska och psykiska besvär.")
	d.boldSection(schema.SectionTargetGroup, "4. Målgrupp")
	d.text("Personer 20–64 år som är folkbokförda i Ystads kommun, som har varit utan arbete i mer än två år och som behöver stöd från minst två av parterna.")
	d.boldSection(schema.SectionMethods, "5. Metod och arbetssätt")
	d.text("Arbetsmarknadskonsulenten söker arbetsträningsplatser hos arbetsgivare i kommunen och följer deltagaren på arbetsplatsen. Fysioterapeuten bedömer deltagarens fysiska förmåga och anpassar uppgifterna tillsammans med arbetsgivaren.")
	d.boldSection(schema.SectionEvaluation, "6. Uppföljning och utvärdering")
	d.text("Styrgruppen följer upp insatsen varje halvår. Deltagarna registreras i SUS. Förbundet gör en extern utvärdering under det andra året.")
	d.boldSection(schema.SectionResultsUse, "7. Implementering")
	d.text("Modellen för arbetsträning förs in i kommunens arbetsmarknadsenhet och i parternas gemensamma rutiner under projektperiodens sista halvår.")
	d.boldSection(schema.SectionBudgetText, "8. Budget och finansiering")
	d.text("Från förbundet söks " + kr(requested, " ") + " kr; den totala kostnaden är " + kr(requested+own, " ") +
		" kr varav egenfinansiering " + kr(own, " ") + " kr.")
	d.boldSection("", "9. Förankring")
	d.doc.text("Har ansökan diskuterats i beredningsgruppen?   ☒ Ja   ☐ Nej")
	d.key = "anchoring.how"
	d.text("Ansökan har diskuterats i beredningsgruppen i Ystad den 3 juni 2025.")

	d.boldSection("", "Underskrifter")
	signers := []gSigner{
		{"Huvudman", "Ystads kommun", "2025-06-16", "Anna Berg, enhetschef", "anna.berg@ystad.se"},
		{"Samverkanspart", "Arbetsförmedlingen", "2025-06-17", "Erik Sjöberg, sektionschef", "erik.sjoberg@arbetsformedlingen.se"},
		{"Samverkanspart", "Region Skåne", "2025-06-18", "Leila Karimi, verksamhetschef", "leila.karimi@skane.se"},
		{"Samverkanspart", "Försäkringskassan", "2025-06-19", "Gustav Lund, enhetschef", "gustav.lund@forsakringskassan.se"},
	}
	lbl := func(s string) cell {
		return cell{shade: "E7E6E6", content: para{runs: []run{{text: s, bold: true, size: 18}}}.xml()}
	}
	val := func(s string) cell { return cell{content: para{runs: []run{{text: s, size: 18}}}.xml()} }
	line := cell{content: "<w:p/><w:p/>"}
	// The owner and the first partner side by side: each label repeated
	// in both columns, the values below.
	o, p1 := signers[0], signers[1]
	d.add(table([]int{4500, 4500}, [][]cell{
		{lbl(o.role), lbl(p1.role)},
		{lbl("Organisation och datum"), lbl("Organisation och datum")},
		{val(o.org + " " + o.date), val(p1.org + " " + p1.date)},
		{lbl("Namnteckning"), lbl("Namnteckning")},
		{line, line},
		{lbl("Namnförtydligande"), lbl("Namnförtydligande")},
		{val(o.name), val(p1.name)},
		{lbl("E-post"), lbl("E-post")},
		{val(o.email), val(p1.email)},
	}))
	d.empty()
	// The other partners: a label/value table each, "Underskrift" inside.
	for _, s := range signers[2:] {
		d.add(table([]int{2600, 6400}, [][]cell{
			{lbl("Organisation"), val(s.org)},
			{lbl("Datum"), val(s.date)},
			{lbl("Underskrift"), line},
			{lbl("Namnförtydligande"), val(s.name)},
			{lbl("E-post"), val(s.email)},
		}))
		d.empty()
	}
	if err := d.write(filepath.Join(out, gStem+".docx")); err != nil {
		return err
	}
	f, err := b.workbook(nil, nil)
	if err != nil {
		return err
	}
	if err := saveWorkbook(f, filepath.Join(out, gStem+"-budget.xlsx"), "Lina Persson"); err != nil {
		return err
	}

	// The gold. The printed names carry the title as written.
	g := &d.gold
	g.Title = strp(gTitle)
	g.Owner = &schema.Owner{Organisation: strp("Ystads kommun"), Units: []string{}}
	g.Partners = goldPartners("Arbetsförmedlingen", "Region Skåne", "Försäkringskassan")
	g.Period = goldPeriod("2025-09-01", "2027-08-31", "")
	g.ExpectedParticipants = goldParticipants(40, false, "40")
	g.RequestedAmountSEK = int64p(requested)
	g.Anchoring = &schema.Anchoring{Discussed: boolp(true)}
	for i, s := range signers {
		g.Signatures = append(g.Signatures, goldSig(i == 0, s.org, s.date, s.name, s.email, false))
	}
	g.ExtraSections = []schema.Section{}
	g.Budget = b.goldBudget(gParties)
	g.Findings = []score.GoldFinding{}
	g.Complete = boolp(true)
	return writeGold(out, gStem, g)
}
