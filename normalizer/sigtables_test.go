package normalizer

import (
	"slices"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/schema"
)

// signer is one party's signature block as a test writes it.
type signer struct {
	role, org, date, name, title, email string
}

var testSigners = []signer{
	{"Insatsägare", "Tierps kommun", "2023-05-02", "Kim Andersson", "förvaltningschef", "kim.andersson@tierp.se"},
	{"Samverkanspart", "Arbetsförmedlingen", "2023-05-03", "Nils Ek", "sektionschef", "nils.ek@arbetsformedlingen.se"},
	{"Samverkanspart", "Region Uppsala", "2023-05-04", "Lo Berg", "enhetschef", "lo.berg@regionuppsala.se"},
	{"Samverkanspart", "Försäkringskassan", "2023-05-05", "Ida Holm", "verksamhetschef", "ida.holm@forsakringskassan.se"},
}

// withSignatures is the 2019 template's fields and sections with its
// agreement and signature pages replaced by an "Underskrifter" heading
// over blocks.
func withSignatures(blocks ...extractor.Block) []extractor.Block {
	a := templateA()
	for i, b := range a {
		if b.Text == "Överenskommelse" {
			return append(append(a[:i:i], h("Underskrifter"), p("Genom underskrift intygar parterna att de står bakom ansökan.")), blocks...)
		}
	}
	panic("no Överenskommelse in templateA")
}

// cellsTable builds a table whose cells may hold several paragraphs
// ("\n" between them) or span columns ("»" before the text: span 2).
func cellsTable(rows ...[]string) extractor.Block {
	t := &extractor.Table{}
	for _, r := range rows {
		var row extractor.Row
		col := 0
		for _, c := range r {
			span := 1
			if strings.HasPrefix(c, "»") {
				c, span = strings.TrimPrefix(c, "»"), 2
			}
			cell := extractor.Cell{Text: c, Col: col, Span: span}
			for _, para := range strings.Split(c, "\n") {
				cell.Blocks = append(cell.Blocks, p(para))
			}
			row.Cells = append(row.Cells, cell)
			col += span
		}
		t.Rows = append(t.Rows, row)
		t.Columns = max(t.Columns, col)
	}
	return extractor.Block{Kind: extractor.KindTable, Table: t}
}

// numbered gives a table's cell paragraphs Word paragraph numbers from
// after on.
func numbered(b extractor.Block, after int) extractor.Block {
	for r := range b.Table.Rows {
		for c := range b.Table.Rows[r].Cells {
			for k := range b.Table.Rows[r].Cells[c].Blocks {
				after++
				b.Table.Rows[r].Cells[c].Blocks[k].Paragraph = after
			}
		}
	}
	return b
}

