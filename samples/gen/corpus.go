package main

// A benchmark corpus: N synthetic applications on the Uppsala template,
// made with the samples' own writers (the Word document of variant A's
// shape, the budget workbook), with varying names, figures and defects,
// and a signed PDF of each written here (standard-14 Helvetica, one text
// line per Tj, "Sida X av N" footers). Nothing of it is committed:
//
//	go run ./samples/gen -corpus 1000 -out /tmp/corpus [-seed 1]
//
// The tree is <owner>/<year>/... with the four naming patterns a
// förbund receives (x.docx + x.pdf + x-budget.xlsx; "Ansökan X.docx" +
// "X signerad.pdf" + "Budget X.xlsx"; x_budget.xlsx; a folder per
// application with generic names), so `ansokan batch --group stem`
// finds N submissions. About a third carry one defect the checks find,
// one in a hundred has a truncated (corrupt) Word file.

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

var (
	corpusOwners = []string{"Enköpings kommun", "Uppsala kommun", "Älvkarleby kommun", "Tierps kommun",
		"Östhammars kommun", "Knivsta kommun", "Heby kommun", "Håbo kommun"}
	corpusPartners = []string{"Arbetsförmedlingen", "Region Uppsala", "Försäkringskassan"}
	corpusDomains  = map[string]string{"Arbetsförmedlingen": "arbetsformedlingen.se", "Region Uppsala": "regionuppsala.se", "Försäkringskassan": "forsakringskassan.se"}
	corpusNames    = []string{"Språngbrädan", "Nästa steg", "Vägen vidare", "Arbetsstegen", "Samordnat stöd", "Steg för steg",
		"Ny start", "Framåt", "Bron", "Kompassen", "Livslinjen", "Vändpunkten", "Trappan", "Nystart", "Ledstången"}
	corpusAims = []string{"unga vuxna mot arbete och studier", "stöd till arbete för personer med långvarig sjukskrivning",
		"samordnad rehabilitering i primärvården", "föräldrar långt från arbetsmarknaden", "nyanlända kvinnor mot egen försörjning",
		"personer med psykisk ohälsa mot arbete"}
	corpusFirst = []string{"Anna", "Johan", "Sara", "Mikael", "Helena", "Erik", "Maria", "Karin", "Lars", "Emma", "Peter", "Lena"}
	corpusLast  = []string{"Norberg", "Ekström", "Lindgren", "Holm", "Berg", "Lund", "Sjöberg", "Nyström", "Wallin", "Forsberg"}
	corpusRoles = []string{"Arbetscoach", "Studie- och yrkesvägledare", "Arbetsterapeut", "Socialsekreterare", "Jobbcoach", "Rehabiliteringskoordinator"}
)

// Defects a corpus application may carry, one at most.
const (
	defNone = iota
	defAmount
	defDateMissing
	defDateIncomplete
	defEmail
	defNoSignature
	defPersonnummer
	defNoTargetGroup
	defCount
)

func slug(s string) string {
	r := strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "Å", "A", "Ä", "A", "Ö", "O", " ", "-")
	return strings.ToLower(r.Replace(s))
}

