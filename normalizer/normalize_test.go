package normalizer

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/schema"
)

func p(text string) extractor.Block {
	return extractor.Block{Kind: extractor.KindParagraph, Text: text}
}
func h(text string) extractor.Block {
	return extractor.Block{Kind: extractor.KindParagraph, Text: text, Level: 1}
}
func li(text string) extractor.Block {
	return extractor.Block{Kind: extractor.KindListItem, Text: text, ListMarker: "•"}
}
func tbl(rows ...[]string) extractor.Block {
	t := &extractor.Table{}
	for _, r := range rows {
		var row extractor.Row
		for i, c := range r {
			row.Cells = append(row.Cells, extractor.Cell{Text: c, Col: i, Span: 1,
				Blocks: []extractor.Block{p(c)}})
		}
		t.Rows = append(t.Rows, row)
		t.Columns = max(t.Columns, len(r))
	}
	return extractor.Block{Kind: extractor.KindTable, Table: t}
}

func normalizeDoc(t *testing.T, format extractor.Format, blocks []extractor.Block, furniture ...extractor.Block) *schema.Record {
	t.Helper()
	doc := &extractor.Document{Name: "ansokan." + string(format), Format: format, SHA256: strings.Repeat("a", 64), Bytes: 1, Blocks: blocks, Furniture: furniture}
	if format == extractor.FormatPDF {
		doc.Pages = 1
	}
	return Normalize([]Input{{Doc: doc}}, nil)
}

// The 2019 template as paragraphs (the seeds' shape, invented content).
func templateA() []extractor.Block {
	return []extractor.Block{
		p("Samverkansinsatser inom Samordningsförbundet"),
		p("(Se även bilaga ”Instruktioner för ansökan samverkansinsatser inom samordningsförbundet”.)"),
		h("Insatsens namn"), p("Steg för steg mot arbete"),
		h("Insatsägare (*)"), p("Organisation: Tierps kommun"),
		h("Samverkansparter (*)"), p("Organisation: Arbetsförmedlningen"), p("Organisation: Region uppsala"), p("Organisation: Försäkringskassan"),
		h("Beskriv syftet med insatsen (*)"), p("Syftet är att ge ett samordnat stöd."),
		h("Beskriv målen med insatsen (*)"), p("Övergripande mål:"), li("Rutiner för samverkan tas fram."), li("Minst 20 deltagare per år."),
		h("Beskriv bakgrunden till/behovet av insatsen (*)"), p("Behovet är stort.\u00a0Det visar kartläggningen."),
		h("Planerad Insatstid"), p("Planerat startdatum: 2024-01-01"), p("Planerat slutdatum: 2025-12-31"),
		p("Planerat slutdatum för intag av personer i insatsen: 2025-09-30"),
		h("Beskriv målgrupp för insatsen (*)"), p("Unga vuxna 18–29 år."), p("Ange förväntat antal deltagare: Minst 20 per år"),
		h("Beskriv metod/metoder ni kommer använda (*)"), p("Coachning och SIP."),
		h("Roller i teamet"), p("En coach på heltid."),
		h("Beskriv metod för uppföljning och utvärdering av målen (*)"), li("Kvartalsrapporter."),
		h("Beskriv hur ni tänker ta tillvara resultaten från insatsen"), p("Arbetssättet förs in i ordinarie verksamhet."),
		h("Ange budget/finansiering (separat budget ska bifogas enligt mall)"), p("1 234 000 kr"),
		h("Har ansökan diskuterats i lokal utvecklingsgrupp eller i den strategiska utvecklingsgruppen?"),
		tbl([]string{"Ja", "Nej"}, []string{"x", ""}),
		p("Hur och när har ansökan diskuterats?"), p("På lokusmötet 12 mars 2023."),
		h("Överenskommelse"), p("(Texten under hela detta avsnitt skall stå kvar orörd)"),
		h("Lagar och förordningar"), p("Insatsägarna är verksamhetsansvariga."),
		h("Underskrifter"), p("Inför behandling ska samtliga parter skriva under."),
		p("Underskrift  (*)"),
		tbl([]string{"Organisation och datum"}, []string{"Tierps kommun 2023-05-02"}, []string{"Insatsägare (namn)"}, []string{""},
			[]string{"Insatsägare (namnförtydligande)"}, []string{"Kim Andersson, förvaltningschef"}, []string{"E-post:"}, []string{"kim.andersson@tierp.se"}),
		p("Insatsens namn"), p("Steg för steg mot arbete"),
		p("Underskrift  (*)"),
		tbl([]string{"Organisation och datum"}, []string{"Region Uppsala 2023-05-"}, []string{"Samverkanspart(namn)"}, []string{""},
			[]string{"Samverkanspart (namnförtydligande)"}, []string{"Lo Berg"}, []string{"E-post:"}, []string{"@regionuppsala.se"}),
	}
}

