package main

// Sample 4: a reconstruction of seed 003 (structure and budget figures of
// the real Uppsala kommun extension application; all people and free
// text invented).

import (
	"fmt"
	"path/filepath"

	"github.com/finsam/ansokan/schema"
	"github.com/finsam/ansokan/score"
	"github.com/xuri/excelize/v2"
)

const (
	s003Stem  = "seed003-arbetsstegen"
	s003Title = "Arbetsstegen - förrehabiliterande insatser för personer med ohälsa som uppbär ekonomiskt bistånd utan sjukpenninggrundande inkomst"
	s003Short = "Arbetsstegen"
)

func s003Budget() *budget {
	y := func(label string, p float64, to string, a [4]int64) bLine {
		return bLine{label: label, pct: pct(p), from: typed("1/1-2023"), to: typed(to), amounts: a}
	}
	return &budget{
		name:        "Arbetsstegen-förlängningsansökan",
		summaryName: "Arbetsstegen- förlängningsansökan",
		start:       day("2023-01-01").t,
		end:         day("2023-12-31").t,
		unitHeader:  "Kostnader i tkr",
		parties:     [4]string{"Uppsala kommun", "Region Uppsala", "NAMN", "NAMN"},
		salaries: []bLine{
			y("Kvalificerad handläggare/ projektledare", 1, "31/12-2023", [4]int64{672000, 0, 0, 0}),
			y("Socialsekreterare", 1, "31/12- 2023", [4]int64{672000, 0, 0, 0}),
			y("Arbetsterapeut", 0.5, "30/11-2023", [4]int64{280000, 0, 0, 0}),
			y("Rehabiliteringskoordinator", 1, "31/12-2023", [4]int64{0, 680400, 0, 0}),
		},
		other: map[string]bLine{
			"Inköpta utredningar, utbildningar och tjänster avsedda för deltagare": {from: typed("1/1-2023"), to: typed("31/12-2023"), amounts: [4]int64{500000, 0, 0, 0}},
			"Övrigt": {from: typed("1/1-2023"), to: typed("31/12-2023"), amounts: [4]int64{100000, 0, 0, 0}},
		},
		ownSalaries: []bLine{
			y("Socialsekreterare", 1, "31/12 2023", [4]int64{672000, 0, 0, 0}),
			y("Socialsekreterare", 1, "31/12- 2023", [4]int64{672000, 0, 0, 0}),
		},
		summary: []summaryRow{
			{"Huvudinsatsägare", "Uppsala kommun", 0},
			{"Delinsatsägare 1", "Region Uppsala", 1},
			{"Delinsatsägare 2", "NAMN", 2},
			{"Delinsatsägare 3", "NAMN", 3},
			{"Delinsatsägare 4", "NAMN", -1},
		},
	}
}

// s003YearSheet is the template's year sheet, left with its placeholders.
func s003YearSheet(f *excelize.File, st budgetStyles) error {
	const sh = "ÅR"
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	w := &sheetWriter{f: f, sheet: sh}
	w.colWidth("A", "A", 28)
	w.colWidth("B", "E", 14)
	for i, col := range []string{"B", "C", "D", "E"} {
		w.set(col+"1", fmt.Sprintf("ÅR %d", i+1), st.header)
		if i == 0 {
			w.set(col+"2", 2023, st.header)
		} else {
			w.set(col+"2", "20XX", st.header)
		}
	}
	for r, s := range []string{"LÖNEKOSTNADER", "inkl P.O tillägg", "Socialsekreterare", "", "LOKALKOSTNADER", "Lokalkostnader", "Övriga lokalkostnader", "", "ÖVRIGA KOSTNADER", "", "TOTALT"} {
		if s == "" {
			continue
		}
		style := st.label
		if s == "LÖNEKOSTNADER" || s == "LOKALKOSTNADER" || s == "ÖVRIGA KOSTNADER" || s == "TOTALT" {
			style = st.bold
		}
		w.set(fmt.Sprintf("A%d", r+4), s, style)
	}
	return w.err
}

