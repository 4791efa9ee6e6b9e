package main

// Sample 2, variant B: another förbund's form-style template
// ("Samordningsförbundet Sydväst"), every question a one-column table,
// answers in content controls, the budget as a Word table in a landscape
// section. Carries deliberate defects (see README.md).

import (
	"path/filepath"
	"strings"

	"github.com/finsam/ansokan/schema"
	"github.com/finsam/ansokan/score"
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
	sections := map[string]string{} // key → gold text
	answer := func(key, heading, alias, tag string, blocks ...ablk) {
		d.question(heading, blockSdt(alias, tag, false, blocksXML(blocks)))
		sections[key] = blocksGold(blocks)
	}
	// 4. Syfte still holds the template's guidance text (a defect): no
	// answer, so the gold has no purpose text.
	d.question("4. Syfte", blockSdt("Syfte", "syfte", true,
		para{runs: []run{{text: "Beskriv här syftet med projektet. Vad vill ni uppnå och för vem?", style: "PlaceholderText"}}}.xml()))
	answer(schema.SectionGoals, "5. Mål", "Mål", "mal",
		tp("Projektet har följande mål:"),
		bl("Att minst 40 personer per år deltar i projektet."),
		ablk{bullet: true, runs: []run{{text: "Att deltagarna inom "}, {raw: trackedChange("Linnea Berg", "2024-03-04T09:12:00Z", "sex", "åtta")}, {text: " veckor har en individuell handlingsplan."}},
			gold: "Att deltagarna inom åtta veckor har en individuell handlingsplan."},
		bl("Att hälften av deltagarna vid avslut har gått vidare till arbete, studier eller arbetsträning."))
	answer(schema.SectionBackground, "6. Bakgrund", "Bakgrund", "bakgrund",
		tp("I Svedala kommun finns ett växande antal personer som har långvarig offentlig försörjning och behov av stöd från flera myndigheter samtidigt. "+
			"Parterna har i en gemensam kartläggning hösten 2023 sett att stödet ofta ges parallellt utan samordning, och att många avbryter sina insatser."),
		tp("Projektet bygger vidare på erfarenheterna från förbundets förstudie om samordnade flerpartsmöten."))
	answer(schema.SectionTargetGroup, "7. Målgrupp", "Målgrupp", "malgrupp",
		tp("Personer 20–64 år i Svedala kommun som har försörjningsstöd, aktivitetsersättning eller saknar ersättning, och som behöver samordnat stöd från minst två av parterna."),
		tp("Förväntat antal deltagare: 40 per år"))
	answer(schema.SectionMethods, "8. Metod", "Metod", "metod",
		tp("Projektet arbetar med individuellt stöd enligt Supported Employment och med samordnade flerpartsmöten. Varje deltagare har en jobbcoach som följer hen genom hela projekttiden."),
		bl("Kartläggning och arbetsförmågebedömning tillsammans med arbetsterapeut."),
		bl("Praktik och arbetsträning hos arbetsgivare i kommunen."),
		bl("Gemensamma möten med handläggare från Arbetsförmedlingen och Försäkringskassan."))
	answer(schema.SectionEvaluation, "9. Uppföljning och\nutvärdering", "Uppföljning", "uppfoljning",
		tp("Styrgruppen följer upp projektet varje kvartal. Deltagarnas stegförflyttning mäts med självskattning vid start och avslut, och en extern utvärderare lämnar en slutrapport."))
	answer(schema.SectionResultsUse, "10. Implementering", "Implementering", "implementering",
		tp("Arbetssättet med samordnade flerpartsmöten förs in i parternas ordinarie samverkansrutiner under projektets sista halvår. Styrgruppen tar fram en plan för implementering senast 2026-01-31."))
	answer(schema.SectionBudgetText, "11. Projektets finansiering", "Finansiering", "finansiering",
		tp("Ansökt belopp från förbundet: "+kr(requested, nbsp)+" kr (se bilaga 1, Budget - detaljerad)."),
		tp("Egenfinansiering: "+kr(own, narrow)+" kr (Försäkringskassan, handläggare 20 %)."))
	d.question("12. Tidsplan", blockSdt("Tidsplan", "tidsplan", false,
		paras("Startdatum: 2024-08-01", "Slutdatum: 2026-07-31", "Sista intag: 2026-03-31")+
			bulletParas("Augusti–september 2024: rekrytering och uppstart.",
				"Oktober 2024 – mars 2026: intag av deltagare.",
				"Våren 2026: implementering och slutrapport.")+
			para{runs: []run{{raw: w14Checkbox("avstamt_kansli", true)}, {text: " Tidsplanen har stämts av med förbundets kansli"}}}.xml()))
	d.question("13. Har ansökan diskuterats i beredningsgruppen?",
		para{runs: []run{{text: "Ja "}, {raw: formCheckbox("Kryss1", true)}, {text: "\t\tNej "}, {raw: formCheckbox("Kryss2", false)}}}.xml())
	answer("anchoring.how", "14. Hur och när har ansökan diskuterats?", "Förankring", "forankring",
		tp("Ansökan presenterades för beredningsgruppen den 14 februari 2024 och för den lokala samverkansgruppen den 28 februari 2024."))

	d.heading(1, "15. Underskrifter av parterna")
	d.text("Genom underskrift intygar parterna att de står bakom ansökan.")
	var sigs []schema.Signature
	sig := func(role, org, date, name string, email string, link bool) {
		iso := strings.TrimSuffix(date, "-") // "2024-03-" is kept as "2024-03"
		sigs = append(sigs, goldSig(role == "Projektägare", org, iso, name, email, false))
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
	if err := d.write(filepath.Join(out, bStem+".docx")); err != nil {
		return err
	}

	g := &score.Gold{Sections: map[string]score.GoldSection{}}
	for k, t := range sections {
		g.Sections[k] = score.GoldSection{Text: t}
	}
	g.Title = strp(bTitle)
	g.Owner = &schema.Owner{Organisation: strp("Svedala kommun"), Units: []string{}}
	g.Partners = goldPartners("Arbetsförmedlingen", "Region Skåne", "Försäkringskassan")
	g.Period = goldPeriod("2024-08-01", "2026-07-31", "2026-03-31")
	g.ExpectedParticipants = goldParticipants(40, true, "40 per år")
	g.RequestedAmountSEK = int64p(requested)
	g.Anchoring = &schema.Anchoring{Discussed: boolp(true)}
	g.Signatures = sigs
	g.Budget = b.goldBudget(b.parties)
	g.Findings = []score.GoldFinding{
		finding(schema.CodeSignatureMissing, "Försäkringskassan"),
		// The signatures against the partners; the subject is the
		// reader's wording, so any subject matches.
		{Code: schema.CodePartiesMismatch},
		finding(schema.CodeSignatureDateIncomplete, "Region Skåne"),
		// 4. Syfte holds the guidance text: section.missing and/or
		// template.placeholder (README); the first is required, the
		// second allowed.
		finding(schema.CodeSectionMissing, schema.SectionPurpose),
		{Code: schema.CodeTemplatePlaceholder, Subject: strp(schema.SectionPurpose), Optional: true},
		finding(schema.CodeBudgetUnitMismatch, b.unitHeader),
	}
	g.Complete = boolp(false)
	return writeGold(out, bStem, g)
}

// ablk is one paragraph of an answer: its runs (a bullet item or not)
// and, when a run is raw markup, the text it shows.
type ablk struct {
	bullet bool
	runs   []run
	gold   string // the text the paragraph shows, when runs carry raw markup
}

func tp(s string) ablk { return ablk{runs: []run{{text: s}}} }
func bl(s string) ablk { return ablk{bullet: true, runs: []run{{text: s}}} }

func blocksXML(bs []ablk) string {
	var b strings.Builder
	for _, x := range bs {
		p := para{runs: x.runs}
		if x.bullet {
			p.style = "ListBullet"
		}
		b.WriteString(p.xml())
	}
	return b.String()
}

// blocksGold is the answer's text in the contract's form.
func blocksGold(bs []ablk) string {
	var gb []gblock
	for _, x := range bs {
		t := x.gold
		if t == "" {
			for _, r := range x.runs {
				t += r.text
			}
		}
		if x.bullet {
			t = "- " + t
		}
		gb = append(gb, gblock{list: x.bullet, text: t})
	}
	return joinBlocks(gb)
}

// raw0 makes a run that writes xml as is (for inline content controls
// placed directly in a paragraph).
func raw0(xml string) []run { return []run{{raw: xml}} }
