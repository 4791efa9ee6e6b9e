package pdf

import (
	"bytes"
	"context"
	"errors"
	"image"
	"log/slog"
	"math"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/scan"
	"golang.org/x/sync/errgroup"
)

// OCR of the pages without a text layer. Each such page's image (the
// scanner's embedded image, else the page rendered by pdftoppm) is read
// by Tesseract; its words become the walker's glyphs in page points,
// its ruling lines the walker's rules, and the page goes through the
// same line, paragraph and table building as a page with text.

// The fonts of OCR'd words: plain, and bold for a line whose strokes
// are wide (pdfOCRBold).
var (
	pdfOCRFont     = &pdfFont{name: "ocr", decoded: map[int]string{}}
	pdfOCRBoldFont = &pdfFont{name: "ocr bold", bold: true, decoded: map[int]string{}}
)

// pdfScanJob is one page to read by OCR: where its image comes from.
type pdfScanJob struct {
	num    int                                          // 1-based page number
	source string                                       // "embedded", "rendered", "image"
	img    func() (*image.Gray, float64, string, error) // the upright page image, its dpi and where it came from
	// results
	page *pdfPage
	scan extractor.ScanPage
}

// pdfOCREngine finds the OCR engine; a variable for tests.
var pdfOCREngine = scan.Find

// pdfOCRPages reads the jobs' pages by OCR, up to GOMAXPROCS at once,
// one decoded page image per worker, released after its OCR. A page
// that cannot be read keeps its error in its ScanPage; the others go
// on. Without an engine every page gets the engine's error.
func pdfOCRPages(jobs []*pdfScanJob, lim extractor.Limits) {
	if len(jobs) == 0 {
		return
	}
	engine, err := pdfOCREngine() // logs once, in Swedish and English, what to install
	if err != nil {
		for _, j := range jobs {
			j.scan = extractor.ScanPage{Page: j.num, Source: j.source, Err: err.Error()}
		}
		return
	}
	// This document's limits, on a copy: the engine from Find is shared
	// by every document of the process.
	e := *engine
	e.PageTimeout = lim.OCRPageTimeout
	e.Memory = uint64(lim.OCRPageMemory)
	var g errgroup.Group
	g.SetLimit(max(1, runtime.GOMAXPROCS(0)))
	var mu sync.Mutex
	done := 0
	for _, j := range jobs {
		g.Go(func() error {
			j.run(&e, lim)
			mu.Lock()
			defer mu.Unlock()
			done++
			slog.Debug("ocr page", "page", j.num, "done", done, "of", len(jobs), "conf", math.Round(j.scan.Confidence), "err", j.scan.Err)
			if lim.Progress != nil {
				lim.Progress(done, len(jobs)) // one call at a time
			}
			return nil
		})
	}
	g.Wait()
}

func (j *pdfScanJob) run(e *scan.Engine, lim extractor.Limits) {
	j.scan = extractor.ScanPage{Page: j.num, Source: j.source}
	// A worker's panic (a decoder's, or ours) would take the process
	// down: ReadLimited's recover does not reach this goroutine. It is
	// this page's error.
	defer func() {
		if x := recover(); x != nil {
			j.page = nil
			j.scan.Err = "internal error: " + pdfPanicText(x)
		}
	}()
	img, dpi, src, err := j.img()
	if src != "" {
		j.source, j.scan.Source = src, src
	}
	if err != nil {
		j.scan.Err = err.Error()
		return
	}
	start := time.Now()
	ctx := context.Background()
	p, err := e.Recognize(ctx, img, dpi)
	if err != nil {
		j.scan.Err = err.Error()
		return
	}
	// Strokes are measured on the image the words' boxes refer to: the
	// page turned upright, straightened and scaled as it was read. The
	// input's pixels are elsewhere on a page stored on its side (a
	// turned page's headings read as body text without their bold).
	img = nil
	bold := pdfOCRBold(p.Image, p.Words)
	p.Image = nil
	slog.Debug("ocr", "page", j.num, "words", len(p.Words), "took", time.Since(start).Round(time.Millisecond))
	j.page, j.scan = pdfScanGlyphs(j.num, p, bold)
	j.scan.Source = j.source
}

