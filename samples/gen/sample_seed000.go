package main

// Sample 3: a reconstruction of seed 000 (structure and budget figures of
// the real Älvkarleby application; all people and free text invented).

import (
	"path/filepath"

	"github.com/finsam/ansokan/schema"
	"github.com/finsam/ansokan/score"
)

const (
	s000Stem  = "seed000-samordnat-stod"
	s000Title = "Samordnat stöd till arbete & studier"
)

func s000Budget() *budget {
	return &budget{
		name:        "Arbetsmarknadsstödjare",
		summaryName: "Arbetsmarknadsstödjare",
		start:       day("2023-01-01").t,
		end:         day("2024-12-31").t,
		unitHeader:  "Kostnader i tkr",
		parties:     [4]string{"Älvkarleby kommun", "Arbetsförmedlningen", "Försäkringskassan", "Region Uppsala"},
		salaries: []bLine{
			{label: "1. Arbetsmarknadsstödjare", pct: pct(1), from: day("2023-01-01"), to: day("2024-12-31"), amounts: [4]int64{1362000, 0, 0, 0}},
		},
		rent: bLine{amounts: [4]int64{86400, 0, 0, 0}},
		other: map[string]bLine{
			"Telefon-, IT-kostnader": {amounts: [4]int64{4000, 0, 0, 0}},
			"Resor":                  {amounts: [4]int64{20000, 0, 0, 0}},
			"Tolk":                   {amounts: [4]int64{60000, 0, 0, 0}},
			"Informationsmaterial":   {amounts: [4]int64{8000, 0, 0, 0}},
		},
		summary: []summaryRow{
			{"Huvudinsatsägare", "Älvkarleby kommun", 0},
			{"Delinsatsägare 1", "Arbetsförmedlningen", 1},
			{"Delinsatsägare 2", "Försäkrningskassan", 2},
			{"Delinsatsägare 3", "NAMN", -1},
			{"Delinsatsägare 4", "Region Uppsala", 3},
		},
	}
}

