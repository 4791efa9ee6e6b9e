package normalizer

import (
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/scan"
	"github.com/finsam/ansokan/schema"
)

// onPage puts blocks on a PDF page, one line under the other from the
// top of an A4 page.
func onPage(page int, blocks ...extractor.Block) []extractor.Block {
	y := 800.0
	for i := range blocks {
		blocks[i].Page, blocks[i].X0, blocks[i].X1, blocks[i].Y = page, 56, 56+5*float64(len(blocks[i].Text)), y
		if t := blocks[i].Table; t != nil {
			t.Page = page
			for r := range t.Rows {
				t.Rows[r].Page, t.Rows[r].Y = page, y
				y -= 20
			}
		}
		y -= 20
	}
	return blocks
}

func scanned(page int, conf float64) extractor.ScanPage {
	return extractor.ScanPage{Page: page, Source: "embedded", DPI: 300, Confidence: conf, Words: 200, Width: 595, Height: 842}
}

func turned(s extractor.ScanPage, rotation int, skew float64) extractor.ScanPage {
	s.Rotation, s.Skew = rotation, skew
	return s
}

func TestOCRPagesInRecord(t *testing.T) {
	unavailable := scan.ErrUnavailable.Error() + ": tesseract not found on PATH"
	for _, tc := range []struct {
		name     string
		pages    int
		noText   []int
		scans    []extractor.ScanPage
		ocr      string // want source.files[0].ocr_pages as JSON
		severity []string
		messages []string // each a part of the finding's message, in order
	}{
		{name: "text layer only", pages: 2, ocr: "null"},
		{name: "all pages read by OCR", pages: 10, noText: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
			scans: []extractor.ScanPage{scanned(1, 91.26), scanned(2, 90), scanned(3, 92), scanned(4, 91), scanned(5, 91),
				scanned(6, 91), scanned(7, 91), scanned(8, 91), scanned(9, 91), scanned(10, 91)},
			ocr:      `[{"page":1,"confidence":91.3},{"page":2,"confidence":90},{"page":3,"confidence":92},{"page":4,"confidence":91},{"page":5,"confidence":91},{"page":6,"confidence":91},{"page":7,"confidence":91},{"page":8,"confidence":91},{"page":9,"confidence":91},{"page":10,"confidence":91}]`,
			severity: []string{schema.SeverityInfo},
			messages: []string{"Sidorna 1–10 i s.pdf saknar textlager och lästes med OCR (medelkonfidens 91 %)."}},
		{name: "signature page read, another failed", pages: 4, noText: []int{3, 4},
			scans:    []extractor.ScanPage{turned(scanned(3, 88.04), 180, -1.26), {Page: 4, Source: "rendered", Err: "tesseract: signal: killed"}},
			ocr:      `[{"page":3,"confidence":88,"rotation":180,"skew":-1.3}]`,
			severity: []string{schema.SeverityInfo, schema.SeverityWarning},
			messages: []string{"Sidan 3 i s.pdf saknar textlager och lästes med OCR (konfidens 88 %).", "Sidan 4 i s.pdf saknar text (inskannad sida)", "OCR-läsningen misslyckades (tesseract: signal: killed)"}},
		{name: "OCR not installed, some pages", pages: 4, noText: []int{2, 4},
			scans:    []extractor.ScanPage{{Page: 2, Err: unavailable}, {Page: 4, Err: unavailable}},
			ocr:      "null",
			severity: []string{schema.SeverityWarning, schema.SeverityWarning},
			messages: []string{"Sidan 2 i s.pdf", "OCR är inte installerat (tesseract-ocr, tesseract-ocr-swe)", "Sidan 4 i s.pdf"}},
		{name: "OCR not installed, every page", pages: 2, noText: []int{1, 2},
			scans:    []extractor.ScanPage{{Page: 1, Err: unavailable}, {Page: 2, Err: unavailable}},
			ocr:      "null",
			severity: []string{schema.SeverityError},
			messages: []string{"PDF-filen s.pdf saknar text", "OCR är inte installerat (tesseract-ocr, tesseract-ocr-swe)"}},
		{name: "a blank back side among read pages is not reported", pages: 3, noText: []int{1, 2, 3},
			scans:    []extractor.ScanPage{scanned(1, 90), {Page: 2, Source: "embedded"}, scanned(3, 90)},
			ocr:      `[{"page":1,"confidence":90},{"page":3,"confidence":90}]`,
			severity: []string{schema.SeverityInfo},
			messages: []string{"Sidorna 1, 3 i s.pdf saknar textlager och lästes med OCR"}},
		{name: "a page of marks without words reads as nothing", pages: 2, noText: []int{2},
			scans:    []extractor.ScanPage{{Page: 2, Source: "embedded", Ink: []extractor.Box{{X0: 100, Y0: 100, X1: 300, Y1: 400}}}},
			ocr:      "null",
			severity: []string{schema.SeverityWarning},
			messages: []string{"Sidan 2 i s.pdf saknar text (inskannad sida)", "OCR fann ingen text på sidan."}},
		{name: "every page blank: nothing could be read", pages: 2, noText: []int{1, 2},
			scans:    []extractor.ScanPage{{Page: 1, Source: "embedded"}, {Page: 2, Source: "embedded"}},
			ocr:      "null",
			severity: []string{schema.SeverityError},
			messages: []string{"PDF-filen s.pdf saknar text", "OCR fann ingen text på sidan."}},
		{name: "OCR not tried", pages: 3, noText: []int{3}, ocr: "null",
			severity: []string{schema.SeverityWarning}, messages: []string{"Sidan 3 i s.pdf saknar text (inskannad sida): det som står där, till exempel underskrifter, kunde inte kontrolleras."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := &extractor.Document{Name: "s.pdf", Format: extractor.FormatPDF, Pages: tc.pages, NoTextPages: tc.noText, Scans: tc.scans,
				Blocks: onPage(1, p("Ansökan"))}
			rec := Normalize([]Input{{Doc: doc}}, nil)
			if got := js(rec.Source.Files[0].OCRPages); strings.Join(strings.Fields(got), "") != tc.ocr {
				t.Errorf("ocr_pages = %s, want %s", got, tc.ocr)
			}
			nt := withCode(rec.Findings, schema.CodeDocumentNoText)
			if len(nt) != len(tc.severity) {
				t.Fatalf("document.no_text findings: %s", js(nt))
			}
			var all []string
			for i, f := range nt {
				if f.Severity != tc.severity[i] {
					t.Errorf("finding %d: severity %s, want %s", i, f.Severity, tc.severity[i])
				}
				if f.Evidence == nil || f.Evidence.File != "s.pdf" {
					t.Errorf("finding %d: evidence %+v", i, f.Evidence)
				}
				all = append(all, f.Message)
			}
			joined := strings.Join(all, " | ")
			at := 0
			for _, m := range tc.messages {
				k := strings.Index(joined[at:], m)
				if k < 0 {
					t.Errorf("messages %q lack %q (in order)", joined, m)
					break
				}
				at += k + len(m)
			}
		})
	}
}