func TestNormalizeTemplateA(t *testing.T) {
	rec := normalizeDoc(t, extractor.FormatDOCX, templateA())
	s := func(v string) *string { return &v }
	if !reflect.DeepEqual(rec.Title, s("Steg för steg mot arbete")) {
		t.Errorf("title = %v", deref(rec.Title))
	}
	if rec.Owner == nil || deref(rec.Owner.Organisation) != "Tierps kommun" || len(rec.Owner.Units) != 0 {
		t.Errorf("owner = %+v", rec.Owner)
	}
	wantPartners := []schema.Partner{{Organisation: "Arbetsförmedlingen"}, {Organisation: "Region Uppsala"}, {Organisation: "Försäkringskassan"}}
	if !reflect.DeepEqual(rec.Partners, wantPartners) {
		t.Errorf("partners = %+v", rec.Partners)
	}
	if rec.Period == nil || deref(rec.Period.Start) != "2024-01-01" || deref(rec.Period.End) != "2025-12-31" || deref(rec.Period.IntakeEnd) != "2025-09-30" {
		t.Errorf("period = %s", js(rec.Period))
	}
	if ep := rec.ExpectedParticipants; ep == nil || ep.Count == nil || *ep.Count != 20 || !ep.PerYear || ep.Text != "Minst 20 per år" {
		t.Errorf("expected participants = %s", js(rec.ExpectedParticipants))
	}
	if rec.RequestedAmountSEK == nil || *rec.RequestedAmountSEK != 1234000 {
		t.Errorf("requested = %v", rec.RequestedAmountSEK)
	}
	if got := rec.Sections["goals"].Text; got != "Övergripande mål:\n\n- Rutiner för samverkan tas fram.\n- Minst 20 deltagare per år." {
		t.Errorf("goals text = %q", got)
	}
	if got := rec.Sections["background"].Text; got != "Behovet är stort. Det visar kartläggningen." {
		t.Errorf("background text = %q", got)
	}
	if got := rec.Sections["purpose"].Heading; got != "Beskriv syftet med insatsen (*)" {
		t.Errorf("purpose heading = %q", got)
	}
	if !strings.Contains(rec.Sections["target_group"].Text, "Ange förväntat antal deltagare: Minst 20 per år") {
		t.Errorf("the participants line must stay in the target group text: %q", rec.Sections["target_group"].Text)
	}
	if got := rec.Sections["agreement"].Text; !strings.Contains(got, "Lagar och förordningar\n\nInsatsägarna") || !strings.Contains(got, "Underskrifter\n\nInför") {
		t.Errorf("agreement must keep its sub-headings: %q", got)
	}
	if len(rec.ExtraSections) != 1 || rec.ExtraSections[0].Heading != "Roller i teamet" || rec.ExtraSections[0].Text != "En coach på heltid." {
		t.Errorf("extra sections = %s", js(rec.ExtraSections))
	}
	if rec.Anchoring == nil || rec.Anchoring.Discussed == nil || !*rec.Anchoring.Discussed || deref(rec.Anchoring.How) != "På lokusmötet 12 mars 2023." {
		t.Errorf("anchoring = %s", js(rec.Anchoring))
	}
	want := []schema.Signature{
		{Role: "owner", Organisation: s("Tierps kommun"), Date: s("2023-05-02"), Name: s("Kim Andersson, förvaltningschef"), Email: s("kim.andersson@tierp.se")},
		{Role: "partner", Organisation: s("Region Uppsala"), Date: s("2023-05"), Name: s("Lo Berg"), Email: s("@regionuppsala.se")},
	}
	if !reflect.DeepEqual(rec.Signatures, want) {
		t.Errorf("signatures =\n%s\nwant\n%s", js(rec.Signatures), js(want))
	}
}