func write000(out string) error {
	b := s000Budget()
	requested := total4(b.requested())

	d := recorded(newUppsalaDoc(s000Title, "Therese Wallin"))
	d.heading(1, "Insatsens namn")
	d.text(s000Title)
	d.heading(1, "Insatsägare (*)")
	d.text("Organisation: Älvkarleby kommun")
	d.heading(1, "Samverkansparter (*)")
	d.text("Organisation: Arbetsförmedlingen")
	d.text("Organisation: Region Uppsala")
	d.text("Organisation: Försäkringskassan")

	d.section("purpose", 1, "Beskriv syftet med insatsen (*)")
	d.text("Syftet är att genom ett coachande och motiverande arbetssätt ge ett samordnat stöd till kommuninvånare i arbetsför ålder som varken arbetar eller studerar, så att de kommer närmare arbete eller studier. " +
		"Funktionen ska bygga upp ett operativt arbetssätt mellan parterna kring individen och samtidigt använda de nätverk som redan finns för att samordna kontakterna runt deltagaren.")

	d.section("goals", 1, "Beskriv målen med insatsen (*)")
	d.bold("Övergripande mål:")
	d.directBullets(
		"Att tillsammans med alla parter ta fram rutiner för hur personer aktualiseras till insatsen.",
		"Att ge ett individuellt anpassat och förstärkt stöd till kommuninvånare i arbetsför ålder som står utanför arbetsmarknaden eller riskerar att hamna mellan parternas ansvarsområden.",
		"Att främja lokal samverkan och införa rutiner för den.",
	)
	d.bold("Effektmål:")
	d.directBullets(
		"Lokala rutiner för hållbar samverkan mellan förbundets parter och andra aktörer kring individen tas fram.",
		"Att 70 procent av deltagarna vid avslut upplever att de kommit närmare arbete, studier eller annan sysselsättning.",
	)
	d.bold("Insatsmål")
	d.directBullets(
		"Styrgruppen tar fram lokala rutiner för samverkan och följer upp dem varje halvår.",
		"Att minst 15 personer per år deltar i insatsen.",
		"Att alla deltagare har ett fysiskt möte med arbetsmarknadsstödjaren inom två veckor efter aktualisering.",
		"Att alla deltagare har en handlingsplan fyra veckor efter start.",
		"Att deltagarna gör en självskattning var tolfte vecka och att aktiviteterna anpassas efter den.",
	)

	d.section("background", 1, "Beskriv bakgrunden till/behovet av insatsen (*)")
	d.text("Kommunen saknar i dag egna resurser för att bygga upp en fungerande samverkan på individnivå för de personer som behöver ett riktat och individuellt anpassat stöd. " +
		"Målgruppen finns hos alla förbundets parter, är i arbetsför ålder och har mycket olika behov.")
	d.text("Det finns goda exempel på samverkan i kommunen, men den kan utvecklas. Många personer är ännu inte redo för parternas ordinarie insatser och behöver stöd för att kunna ta del av dem. " +
		"Utan den insats som ansökan gäller riskerar målgruppen att stå utan stöd. Parterna finansierar själva de delar där de har ett formellt ansvar.")

	d.heading(1, "Planerad Insatstid")
	d.text("Planerat startdatum: 2023-01-01")
	d.text("Planerat slutdatum: 2024-12-31")
	d.text("Planerat slutdatum för intag av personer i insatsen: 2024-09-30")

	d.section("target_group", 1, "Beskriv målgrupp för insatsen (*)")
	d.text("Målgruppen är kommuninvånare från 20 år och uppåt som av olika skäl står utanför arbetsmarknaden och behöver samordnade arbetslivsinriktade insatser med förstärkt och individuellt anpassat stöd. " +
		"Deltagarna förväntas behöva lång tid i insatsen, där en stor del av tiden går åt till att bygga relation och motivation.")
	d.text("Personer som i dag saknar kontakt med parterna kan ha varit aktuella inom kommunens aktivitetsansvar, som därför är en viktig länk för att nå dem.")
	d.text("Ange förväntat antal deltagare: Minst 15 per år")
	d.text("Målgruppen behöver ett sammanhang över tid, och det är viktigt att påbörjade processer inte avbryts utan att det finns en tydlig mottagare efter avslut.")

	d.section("methods", 1, "Beskriv metod/metoder ni kommer använda (*)")
	d.text("Arbetsmarknadsstödjarens huvuduppgift är att samordna stödet kring deltagaren och att utifrån deltagarens behov koppla in de parter och aktiviteter som behövs, till exempel vården, Arbetsförmedlingen, socialtjänsten, aktivitetsansvaret och praktikplatser.")
	d.text("Funktionen använder samverkansverktyget Rutin för flerpartsmöte. Deltagaren medverkar i alla möten.")
	d.text("Arbetsmarknadsstödjaren arbetar också uppsökande och stöttar deltagaren i att genomföra sina aktiviteter. Var tolfte vecka skattar deltagarna sin egen process.")

	d.section("evaluation", 1, "Beskriv metod för uppföljning och utvärdering av målen (*)")
	d.directBullets(
		"Lokusgruppen är styrgrupp och följer upp resultatet genom kvartalsrapporter till Samordningsförbundet.",
		"Insatsen redovisas i SUS.",
		"Deltagarnas egen upplevelse av stegförflyttning mäts med självskattning.",
	)

	d.section("results_use", 1, "Beskriv hur ni tänker ta tillvara resultaten från insatsen")
	d.text("Älvkarleby kommun använder insatsen som grund för att utveckla arbetet med långtidsarbetslösa som behöver förstärkt stöd.")
	d.text("Region Uppsala fortsätter att använda SIP och Rutin för flerpartsmöte och har tydliga ingångar till vården för de samverkande parterna.")
	d.text("Arbetsförmedlingen: Insatsen ska säkra samarbetet mellan parterna och ge gemensamma rutiner för att deltagarna ska komma vidare till ett lämpligt nästa steg.")
	d.text("Försäkringskassan ser ett behov av förberedande insatser för personer som står långt från arbetsmarknaden och anvisar till insatsen när behovet finns.")

	d.section("budget_text", 1, "Ange budget/finansiering (separat budget ska bifogas enligt mall)")
	d.text(kr(requested, " ") + " kr")

	d.jaNej("x", 0)
	d.section("anchoring.how", 1, "Hur och när har ansökan diskuterats?")
	d.text("Lokusgruppen har diskuterat ansökan på sina möten 19 april och 31 maj 2022.")

	d.agreement()

	owner := signature{owner: true, orgDate: "Älvkarleby kommun 2022-06-13", org: "Älvkarleby kommun", date: "2022-06-13",
		name: "Therese Wallin tf HR- och arbetsmarknadschef", email: "therese.wallin@alvkarleby.se"}
	d.signatureBlock("Underskrift  (*)", owner)
	// The partners' blocks in the seed's order: Region Uppsala (dated
	// without a day), Arbetsförmedlingen (regional name, no date),
	// Försäkringskassan (no date, e-mail without a local part).
	partners := []signature{
		{orgDate: "Region Uppsala 2022-06-", org: "Region Uppsala", date: "2022-06", name: "Per Sundqvist", email: "per.sundqvist@regionuppsala.se"},
		{orgDate: "Arbetsförmedlingen Uppsala län", org: "Arbetsförmedlingen", name: "Emma Karlsson", email: "emma.karlsson@arbetsformedlingen.se"},
		{orgDate: "Försäkringskassan", org: "Försäkringskassan", name: "Ingrid Öberg", email: "@forsakringskassan.se"},
	}
	for _, s := range partners {
		d.partnerSignaturePage(s000Title)
		d.signatureBlock("Underskrift  (*)", s)
	}
	if err := d.write(filepath.Join(out, s000Stem+".docx")); err != nil {
		return err
	}

	// The gold is the submission's: the signed PDF carries the
	// e-signature stamp, so every block is electronic (README, defect 6).
	g := &d.gold
	g.Title = strp(s000Title)
	g.Owner = &schema.Owner{Organisation: strp("Älvkarleby kommun"), Units: []string{}}
	g.Partners = goldPartners("Arbetsförmedlingen", "Region Uppsala", "Försäkringskassan")
	g.Period = goldPeriod("2023-01-01", "2024-12-31", "2024-09-30")
	g.ExpectedParticipants = goldParticipants(15, true, "Minst 15 per år")
	g.RequestedAmountSEK = int64p(requested)
	g.Anchoring = &schema.Anchoring{Discussed: boolp(true)}
	g.Signatures = []schema.Signature{owner.gold(true)}
	for _, s := range partners {
		g.Signatures = append(g.Signatures, s.gold(true))
	}
	g.Budget = b.goldBudget([4]string{"Älvkarleby kommun", "Arbetsförmedlingen", "Försäkringskassan", "Region Uppsala"})
	g.Findings = []score.GoldFinding{
		finding(schema.CodeSignatureDateIncomplete, "Region Uppsala"),
		finding(schema.CodeSignatureDateMissing, "Arbetsförmedlingen"),
		finding(schema.CodeSignatureDateMissing, "Försäkringskassan"),
		finding(schema.CodeSignatureEmailInvalid, "Försäkringskassan"),
		finding(schema.CodeBudgetUnitMismatch, b.unitHeader),
	}
	g.Complete = boolp(true)
	if err := writeGold(out, s000Stem, g); err != nil {
		return err
	}
	f, err := b.workbook(nil, nil)
	if err != nil {
		return err
	}
	return saveWorkbook(f, filepath.Join(out, s000Stem+"-budget.xlsx"), "Therese Wallin")
}
