package main

// Family F: the "Ansökan om finansiering av samverkansinsats" of an
// invented förbund (Samordningsförbundet Hallandskusten). One
// two-column table holds the whole form: every question in a shaded bold
// cell on the LEFT, numbered "1.1" … "3.2", its answer in the cell to the
// RIGHT. The amount is "Sökt belopp från samordningsförbundet: 850 000
// kronor", the participants "ca 25 deltagare per år". The förbund has an
// Överenskommelse of its own (numbered bold paragraphs, not the Uppsala
// text), so F is read with its own profile (samples/profiles/), made by
// 'ansokan profile init' from F's blank template
// (samples/templates/f-mall.docx). Two deliberate defects (see
// README.md): 2.6 Uppföljning still holds the template's guidance, and
// the applicant changed a sentence of the Överenskommelse.

import (
	"path/filepath"
	"strings"

	"github.com/finsam/ansokan/schema"
	"github.com/finsam/ansokan/score"
)

const (
	fStem  = "f-kustnara-stod"
	fTitle = "Kustnära stöd – vägen tillbaka till arbete"
)

var fParties = [4]string{"Falkenbergs kommun", "Region Halland", "Arbetsförmedlingen", "Försäkringskassan"}

// fAgreement is the förbund's own Överenskommelse: sub-heading, text.
var fAgreement = [][2]string{
	{"Ansvar för insatsen", "Insatsägaren ansvarar för att insatsen genomförs enligt denna ansökan och för att gällande lagar och avtal följs. Medarbetarna i insatsen är anställda av sina ordinarie arbetsgivare."},
	{"Rekvisition av medel", "Beviljade medel rekvireras kvartalsvis i efterskott. Medel som inte har använts när insatsen avslutas betalas tillbaka till förbundet."},
	{"Rapportering", "Insatsen lämnar en lägesrapport till förbundets styrelse varje halvår och en slutrapport senast tre månader efter att insatsen har avslutats."},
}

// fAgreementIntro opens the Överenskommelse.
const fAgreementIntro = "Genom underskrifterna nedan förbinder sig parterna att följa denna överenskommelse."

// fGuidance is the template's text in the answer cells.
var fGuidance = map[string]string{
	"2.1": "Beskriv här syftet med insatsen.",
	"2.2": "Beskriv här insatsens mål.",
	"2.3": "Beskriv här bakgrunden och behovet.",
	"2.4": "Beskriv här målgruppen.",
	"2.5": "Beskriv här hur insatsen ska genomföras.",
	"2.6": "Beskriv här hur insatsen ska följas upp och utvärderas.",
	"2.7": "Beskriv här hur resultaten tas tillvara när insatsen är slut.",
	"3.1": "Skriv här det belopp som söks och hur insatsen finansieras i övrigt.",
	"3.2": "Skriv här om ansökan har diskuterats i beredningsgruppen.",
}

func fBudget() *budget {
	period := func(l bLine) bLine { l.from, l.to = day("2026-01-01"), day("2027-12-31"); return l }
	return &budget{
		name:        "Kustnära stöd",
		summaryName: "Kustnära stöd",
		start:       day("2026-01-01").t,
		end:         day("2027-12-31").t,
		unitHeader:  "Kostnader i kr",
		parties:     fParties,
		salaries: []bLine{
			period(bLine{label: "1. Samordnare", pct: pct(0.5), amounts: [4]int64{520000, 0, 0, 0}}),
			period(bLine{label: "2. Arbetsterapeut", pct: pct(0.2), amounts: [4]int64{0, 180000, 0, 0}}),
		},
		rent: bLine{amounts: [4]int64{40000, 0, 0, 0}},
		other: map[string]bLine{
			"Utvärdering":                      {amounts: [4]int64{40000, 0, 0, 0}},
			"Utbildning insatsmedarbetare":     {amounts: [4]int64{20000, 0, 0, 0}},
			"Övriga aktiviteter för deltagare": {amounts: [4]int64{30000, 0, 0, 0}},
			"Resor":                            {amounts: [4]int64{15000, 0, 0, 0}},
			"Informationsmaterial":             {amounts: [4]int64{5000, 0, 0, 0}},
		},
		ownSalaries: []bLine{
			period(bLine{label: "1. Arbetsförmedlare", pct: pct(0.2), amounts: [4]int64{0, 0, 150000, 0}}),
			period(bLine{label: "2. Handläggare", pct: pct(0.1), amounts: [4]int64{0, 0, 0, 75000}}),
		},
		summary: []summaryRow{
			{"Huvudinsatsägare", "Falkenbergs kommun", 0},
			{"Delinsatsägare 1", "Region Halland", 1},
			{"Delinsatsägare 2", "Arbetsförmedlingen", 2},
			{"Delinsatsägare 3", "Försäkringskassan", 3},
		},
	}
}

// fRow is one question of F's form with its answer.
type fRow struct {
	num, question string
	required      bool
	key           string // the section it answers, for the gold ("" none)
	answer        []ablk
}