// pdfScanGlyphs turns OCR'd words into a page of glyphs in points (the
// page box is the upright image), and fills the page's ScanPage.
func pdfScanGlyphs(num int, p *scan.Page, bold []bool) (*pdfPage, extractor.ScanPage) {
	k := 72 / p.DPI
	W, H := float64(p.Width)*k, float64(p.Height)*k
	sp := extractor.ScanPage{Page: num, DPI: p.DPI, Confidence: math.Round(p.Confidence*10) / 10,
		Words: len(p.Words), Rotation: p.Rotation, Skew: p.Skew, Width: math.Round(W*100) / 100, Height: math.Round(H*100) / 100}
	for _, r := range p.Ink {
		sp.Ink = append(sp.Ink, extractor.Box{X0: float64(r.X0) * k, Y0: H - float64(r.Y1)*k, X1: float64(r.X1) * k, Y1: H - float64(r.Y0)*k})
	}
	page := &pdfPage{num: num, box: [4]float64{0, 0, W, H}}
	for _, r := range p.Rules {
		page.rules = append(page.rules, pdfRule{float64(r.X0) * k, H - float64(r.Y1)*k, float64(r.X1) * k, H - float64(r.Y0)*k})
	}
	pdfOCRBoxLines(p.Words)
	// Words by Tesseract line, in its reading order.
	type key struct{ b, p, l int }
	var order []key
	lines := map[key][]*scan.Word{}
	isBold := map[*scan.Word]bool{}
	for i := range p.Words {
		w := &p.Words[i]
		if i < len(bold) && bold[i] {
			isBold[w] = true
		}
		if w.Conf < pdfMinWordConf || strings.TrimSpace(w.Text) == "" {
			continue
		}
		kk := key{w.Block, w.Par, w.Line}
		if _, ok := lines[kk]; !ok {
			order = append(order, kk)
		}
		lines[kk] = append(lines[kk], w)
	}
	run := int32(0)
	var spans [][2]int // each line's glyphs
	var paras [][2]int // each line's Tesseract block and paragraph
	var lineGaps []float64
	for _, kk := range order {
		ws := lines[kk]
		sort.SliceStable(ws, func(a, b int) bool { return ws[a].X0 < ws[b].X0 })
		ws = pdfOCRJoinEmails(ws)
		pdfOCRZeros(ws)
		pdfOCRTypedBox(ws)
		pdfOCRRegroup(ws)
		pdfOCRPercent(ws)
		bs := make([]int, len(ws))
		tops := make([]int, len(ws))
		for i, w := range ws {
			bs[i], tops[i] = w.Y1, w.Y0
		}
		// Most words sit on the baseline; a capital or an ascender is
		// about the cap height above it. The top is the upper quartile
		// of the words' tops: not the highest, which may be a ring or
		// the dots of å, ä, ö.
		sort.Ints(tops)
		top := tops[len(tops)/4]
		bottom := pdfOCRBaseline(ws, median(bs), top)
		if t, ok := pdfOCRCapTop(ws, bottom); ok {
			top = t
		}
		size := float64(bottom-top) * k / pdfOCRHeightRatio
		base := H - float64(bottom)*k
		if size < 1 {
			continue
		}
		// Bold is told per line (a word's strokes are a noisy measure):
		// the line is bold when most of its letters are.
		boldLetters, letters := 0, 0
		for _, w := range ws {
			n := len([]rune(w.Text))
			letters += n
			if isBold[w] {
				boldLetters += n
			}
		}
		font := pdfOCRFont
		if boldLetters*10 >= letters*6 {
			font = pdfOCRBoldFont
		}
		// The line's typical word gap: justified text widens every gap
		// of a line alike, a column gap stands out.
		var gaps []int
		for i := 1; i < len(ws); i++ {
			gaps = append(gaps, ws[i].X0-ws[i-1].X1)
		}
		wordGap := 0.0
		if len(gaps) >= pdfOCRMinGaps {
			sort.Ints(gaps)
			wordGap = float64(gaps[len(gaps)/2]) * k
		}
		run++
		first := len(page.glyphs)
		for i, w := range ws {
			x0, x1 := float64(w.X0)*k, float64(w.X1)*k
			text := w.Text
			if i == 0 && len(ws) > 1 && pdfOCRBullet(text, float64(ws[1].X0-w.X1)*k, size) {
				text = "•"
			}
			text, _ = pdfOCREmail(text)
			if i > 0 {
				text = pdfOCRDash(text)
			}
			if i > 0 {
				prev := float64(ws[i-1].X1) * k
				if gap := x0 - prev; gap > 0 && (gap < size || pdfOCRWordGap(gap, wordGap, size) && !pdfRuleCrosses(page.rules, prev, x0, base, size)) {
					page.glyphs = append(page.glyphs, pdfGlyph{s: " ", x0: prev, x1: x0, y: base, size: size, font: font, run: run, space: true})
				}
			}
			page.glyphs = append(page.glyphs, pdfGlyph{s: text, x0: x0, x1: x1, y: base, size: size, font: font, run: run})
			page.textGlyphs++
		}
		spans = append(spans, [2]int{first, len(page.glyphs)})
		paras = append(paras, [2]int{kk.b, kk.p})
		lineGaps = append(lineGaps, wordGap)
	}
	// The lines of one Tesseract paragraph are set in one size: their
	// lower median (a short line's measure is the least sure).
	for i := 0; i < len(spans); {
		j := i + 1
		for j < len(spans) && paras[j] == paras[i] {
			j++
		}
		var sizes []float64
		for _, sp := range spans[i:j] {
			sizes = append(sizes, page.glyphs[sp[0]].size)
		}
		sort.Float64s(sizes)
		m := sizes[(len(sizes)-1)/2]
		for _, sp := range spans[i:j] {
			for g := sp[0]; g < sp[1]; g++ {
				page.glyphs[g].size = m
			}
		}
		i = j
	}
	pdfSnapSizes(page.glyphs, spans)
	page.glyphs = pdfOCRJoinLines(page.glyphs, spans, lineGaps, page.rules)
	return page, sp
}

