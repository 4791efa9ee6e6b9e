package main

// Pieces of the 2019 template "Samverkansinsatser inom
// Samordningsförbundet" (Samordningsförbundet Uppsala län, v:19-07-10),
// as the seeds show it.

import "github.com/finsam/ansokan/schema"

const (
	uppsalaStamp  = "v:19-07-10"
	uppsalaHeader = "Samordningsförbundet Uppsala län"
	uppsalaIntro  = "(Se även bilaga ”Instruktioner för ansökan samverkansinsatser inom samordningsförbundet”. " +
		"Rubriker med * har förklarande/stödjande text i bilagan.) Ansökan ska även skickas in elektroniskt i Word-format."
	uppsalaAnchoringQ = "Har ansökan diskuterats i lokal utvecklingsgrupp eller i den strategiska utvecklingsgruppen?"
)

// uppsalaAgreement is the template's Överenskommelse: subheading, text.
// The text must stay untouched (the template says so); the hyphenations
// of the seeds' PDF line breaks are joined.
var uppsalaAgreement = [][2]string{
	{"Lagar och förordningar", "Insatsägarna är verksamhetsansvariga och har det fulla ansvaret för att gällande lagar, förordningar, föreskrifter och egna styrdokument, vilka på något sätt berör uppdraget enligt denna ansökan, följs. Åtagandet inkluderar att följa tillämpliga och gällande styrdokument inom förbundet."},
	{"Arbetsgivaransvar", "Personal som arbetar i insatsen är fortsatt anställda av berörd medlemsorganisation som också har kvar det fullständiga arbetsgivaransvaret."},
	{"Information från insatsen", "Vid ett beviljande av insatsen ska insatsen löpande lämna information om sin verksamhet enligt de sätt som Samordningsförbundet meddelar. Främst handlar detta om redovisning i SUS (System för uppföljning av samverkan inom rehabiliteringsområdet) samt om olika rapporter om läget i och utsikterna för insatsen enligt gällande rutiner för insatser. Viktiga förändringar i insatsen ska avvikelserapporteras i särskild ordning."},
	{"Kostnader", "De i beslut beviljade medlen utgör ett maxbelopp, och grund för ersättning är faktisk upparbetade kostnader. Styrelsens beslut om finansiering av samverkansinsatser gäller under förutsättning att förbundet beviljas medel från medlemsorganisationerna framöver."},
	{"Underskrifter", "Inför behandling av Samordningsförbundet arbetsutskott/styrelse för beslut skall samtliga parters behöriga beslutsfattare ha skrivit under och ställt sig bakom ansökan. I och med nedanstående underskrifter och ett därpå följande positivt beslut från Samordningsförbundets styrelse så har ett åtagande från insatsägarna, både gentemot varandra och mot Samordningsförbundet, att uppfylla denna plan inom de beskrivna ramarna överenskommits."},
}

// newUppsalaDoc starts a document on the Uppsala template: title and
// intro text.
func newUppsalaDoc(title, author string) *doc {
	d := &doc{header: uppsalaHeader, stamp: uppsalaStamp, title: title, author: author,
		lastSect: sectPr(false, 1418)}
	d.p(para{style: "Title", runs: []run{{text: "Samverkansinsatser inom Samordningsförbundet"}}})
	d.p(para{runs: []run{{text: uppsalaIntro, italic: true, size: 18}}})
	d.empty()
	return d
}

// jaNej adds the anchoring question and its 2×2 Ja/Nej table with mark
// ("x", "X" or "") under Ja (col 0) or Nej (col 1).
func (d *doc) jaNej(mark string, col int) {
	d.heading(1, uppsalaAnchoringQ)
	marks := []string{"", ""}
	if mark != "" {
		marks[col] = mark
	}
	cellP := func(s string) string {
		return para{style: "TableText", align: "center", runs: []run{{text: s}}}.xml()
	}
	d.add(table([]int{1700, 1700}, [][]cell{
		{{content: cellP("Ja")}, {content: cellP("Nej")}},
		{{content: cellP(marks[0])}, {content: cellP(marks[1])}},
	}))
	d.empty()
}

// agreement adds the Överenskommelse section verbatim.
func (d *doc) agreement() {
	d.heading(1, "Överenskommelse")
	d.p(para{runs: []run{{text: "(Texten under hela detta avsnitt skall stå kvar orörd)", italic: true}}})
	for _, a := range uppsalaAgreement {
		d.heading(2, a[0])
		d.text(a[1])
	}
}

// signature is one party's signature block.
type signature struct {
	owner   bool
	orgDate string // "Organisation och datum" value as written
	name    string // namnförtydligande
	email   string
	// For the gold: the organisation (canonical) and the date (ISO,
	// "YYYY-MM" without a day, "" for none) that orgDate says.
	org, date string
}

// gold is the block as the record should hold it.
func (s signature) gold(electronic bool) schema.Signature {
	return goldSig(s.owner, s.org, s.date, s.name, s.email, electronic)
}

// signatureBlock adds "Underskrift (*)" and the block as a one-column
// table with shaded label rows. heading is the "Underskrift (*)" text as
// written.
func (d *doc) signatureBlock(heading string, s signature) {
	d.p(para{style: "Heading2", runs: []run{{text: heading}}})
	role := "Samverkanspart"
	nameLbl, printLbl := "Samverkanspart(namn)", "Samverkanspart (namnförtydligande)"
	if s.owner {
		role = "Insatsägare"
		nameLbl, printLbl = role+" (namn)", role+" (namnförtydligande)"
	}
	label := func(t string) cell {
		return cell{shade: "D9E2F3", content: para{runs: []run{{text: t, bold: true}}}.xml()}
	}
	value := func(t string) cell {
		return cell{content: para{runs: []run{{text: t}}}.xml()}
	}
	sigRow := cell{content: "<w:p/><w:p/>"}
	d.add(table([]int{8500}, [][]cell{
		{label("Organisation och datum")}, {value(s.orgDate)},
		{label(nameLbl)}, {sigRow},
		{label(printLbl)}, {value(s.name)},
		{label("E-post:")}, {value(s.email)},
	}))
	d.empty()
}

// partnerSignaturePage starts a new page with the insats name repeated,
// as the template does before each partner's block.
func (d *doc) partnerSignaturePage(title string) {
	d.p(para{style: "Heading1", pageBreak: true, runs: []run{{text: "Insatsens namn"}}})
	d.text(title)
	d.empty()
}