// An image file is a scan of its own: its frames are its pages.
func TestImageFileReadByOCR(t *testing.T) {
	doc := &extractor.Document{Name: "underskrift.jpeg", Format: extractor.FormatJPEG, Pages: 1, Scans: []extractor.ScanPage{scanned(1, 93.4)},
		Blocks: onPage(1, p("Underskrift"))}
	rec := Normalize([]Input{{Doc: doc}}, nil)
	f := rec.Source.Files[0]
	if f.Pages == nil || *f.Pages != 1 || len(f.OCRPages) != 1 || f.Format != "jpeg" {
		t.Errorf("source file %s", js(f))
	}
	nt := withCode(rec.Findings, schema.CodeDocumentNoText)
	if len(nt) != 1 || nt[0].Severity != schema.SeverityInfo || nt[0].Message != "Bilden underskrift.jpeg lästes med OCR (konfidens 93 %)." {
		t.Errorf("findings %s", js(nt))
	}
	doc.Scans[0] = extractor.ScanPage{Page: 1, Err: "image: unknown format"}
	rec = Normalize([]Input{{Doc: doc}}, nil)
	if len(rec.Findings) != 1 || rec.Findings[0].Severity != schema.SeverityError || rec.Complete {
		t.Errorf("an unreadable image: %s", js(rec.Findings))
	}
}

// A page read with low confidence is an extraction.uncertain finding, and
// what was read there raises nothing: not the bad e-mail, not the
// incomplete date of the block on it. On a page read with confidence the
// two become one extraction.uncertain for the signatures.
func TestLowConfidencePage(t *testing.T) {
	sig := []extractor.Block{
		h("Underskrifter"),
		p("Organisation och datum"), p("Tierps kommun 2023-05"),
		p("Insatsägare (namnförtydligande)"), p("Kim Andersson"),
		p("E-post:"), p("kim.andersson@tierp"),
	}
	for _, tc := range []struct {
		conf  float64
		doubt bool
	}{{91, false}, {LowConfidence, false}, {42, true}} {
		doc := &extractor.Document{Name: "s.pdf", Format: extractor.FormatPDF, Pages: 2, NoTextPages: []int{2},
			Scans:  []extractor.ScanPage{scanned(2, tc.conf)},
			Blocks: append(onPage(1, p("Insatsägare (*)"), p("Organisation: Tierps kommun")), onPage(2, sig...)...)}
		rec := Normalize([]Input{{Doc: doc}}, nil)
		un := withCode(rec.Findings, schema.CodeExtractionUncertain)
		email := withCode(rec.Findings, schema.CodeSignatureEmailInvalid)
		date := withCode(rec.Findings, schema.CodeSignatureDateIncomplete)
		if !tc.doubt {
			// Read with confidence, but an address or a date rests on
			// every character OCR read: not a claim about the applicant,
			// one extraction.uncertain naming both for the officer.
			if len(email) != 0 || len(date) != 0 || len(un) != 1 || deref(un[0].Subject) != "signatures" || *un[0].Evidence.Page != 2 ||
				!strings.Contains(un[0].Message, "kim.andersson@tierp") || !strings.Contains(un[0].Message, "2023-05") {
				t.Errorf("confidence %v: %s", tc.conf, js(rec.Findings))
			}
			continue
		}
		if len(un) != 1 || deref(un[0].Subject) != "page 2" || un[0].Severity != schema.SeverityWarning || *un[0].Evidence.Page != 2 ||
			!strings.Contains(un[0].Message, "Sidan 2 i s.pdf är inskannad och lästes med OCR med låg säkerhet (konfidens 42 %") {
			t.Errorf("confidence %v: uncertain %s", tc.conf, js(un))
		}
		if len(email)+len(date) != 0 {
			t.Errorf("confidence %v: findings built on a guess: %s", tc.conf, js(append(email, date...)))
		}
	}
}