// The form-style variant: each question a one-column table, headings
// numbered, ☒/☐ check boxes.
func TestNormalizeFormTables(t *testing.T) {
	rec := normalizeDoc(t, extractor.FormatDOCX, []extractor.Block{
		tbl([]string{"1. Projektets namn"}, []string{"Bron"}),
		tbl([]string{"2. Projektägare"}, []string{"Uppsala kommun\nArbetsmarknadsförvaltningen"}),
		tbl([]string{"3. Samverkansparter"}, []string{"Region Uppsala och Arbetsförmedlingen"}),
		tbl([]string{"4. Syfte"}, []string{"Att bygga en bro till arbete."}),
		tbl([]string{"12. Tidsplan"}, []string{"Projektet pågår 1/1-2024 – 31/12 2024."}),
		tbl([]string{"Har ansökan diskuterats i lokal utvecklingsgrupp?"}, []string{"☐ Ja ☒ Nej"}),
	})
	if deref(rec.Title) != "Bron" {
		t.Errorf("title = %q", deref(rec.Title))
	}
	if rec.Owner == nil || deref(rec.Owner.Organisation) != "Uppsala kommun" || !reflect.DeepEqual(rec.Owner.Units, []string{"Arbetsmarknadsförvaltningen"}) {
		t.Errorf("owner = %s", js(rec.Owner))
	}
	if !reflect.DeepEqual(rec.Partners, []schema.Partner{{Organisation: "Region Uppsala"}, {Organisation: "Arbetsförmedlingen"}}) {
		t.Errorf("partners = %s", js(rec.Partners))
	}
	if rec.Sections["purpose"].Text != "Att bygga en bro till arbete." || rec.Sections["purpose"].Heading != "4. Syfte" {
		t.Errorf("purpose = %s", js(rec.Sections["purpose"]))
	}
	if rec.Period == nil || deref(rec.Period.Start) != "2024-01-01" || deref(rec.Period.End) != "2024-12-31" {
		t.Errorf("period = %s", js(rec.Period))
	}
	if rec.Anchoring == nil || rec.Anchoring.Discussed == nil || *rec.Anchoring.Discussed {
		t.Errorf("anchoring = %s, want discussed=false", js(rec.Anchoring))
	}
}