// pdfOCRBoxLines puts each check box found in the image (a word of
// Block −1, ☒ or ☐) on the Tesseract line of its label: the word
// starting just after it on its row ("☒ Ja"), else the word ending
// just before it ("Ja ☐"), when one is closer than pdfOCRMaxSpace of
// its height.
func pdfOCRBoxLines(words []scan.Word) {
	for k := range words {
		box := &words[k]
		if box.Block != -1 || (box.Text != "☒" && box.Text != "☐") {
			continue
		}
		best, bestGap := -1, 0
		for i, w := range words {
			if w.Block < 0 || w.Conf < pdfMinWordConf {
				continue
			}
			h := w.Y1 - w.Y0
			overlap := min(box.Y1, w.Y1) - max(box.Y0, w.Y0)
			if overlap*2 < min(h, box.Y1-box.Y0) {
				continue
			}
			gap := w.X0 - box.X1 // label after the box
			if gap < 0 {
				gap = box.X0 - w.X1 + h // label before: only when none is after
			}
			if gap < 0 || float64(gap) >= pdfOCRMaxSpace*float64(h) {
				continue
			}
			if best < 0 || gap < bestGap {
				best, bestGap = i, gap
			}
		}
		if best >= 0 {
			box.Block, box.Par, box.Line = words[best].Block, words[best].Par, words[best].Line
		}
	}
}

// pdfOCRJoinLines puts a space between two Tesseract lines that sit on
// one baseline with a word gap between them: Tesseract cuts a justified
// line into blocks where its gaps line up with the columns of a table
// above, and the line builder would take the pieces for cells.
func pdfOCRJoinLines(glyphs []pdfGlyph, spans [][2]int, gaps []float64, rules []pdfRule) []pdfGlyph {
	for i, a := range spans {
		if a[0] == a[1] {
			continue
		}
		last := glyphs[a[1]-1]
		for j, b := range spans {
			if j == i || b[0] == b[1] {
				continue
			}
			first := glyphs[b[0]]
			size := min(last.size, first.size)
			gap := first.x0 - last.x1
			if math.Abs(first.y-last.y) > 0.3*size || gap <= 0 {
				continue
			}
			if pdfOCRWordGap(gap, max(gaps[i], gaps[j]), size) && !pdfRuleCrosses(rules, last.x1, first.x0, last.y, size) {
				glyphs = append(glyphs, pdfGlyph{s: " ", x0: last.x1, x1: first.x0, y: last.y, size: size, font: last.font, run: last.run, space: true})
			}
		}
	}
	return glyphs
}