// fForm renders F's form table: question cells left, answers right.
func fForm(rows []fRow) string {
	var cells [][]cell
	for _, r := range rows {
		q := r.num + " " + r.question
		if r.required {
			q += " (obligatorisk)"
		}
		cells = append(cells, []cell{
			{shade: "D9E2F3", content: para{runs: []run{{text: q, bold: true}}}.xml()},
			{content: blocksXML(r.answer)},
		})
	}
	return table([]int{3000, 6000}, cells)
}

// fHead writes F's front matter: title, förbund, instruction.
func fHead(d *doc) {
	d.p(para{runs: []run{{text: "Ansökan om finansiering av samverkansinsats", bold: true, size: 32}}})
	d.text("Samordningsförbundet Hallandskusten")
	d.empty()
}

// fAgreementXML writes the Överenskommelse; change replaces a sentence
// of its text (old → new) for the defect.
func fAgreementXML(d *doc, oldS, newS string) string {
	d.p(para{keepNext: true, runs: []run{{text: "4. Överenskommelse", bold: true, size: 26}}})
	d.text(fAgreementIntro)
	var gold []string
	gold = append(gold, fAgreementIntro)
	for i, a := range fAgreement {
		sub := "4." + string(rune('1'+i)) + " " + a[0]
		d.bold(sub)
		text := a[1]
		if oldS != "" {
			text = strings.Replace(text, oldS, newS, 1)
		}
		d.text(text)
		gold = append(gold, sub, text)
	}
	return strings.Join(gold, "\n\n")
}

func writeF(out string) error {
	b := fBudget()
	requested := total4(b.requested())

	d := &doc{header: "Samordningsförbundet Hallandskusten", stamp: "Ansökningsmall F 2025", title: fTitle,
		author: "Johanna Ek", lastSect: sectPr(false, 1418)}
	fHead(d)
	rows := []fRow{
		{"1.1", "Insatsens namn", false, "", []ablk{tp(fTitle)}},
		{"1.2", "Sökande organisation", false, "", []ablk{tp("Falkenbergs kommun")}},
		{"1.3", "Samverkansparter", false, "", []ablk{tp("Region Halland"), tp("Arbetsförmedlingen"), tp("Försäkringskassan")}},
		{"1.4", "Insatsperiod", false, "", []ablk{tp("2026-01-01 – 2027-12-31")}},
		{"1.5", "Antal deltagare", false, "", []ablk{tp("ca 25 deltagare per år")}},
		{"2.1", "Syfte", true, schema.SectionPurpose, []ablk{
			tp("Syftet är att unga vuxna i Falkenberg som har aktivitetsersättning eller försörjningsstöd ska få ett samordnat stöd och komma närmare arbete eller studier.")}},
		{"2.2", "Mål", true, schema.SectionGoals, []ablk{
			tp("Insatsen har två mål:"),
			bl("Minst hälften av deltagarna har gått vidare till arbete, studier eller arbetsträning vid avslut."),
			bl("Parterna har en gemensam rutin för tidig samordning."),
		}},
		{"2.3", "Bakgrund", true, schema.SectionBackground, []ablk{
			tp("Antalet unga vuxna med aktivitetsersättning har ökat i Falkenberg de senaste åren. Många av dem får stöd från flera parter, men stödet är sällan samordnat.")}},
		{"2.4", "Målgrupp", true, schema.SectionTargetGroup, []ablk{
			tp("Unga vuxna 19–29 år i Falkenbergs kommun med aktivitetsersättning, försörjningsstöd eller sjukpenning, som behöver stöd från minst två av parterna.")}},
		{"2.5", "Genomförande", true, schema.SectionMethods, []ablk{
			tp("Samordnaren träffar deltagaren varje vecka och kallar till gemensamma möten med de parter som berörs. Arbetsterapeuten gör en aktivitetsbedömning i början av insatsen."),
			bl("Kartläggning och gemensam planering."),
			bl("Praktik eller studiebesök efter deltagarens intresse."),
			bl("Överlämning till ordinarie verksamhet."),
		}},
		// The defect: the template's guidance was left in place.
		{"2.6", "Uppföljning", true, "", []ablk{tp(fGuidance["2.6"])}},
		{"2.7", "Implementering", false, schema.SectionResultsUse, []ablk{
			tp("Kommunens arbetsmarknadsenhet och Region Halland tar över den gemensamma rutinen efter insatstiden. Ett beslut fattas i styrgruppen hösten 2027.")}},
		{"3.1", "Budget", false, schema.SectionBudgetText, []ablk{
			tp("Sökt belopp från samordningsförbundet: " + kr(requested, " ") + " kronor"),
			tp("Arbetsförmedlingen och Försäkringskassan bidrar med egen personal enligt bifogad budget."),
		}},
		{"3.2", "Förankring", false, "", []ablk{tp("Ja, ansökan diskuterades i beredningsgruppen den 4 november 2025.")}},
	}
	d.add(fForm(rows))
	d.empty()
	// The defect: "kvartalsvis" became "halvårsvis".
	agreement := fAgreementXML(d, "rekvireras kvartalsvis", "rekvireras halvårsvis")

	d.p(para{keepNext: true, runs: []run{{text: "5. Underskrifter", bold: true, size: 26}}})
	signers := []eSigner{
		{"Falkenbergs kommun", "2025-11-20", "Johanna Ek", "johanna.ek@falkenberg.se"},
		{"Region Halland", "2025-11-21", "Omar Haddad", "omar.haddad@regionhalland.se"},
		{"Arbetsförmedlingen", "2025-11-24", "Sara Lind", "sara.lind@arbetsformedlingen.se"},
		{"Försäkringskassan", "2025-11-25", "Peter Åberg", "peter.aberg@forsakringskassan.se"},
	}
	hdr := func(s string) cell {
		return cell{shade: "D9E2F3", content: para{runs: []run{{text: s, bold: true, size: 16}}}.xml()}
	}
	val := func(s string) cell { return cell{content: para{runs: []run{{text: s, size: 16}}}.xml()} }
	grid := [][]cell{{hdr("Roll"), hdr("Organisation"), hdr("Datum"), hdr("Namn"), hdr("E-post")}}
	for i, s := range signers {
		role := "Samverkanspart"
		if i == 0 {
			role = "Sökande"
		}
		grid = append(grid, []cell{val(role), val(s.org), val(s.date), val(s.name), val(s.email)})
	}
	d.add(table([]int{1600, 1900, 1100, 1900, 2570}, grid))
	d.empty()
	if err := d.write(filepath.Join(out, fStem+".docx")); err != nil {
		return err
	}
	f, err := b.workbook(nil, nil)
	if err != nil {
		return err
	}
	if err := saveWorkbook(f, filepath.Join(out, fStem+"-budget.xlsx"), "Johanna Ek"); err != nil {
		return err
	}

	g := &score.Gold{Sections: map[string]score.GoldSection{}}
	for _, r := range rows {
		if r.key != "" {
			g.Sections[r.key] = score.GoldSection{Text: blocksGold(r.answer)}
		}
	}
	g.Sections[schema.SectionAgreement] = score.GoldSection{Text: agreement}
	g.Title = strp(fTitle)
	g.Owner = &schema.Owner{Organisation: strp("Falkenbergs kommun"), Units: []string{}}
	g.Partners = goldPartners("Region Halland", "Arbetsförmedlingen", "Försäkringskassan")
	g.Period = goldPeriod("2026-01-01", "2027-12-31", "")
	g.ExpectedParticipants = goldParticipants(25, true, "ca 25 deltagare per år")
	g.RequestedAmountSEK = int64p(requested)
	g.Anchoring = &schema.Anchoring{Discussed: boolp(true)}
	for i, s := range signers {
		g.Signatures = append(g.Signatures, goldSig(i == 0, s.org, s.date, s.name, s.email, false))
	}
	g.ExtraSections = []schema.Section{}
	g.Budget = b.goldBudget(fParties)
	g.Findings = []score.GoldFinding{
		finding(schema.CodeSectionMissing, schema.SectionEvaluation),
		{Code: schema.CodeTemplatePlaceholder, Subject: strp(schema.SectionEvaluation), Optional: true},
		finding(schema.CodeAgreementModified, "agreement"),
	}
	g.Complete = boolp(false)
	return writeGold(out, fStem, g)
}

