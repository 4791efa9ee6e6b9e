package normalizer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/schema"
)

// at places a paragraph on a page: left edge x, baseline y, 5 points a
// letter.
func at(page int, x, y float64, b extractor.Block) extractor.Block {
	b.Page, b.X0, b.X1, b.Y = page, x, x+5*float64(len([]rune(b.Text))), y
	return b
}

// gridTable places a table on a page: row baselines from y down by 30
// points, cell edges from cols; empty cells are left out, as a PDF
// reader leaves them.
func gridTable(page int, y float64, cols [][2]float64, rows ...[]string) extractor.Block {
	t := &extractor.Table{Page: page, Columns: len(cols)}
	for r, cells := range rows {
		row := extractor.Row{Page: page, Y: y - 30*float64(r)}
		for c, text := range cells {
			if text == "" {
				continue
			}
			row.Cells = append(row.Cells, extractor.Cell{Text: text, Col: c, Span: 1, X0: cols[c][0], X1: cols[c][0] + 5*float64(len([]rune(text)))})
		}
		t.Rows = append(t.Rows, row)
	}
	return extractor.Block{Kind: extractor.KindTable, Table: t, Page: page}
}

func box(x0, y0, x1, y1 float64) extractor.Box { return extractor.Box{X0: x0, Y0: y0, X1: x1, Y1: y1} }

// The first page names the parties (a text layer); the second is the
// scanned signature page.
func signedScan(sigPage []extractor.Block, scans ...extractor.ScanPage) *extractor.Document {
	blocks := []extractor.Block{
		at(1, 56, 780, h("Insatsägare (*)")), at(1, 56, 760, p("Organisation: Tierps kommun")),
		at(1, 56, 730, h("Samverkansparter (*)")), at(1, 56, 710, p("Organisation: Arbetsförmedlingen")),
		at(2, 56, 800, h("Underskrifter")),
	}
	return &extractor.Document{Name: "s.pdf", Format: extractor.FormatPDF, Pages: 2, NoTextPages: []int{2}, Scans: scans,
		Blocks: append(blocks, sigPage...)}
}

func scanWithInk(ink ...extractor.Box) extractor.ScanPage {
	sp := scanned(2, 90)
	sp.Ink = ink
	return sp
}