// pdfSnapSizes gives the lines whose size is near the page's
// most common size (counted in letters) that size (within 20%): measured sizes
// wobble from line to line with the letters a line holds, and the
// heading builder compares sizes with the body's.
func pdfSnapSizes(glyphs []pdfGlyph, spans [][2]int) {
	count := map[float64]int{}
	for _, sp := range spans {
		g := &glyphs[sp[0]]
		count[math.Round(g.size*2)/2] += sp[1] - sp[0]
	}
	// Neighbouring half points count together.
	body, best := 0.0, 0
	for s := range count {
		n := count[s-0.5] + count[s] + count[s+0.5]
		if n > best || (n == best && s < body) {
			body, best = s, n
		}
	}
	for _, sp := range spans {
		for i := sp[0]; i < sp[1]; i++ {
			if s := glyphs[i].size; math.Abs(s-body) <= 0.2*body {
				glyphs[i].size = body
			}
		}
	}
}

// pdfOCRBold tells the words set in bold by their strokes: the mean
// length of the dark runs across a word's rows (a bold face's stems are
// about 1.5 times as wide), against the page's median word. It needs at
// least 20 words to compare with.
func pdfOCRBold(img *image.Gray, words []scan.Word) []bool {
	if img == nil || len(words) < 20 {
		return nil
	}
	stroke := make([]float64, len(words))
	var all []float64
	for i, w := range words {
		r := image.Rect(w.X0, w.Y0, w.X1, w.Y1).Intersect(img.Rect)
		if r.Dy() < 4 || r.Dx() < 8 || w.Conf < 60 {
			continue // a short word says little
		}
		dark, runs := 0, 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			in := false
			for _, v := range img.Pix[y*img.Stride+r.Min.X : y*img.Stride+r.Max.X] {
				d := v < 160
				if d {
					dark++
					if !in {
						runs++
					}
				}
				in = d
			}
		}
		if runs > 0 {
			stroke[i] = float64(dark) / float64(runs)
			all = append(all, stroke[i])
		}
	}
	if len(all) < 20 {
		return nil
	}
	sort.Float64s(all)
	med := all[len(all)/2]
	bold := make([]bool, len(words))
	for i := range words {
		bold[i] = stroke[i] > pdfOCRBoldStroke*med
	}
	return bold
}

// pdfOCRBoldStroke is how much wider a bold word's strokes are than the
// page's median word's (measured 1.5-1.7 on the samples printed at 150
// dpi; regular words of the same page 0.9-1.15).
const pdfOCRBoldStroke = 1.35

// pdfOCRBullet tells whether a line's first word is a list bullet
// Tesseract read as a character: a lone mark, set apart from the text
// after it.
func pdfOCRBullet(s string, gap, size float64) bool {
	switch s {
	case "•", "+", "«", "»", "°", "*", "©", "®", "¢", "·":
		return gap > 0.4*size
	case "e", "o", "c":
		return gap > 1.0*size
	}
	return false
}

// pdfOCRDash reads a dash standing alone after a word of its line as
// the spaced en dash ("Vägen vidare – samordnat stöd", "2025-03-01 –
// 2026-02-28"): Swedish typography sets parenthetical dashes and
// ranges with spaces as an en dash, and Tesseract's Swedish model reads
// that en dash as an em dash (U+2014) or a horizontal bar (U+2015). A
// dash first on its line is left as read: a line of dialogue starts
// with the em dash (the caller passes only words after the first).
func pdfOCRDash(s string) string {
	if s == "—" || s == "―" {
		return "–"
	}
	return s
}