// writeFTemplate writes F's blank template: the same table with the
// guidance in the answer cells, and the Överenskommelse as it stands.
func writeFTemplate(out string) error {
	d := &doc{header: "Samordningsförbundet Hallandskusten", stamp: "Ansökningsmall F 2025", title: "Ansökan om finansiering av samverkansinsats",
		author: "Samordningsförbundet Hallandskusten", lastSect: sectPr(false, 1418)}
	fHead(d)
	q := func(num, question string, required bool) fRow {
		var answer []ablk
		if g := fGuidance[num]; g != "" {
			answer = []ablk{tp(g)}
		}
		return fRow{num: num, question: question, required: required, answer: answer}
	}
	d.add(fForm([]fRow{
		q("1.1", "Insatsens namn", false), q("1.2", "Sökande organisation", false), q("1.3", "Samverkansparter", false),
		q("1.4", "Insatsperiod", false), q("1.5", "Antal deltagare", false),
		q("2.1", "Syfte", true), q("2.2", "Mål", true), q("2.3", "Bakgrund", true), q("2.4", "Målgrupp", true),
		q("2.5", "Genomförande", true), q("2.6", "Uppföljning", true), q("2.7", "Implementering", false),
		q("3.1", "Budget", false), q("3.2", "Förankring", false),
	}))
	d.empty()
	fAgreementXML(d, "", "")
	d.p(para{keepNext: true, runs: []run{{text: "5. Underskrifter", bold: true, size: 26}}})
	return d.write(filepath.Join(out, "templates", "f-mall.docx"))
}