func TestSignatureTables(t *testing.T) {
	ss := testSigners
	shapes := map[string]struct {
		blocks    func() []extractor.Block
		withTitle bool // the printed name carries the title as written
	}{
		"label/value table per party, Underskrift inside": {func() []extractor.Block {
			var out []extractor.Block
			for _, s := range ss {
				out = append(out, tbl(
					[]string{"Underskrift", ""},
					[]string{"Organisation", s.org},
					[]string{"Datum", s.date},
					[]string{"Namnteckning", ""},
					[]string{"Namnförtydligande", s.name + ", " + s.title},
					[]string{"E-post", s.email},
				), p(""))
			}
			return out
		}, true},
		"label/value table per party under a role caption": {func() []extractor.Block {
			var out []extractor.Block
			for _, s := range ss {
				out = append(out, boldPara(s.role), tbl(
					[]string{"Organisation och datum", s.org + " " + s.date},
					[]string{"Underskrift", ""},
					[]string{"Namnförtydligande", s.name},
					[]string{"Befattning", s.title},
					[]string{"E-post", s.email},
				))
			}
			return out
		}, false},
		"label/value table per party, caption row inside": {func() []extractor.Block {
			var out []extractor.Block
			for _, s := range ss {
				out = append(out, cellsTable(
					[]string{"»" + s.role},
					[]string{"Organisation", s.org},
					[]string{"Datum", s.date},
					[]string{"Namn", s.name + ", " + s.title},
					[]string{"E-post", s.email},
				))
			}
			return out
		}, true},
		"one table, a column per party": {func() []extractor.Block {
			rows := [][]string{{""}, {"Datum"}, {"Namnteckning"}, {"Namnförtydligande"}, {"Befattning"}, {"E-post"}}
			for _, s := range ss {
				rows[0] = append(rows[0], s.org)
				rows[1] = append(rows[1], s.date)
				rows[2] = append(rows[2], "")
				rows[3] = append(rows[3], s.name)
				rows[4] = append(rows[4], s.title)
				rows[5] = append(rows[5], s.email)
			}
			return []extractor.Block{tbl(rows...)}
		}, false},
		"one table, a column per role": {func() []extractor.Block {
			rows := [][]string{{"Roll"}, {"Organisation och datum"}, {"Namnförtydligande"}, {"E-post"}}
			for _, s := range ss {
				rows[0] = append(rows[0], s.role)
				rows[1] = append(rows[1], s.org+", "+s.date)
				rows[2] = append(rows[2], s.name+", "+s.title)
				rows[3] = append(rows[3], s.email)
			}
			return []extractor.Block{tbl(rows...)}
		}, true},
		"a grid, a row per party": {func() []extractor.Block {
			rows := [][]string{{"Roll", "Organisation", "Datum", "Namn", "E-post"}}
			for _, s := range ss {
				role := "Samverkanspart"
				if s.role == "Insatsägare" {
					role = "Sökande"
				}
				rows = append(rows, []string{role, s.org, s.date, s.name + ", " + s.title, s.email})
			}
			return []extractor.Block{tbl(rows...)}
		}, true},
		"a grid, a row per party, no role column": {func() []extractor.Block {
			rows := [][]string{{"Organisation", "Datum", "Namnförtydligande", "E-post"}}
			for _, s := range slices.Backward(ss) {
				rows = append(rows, []string{s.org, s.date, s.name + ", " + s.title, s.email})
			}
			return []extractor.Block{tbl(rows...)}
		}, true},
		"blocks side by side, labels repeated": {func() []extractor.Block {
			var out []extractor.Block
			for k := 0; k < len(ss); k += 2 {
				a, b := ss[k], ss[k+1]
				out = append(out, tbl(
					[]string{a.role, b.role},
					[]string{"Organisation och datum", "Organisation och datum"},
					[]string{a.org + " " + a.date, b.org + " " + b.date},
					[]string{"Namnteckning", "Namnteckning"},
					[]string{"", ""},
					[]string{"Namnförtydligande", "Namnförtydligande"},
					[]string{a.name + ", " + a.title, b.name + ", " + b.title},
					[]string{"E-post", "E-post"},
					[]string{a.email, b.email},
				))
			}
			return out
		}, true},
		"blocks side by side, a block in each cell": {func() []extractor.Block {
			var row []string
			for _, s := range ss {
				row = append(row, strings.Join([]string{"Underskrift", "Organisation: " + s.org, "Datum: " + s.date,
					"Namnförtydligande: " + s.name + ", " + s.title, "E-post: " + s.email}, "\n"))
			}
			return []extractor.Block{cellsTable(row)}
		}, true},
	}
	for name, shape := range shapes {
		t.Run(name, func(t *testing.T) {
			rec := normalizeDoc(t, extractor.FormatDOCX, withSignatures(shape.blocks()...))
			if len(rec.Signatures) != len(ss) {
				t.Fatalf("%d signatures, want %d:\n%s", len(rec.Signatures), len(ss), js(rec.Signatures))
			}
			for _, s := range ss {
				var got *schema.Signature
				for i := range rec.Signatures {
					if deref(rec.Signatures[i].Organisation) == s.org {
						got = &rec.Signatures[i]
					}
				}
				if got == nil {
					t.Errorf("no block for %s:\n%s", s.org, js(rec.Signatures))
					continue
				}
				role := schema.RolePartner
				if s.role == "Insatsägare" {
					role = schema.RoleOwner
				}
				name := s.name
				if shape.withTitle {
					name += ", " + s.title
				}
				if got.Role != role || deref(got.Date) != s.date || deref(got.Name) != name || deref(got.Email) != s.email {
					t.Errorf("%s: got %s", s.org, js(got))
				}
			}
			for _, f := range rec.Findings {
				if strings.HasPrefix(f.Code, "signature.") || f.Code == schema.CodeExtractionUncertain {
					t.Errorf("finding %s: %s", f.Code, f.Message)
				}
			}
		})
	}
}