// pdfOCREmailRe matches an e-mail address whose "@" was read as one
// or two other marks ("Q", "QW", "©", "®", "Ö", "M"): a lower-case name,
// the marks (capitals or symbols: an address is written in lower case),
// a lower-case domain with a dot. An "@" read right matches too.
var pdfOCREmailRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([a-z0-9._%+-]*[a-z0-9])(@|[A-ZÅÄÖ©®]{1,2})([a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,})$`)
})

// pdfOCREmail restores the "@" of an e-mail address OCR misread, and
// reports whether text is one.
func pdfOCREmail(text string) (string, bool) {
	for _, re := range []*regexp.Regexp{pdfOCREmailRe(), pdfOCRNamedEmailRe()} {
		if re.MatchString(text) {
			return re.ReplaceAllString(text, "$1@$3"), true
		}
	}
	return text, false
}

// pdfOCRNamedEmailRe matches an address written with the name's
// capitals ("Maria.Lundgren@uppsala.se") whose "@" was read as a mark
// no word starts with in Swedish ("Q", "©", "®"): the name must be
// first.last, so that "SamverkanQpart.se" is not one.
var pdfOCRNamedEmailRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([A-Za-z0-9_%+-]+\.[A-Za-z0-9._%+-]*[a-z0-9])([Q©®])([a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,})$`)
})

// pdfOCRAtMark tells whether a word starts with a mark OCR reads for
// "@" and no Swedish word starts with: "mikael.holm Qforsakringskassan.se".
func pdfOCRAtMark(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == 'Q' || r == '©' || r == '®' || r == '@'
}

// pdfOCRJoinEmails joins the words of one line that OCR split inside
// an e-mail address ("per.olssonQarbetsform edlingen.se", "ingen. se"):
// up to four neighbouring words, closer than a letter's height, that
// make an address together when none of them is one alone. The words
// after the first start in lower case: "se Regionuppsala.se" is two
// words, not "se@egionuppsala.se"; and none is an address alone.
func pdfOCRAddressPart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == '.' || r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')
}

func pdfOCRJoinEmails(ws []*scan.Word) []*scan.Word {
	out := ws[:0:0]
	for i := 0; i < len(ws); i++ {
		joined := false
		if _, ok := pdfOCREmail(ws[i].Text); !ok {
			h := ws[i].Y1 - ws[i].Y0
			text := ws[i].Text
			for j := i + 1; j < len(ws) && j < i+4; j++ {
				if ws[j].X0-ws[j-1].X1 > h || !pdfOCRAddressPart(ws[j].Text) && !(j == i+1 && pdfOCRAtMark(ws[j].Text)) {
					break
				}
				if _, ok := pdfOCREmail(ws[j].Text); ok {
					break
				}
				text += ws[j].Text
				if _, ok := pdfOCREmail(text); ok {
					w := *ws[i]
					w.Text, w.X1 = text, ws[j].X1
					for _, o := range ws[i+1 : j+1] {
						w.Y0, w.Y1 = min(w.Y0, o.Y0), max(w.Y1, o.Y1)
						w.Conf = min(w.Conf, o.Conf)
					}
					out = append(out, &w)
					i, joined = j, true
					break
				}
			}
		}
		if !joined {
			out = append(out, ws[i])
		}
	}
	return out
}

// Word gaps on an OCR'd line. A gap under the font size is a space; so
// is a wider gap (up to pdfOCRMaxSpace sizes) that is under
// pdfOCRGapRatio times the line's median gap, on a line of at least
// pdfOCRMinGaps gaps with no vertical rule in the gap: the wide spacing
// of justified text. Anything wider splits the line into cells.
const (
	pdfOCRMinGaps  = 3
	pdfOCRGapRatio = 2.0
	pdfOCRMaxSpace = 2.5
)

// pdfOCRWordGap tells whether a gap wider than the font size is still
// a word space on a line whose median gap is wordGap (0: too few gaps
// to tell).
func pdfOCRWordGap(gap, wordGap, size float64) bool {
	return wordGap > 0 && gap < pdfOCRMaxSpace*size && gap < pdfOCRGapRatio*wordGap
}