// s003DraftSheet is the applicant's own draft ("Utkast") with notes.
func s003DraftSheet(f *excelize.File, st budgetStyles) error {
	const sh = "Utkast"
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	w := &sheetWriter{f: f, sheet: sh}
	w.colWidth("A", "A", 42)
	w.colWidth("B", "B", 14)
	w.colWidth("C", "C", 30)
	w.colWidth("E", "E", 60)
	w.set("A1", "Utkast budget 0-klassade sjukskrivna 1/1-2023-1/12-2023", st.bold)
	rows := []struct {
		label  string
		amount int64
		note   string
		calc   string
	}{
		{"Socialsekreterare, 100%", 0, "Resurser tas från ord. verk.", "(Räknat på 40 000 kr per månad)"},
		{"Socialsekreterare, 100%", 0, "Resurser tas från ord.  verk", "(Räknat på 40 000 kr per månad)"},
		{"Kavlificerad handläggare/ projektledare", 672000, "", "(Räknat på 40 000 kr per månad)"},
		{"Socialsekreterare, 100%", 672000, "", "(Räknat på 40 000 kr per månad)"},
		{"Rehabkoordinator, Region uppsala, 100%", 680400, "", "(Räknat på 40 500 kr per månad)"},
		{"Arbetsterapeut, 50%", 280000, "", "(Räknat på 40 000 kr per månad för perioden 1/1-2023 till 30/11-2023"},
		{"Förrehabiliterade insatser", 500000, "konsultkostnad", "Studie- och yrkesvägledning, stärka hälsa utifrån levnadsvanor, \"vardagslivet\" m.m."},
		{"Övriga kostnader", 100000, "", "Studiebesök, utbildning, konferens m.m."},
	}
	r := 3
	for _, x := range rows {
		w.set(fmt.Sprintf("A%d", r), x.label, 0)
		w.set(fmt.Sprintf("B%d", r), x.amount, st.plainAmount)
		if x.note != "" {
			w.set(fmt.Sprintf("C%d", r), x.note, 0)
		}
		w.set(fmt.Sprintf("E%d", r), x.calc, 0)
		r++
	}
	r++
	w.set(fmt.Sprintf("A%d", r), "Total projektbudget", st.bold)
	w.formula(fmt.Sprintf("B%d", r), fmt.Sprintf("SUM(B3:B%d)", r-2), st.sumAmount)
	return w.err
}

