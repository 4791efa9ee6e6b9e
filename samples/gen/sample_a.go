package main

// Sample 1, variant A: a clean application on the Uppsala 2019 template.

import (
	"path/filepath"

	"github.com/finsam/ansokan/schema"
	"github.com/finsam/ansokan/score"
)

const (
	aStem  = "a-sprangbradan"
	aTitle = "Språngbrädan - samordnat stöd för unga vuxna mot arbete och studier"
)

func aBudget() *budget {
	period := func(l bLine) bLine { l.from, l.to = day("2024-01-01"), day("2025-12-31"); return l }
	return &budget{
		name:        aTitle,
		summaryName: aTitle,
		start:       day("2024-01-01").t,
		end:         day("2025-12-31").t,
		unitHeader:  "Kostnader i tkr",
		parties:     [4]string{"Enköpings kommun", "Arbetsförmedlingen", "Region Uppsala", "Försäkringskassan"},
		salaries: []bLine{
			period(bLine{label: "1. Arbetscoach", pct: pct(1), amounts: [4]int64{1296000, 0, 0, 0}}),
			period(bLine{label: "2. Studie- och yrkesvägledare", pct: pct(0.2), amounts: [4]int64{259200, 0, 0, 0}}),
			period(bLine{label: "3. Arbetsterapeut", pct: pct(0.25), amounts: [4]int64{0, 0, 326400, 0}}),
		},
		rent: bLine{amounts: [4]int64{72000, 0, 0, 0}},
		other: map[string]bLine{
			"Utvärdering":                      {amounts: [4]int64{40000, 0, 0, 0}},
			"Spridningsseminarier":             {amounts: [4]int64{15000, 0, 0, 0}},
			"Utbildning insatsmedarbetare":     {amounts: [4]int64{20000, 0, 0, 0}},
			"Övriga aktiviteter för deltagare": {amounts: [4]int64{30000, 0, 0, 0}},
			"Resor":                            {amounts: [4]int64{10000, 0, 0, 0}},
			"Informationsmaterial":             {amounts: [4]int64{5000, 0, 0, 0}},
		},
		ownSalaries: []bLine{
			period(bLine{label: "1. Arbetsförmedlare", pct: pct(0.2), amounts: [4]int64{0, 230000, 0, 0}}),
			period(bLine{label: "2. Handläggare", pct: pct(0.1), amounts: [4]int64{0, 0, 0, 120000}}),
		},
		summary: []summaryRow{
			{"Huvudinsatsägare", "Enköpings kommun", 0},
			{"Delinsatsägare 1", "Arbetsförmedlingen", 1},
			{"Delinsatsägare 2", "Region Uppsala", 2},
			{"Delinsatsägare 3", "Försäkringskassan", 3},
		},
		summaryESF: true,
	}
}