// pdfRuleCrosses tells whether a vertical rule runs through the gap
// from x0 to x1 on the line with baseline y.
func pdfRuleCrosses(rules []pdfRule, x0, x1, y, size float64) bool {
	for _, r := range rules {
		if r.vertical() && r.x0 < x1 && r.x1 > x0 && r.y0 < y+size && r.y1 > y {
			return true
		}
	}
	return false
}

// pdfMinWordConf is the confidence under which a recognised "word" is
// taken for speckle, a stroke of a signature or a stamp's edge.
const pdfMinWordConf = 20

// pdfOCRHeightRatio is the median height of a line's word boxes over
// the font size the line is set in: about the cap height and a little
// of the descenders (calibrated on the samples' pages printed and read
// back, so that body text and headings get the sizes the digital PDF
// has).
const pdfOCRHeightRatio = 0.72

// Letter heights for telling a line's size from its words' boxes. A
// word's box reaches the cap height when it has a capital, a digit or
// an ascender (pdfOCRCapLetters), only the x-height when every letter
// is short (pdfOCRXLetters), and above the cap height when it has a
// capital with a diacritic, a bracket or a quotation mark
// (pdfOCRHighLetters): "(*)" and "Älvkarleby" would make a short line
// look set in a larger size than it is.
const (
	pdfOCRCapLetters  = "ABCDEFGHIJKLMNOPRSTUVWXYZ0123456789bdfhklß"
	pdfOCRXLetters    = "acemnorsuvwxzgpqy"
	pdfOCRHighLetters = "ÅÄÖÉÈÜÆØ()[]{}|/\\\"'”“’‘»«*"
	// pdfOCRXRatio is the x-height over the cap height in the sans
	// and serif faces forms are set in (0.52/0.72 for Liberation Sans,
	// Arial, Calibri alike within a few per cent).
	pdfOCRXRatio = 0.72
)

// pdfOCRCapTop returns where the cap height of a line is, from its
// words' tops: the median top of the words that reach the cap height
// and nothing higher, else the x-height words' top scaled up to the
// cap height. ok is false when no word is one of either kind.
func pdfOCRCapTop(ws []*scan.Word, base int) (top int, ok bool) {
	var caps, xs []int
	for _, w := range ws {
		switch {
		case strings.ContainsAny(w.Text, pdfOCRHighLetters):
		case strings.ContainsAny(w.Text, pdfOCRCapLetters):
			caps = append(caps, w.Y0)
		case strings.Trim(w.Text, pdfOCRXLetters+".,:;-") == "" && strings.ContainsAny(w.Text, pdfOCRXLetters):
			xs = append(xs, w.Y0)
		}
	}
	switch {
	case len(caps) > 0:
		return median(caps), true
	case len(xs) > 0:
		return base - int(float64(base-median(xs))/pdfOCRXRatio+0.5), true
	}
	return 0, false
}

// pdfOCRRegroup puts back the thin spaces OCR drops inside an amount
// written in groups of three: "1344 000" (Tesseract reads "1 344 000"
// set with a narrow space as two words) becomes "1 344 000". A word of
// four to six digits followed, a word gap away, by words of exactly
// three digits is such an amount, since a Swedish amount's groups
// after the first all have three digits. A year ("2023 100 deltagare")
// is left alone unless the groups end the line or are followed by a
// currency ("2000 000 kr").
func pdfOCRRegroup(ws []*scan.Word) {
	digits := func(s string) bool {
		for _, r := range s {
			if r < '0' || r > '9' {
				return false
			}
		}
		return s != ""
	}
	for i := 0; i+1 < len(ws); i++ {
		first := ws[i].Text
		if len(first) < 4 || len(first) > 6 || !digits(first) {
			continue
		}
		h := ws[i].Y1 - ws[i].Y0
		j := i + 1
		for j < len(ws) && len(ws[j].Text) == 3 && digits(ws[j].Text) && ws[j].X0-ws[j-1].X1 < h {
			j++
		}
		if j == i+1 {
			continue
		}
		if y, err := strconv.Atoi(first); err == nil && len(first) == 4 && y >= 1900 && y <= 2099 &&
			j < len(ws) && ws[j].X0-ws[j-1].X1 < h && !pdfOCRCurrency[strings.ToLower(strings.TrimRight(ws[j].Text, ".,;:"))] {
			continue
		}
		var b strings.Builder
		for k, r := range first {
			if k > 0 && (len(first)-k)%3 == 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
		}
		w := *ws[i]
		w.Text = b.String()
		ws[i] = &w
		i = j - 1
	}
}