// writeCorpus writes n applications under out.
func writeCorpus(out string, n int, seed uint64) error {
	for i := range n {
		if err := writeCorpusApp(out, i, rand.New(rand.NewPCG(seed, uint64(i)))); err != nil {
			return fmt.Errorf("application %d: %w", i, err)
		}
	}
	return nil
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func writeCorpusApp(out string, i int, r *rand.Rand) error {
	name := fmt.Sprintf("%s %d", pick(r, corpusNames), i)
	title := name + " - " + pick(r, corpusAims)
	owner := pick(r, corpusOwners)
	partners := []string{}
	for _, p := range corpusPartners {
		if r.IntN(3) > 0 {
			partners = append(partners, p)
		}
	}
	if len(partners) == 0 {
		partners = append(partners, pick(r, corpusPartners))
	}
	year := 2022 + r.IntN(5)
	month := 1 + 6*r.IntN(2)
	start := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(1+r.IntN(2), 0, -1)
	intake := end.AddDate(0, -3, 0)
	months := float64(end.Year()*12+int(end.Month())-start.Year()*12-int(start.Month())+1) / 12
	defect := defNone
	if r.IntN(3) == 0 {
		defect = 1 + r.IntN(defCount-1)
	}

	// The budget: the owner and the partners in the template's four columns.
	parties := [4]string{owner, "Arbetsförmedlingen", "Region Uppsala", "Försäkringskassan"}
	col := func(p string) int {
		for c, q := range parties {
			if q == p {
				return c
			}
		}
		return 0
	}
	period := func(l bLine) bLine { l.from, l.to = bDate{t: start}, bDate{t: end}; return l }
	var salaries []bLine
	for k := range 1 + r.IntN(3) {
		p := []float64{0.25, 0.5, 0.75, 1}[r.IntN(4)]
		var a [4]int64
		c := 0
		if k > 0 && r.IntN(2) == 0 {
			c = col(pick(r, partners))
		}
		a[c] = int64(p*months*float64(540000+12000*r.IntN(20))) / 100 * 100
		salaries = append(salaries, period(bLine{label: fmt.Sprintf("%d. %s", k+1, pick(r, corpusRoles)), pct: pct(p), amounts: a}))
	}
	other := map[string]bLine{}
	for _, l := range []string{"Utvärdering", "Resor", "Informationsmaterial", "Övriga aktiviteter för deltagare"} {
		if r.IntN(2) == 0 {
			other[l] = bLine{amounts: [4]int64{int64(5+r.IntN(40)) * 1000, 0, 0, 0}}
		}
	}
	own := col(pick(r, partners))
	var ownA [4]int64
	ownA[own] = int64(100+r.IntN(200)) * 1000
	b := &budget{
		name: title, summaryName: title, start: start, end: end,
		unitHeader: "Kostnader i tkr", parties: parties,
		salaries:    salaries,
		rent:        bLine{amounts: [4]int64{int64(r.IntN(8)) * 12000, 0, 0, 0}},
		other:       other,
		ownSalaries: []bLine{period(bLine{label: "1. Handläggare", pct: pct(0.2), amounts: ownA})},
		summary: []summaryRow{
			{"Huvudinsatsägare", parties[0], 0}, {"Delinsatsägare 1", parties[1], 1},
			{"Delinsatsägare 2", parties[2], 2}, {"Delinsatsägare 3", parties[3], 3},
		},
	}
	requested := total4(b.requested())
	if defect == defAmount {
		requested += 10000 * int64(1+r.IntN(9))
	}

	person := func() string { return pick(r, corpusFirst) + " " + pick(r, corpusLast) }
	contact := person()
	c := newCorpusDoc(title, contact)
	c.heading("Insatsens namn")
	c.text(title)
	c.heading("Insatsägare (*)")
	c.text("Organisation: " + owner)
	c.heading("Samverkansparter (*)")
	for _, p := range partners {
		c.text("Organisation: " + p)
	}
	c.heading("Beskriv syftet med insatsen (*)")
	c.text(fmt.Sprintf("Syftet med insatsen är att ge %s ett samordnat och långsiktigt stöd. Insatsen samlar parternas kompetens kring individen, så att deltagaren har en och samma kontaktperson genom hela processen.", pick(r, corpusAims)))
	c.heading("Beskriv målen med insatsen (*)")
	c.bullets(
		fmt.Sprintf("Att %d procent av deltagarna vid avslut har påbörjat arbete, studier eller en arbetslivsinriktad insats.", 30+r.IntN(40)),
		fmt.Sprintf("Att minst %d deltagare per år skrivs in i insatsen.", 10+r.IntN(30)),
		"Att styrgruppen följer upp rutinerna för samverkan varje kvartal.",
	)
	c.heading("Beskriv bakgrunden till/behovet av insatsen (*)")
	bg := fmt.Sprintf("Kartläggningen i %s visar att ett hundratal personer har kontakt med flera av parterna samtidigt men upplever att stödet är splittrat.", strings.TrimSuffix(owner, " kommun"))
	if defect == defPersonnummer {
		bg += " Ett exempel är deltagaren med personnummer " + personnummer(r) + " som fick vänta i ett halvår."
	}
	c.text(bg)
	c.heading("Planerad Insatstid")
	c.text("Planerat startdatum: " + start.Format("2006-01-02"))
	c.text("Planerat slutdatum: " + end.Format("2006-01-02"))
	c.text("Planerat slutdatum för intag av personer i insatsen: " + intake.Format("2006-01-02"))
	if defect != defNoTargetGroup {
		c.heading("Beskriv målgrupp för insatsen (*)")
		c.text(fmt.Sprintf("Målgruppen är personer i %s som behöver samordnat stöd från flera av parterna för att närma sig arbete eller studier.", strings.TrimSuffix(owner, " kommun")))
		c.text(fmt.Sprintf("Ange förväntat antal deltagare: Minst %d per år", 10+r.IntN(30)))
	}
	c.heading("Beskriv metod/metoder ni kommer använda (*)")
	c.text("Arbetscoachen är deltagarens fasta kontaktperson och samordnar stödet från parterna. Arbetssättet utgår från motiverande samtal och Supported Employment.")
	c.heading("Beskriv metod för uppföljning och utvärdering av målen (*)")
	c.bullets("Styrgruppen följer upp insatsen varje kvartal och rapporterar till Samordningsförbundet.", "Deltagarna registreras i förbundets uppföljningssystem.")
	c.heading("Beskriv hur ni tänker ta tillvara resultaten från insatsen")
	c.text(owner + " använder erfarenheterna i arbetet med att utveckla den ordinarie verksamheten.")
	c.heading("Ange budget/finansiering (separat budget ska bifogas enligt mall)")
	c.text(kr(requested, " ") + " kr")
	c.d.jaNej("x", 0)
	c.pdfLines = append(c.pdfLines, pdfLine{})
	c.wrap(uppsalaAnchoringQ, pdfLine{size: 12, bold: true})
	c.pdfLines = append(c.pdfLines, pdfLine{text: "Ja        Nej"}, pdfLine{text: "x"})
	c.heading("Hur och när har ansökan diskuterats?")
	c.text("Ansökan har diskuterats på lokusgruppens möten under våren. Lokusgruppen ställer sig bakom ansökan.")
	c.agreement()

	signed := start.AddDate(0, -2-r.IntN(3), r.IntN(20))
	date := func(k int) string { return signed.AddDate(0, 0, k).Format("2006-01-02") }
	c.signature(signature{owner: true, orgDate: owner + " " + date(0), name: contact + ", verksamhetschef",
		email: strings.ReplaceAll(slug(contact), "-", ".") + "@" + slug(strings.TrimSuffix(owner, " kommun")) + ".se"}, title)
	for k, p := range partners {
		if defect == defNoSignature && k == len(partners)-1 {
			break
		}
		who := person()
		s := signature{orgDate: p + " " + date(k+1), name: who + ", enhetschef", email: strings.ReplaceAll(slug(who), "-", ".") + "@" + corpusDomains[p]}
		if k == 0 {
			switch defect {
			case defDateMissing:
				s.orgDate = p
			case defDateIncomplete:
				s.orgDate = p + " " + date(k + 1)[:8]
			case defEmail:
				s.email = "@" + corpusDomains[p]
			}
		}
		c.signature(s, title)
	}

	// Where and under which names.
	dir := filepath.Join(out, slug(strings.TrimSuffix(owner, " kommun")), fmt.Sprint(year))
	stem := slug(name)
	var docx, pdfName, xlsx string
	switch i % 4 {
	case 0:
		docx, pdfName, xlsx = stem+".docx", stem+".pdf", stem+"-budget.xlsx"
	case 1:
		docx, pdfName, xlsx = "Ansökan "+name+".docx", name+" signerad.pdf", "Budget "+name+".xlsx"
	case 2:
		s := strings.ReplaceAll(stem, "-", "_")
		docx, pdfName, xlsx = s+".docx", s+".pdf", s+"_budget.xlsx"
	case 3:
		dir = filepath.Join(dir, name)
		docx, pdfName, xlsx = "Ansökan.docx", "Underskriven ansökan.pdf", "Budget.xlsx"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	docxPath := filepath.Join(dir, docx)
	c.d.styles = wordStyles() // the size Word writes
	if err := c.d.write(docxPath); err != nil {
		return err
	}
	if r.IntN(100) == 0 {
		data, err := os.ReadFile(docxPath)
		if err != nil {
			return err
		}
		if err := os.WriteFile(docxPath, data[:len(data)/2], 0o644); err != nil {
			return err
		}
	}
	if r.IntN(10) < 6 {
		if err := os.WriteFile(filepath.Join(dir, pdfName), c.pdf(), 0o644); err != nil {
			return err
		}
	}
	if r.IntN(10) < 9 {
		f, err := b.workbook(nil, nil)
		if err != nil {
			return err
		}
		if err := saveWorkbook(f, filepath.Join(dir, xlsx), contact); err != nil {
			return err
		}
	}
	return nil
}

// personnummer returns a valid-looking personnummer (Luhn check digit).
func personnummer(r *rand.Rand) string {
	s := fmt.Sprintf("%02d%02d%02d%03d", 50+r.IntN(40), 1+r.IntN(12), 1+r.IntN(28), r.IntN(1000))
	sum := 0
	for k, ch := range s {
		d := int(ch-'0') * (2 - k%2)
		sum += d/10 + d%10
	}
	return fmt.Sprintf("%s-%s%d", s[:6], s[6:], (10-sum%10)%10)
}

// corpusDoc writes the same application to a Word document and to the
// lines of its PDF.
type corpusDoc struct {
	d        *doc
	pdfLines []pdfLine
}

type pdfLine struct {
	text   string
	size   float64 // 0: body
	bold   bool
	indent float64
	page   bool // start a new page before this line
}

func newCorpusDoc(title, author string) *corpusDoc {
	c := &corpusDoc{d: newUppsalaDoc(title, author)}
	c.pdfLines = append(c.pdfLines, pdfLine{text: "Samverkansinsatser inom Samordningsförbundet", size: 16, bold: true})
	c.wrap(uppsalaIntro, pdfLine{size: 8})
	return c
}

func (c *corpusDoc) heading(s string) {
	c.d.heading(1, s)
	c.pdfLines = append(c.pdfLines, pdfLine{})
	c.wrap(s, pdfLine{size: 12, bold: true})
}

func (c *corpusDoc) text(s string) {
	c.d.text(s)
	c.wrap(s, pdfLine{})
}

func (c *corpusDoc) bullets(items ...string) {
	c.d.bullets(items...)
	for _, it := range items {
		c.wrap("• "+it, pdfLine{indent: 14})
	}
}

func (c *corpusDoc) agreement() {
	c.d.agreement()
	c.heading("Överenskommelse")
	c.wrap("(Texten under hela detta avsnitt skall stå kvar orörd)", pdfLine{})
	for _, a := range uppsalaAgreement {
		c.pdfLines = append(c.pdfLines, pdfLine{text: a[0], size: 11, bold: true})
		c.wrap(a[1], pdfLine{})
	}
}

func (c *corpusDoc) signature(s signature, title string) {
	if !s.owner {
		c.d.partnerSignaturePage(title)
		c.pdfLines = append(c.pdfLines, pdfLine{text: "Insatsens namn", size: 12, bold: true, page: true}, pdfLine{text: title}, pdfLine{})
	}
	c.d.signatureBlock("Underskrift (*)", s)
	role, nameLbl, printLbl := "Samverkanspart", "Samverkanspart(namn)", "Samverkanspart (namnförtydligande)"
	if s.owner {
		role = "Insatsägare"
		nameLbl, printLbl = role+" (namn)", role+" (namnförtydligande)"
	}
	c.pdfLines = append(c.pdfLines, pdfLine{}, pdfLine{text: "Underskrift (*)", size: 11, bold: true},
		pdfLine{text: "Organisation och datum", bold: true}, pdfLine{text: s.orgDate},
		pdfLine{text: nameLbl, bold: true}, pdfLine{}, pdfLine{},
		pdfLine{text: printLbl, bold: true}, pdfLine{text: s.name},
		pdfLine{text: "E-post:", bold: true}, pdfLine{text: s.email})
}

// wrap breaks s into lines of about 95 characters (Helvetica 10 on A4
// with 56 pt margins).
func (c *corpusDoc) wrap(s string, l pdfLine) {
	width := 95
	if l.size != 0 {
		width = int(95 * 10 / l.size)
	}
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
			l.text = line
			c.pdfLines = append(c.pdfLines, l)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	l.text = line
	c.pdfLines = append(c.pdfLines, l)
}

// pdf lays the lines out on A4 pages and writes the PDF.
func (c *corpusDoc) pdf() []byte {
	const top, bottom, left = 790.0, 70.0, 56.0
	var pages [][]string // content streams' text operations per page
	var cur []string
	y := top
	for _, l := range c.pdfLines {
		size := l.size
		if size == 0 {
			size = 10
		}
		step := size * 1.35
		if l.page && len(cur) > 0 || y-step < bottom {
			pages = append(pages, cur)
			cur, y = nil, top
		}
		y -= step
		if l.text == "" {
			continue
		}
		font := "F1"
		if l.bold {
			font = "F2"
		}
		cur = append(cur, fmt.Sprintf("BT /%s %.1f Tf 1 0 0 1 %.1f %.1f Tm %s Tj ET", font, size, left+l.indent, y, winAnsi(l.text)))
	}
	pages = append(pages, cur)

	var objs []string
	obj := func(s string) int { objs = append(objs, s); return len(objs) }
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("") // pages, filled in below
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	var kids []string
	for k, ops := range pages {
		ops = append(ops, fmt.Sprintf("BT /F1 8 Tf 1 0 0 1 %.1f 40 Tm %s Tj ET", left, winAnsi(fmt.Sprintf("Sida %d av %d", k+1, len(pages)))),
			fmt.Sprintf("BT /F1 8 Tf 1 0 0 1 480 40 Tm %s Tj ET", winAnsi(uppsalaStamp)))
		content := strings.Join(ops, "\n") + "\n"
		cn := obj(fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(content), content))
		pn := obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.304 841.89] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>", cn))
		kids = append(kids, fmt.Sprintf("%d 0 R", pn))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))

	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for k, o := range objs {
		offsets[k] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", k+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// winAnsi encodes s as a PDF literal string in WinAnsiEncoding: Latin-1,
// plus the typographic characters Windows-1252 puts in 0x80–0x9F.
func winAnsi(s string) string {
	cp1252 := map[rune]byte{'–': 0x96, '—': 0x97, '“': 0x93, '”': 0x94, '’': 0x92, '…': 0x85, '•': 0x95}
	var b strings.Builder
	b.WriteByte('(')
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x80:
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, "\\%03o", r)
		case cp1252[r] != 0:
			fmt.Fprintf(&b, "\\%03o", cp1252[r])
		default:
			b.WriteByte('?')
		}
	}
	b.WriteByte(')')
	return b.String()
}