func writeA(out string) error {
	b := aBudget()
	requested := total4(b.requested())

	d := recorded(newUppsalaDoc(aTitle, "Helena Norberg"))
	d.heading(1, "Insatsens namn")
	d.text(aTitle)
	d.heading(1, "Insatsägare (*)")
	d.text("Organisation: Enköpings kommun")
	d.heading(1, "Samverkansparter (*)")
	d.text("Organisation: Arbetsförmedlingen")
	d.text("Organisation: Region Uppsala")
	d.text("Organisation: Försäkringskassan")

	d.section("purpose", 1, "Beskriv syftet med insatsen (*)")
	d.text("Syftet med insatsen är att ge unga vuxna som varken arbetar eller studerar ett samordnat och långsiktigt stöd, så att de kan närma sig arbete eller studier. " +
		"Insatsen samlar parternas kompetens kring individen och bygger ett gemensamt arbetssätt där deltagaren har en och samma kontaktperson genom hela processen.")

	d.section("goals", 1, "Beskriv målen med insatsen (*)")
	d.bold("Övergripande mål:")
	d.bullets(
		"Att parterna gemensamt tar fram och använder en rutin för hur unga vuxna aktualiseras till insatsen.",
		"Att deltagarna får ett samordnat stöd som utgår från deras egna mål och förutsättningar.",
	)
	d.bold("Effektmål:")
	d.bullets(
		"Att 60 procent av deltagarna vid avslut har påbörjat arbete, studier eller en arbetslivsinriktad insats hos någon av parterna.",
		"Att 75 procent av deltagarna upplever att de kommit närmare arbete eller studier.",
	)
	d.bold("Insatsmål:")
	d.bullets(
		"Att minst 20 deltagare per år skrivs in i insatsen.",
		"Att varje deltagare har en skriftlig planering inom tre veckor från första mötet.",
		"Att styrgruppen följer upp rutinerna för samverkan varje kvartal.",
	)

	d.section("background", 1, "Beskriv bakgrunden till/behovet av insatsen (*)")
	d.text("Kommunens kartläggning inom det kommunala aktivitetsansvaret och ekonomiskt bistånd visar att ett hundratal unga vuxna i Enköping saknar sysselsättning och har en oklar planering. " +
		"Många har kontakt med flera av parterna samtidigt men upplever att stödet är splittrat och att de får berätta sin historia flera gånger.")
	d.text("Parterna ser ett behov av en gemensam ingång och av en person som håller ihop stödet kring den unge. " +
		"Erfarenheter från tidigare samverkan i länet visar att ett relationsskapande arbetssätt med täta kontakter ger bättre förutsättningar för att deltagarna ska stanna kvar i sin planering.")

	d.heading(1, "Planerad Insatstid")
	d.text("Planerat startdatum: 2024-01-01")
	d.text("Planerat slutdatum: 2025-12-31")
	d.text("Planerat slutdatum för intag av personer i insatsen: 2025-09-30")

	d.section("target_group", 1, "Beskriv målgrupp för insatsen (*)")
	d.text("Målgruppen är unga vuxna i åldern 18–29 år som är folkbokförda i Enköpings kommun, som varken arbetar eller studerar och som behöver samordnat stöd från flera av parterna för att närma sig arbete eller studier. " +
		"Enligt kartläggningen är fördelningen ungefär 45 procent kvinnor och 55 procent män, och insatsen ska spegla den fördelningen.")
	d.text("Ange förväntat antal deltagare: Minst 20 per år")

	d.section("methods", 1, "Beskriv metod/metoder ni kommer använda (*)")
	d.text("Arbetscoachen är deltagarens fasta kontaktperson och samordnar stödet från parterna. Arbetet sker i fyra steg:")
	d.numbered(numDecimal,
		"Kartläggning av deltagarens mål, resurser och hinder tillsammans med deltagaren.",
		"Gemensam planering vid ett flerpartsmöte där de parter som deltagaren har kontakt med medverkar.",
		"Aktiviteter som praktik, studiebesök, hälsofrämjande insatser och vägledning inför studier.",
		"Överlämning till ordinarie verksamhet hos den part som tar över ansvaret för planeringen.",
	)
	d.text("Arbetssättet utgår från motiverande samtal och Supported Employment. Deltagaren skattar sin egen utveckling vid start, efter tre månader och vid avslut.")

	d.section("evaluation", 1, "Beskriv metod för uppföljning och utvärdering av målen (*)")
	d.bullets(
		"Styrgruppen, med representanter från alla fyra parter, följer upp insatsen varje kvartal och rapporterar till Samordningsförbundet.",
		"Deltagarna registreras i förbundets uppföljningssystem.",
		"En extern utvärderare följer insatsen och lämnar en slutrapport i december 2025.",
	)

	d.section("results_use", 1, "Beskriv hur ni tänker ta tillvara resultaten från insatsen")
	d.text("Enköpings kommun använder erfarenheterna i arbetet med att utveckla det kommunala aktivitetsansvaret och arbetsmarknadsenhetens ordinarie verksamhet.")
	d.text("Region Uppsala tar med sig arbetssättet för flerpartsmöten till vårdcentralerna i kommunen.")
	d.text("Arbetsförmedlingen och Försäkringskassan använder rutinerna för aktualisering och överlämning i sin fortsatta lokala samverkan.")

	d.section("budget_text", 1, "Ange budget/finansiering (separat budget ska bifogas enligt mall)")
	d.text(kr(requested, " ") + " kr")
	d.text("Se bifogad budget enligt förbundets mall.")

	d.jaNej("x", 0)
	d.section("anchoring.how", 1, "Hur och när har ansökan diskuterats?")
	d.text("Ansökan har diskuterats på lokusgruppens möten i Enköping den 5 september och den 3 oktober 2023. Lokusgruppen ställer sig bakom ansökan.")

	d.agreement()

	owner := signature{owner: true, orgDate: "Enköpings kommun 2023-10-16", org: "Enköpings kommun", date: "2023-10-16",
		name: "Helena Norberg, arbetsmarknadschef", email: "helena.norberg@enkoping.se"}
	d.signatureBlock("Underskrift (*)", owner)
	partners := []signature{
		{orgDate: "Arbetsförmedlingen 2023-10-18", org: "Arbetsförmedlingen", date: "2023-10-18", name: "Johan Ekström, sektionschef", email: "johan.ekstrom@arbetsformedlingen.se"},
		{orgDate: "Region Uppsala 2023-10-19", org: "Region Uppsala", date: "2023-10-19", name: "Sara Lindgren, verksamhetschef", email: "sara.lindgren@regionuppsala.se"},
		{orgDate: "Försäkringskassan 2023-10-20", org: "Försäkringskassan", date: "2023-10-20", name: "Mikael Holm, enhetschef", email: "mikael.holm@forsakringskassan.se"},
	}
	for _, s := range partners {
		d.partnerSignaturePage(aTitle)
		d.signatureBlock("Underskrift (*)", s)
	}
	if err := d.write(filepath.Join(out, aStem+".docx")); err != nil {
		return err
	}

	// The gold: clean, but the header's "tkr" over kronor is recorded.
	g := &d.gold
	g.Title = strp(aTitle)
	g.Owner = &schema.Owner{Organisation: strp("Enköpings kommun"), Units: []string{}}
	g.Partners = goldPartners("Arbetsförmedlingen", "Region Uppsala", "Försäkringskassan")
	g.Period = goldPeriod("2024-01-01", "2025-12-31", "2025-09-30")
	g.ExpectedParticipants = goldParticipants(20, true, "Minst 20 per år")
	g.RequestedAmountSEK = int64p(requested)
	g.Anchoring = &schema.Anchoring{Discussed: boolp(true)}
	g.Signatures = []schema.Signature{owner.gold(false)}
	for _, s := range partners {
		g.Signatures = append(g.Signatures, s.gold(false))
	}
	g.Budget = b.goldBudget(b.parties)
	g.Findings = []score.GoldFinding{finding(schema.CodeBudgetUnitMismatch, b.unitHeader)}
	g.Complete = boolp(true)
	if err := writeGold(out, aStem, g); err != nil {
		return err
	}
	f, err := b.workbook(nil, nil)
	if err != nil {
		return err
	}
	return saveWorkbook(f, filepath.Join(out, aStem+"-budget.xlsx"), "Helena Norberg")
}