// pdfOCRZeros puts back the zeros OCR read as the letter o: in a
// number that starts with a digit ("1o0 000", "2O0"; not "O2"), and an "o" standing alone in a column
// of figures (a budget's empty cells print "0"; a grey 150 dpi scan
// makes it round). A lone "o" that begins a line of words is a bullet
// (pdfOCRBullet), not a zero.
func pdfOCRZeros(ws []*scan.Word) {
	for i, w := range ws {
		t := w.Text
		if strings.Trim(t, "oO") != "" {
			if t[0] >= '0' && t[0] <= '9' && strings.ContainsAny(t, "oO") && strings.Trim(t, "0123456789oO ,.") == "" {
				c := *w
				c.Text = strings.NewReplacer("o", "0", "O", "0").Replace(t)
				ws[i] = &c
			}
			continue
		}
		h := w.Y1 - w.Y0
		alone := (i == 0 || w.X0-ws[i-1].X1 > h) && (i == len(ws)-1 || ws[i+1].X0-w.X1 > h)
		if !alone || (i == 0 && i < len(ws)-1 && strings.Trim(ws[i+1].Text, "0123456789 ,.") != "") {
			continue
		}
		c := *w
		c.Text = strings.Repeat("0", len(t))
		ws[i] = &c
	}
}

// pdfOCRTypedBox puts back a check box typed as "[X]" before its
// answer ("[X] Ja [ ] Nej") that OCR read with a bracket lost or
// turned: "X]", "[X", "|X]", "(X)". The word must have a bracket or bar
// on one side of the X and be followed on its line by a word, so that a
// Roman numeral ("IX") or an X alone stays as read.
func pdfOCRTypedBox(ws []*scan.Word) {
	for i := 0; i+1 < len(ws); i++ {
		t := ws[i].Text
		if !pdfOCRTypedBoxRe.MatchString(t) || !strings.ContainsAny(t, "[]|()") {
			continue
		}
		if h := ws[i].Y1 - ws[i].Y0; ws[i+1].X0-ws[i].X1 > 2*h {
			continue // no answer beside it
		}
		w := *ws[i]
		w.Text = "[X]"
		ws[i] = &w
	}
}

var pdfOCRTypedBoxRe = regexp.MustCompile(`^[\[|(]?[Xx×][\]|)]?$`)

// pdfOCRPercentMisreads are what Tesseract reads for a "%" set in the
// office fonts forms use (Calibri, Carlito, Liberation): "100 Yo".
var pdfOCRPercentMisreads = map[string]bool{"Yo": true, "ho": true, "Vo": true, "%o": true, "Y%": true, "o/o": true, "°/o": true, "Jo": true, "Ya": true}

// pdfOCRPercent puts back the "%" after a number that OCR read as one
// of pdfOCRPercentMisreads: none of them is a word that follows a
// number in Swedish.
func pdfOCRPercent(ws []*scan.Word) {
	for i := 1; i < len(ws); i++ {
		prev := strings.TrimRight(ws[i-1].Text, ",.")
		if !pdfOCRPercentMisreads[ws[i].Text] || prev == "" || strings.Trim(prev, "0123456789,.") != "" {
			continue
		}
		if h := ws[i].Y1 - ws[i].Y0; ws[i].X0-ws[i-1].X1 > h {
			continue // a column away: not the number's sign
		}
		w := *ws[i]
		w.Text = "%"
		ws[i] = &w
	}
}

// pdfOCRCurrency are the words that may follow an amount.
var pdfOCRCurrency = map[string]bool{"kr": true, "kronor": true, "sek": true, ":-": true, "tkr": true}

// pdfOCRDescenders are the letters and marks that reach below the
// baseline; a word box with one of them ends at the descender line.
const pdfOCRDescenders = "gjpqyQ,;()[]{}|/\\"