func write003(out string) error {
	b := s003Budget()

	d := recorded(newUppsalaDoc(s003Title, "Maria Lundgren"))
	d.heading(1, "Insatsens namn")
	d.text(s003Title)
	d.heading(1, "Insatsägare (*)")
	d.text("Uppsala kommun")
	d.text("Arbetsmarknadsförvaltningen Uppsala kommun")
	d.text("Socialtjänst - Ekonomiskt bistånd")
	d.heading(1, "Samverkansparter (*)")
	d.text("Organisation: Region Uppsala")

	d.section("purpose", 1, "Beskriv syftet med insatsen (*)")
	d.text("Det övergripande syftet är att personer som uppbär ekonomiskt bistånd och som på grund av ohälsa saknar arbetsförmåga ska erbjudas förrehabiliterande insatser, så att de kan delta i arbetslivsinriktad rehabilitering och på sikt nå egen försörjning.")
	d.bold("Strukturnivå:")
	d.bullets("Utveckla ett arbetssätt mellan Uppsala kommun och Region Uppsala för samverkan kring personer som uppbär ekonomiskt bistånd och saknar sjukpenninggrundande inkomst. Arbetssättet bygger på befintliga strukturer som SIP och flerpartsmöten.")
	d.bold("Individnivå:")
	d.bullets("Att personer i målgruppen får tillgång till förrehabiliterande insatser utifrån behov, så att de efter insatsen kan ta del av arbetslivsinriktad rehabilitering via Arbetsmarknadsförvaltningen eller Arbetsförmedlingen.")

	d.section("goals", 1, "Beskriv målen med insatsen (*)")
	d.bold("Strukturnivå:")
	d.bullets("Arbetssättet mellan Uppsala kommun och Region Uppsala är beskrivet och används i de verksamheter som deltagit i insatsen.")
	d.bold("Individnivå:")
	d.bullets(
		"80 % av deltagarna har inom åtta veckor en planering med målet att efter insatsen kunna delta i Arbetsmarknadsförvaltningens eller Arbetsförmedlingens utbud.",
		"50 % av deltagarna tar vid avslut nästa steg mot arbete genom att erbjudas arbetslivsinriktad rehabilitering.",
	)

	d.section("background", 1, "Beskriv bakgrunden till/behovet av insatsen (*)")
	d.text("En genomgång inom ekonomiskt bistånd visar att runt 220 hushåll varje månad får bistånd på grund av sjukskrivning utan sjukpenninggrundande inkomst. Endast i enstaka fall har samverkan med Försäkringskassan inletts.")
	d.text("Genomgången visar ett stort behov av fortsatt samverkan och av insatser som stöttar dessa personer mot egen försörjning. Utan förrehabiliterande insatser är risken stor att de inte närmar sig arbetsmarknaden.")

	d.heading(1, "Planerad Insatstid")
	d.text(s003Short + " startade 1/1–2022 och pågår till 31/12–2022")
	d.text("Förlängningsansökan gäller perioden: 1/1-2023- 31/12–2023")

	d.section("target_group", 1, "Beskriv målgrupp för insatsen (*)")
	d.text("Målgruppen är personer i arbetsför ålder som uppbär ekonomiskt bistånd, saknar sjukpenninggrundande inkomst och på grund av ohälsa inte kan delta i arbetslivsinriktad rehabilitering.")
	d.text("Genomgången visar att målgruppen består av 60 % kvinnor och 40 % män. Målet är att deltagarna speglar den fördelningen och att kvinnor och män får en likvärdig planering.")
	d.text("Ange förväntat antal deltagare: 150 personer")

	d.section("methods", 1, "Beskriv metod/metoder ni kommer använda (*)")
	d.text("Insatsen bygger på standardiserade bedömningsmetoder i den inledande utredningen och på den transteoretiska modellen för förändring som teoretisk referensram.")
	d.bold("Planerade aktiviteter i insatsen:")
	d.bullets(
		"En individuell plan för att efter insatsen kunna få arbetslivsinriktad rehabilitering.",
		"Dialog med vården om medicinska möjligheter och hinder när planen tas fram.",
		"Förrehabiliterande aktiviteter, till exempel två timmar i veckan under åtta veckor, med möjlighet till snabbare eller långsammare upptrappning.",
		"Tät och regelbunden kontakt med teamet i insatsen.",
	)
	d.text("Samarbetet med Arbetsförmedlingen och Försäkringskassan sker via ordinarie strukturer.")
	d.extraSection(2, "Roller i teamet (resurserna kan fördelas på flera personer inom deltagande verksamheter)")
	d.bullets(
		"100 % kvalificerad handläggare/projektledare: leder arbetet mot målen, samordnar aktiviteterna och rapporterar till styrgruppen.",
		"300 % socialsekreterare, varav 200 % finansieras av Uppsala kommun: upprättar och följer upp den individuella planeringen tillsammans med deltagaren.",
		"100 % rehabiliteringskoordinator från vården: deltar i SIP och flerpartsmöten och samordnar medicinsk och arbetslivsinriktad rehabilitering.",
		"50 % arbetsterapeut: gör arbetsterapeutiska utredningar och stöttar planeringen av förrehabiliterande insatser.",
	)
	d.extraSection(2, "Vårdens roll i insatsen:")
	d.bullets(
		"Att en representant från vården deltar i SIP och flerpartsmöten.",
		"Att vården utser en kontaktperson för kommunens team.",
		"Att vården får en kontaktperson i Uppsala kommun att informera i stället för att utfärda intyg.",
	)
	d.bold("Uppsala kommuns roll i insatsen:")
	d.text("Uppsala kommun har sedan 1/1–2022 en särskild enhet inom ekonomiskt bistånd för målgruppen. " + s003Short + " är navet i utvecklingsarbetet i enheten och kompletterar den ordinarie handläggningen.")

	d.section("evaluation", 1, "Beskriv metod för uppföljning och utvärdering av målen")
	d.text("Insatsen följs upp på styrgruppsmöten varje kvartal enligt Samordningsförbundets riktlinjer. Deltagarna registreras i SUS.")
	d.text("Vid avslut sammanställs arbetet i en rapport som innehåller:")
	d.numbered(numDecimal2,
		"En beskrivning av arbetssättet mellan Uppsala kommun och Region Uppsala.",
		"En beskrivning av deltagarnas stegförflyttning och aktivitetsnivå.",
		"En sammanställning av vilka förrehabiliterande insatser som erbjudits.",
		"En sammanställning av hur många deltagare som inom åtta veckor haft en planering.",
		"En sammanställning av hur många deltagare som gått vidare till arbetslivsinriktad rehabilitering.",
		"Återkoppling till lokusgruppen i Uppsala under hela insatstiden.",
	)
	d.text("Processkarta över arbetet i " + s003Short + ":")

	d.section("results_use", 1, "Beskriv hur ni tänker jobba för implementering efter insatstid")
	d.text("Implementeringen är en stående punkt på styrgruppens möten under hela insatstiden.")
	d.text("Region Uppsala:")
	d.text("Regionen behöver ett resurstillskott under införandet för att kunna delta i att ta fram och pröva nya sätt att samverka. På sikt ingår arbetet i den ordinarie verksamheten.")
	d.text("Uppsala kommun:")
	d.text("Den nya enheten inom ekonomiskt bistånd är en naturlig mottagare av arbetssätten. Metoder som fungerar förs löpande över till ordinarie verksamhet.")
	d.extraSection(1, "Varför gör vi en förlängningsansökan redan nu?")
	d.text("Insatsen beviljades medel för tolv månader. Arbetet med deltagare kom i gång först 1/4–2022, och målgruppen kräver ett långt motivationsarbete innan planeringen kan börja. Insatsen behöver mer tid för att kunna dra slutsatser om vilka arbetssätt som fungerar.")
	d.text("Insatsens resultat under perioden 1/1- 2022- 31/5–2022")
	d.text("En del av målet om ett gemensamt arbetssätt mellan kommunen och regionen är redan uppnått: insatsen prövar nu en gemensam digital kanal för meddelanden mellan teamet och vården.")

	d.section("budget_text", 1, "Ange budget/finansiering (separat budget ska bifogas enligt mall)")
	d.text("Uppdaterad budget för perioden 1/1-2023-31/12–2023")
	d.text("Sedan ansökan lämnades in har Arbetsmarknadsförvaltningen anställt en resurs för upphandling, och budgetposten för upphandling har därför tagits bort. I dialog med parterna och Samordningsförbundet gäller förlängningen hela 2023.")
	d.text("Ansökt belopp för förlängningen: " + kr(total4(b.requested()), " ") + " kr, varav " + kr(b.other["Inköpta utredningar, utbildningar och tjänster avsedda för deltagare"].total(), " ") + " kr avser medel för att kunna köpa in förrehabiliterande insatser.")
	d.text("Se bifogad fil för detaljerad budget")

	d.jaNej("", 0)
	d.section("anchoring.how", 1, "Hur och när har ansökan diskuterats?")
	d.text("Ansökan diskuterades vid lokusmötet 3/6 och lokusgruppen beslutade att stå bakom ansökan.")

	d.agreement()

	// The owner's date has day and month but no year: "--06-16" is the
	// ISO 8601 form without a year (the contract says nothing of it).
	owner := signature{owner: true, orgDate: "Uppsala kommun 16 juni", org: "Uppsala kommun", date: "--06-16",
		name: "Maria Lundgren", email: "Maria.Lundgren@uppsala.se"}
	d.signatureBlock("Underskrift  (*)", owner)
	d.partnerSignaturePage(s003Short)
	partner := signature{orgDate: "Region Uppsala 2022-06-", org: "Region Uppsala", date: "2022-06",
		name: "Anders Nyberg", email: "Anders.Nyberg@regionuppsala.se"}
	d.signatureBlock("Underskrift  (*)", partner)
	if err := d.write(filepath.Join(out, s003Stem+".docx")); err != nil {
		return err
	}

	g := &d.gold
	g.Title = strp(s003Title)
	g.Owner = &schema.Owner{Organisation: strp("Uppsala kommun"),
		Units: []string{"Arbetsmarknadsförvaltningen Uppsala kommun", "Socialtjänst - Ekonomiskt bistånd"}}
	g.Partners = goldPartners("Region Uppsala")
	g.Period = goldPeriod("2023-01-01", "2023-12-31", "")
	g.ExpectedParticipants = goldParticipants(150, false, "150 personer")
	g.RequestedAmountSEK = int64p(total4(b.requested()))
	g.Anchoring = &schema.Anchoring{Discussed: nil} // no mark under Ja or Nej
	g.Signatures = []schema.Signature{owner.gold(false), partner.gold(false)}
	g.Budget = b.goldBudget([4]string{"Uppsala kommun", "Region Uppsala", "", ""})
	g.Findings = []score.GoldFinding{
		finding(schema.CodeSignatureDateIncomplete, "Uppsala kommun"),
		finding(schema.CodeSignatureDateIncomplete, "Region Uppsala"),
		finding(schema.CodeBudgetUnitMismatch, b.unitHeader),
	}
	g.Complete = boolp(true)
	if err := writeGold(out, s003Stem, g); err != nil {
		return err
	}
	f, err := b.workbook([]sheetFunc{s003YearSheet}, []sheetFunc{s003DraftSheet})
	if err != nil {
		return err
	}
	return saveWorkbook(f, filepath.Join(out, s003Stem+"-budget.xlsx"), "Maria Lundgren")
}
