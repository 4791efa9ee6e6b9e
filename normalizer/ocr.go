package normalizer

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/finsam/ansokan/checks"
	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/scan"
	"github.com/finsam/ansokan/schema"
)

// LowConfidence is the mean word confidence (Tesseract's, 0-100) under
// which a page read by OCR is not trusted: it becomes an
// extraction.uncertain finding (subject "page N") and the findings that
// would follow from its reading are not raised. Measured on a page of
// sample A rendered at falling resolutions (README "Scanned
// applications"): mean 94.6 at 150 dpi with 99 % of the words right,
// 80.3 with 77 %, 45.3 with 31 %. Under 60 most words are wrong, so a
// finding built on them would more often be the OCR's error than the
// applicant's. A page over 60 is read as it is: its figures are checked
// like a text layer's.
const LowConfidence = 60.0

// noWords is the reason for a page OCR read without finding a word.
const noWords = "OCR found no words"

// scanPages sorts a document's pages without a text layer: those read
// by OCR (ok, in page order), those among them read with low confidence
// (doubtful), and those not read at all (failed, with the reason when
// OCR was tried).
type scanPages struct {
	ok       []extractor.ScanPage
	doubtful []int
	failed   []int
	reasons  map[int]string // page → ScanPage.Err
}

func sortScans(d *extractor.Document) scanPages {
	sp := scanPages{reasons: map[int]string{}}
	read := map[int]bool{}
	var blank []int
	for _, s := range d.Scans {
		if s.Err != "" {
			sp.reasons[s.Page] = s.Err
			continue
		}
		if s.Words == 0 {
			// OCR ran and found no text. A blank page (the back of a
			// sheet the scanner fed too) is nothing to report, unless
			// every page is; a page of marks without words (a picture,
			// handwriting only) reads as nothing, like no text layer.
			sp.reasons[s.Page] = noWords
			if len(s.Ink) == 0 {
				blank = append(blank, s.Page)
			}
			continue
		}
		read[s.Page] = true
		sp.ok = append(sp.ok, s)
		if s.Confidence < LowConfidence {
			sp.doubtful = append(sp.doubtful, s.Page)
		}
	}
	pages := noLayer(d)
	for _, p := range pages {
		if !read[p] && (!slices.Contains(blank, p) || len(blank) == d.Pages) {
			sp.failed = append(sp.failed, p)
		}
	}
	return sp
}

// noLayer lists the pages without a text layer: NoTextPages and every
// page OCR was tried on (an image file's frames).
func noLayer(d *extractor.Document) []int {
	pages := slices.Clone(d.NoTextPages)
	for _, s := range d.Scans {
		if !slices.Contains(pages, s.Page) {
			pages = append(pages, s.Page)
		}
	}
	slices.Sort(pages)
	return pages
}

// unreadPages is what could not be checked on the document's pages: the
// pages OCR did not read, and those it read with low confidence.
func (sp scanPages) unreadPages() []int {
	out := append(slices.Clone(sp.failed), sp.doubtful...)
	slices.Sort(out)
	return out
}

// ocrPages is source.files[].ocr_pages: the pages read by OCR with their
// mean word confidence (one decimal), the quarter turns and the skew
// straightened.
func ocrPages(d *extractor.Document) []schema.OCRPage {
	var out []schema.OCRPage
	for _, s := range sortScans(d).ok {
		out = append(out, schema.OCRPage{Page: s.Page, Confidence: math.Round(s.Confidence*10) / 10,
			Rotation: s.Rotation % 360, Skew: math.Round(s.Skew*10) / 10})
	}
	return out
}