// pdfOCRDescent is the descender depth over the cap height plus the
// descender (0.21/(0.73+0.21) em in the faces forms use).
const pdfOCRDescent = 0.22

// pdfOCRBaseline returns the line's baseline in image rows: the median
// bottom of its words without descenders; when every word has one,
// the median bottom raised by the descender (top is the line's top).
func pdfOCRBaseline(ws []*scan.Word, bottom, top int) int {
	var bs []int
	for _, w := range ws {
		if !strings.ContainsAny(w.Text, pdfOCRDescenders) {
			bs = append(bs, w.Y1)
		}
	}
	if len(bs) > 0 {
		return median(bs)
	}
	return bottom - int(pdfOCRDescent*float64(bottom-top)+0.5)
}

func median(v []int) int {
	s := append([]int(nil), v...)
	sort.Ints(s)
	return s[len(s)/2]
}

// pdfPageImage returns the page image of a page without text: the
// embedded image when the page is one image covering most of it and
// decodable here, else the page rendered. It is made when called, in
// an OCR worker.
func pdfPageImage(p *pdfPage, ref pdfPageRef, data []byte, encrypted bool, render func(page int, box [4]float64) (*image.Gray, float64, error), lim extractor.Limits) (string, func() (*image.Gray, float64, string, error)) {
	rendered := func() (*image.Gray, float64, string, error) {
		g, dpi, err := render(p.num, ref.box)
		return g, dpi, "rendered", err
	}
	if len(p.placed) != 1 || p.placed[0].inline || encrypted || pdfCoverage(p.placed[0], ref.box) < 0.6 {
		return "rendered", rendered
	}
	pl := p.placed[0]
	return "embedded", func() (*image.Gray, float64, string, error) {
		g, err := pdfDecodeImage(pl.v, data, lim.MaxOCRPixels)
		var dpi float64
		if err == nil {
			g, dpi, err = pdfUpright(g, pl.ctm, ref.rotate)
		}
		if errors.Is(err, errPDFRender) {
			// JBIG2, JPX, a filter chain, an image at an angle.
			slog.Debug("ocr: page rendered", "page", p.num, "why", err)
			return rendered()
		}
		if err != nil && !errors.Is(err, extractor.ErrLimit) {
			// The Go decoder refused data another reader takes (a CCITT
			// stream with a broken end-of-line): render the page as
			// poppler draws it; the decoder's reason stays when that
			// fails too.
			if g, dpi, src, rerr := rendered(); rerr == nil {
				slog.Debug("ocr: page rendered after the decoder failed", "page", p.num, "why", err)
				return g, dpi, src, nil
			}
		}
		return g, math.Round(dpi*10) / 10, "embedded", err
	}
}

// pdfRender renders one page of data for OCR with pdftoppm
// (scan.Renderer, the file on its stdin: no copy of an application on
// disk) in grey at 300 dpi, less for a large page so that the image
// stays within MaxOCRPixels (and 150 dpi for a page larger than A3),
// within OCRPageTimeout, and returns it turned as the page is shown.
func pdfRender(data []byte, page int, box [4]float64, lim extractor.Limits) (*image.Gray, float64, error) {
	wIn, hIn := (box[2]-box[0])/72, (box[3]-box[1])/72
	dpi := 300.0
	if wIn*hIn > 11.7*16.5 {
		dpi = 150
	}
	if px := wIn * hIn * dpi * dpi; px > float64(lim.MaxOCRPixels) {
		dpi = math.Floor(math.Sqrt(float64(lim.MaxOCRPixels) / (wIn * hIn)))
		if dpi < 50 {
			return nil, 0, extractor.LimitErr("MaxOCRPixels", "the page is %.0f×%.0f inches, more than %d million pixels at 50 dpi", wIn, hIn, lim.MaxOCRPixels/1_000_000)
		}
	}
	r := scan.Renderer{Timeout: lim.OCRPageTimeout}
	img, err := r.Render(context.Background(), bytes.NewReader(data), int64(len(data)), page, dpi)
	if err != nil {
		return nil, 0, err
	}
	return scan.ToGray(img), dpi, nil
}