// The plausibility gate: a reading that may be wrong gives one
// extraction.uncertain for the signatures and none of the findings the
// misreading would give.
func TestSignatureGate(t *testing.T) {
	tests := []struct {
		name   string
		blocks []extractor.Block
		says   []string // in the uncertain finding's message
		keep   []string // signature finding codes still raised
	}{
		{"labels that could not be mapped", []extractor.Block{numbered(tbl(
			[]string{"", "Tierps kommun", "Arbetsförmedlingen"},
			[]string{"Datum", "2023-05-02", "2023-05-03"},
			[]string{"Firmatecknare enligt delegation", "Kim Andersson", "Nils Ek"},
		), 40)}, []string{"”Firmatecknare enligt delegation”", "stycke 42 i ansokan.docx"}, nil},
		{"a block without an organisation", []extractor.Block{tbl(
			[]string{"Roll", "Datum", "Namnförtydligande", "E-post"},
			[]string{"Insatsägare", "2023-05-02", "Kim Andersson", "kim.andersson@tierp.se"},
			[]string{"Samverkanspart", "", "Nils Ek", "inte en adress"},
		)}, []string{"underskriftsblock 1 saknar organisation", "underskriftsblock 2 saknar organisation"}, nil},
		{"blocks read whole are still checked", []extractor.Block{
			tbl([]string{"Organisation", "Tierps kommun"}, []string{"Datum", "2023-05-"}, []string{"Namnförtydligande", "Kim Andersson"}),
			tbl([]string{"Datum", "2023-05-03"}, []string{"Namnförtydligande", "Nils Ek"}),
		}, []string{"underskriftsblock 2 saknar organisation"}, []string{schema.CodeSignatureDateIncomplete}},
		{"an organisation nobody named", []extractor.Block{
			tbl([]string{"Organisation", "Tierps kommun"}, []string{"Datum", "2023-05-02"}, []string{"Namnförtydligande", "Kim Andersson"}),
			tbl([]string{"Läkarens namnteckning", "Organisation", "Datum"}, []string{"", "Tjänsteställe", ""}),
		}, []string{"”Läkarens namnteckning”"}, nil},
		{"many doubts, one message", []extractor.Block{
			tbl([]string{"Datum", "2023-05-01"}, []string{"E-post", "a@b.se"}), p(""),
			tbl([]string{"Datum", "2023-05-02"}, []string{"E-post", "a@b.se"}), p(""),
			tbl([]string{"Datum", "2023-05-03"}, []string{"E-post", "a@b.se"}), p(""),
			tbl([]string{"Datum", "2023-05-04"}, []string{"E-post", "a@b.se"}), p(""),
			tbl([]string{"Datum", "2023-05-05"}, []string{"E-post", "a@b.se"}), p(""),
			tbl([]string{"Datum", "2023-05-06"}, []string{"E-post", "a@b.se"}),
		}, []string{"underskriftsblock 4 saknar organisation", "och 2 till"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := normalizeDoc(t, extractor.FormatDOCX, withSignatures(tt.blocks...))
			u := withCode(rec.Findings, schema.CodeExtractionUncertain)
			var sig []schema.Finding
			for _, f := range u {
				if deref(f.Subject) == "signatures" {
					sig = append(sig, f)
				}
			}
			if len(sig) != 1 {
				t.Fatalf("%d uncertain findings on the signatures, want 1: %s", len(sig), js(rec.Findings))
			}
			msg := sig[0].Message
			for _, s := range tt.says {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q lacks %q", msg, s)
				}
			}
			if !strings.HasSuffix(msg, "granska manuellt.") || sig[0].Evidence == nil || sig[0].Evidence.File != "ansokan.docx" {
				t.Errorf("finding = %s", js(sig[0]))
			}
			var codes []string
			for _, f := range rec.Findings {
				if strings.HasPrefix(f.Code, "signature.") {
					codes = append(codes, f.Code)
				}
			}
			if !slices.Equal(codes, tt.keep) {
				t.Errorf("signature findings %v, want %v: %s", codes, tt.keep, js(rec.Findings))
			}
		})
	}
}

// A table without any signature label inside the signature pages (a
// footer table, a form's other fields) is no block and does not cut the
// block being read in two.
func TestSignatureNonTableKeepsBlock(t *testing.T) {
	rec := normalizeDoc(t, extractor.FormatDOCX, withSignatures(
		p("Underskrift  (*)"),
		p("Organisation och datum"), p("Tierps kommun 2023-05-02"),
		tbl([]string{"Diarienummer", "Handläggare"}, []string{"SF 2023/12", "Eva Ek"}),
		p("Insatsägare (namnförtydligande)"), p("Kim Andersson"),
		p("E-post:"), p("kim.andersson@tierp.se"),
	))
	if len(rec.Signatures) != 1 {
		t.Fatalf("signatures = %s", js(rec.Signatures))
	}
	s := rec.Signatures[0]
	if deref(s.Organisation) != "Tierps kommun" || deref(s.Name) != "Kim Andersson" || deref(s.Email) != "kim.andersson@tierp.se" || s.Role != schema.RoleOwner {
		t.Errorf("block = %s", js(s))
	}
}

func TestRestoreAt(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"per.olssonQarbetsformedlingen.se", "per.olsson@arbetsformedlingen.se"},
		{"lars.nystromQQforsakringskassan.se", "lars.nystrom@forsakringskassan.se"},
		{"maria.hedlund©regiondalarna.se", "maria.hedlund@regiondalarna.se"},
		{"eva@mora.se", "eva@mora.se"},
		// Must not change: not a misread address.
		{"Eva.Lindqvist@mora.se", "Eva.Lindqvist@mora.se"},
		{"evaQmora", "evaQmora"},
		{"www.mora.se", "www.mora.se"},
		{"evaQRSmora.se", "evaQRSmora.se"},
		{"", ""},
	} {
		if got := restoreAt(c.in); got != c.want {
			t.Errorf("restoreAt(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