// noText reports the pages without a text layer. Pages read by OCR make
// one info finding naming them and their mean confidence. Pages OCR did
// not read: the whole document (error: nothing could be read) or some
// pages (warning, one finding per page: typically signature pages signed
// by hand and scanned back in), with the reason (OCR not installed, the
// page's OCR failed).
func noText(d *extractor.Document, file int) []schema.Finding {
	if d.Format != extractor.FormatPDF && !d.Format.IsImage() {
		return nil
	}
	sp := sortScans(d)
	path := "/source/files/" + strconv.Itoa(file)
	var out []schema.Finding
	if len(sp.ok) > 0 {
		var pages []int
		sum := 0.0
		for _, s := range sp.ok {
			pages = append(pages, s.Page)
			sum += s.Confidence
		}
		mean := strconv.Itoa(int(math.Round(sum/float64(len(sp.ok))))) + " %"
		var msg string
		switch {
		case d.Format.IsImage() && len(sp.failed) == 0 && len(pages) == 1:
			msg = fmt.Sprintf("Bilden %s lästes med OCR (konfidens %s).", d.Name, mean)
		case len(pages) == 1:
			msg = fmt.Sprintf("Sidan %d i %s saknar textlager och lästes med OCR (konfidens %s).", pages[0], d.Name, mean)
		default:
			msg = fmt.Sprintf("Sidorna %s i %s saknar textlager och lästes med OCR (medelkonfidens %s).", pageRanges(pages), d.Name, mean)
		}
		out = append(out, schema.Finding{
			Code: schema.CodeDocumentNoText, Severity: schema.SeverityInfo, Subject: ptr(d.Name),
			Message: msg, Path: path + "/ocr_pages", Evidence: &schema.Evidence{File: d.Name, Page: ptr(pages[0])},
		})
	}
	if len(sp.failed) == 0 {
		return out
	}
	reason := func(p int) string {
		why, ok := sp.reasons[p]
		switch {
		case !ok:
			return ""
		case why == noWords:
			return " OCR fann ingen text på sidan."
		case strings.HasPrefix(why, scan.ErrUnavailable.Error()):
			return " OCR är inte installerat (tesseract-ocr, tesseract-ocr-swe)."
		default:
			return " OCR-läsningen misslyckades (" + why + ")."
		}
	}
	if len(sp.ok) == 0 && len(sp.failed) >= d.Pages {
		what := "PDF-filen"
		if d.Format.IsImage() {
			what = "Bilden"
		}
		return append(out, schema.Finding{
			Code: schema.CodeDocumentNoText, Severity: schema.SeverityError, Subject: ptr(d.Name),
			Message:  fmt.Sprintf("%s %s saknar text (inskannad?): innehållet kunde inte läsas.%s Be om ansökan som Word-fil eller som PDF sparad direkt från Word.", what, d.Name, reason(sp.failed[0])),
			Path:     path,
			Evidence: &schema.Evidence{File: d.Name},
		})
	}
	for _, p := range sp.failed {
		out = append(out, schema.Finding{
			Code: schema.CodeDocumentNoText, Severity: schema.SeverityWarning, Subject: ptr(d.Name),
			Message:  fmt.Sprintf("Sidan %d i %s saknar text (inskannad sida): det som står där, till exempel underskrifter, kunde inte kontrolleras.%s", p, d.Name, reason(p)),
			Path:     path,
			Evidence: &schema.Evidence{File: d.Name, Page: ptr(p)},
		})
	}
	return out
}

// ocrUncertain makes each page read by OCR with low confidence an
// uncertain part (subject "page N"): the checks raise nothing built on
// its reading.
func ocrUncertain(d *extractor.Document, file int) []checks.Uncertain {
	var out []checks.Uncertain
	for _, s := range sortScans(d).ok {
		if s.Confidence >= LowConfidence {
			continue
		}
		out = append(out, checks.Uncertain{
			Subject: "page " + strconv.Itoa(s.Page), Path: "/source/files/" + strconv.Itoa(file) + "/ocr_pages",
			Evidence: &schema.Evidence{File: d.Name, Page: ptr(s.Page)},
			Message: fmt.Sprintf("Sidan %d i %s är inskannad och lästes med OCR med låg säkerhet (konfidens %s %%, gränsen är %s %%): det som står där har inte kontrollerats",
				s.Page, d.Name, strconv.FormatFloat(math.Round(s.Confidence), 'f', -1, 64), strconv.FormatFloat(LowConfidence, 'f', -1, 64)),
		})
	}
	return out
}

// pageRanges writes pages as ranges: "1–3, 5".
func pageRanges(pages []int) string {
	var parts []string
	for i := 0; i < len(pages); {
		j := i
		for j+1 < len(pages) && pages[j+1] == pages[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, strconv.Itoa(pages[i])+"–"+strconv.Itoa(pages[j]))
		} else {
			parts = append(parts, strconv.Itoa(pages[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