// PDF-shaped input: label/value paragraphs, an "x" placed under "Nej" by
// position, an e-signature stamp in the furniture, a partial date.
func TestNormalizePDFShapes(t *testing.T) {
	at := func(text string, x0, x1 float64) extractor.Block {
		b := p(text)
		b.X0, b.X1, b.Page = x0, x1, 1
		return b
	}
	row := &extractor.Table{Columns: 2, Rows: []extractor.Row{{Cells: []extractor.Cell{
		{Text: "Ja", Col: 0, Span: 1, X0: 90, X1: 102}, {Text: "Nej", Col: 1, Span: 1, X0: 298, X1: 314}}}}}
	rec := normalizeDoc(t, extractor.FormatPDF, []extractor.Block{
		p("Insatsens namn"), p("Arbetslivsintro"),
		p("Insatsägare (*)"), p("Uppsala kommun"), p("Arbetsmarknadsförvaltningen Uppsala kommun"), p("Socialtjänst - Ekonomiskt bistånd"),
		p("Samverkansparter (*)"), p("Organisation: Region Uppsala"),
		p("Planerad Insatstid"), p("Arbetslivsintro startade 1/1–2022 och pågår till 31/12–2022"),
		p("Förlängningsansökan gäller perioden: 1/1-2023- 31/12–2023"),
		p("Ange budget/finansiering (separat budget ska bifogas enligt mall)"),
		p("Ansökt belopp för förlängningen: 2 904 400 kr, varav 500 000 kr avser upphandlade insatser."),
		p("Har ansökan diskuterats i lokal utvecklingsgrupp eller i den strategiska utvecklingsgruppen?"),
		{Kind: extractor.KindTable, Table: row},
		at("x", 300, 306),
		p("Underskrift (*)"), p("Organisation och datum"), p("Uppsala kommun 16 juni"), p("Insatsägare (namn)"),
		p("Insatsägare (namnförtydligande)"), p("Alva Holm"), p("E-post:"), p("alva.holm@uppsala.se"),
		p("Underskrift (*)"), p("Organisation och datum"), p("Arbetsförmedlingen Uppsala län"), p("Samverkanspart(namn)"),
		p("Samverkanspart (namnförtydligande)"), p("Nils Ek"), p("E-post:"), p("@arbetsformedlingen.se"),
	}, extractor.Block{Kind: extractor.KindParagraph, Furniture: extractor.FurnitureESign, Text: "Electronically signed / Elektroniskt signerats", Page: 1})
	if rec.Owner == nil || deref(rec.Owner.Organisation) != "Uppsala kommun" ||
		!reflect.DeepEqual(rec.Owner.Units, []string{"Arbetsmarknadsförvaltningen Uppsala kommun", "Socialtjänst - Ekonomiskt bistånd"}) {
		t.Errorf("owner = %s", js(rec.Owner))
	}
	if rec.Period == nil || deref(rec.Period.Start) != "2023-01-01" || deref(rec.Period.End) != "2023-12-31" {
		t.Errorf("period = %s, want the extension's 2023", js(rec.Period))
	}
	if rec.RequestedAmountSEK == nil || *rec.RequestedAmountSEK != 2904400 {
		t.Errorf("requested = %v", rec.RequestedAmountSEK)
	}
	if rec.Anchoring == nil || rec.Anchoring.Discussed == nil || *rec.Anchoring.Discussed {
		t.Errorf("anchoring = %s, want the x under Nej", js(rec.Anchoring))
	}
	if len(rec.Signatures) != 2 {
		t.Fatalf("signatures = %s", js(rec.Signatures))
	}
	o, a := rec.Signatures[0], rec.Signatures[1]
	if o.Role != "owner" || deref(o.Date) != "--06-16" || deref(o.Name) != "Alva Holm" || !o.Electronic {
		t.Errorf("owner block = %s", js(o))
	}
	if a.Role != "partner" || deref(a.Organisation) != "Arbetsförmedlingen" || a.Date != nil || deref(a.Email) != "@arbetsformedlingen.se" {
		t.Errorf("partner block = %s", js(a))
	}
}

func TestUnreadableInput(t *testing.T) {
	rec := Normalize([]Input{{Name: "x.doc", Err: &extractor.Error{File: "x.doc", Err: extractor.ErrUnsupported}}}, nil)
	if rec.Complete || len(rec.Findings) != 1 || rec.Findings[0].Code != schema.CodeDocumentUnreadable || deref(rec.Findings[0].Subject) != "x.doc" {
		t.Errorf("record = %s", js(rec))
	}
	if !strings.Contains(rec.Findings[0].Message, "x.doc") || !strings.Contains(rec.Findings[0].Message, "stöds inte") {
		t.Errorf("message = %q", rec.Findings[0].Message)
	}
}

func TestNoTextPages(t *testing.T) {
	doc := &extractor.Document{Name: "s.pdf", Format: extractor.FormatPDF, Pages: 3, NoTextPages: []int{3}}
	rec := Normalize([]Input{{Doc: doc}}, nil)
	nt := withCode(rec.Findings, schema.CodeDocumentNoText)
	if len(nt) != 1 || nt[0].Severity != schema.SeverityWarning || *nt[0].Evidence.Page != 3 || nt[0].Path != "/source/files/0" {
		t.Errorf("one scanned page: %s", js(rec.Findings))
	}
	doc.NoTextPages = []int{1, 2, 3}
	rec = Normalize([]Input{{Doc: doc}}, nil)
	// Nothing could be read: one error, and no checks crying "missing"
	// over what could not be seen.
	if len(rec.Findings) != 1 || rec.Findings[0].Code != schema.CodeDocumentNoText || rec.Findings[0].Severity != schema.SeverityError || rec.Complete {
		t.Errorf("all pages scanned: %s", js(rec.Findings))
	}
}

func withCode(fs []schema.Finding, code string) []schema.Finding {
	var out []schema.Finding
	for _, f := range fs {
		if f.Code == code {
			out = append(out, f)
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func js(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}
