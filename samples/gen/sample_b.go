package main

// Sample 2, variant B: another förbund's form-style template
// ("Samordningsförbundet Sydväst"), every question a one-column table,
// answers in content controls, the budget as a Word table in a landscape
// section. Carries deliberate defects (see README.md).

import (
	"path/filepath"
	"strings"
)

const (
	bStem  = "b-nasta-steg"
	bTitle = "Nästa steg Sydväst"
)

func bBudget() *budget {
	period := func(l bLine) bLine { l.from, l.to = day("2024-08-01"), day("2026-07-31"); return l }
	return &budget{
		name:       bTitle,
		start:      day("2024-08-01").t,
		end:        day("2026-07-31").t,
		unitHeader: "Kostnader i tkr",
		parties:    [4]string{"Svedala kommun", "Arbetsförmedlingen", "Region Skåne", "Försäkringskassan"},
		salaries: []bLine{
			period(bLine{label: "1. Jobbcoacher (2 st)", pct: pct(1), amounts: [4]int64{500000, 500000, 0, 0}}),
			period(bLine{label: "2. Projektledare", pct: pct(0.5), amounts: [4]int64{520000, 0, 0, 0}}),
			period(bLine{label: "3. Arbetsterapeut", pct: pct(0.5), amounts: [4]int64{0, 0, 430000, 0}}),
		},
		rent: bLine{amounts: [4]int64{96000, 0, 0, 0}},
		other: map[string]bLine{
			"Utvärdering":                  {amounts: [4]int64{60000, 0, 0, 0}},
			"Utbildning insatsmedarbetare": {amounts: [4]int64{24000, 0, 0, 0}},
			"Resor":                        {amounts: [4]int64{12000, 0, 0, 0}},
			"Informationsmaterial":         {amounts: [4]int64{8000, 0, 0, 0}},
		},
		ownSalaries: []bLine{
			period(bLine{label: "1. Handläggare", pct: pct(0.2), amounts: [4]int64{0, 0, 0, 160000}}),
		},
	}
}

// question adds one form question: a one-column table with a shaded bold
// header row and the answer below it.
func (d *doc) question(heading, answer string) {
	d.add(table([]int{9000}, [][]cell{
		{{shade: "D9D9D9", content: para{keepNext: true, runs: []run{{text: heading, bold: true}}}.xml()}},
		{{content: answer}},
	}))
	d.p(para{spaceAft: -1})
}

// paras renders plain paragraphs.
func paras(ss ...string) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(para{runs: []run{{text: s}}}.xml())
	}
	return b.String()
}

func bulletParas(ss ...string) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(para{style: "ListBullet", runs: []run{{text: s}}}.xml())
	}
	return b.String()
}