func TestHandwrittenVerdict(t *testing.T) {
	// The 2019 form: a label line over blank space, "Insatsägare (namn)"
	// at y 690 (x 56), "Insatsägare (namnförtydligande)" at y 640: the
	// area is x 50-356, y 649-687.
	lines := func(extra ...extractor.Block) []extractor.Block {
		bs := []extractor.Block{
			at(2, 56, 760, p("Underskrift (*)")),
			at(2, 56, 730, p("Organisation och datum")), at(2, 56, 715, p("Tierps kommun 2023-05-02")),
			at(2, 56, 690, p("Insatsägare (namn)")),
			at(2, 56, 640, p("Insatsägare (namnförtydligande)")), at(2, 56, 625, p("Kim Andersson")),
		}
		return append(bs, extra...)
	}
	// A label/value table: the value column from x 182, the Underskrift
	// row at y 700 between rows at 730 and 670.
	labelValue := gridTable(2, 730, [][2]float64{{56, 180}, {200, 400}},
		[]string{"Organisation och datum", "Tierps kommun 2023-05-02"},
		[]string{"Underskrift", ""},
		[]string{"Namnförtydligande", "Kim Andersson"},
		[]string{"E-post", "kim.andersson@tierp.se"})
	// A label column and one column per party.
	columns := gridTable(2, 730, [][2]float64{{56, 170}, {200, 330}, {370, 520}},
		[]string{"Organisation och datum", "Tierps kommun 2023-05-02", "Arbetsförmedlingen 2023-05-03"},
		[]string{"Underskrift", "", ""},
		[]string{"Namnförtydligande", "Kim Andersson", "Nils Ek"})

	type want struct {
		org  string
		hand string // "true", "false", "null"
	}
	for _, tc := range []struct {
		name  string
		page  []extractor.Block
		scan  *extractor.ScanPage // nil: page 2 has a text layer
		wants []want
	}{
		{"signature under the label", lines(), ptr(scanWithInk(box(70, 655, 200, 685))), []want{{"Tierps kommun", "true"}}},
		{"a large signature over the label's line", lines(), ptr(scanWithInk(box(60, 660, 220, 700))), []want{{"Tierps kommun", "true"}}},
		{"no ink", lines(), ptr(scanWithInk()), []want{{"Tierps kommun", "false"}}},
		{"a logo in the margin beside the area", lines(), ptr(scanWithInk(box(5, 650, 40, 690))), []want{{"Tierps kommun", "false"}}},
		{"ink on the Namnförtydligande line only", lines(), ptr(scanWithInk(box(150, 615, 300, 645))), []want{{"Tierps kommun", "false"}}},
		{"a printed name in the area", lines(at(2, 70, 668, p("Kim Andersson"))), ptr(scanWithInk()), []want{{"Tierps kommun", "false"}}},
		{"a stamp far away", lines(), ptr(scanWithInk(box(400, 100, 520, 180))), []want{{"Tierps kommun", "false"}}},
		{"a speck grazing the area's edge", lines(), ptr(scanWithInk(box(100, 686, 104, 690), box(100, 660, 102, 662))), []want{{"Tierps kommun", "false"}}},
		{"a text layer: not decided", lines(), nil, []want{{"Tierps kommun", "null"}}},
		{"the next block's heading misread by the OCR is not this block's label", lines(
			at(2, 56, 590, p("Insatsens namn")), at(2, 56, 575, p("Steg för steg mot arbete")),
			at(2, 56, 560, p("Underskrift (\")")),
			at(2, 56, 530, p("Organisation och datum")), at(2, 56, 515, p("Arbetsförmedlingen 2023-05-03")),
			at(2, 56, 490, p("Samverkanspart (namn)")),
			at(2, 56, 440, p("Samverkanspart (namnförtydligande)")), at(2, 56, 425, p("Nils Ek"))),
			ptr(scanWithInk(box(70, 655, 200, 685), box(70, 455, 200, 485))), []want{{"Tierps kommun", "true"}, {"Arbetsförmedlingen", "true"}}},
		{"no signature label, the heading right over the block: not decided", []extractor.Block{
			at(2, 56, 760, p("Underskrift (*)")),
			at(2, 56, 745, p("Organisation och datum")), at(2, 56, 730, p("Tierps kommun 2023-05-02")),
			at(2, 56, 700, p("Namnförtydligande")), at(2, 56, 685, p("Kim Andersson")),
		}, ptr(scanWithInk(box(70, 655, 200, 685))), []want{{"Tierps kommun", "null"}}},
		{"table: signature in the value cell", []extractor.Block{labelValue}, ptr(scanWithInk(box(220, 690, 350, 715))), []want{{"Tierps kommun", "true"}}},
		{"table: ink over the label cell only", []extractor.Block{labelValue}, ptr(scanWithInk(box(60, 690, 170, 715))), []want{{"Tierps kommun", "false"}}},
		{"table: ink on the Namnförtydligande row only", []extractor.Block{labelValue}, ptr(scanWithInk(box(220, 660, 350, 676))), []want{{"Tierps kommun", "false"}}},
		{"columns: one party signed", []extractor.Block{columns}, ptr(scanWithInk(box(210, 690, 320, 712))),
			[]want{{"Tierps kommun", "true"}, {"Arbetsförmedlingen", "false"}}},
		{"columns: both signed", []extractor.Block{columns}, ptr(scanWithInk(box(210, 690, 320, 712), box(380, 688, 500, 714))),
			[]want{{"Tierps kommun", "true"}, {"Arbetsförmedlingen", "true"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var doc *extractor.Document
			if tc.scan != nil {
				doc = signedScan(tc.page, *tc.scan)
			} else {
				doc = signedScan(tc.page)
				doc.NoTextPages = nil
			}
			rec := Normalize([]Input{{Doc: doc}}, nil)
			got := map[string]string{}
			for _, s := range rec.Signatures {
				v := "null"
				if s.Handwritten != nil {
					v = fmt.Sprint(*s.Handwritten)
				}
				got[deref(s.Organisation)] = v
			}
			if len(got) != len(tc.wants) {
				t.Fatalf("signatures %s", js(rec.Signatures))
			}
			for _, w := range tc.wants {
				if got[w.org] != w.hand {
					t.Errorf("%s: handwritten %s, want %s", w.org, got[w.org], w.hand)
				}
				// The verdict's findings: signed, unsigned (naming the
				// page) or not verified.
				var miss []schema.Finding
				for _, f := range withCode(rec.Findings, schema.CodeSignatureMissing) {
					if deref(f.Subject) == w.org {
						miss = append(miss, f)
					}
				}
				switch {
				case w.hand == "true" || tc.scan == nil:
					if len(miss) != 0 {
						t.Errorf("%s: %s", w.org, js(miss))
					}
				case w.hand == "false":
					if len(miss) != 1 || miss[0].Severity != schema.SeverityError || miss[0].Evidence == nil || *miss[0].Evidence.Page != 2 ||
						!strings.Contains(miss[0].Message, "sidan 2 i s.pdf visar ingen namnteckning") || !strings.HasSuffix(miss[0].Path, "/handwritten") {
						t.Errorf("%s unsigned: %s", w.org, js(miss))
					}
				default:
					if len(miss) != 1 || miss[0].Severity != schema.SeverityInfo || !strings.Contains(miss[0].Message, "kunde inte kontrolleras") ||
						miss[0].Evidence == nil || *miss[0].Evidence.Page != 2 {
						t.Errorf("%s not verified: %s", w.org, js(miss))
					}
				}
			}
		})
	}
}

// A date written by hand on a scanned page is ink, not text: a block
// there without a read date is told as info, not as the applicant's
// missing date; on a text layer it stays a warning.
func TestDateOnScannedPage(t *testing.T) {
	page := []extractor.Block{
		at(2, 56, 760, p("Underskrift (*)")),
		at(2, 56, 730, p("Organisation och datum")), at(2, 56, 715, p("Tierps kommun")),
		at(2, 56, 690, p("Insatsägare (namn)")),
		at(2, 56, 640, p("Insatsägare (namnförtydligande)")), at(2, 56, 625, p("Kim Andersson")),
	}
	for _, scan := range []bool{true, false} {
		doc := signedScan(page, scanWithInk(box(70, 655, 200, 685)))
		want := schema.SeverityInfo
		if !scan {
			doc.Scans, doc.NoTextPages, want = nil, nil, schema.SeverityWarning
		}
		rec := Normalize([]Input{{Doc: doc}}, nil)
		dm := withCode(rec.Findings, schema.CodeSignatureDateMissing)
		if len(dm) != 1 || dm[0].Severity != want || scan && !strings.Contains(dm[0].Message, "sidan 2 i s.pdf, som är inskannad") {
			t.Errorf("scanned %v: %s", scan, js(dm))
		}
	}
}

// Each party sends its signed page as a photo beside the Word form: the
// photos' blocks are the signatures, each judged on its own image.
func TestSignaturePagesAsImages(t *testing.T) {
	photo := func(name, org, label string, ink ...extractor.Box) *extractor.Document {
		sp := scanned(1, 90)
		sp.Ink = ink
		return &extractor.Document{Name: name, Format: extractor.FormatJPEG, Pages: 1, NoTextPages: []int{1}, Scans: []extractor.ScanPage{sp},
			Blocks: []extractor.Block{
				at(1, 56, 800, h("Underskrifter")),
				at(1, 56, 760, p("Underskrift (*)")),
				at(1, 56, 730, p("Organisation och datum")), at(1, 56, 715, p(org+" 2023-05-02")),
				at(1, 56, 690, p(label+" (namn)")),
				at(1, 56, 640, p(label+" (namnförtydligande)")), at(1, 56, 625, p("Kim Andersson")),
			}}
	}
	form := &extractor.Document{Name: "ansokan.docx", Format: extractor.FormatDOCX, Blocks: templateA()[:10]}
	rec := Normalize([]Input{{Doc: form},
		{Doc: photo("tierp.jpeg", "Tierps kommun", "Insatsägare", box(70, 655, 200, 685))},
		{Doc: photo("af.jpeg", "Arbetsförmedlingen", "Samverkanspart")},
	}, nil)
	if len(rec.Signatures) != 2 || deref(rec.Signatures[0].Organisation) != "Tierps kommun" || rec.Signatures[0].Handwritten == nil || !*rec.Signatures[0].Handwritten ||
		deref(rec.Signatures[1].Organisation) != "Arbetsförmedlingen" || rec.Signatures[1].Handwritten == nil || *rec.Signatures[1].Handwritten {
		t.Fatalf("signatures %s", js(rec.Signatures))
	}
	var miss []schema.Finding
	for _, f := range withCode(rec.Findings, schema.CodeSignatureMissing) {
		if deref(f.Subject) == "Arbetsförmedlingen" || deref(f.Subject) == "Tierps kommun" {
			miss = append(miss, f)
		}
	}
	if len(miss) != 1 || deref(miss[0].Subject) != "Arbetsförmedlingen" || miss[0].Evidence == nil || miss[0].Evidence.File != "af.jpeg" || *miss[0].Evidence.Page != 1 {
		t.Errorf("findings %s", js(miss))
	}
}