func writeB(out string) error {
	b := bBudget()
	requested := total4(b.requested())
	own := total4(b.own())

	d := &doc{header: "Samordningsförbundet Sydväst – Ansökan om projektmedel", stamp: "Mall 2023:1",
		title: bTitle, author: "Linnea Berg", lastSect: sectPr(true, 1000)}
	d.p(para{style: "Title", runs: []run{{text: "Ansökan om projektmedel"}}})
	d.text("Samordningsförbundet Sydväst")
	d.p(para{runs: []run{{raw: textBox("Textruta 1",
		para{runs: []run{{text: "Observera! Ansökan ska vara kansliet tillhanda senast fyra veckor före styrelsemötet. Skicka den både som Word-fil och som undertecknad PDF.", size: 18}}}.xml())}}})
	d.p(para{runs: []run{{text: "Fyll i varje fråga i rutan under rubriken. Budgeten fylls i på sista sidan.", italic: true}}})

	d.question("1. Projektets namn", para{runs: raw0(inlineSdt("Projektets namn", "projektnamn", run{text: bTitle}))}.xml())
	d.question("2. Projektägare", blockSdt("Projektägare", "projektagare", false,
		paras("Svedala kommun")+
			para{runs: []run{{text: "Kontaktperson: Linnea Berg, projektledare, "}, {raw: d.hyperlink("mailto:linnea.berg@svedala.se", "linnea.berg@svedala.se")}}}.xml()))
	d.question("3. Samverkansparter", blockSdt("Samverkansparter", "samverkansparter", false,
		paras("Arbetsförmedlingen", "Region Skåne", "Försäkringskassan")))
	d.question("4. Syfte", blockSdt("Syfte", "syfte", true,
		para{runs: []run{{text: "Beskriv här syftet med projektet. Vad vill ni uppnå och för vem?", style: "PlaceholderText"}}}.xml()))
	d.question("5. Mål", blockSdt("Mål", "mal", false,
		paras("Projektet har följande mål:")+
			para{style: "ListBullet", runs: []run{{text: "Att minst 40 personer per år deltar i projektet."}}}.xml()+
			para{style: "ListBullet", runs: []run{{text: "Att deltagarna inom "}, {raw: trackedChange("Linnea Berg", "2024-03-04T09:12:00Z", "sex", "åtta")}, {text: " veckor har en individuell handlingsplan."}}}.xml()+
			bulletParas("Att hälften av deltagarna vid avslut har gått vidare till arbete, studier eller arbetsträning.")))
	d.question("6. Bakgrund", blockSdt("Bakgrund", "bakgrund", false, paras(
		"I Svedala kommun finns ett växande antal personer som har långvarig offentlig försörjning och behov av stöd från flera myndigheter samtidigt. "+
			"Parterna har i en gemensam kartläggning hösten 2023 sett att stödet ofta ges parallellt utan samordning, och att många avbryter sina insatser.",
		"Projektet bygger vidare på erfarenheterna från förbundets förstudie om samordnade flerpartsmöten.")))
	d.question("7. Målgrupp", blockSdt("Målgrupp", "malgrupp", false, paras(
		"Personer 20–64 år i Svedala kommun som har försörjningsstöd, aktivitetsersättning eller saknar ersättning, och som behöver samordnat stöd från minst två av parterna.",
		"Förväntat antal deltagare: 40 per år")))
	d.question("8. Metod", blockSdt("Metod", "metod", false,
		paras("Projektet arbetar med individuellt stöd enligt Supported Employment och med samordnade flerpartsmöten. Varje deltagare har en jobbcoach som följer hen genom hela projekttiden.")+
			bulletParas("Kartläggning och arbetsförmågebedömning tillsammans med arbetsterapeut.",
				"Praktik och arbetsträning hos arbetsgivare i kommunen.",
				"Gemensamma möten med handläggare från Arbetsförmedlingen och Försäkringskassan.")))
	d.question("9. Uppföljning och\nutvärdering", blockSdt("Uppföljning", "uppfoljning", false, paras(
		"Styrgruppen följer upp projektet varje kvartal. Deltagarnas stegförflyttning mäts med självskattning vid start och avslut, och en extern utvärderare lämnar en slutrapport.")))
	d.question("10. Implementering", blockSdt("Implementering", "implementering", false, paras(
		"Arbetssättet med samordnade flerpartsmöten förs in i parternas ordinarie samverkansrutiner under projektets sista halvår. Styrgruppen tar fram en plan för implementering senast 2026-01-31.")))
	d.question("11. Projektets finansiering", blockSdt("Finansiering", "finansiering", false, paras(
		"Ansökt belopp från förbundet: "+kr(requested, nbsp)+" kr (se bilaga 1, Budget - detaljerad).",
		"Egenfinansiering: "+kr(own, narrow)+" kr (Försäkringskassan, handläggare 20 %).")))
	d.question("12. Tidsplan", blockSdt("Tidsplan", "tidsplan", false,
		paras("Startdatum: 2024-08-01", "Slutdatum: 2026-07-31", "Sista intag: 2026-03-31")+
			bulletParas("Augusti–september 2024: rekrytering och uppstart.",
				"Oktober 2024 – mars 2026: intag av deltagare.",
				"Våren 2026: implementering och slutrapport.")+
			para{runs: []run{{raw: w14Checkbox("avstamt_kansli", true)}, {text: " Tidsplanen har stämts av med förbundets kansli"}}}.xml()))
	d.question("13. Har ansökan diskuterats i beredningsgruppen?",
		para{runs: []run{{text: "Ja "}, {raw: formCheckbox("Kryss1", true)}, {text: "\t\tNej "}, {raw: formCheckbox("Kryss2", false)}}}.xml())
	d.question("14. Hur och när har ansökan diskuterats?", blockSdt("Förankring", "forankring", false, paras(
		"Ansökan presenterades för beredningsgruppen den 14 februari 2024 och för den lokala samverkansgruppen den 28 februari 2024.")))

	d.heading(1, "15. Underskrifter av parterna")
	d.text("Genom underskrift intygar parterna att de står bakom ansökan.")
	sig := func(role, org, date, name string, email string, link bool) {
		d.bold(role)
		lbl := func(s string) cell {
			return cell{shade: "F2F2F2", content: para{runs: []run{{text: s, bold: true}}}.xml()}
		}
		val := func(s string) cell { return cell{content: paras(s)} }
		mail := val(email)
		if link {
			mail = cell{content: para{runs: []run{{raw: d.hyperlink("mailto:"+email, email)}}}.xml()}
		}
		d.add(table([]int{3000, 6000}, [][]cell{
			{lbl("Organisation"), val(org)},
			{lbl("Datum"), val(date)},
			{lbl("Namnteckning"), {content: "<w:p/><w:p/>"}},
			{lbl("Namnförtydligande"), val(name)},
			{lbl("E-post"), mail},
		}))
		d.empty()
	}
	sig("Projektägare", "Svedala kommun", "2024-03-12", "Karin Åberg, förvaltningschef", "karin.aberg@svedala.se", true)
	sig("Samverkanspart", "Arbetsförmedlingen", "2024-03-14", "Oskar Nilsson, sektionschef", "oskar.nilsson@arbetsformedlingen.se", false)
	sig("Samverkanspart", "Region Skåne", "2024-03-", "Fatima Haddad, verksamhetschef", "fatima.haddad@skane.se", false)
	// Försäkringskassan is named as a partner but has no block (defect).

	// The portrait section ends here; the budget is a landscape section.
	d.p(para{sectPr: sectPr(false, 1418)})
	d.heading(1, "Bilaga 1. Budget - detaljerad")
	d.add(b.wordTable())
	d.p(para{runs: []run{{text: "Beloppen anges i kronor.", italic: true, size: 18}}})
	return d.write(filepath.Join(out, bStem+".docx"))
}

// raw0 makes a run that writes xml as is (for inline content controls
// placed directly in a paragraph).
func raw0(xml string) []run { return []run{{raw: xml}} }
