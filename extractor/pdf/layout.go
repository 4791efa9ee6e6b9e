package pdf

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/finsam/ansokan/extractor"
)

// Page layout: furniture, paragraphs and list items, tables.

// pdfBand is the share of the page height, at the top and at the bottom,
// where headers, footers and page numbers are looked for.
const pdfBand = 0.08

var (
	pdfStampRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v:\s?\d{2}-\d{2}-\d{2}$`) })
	pdfPageNumRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^(?:(?:sida|page|sid|s\.|p\.)\s*\d{1,4}|[-–]?\s*\d{1,3}\s*[-–]?)(?:\s*(?:av|of|/|\()\s*\d{1,4}\s*\)?)?$`)
	})
	pdfDocIDRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^(?:document|dokument)[- ]?id\b`) })
	pdfDigitsRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\d+`) })
	pdfMarkerRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^([•\-–—*▪◦○►➢✓·]|\d{1,2}[.)]|[a-zA-Z][.)])\s+(\S.*)$`)
	})
	pdfNumericRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[-–−+]?[\d\s\x{00A0}\x{202F}.,:/%()-]*\d[\d\s\x{00A0}\x{202F}.,:/%()-]*(?:\s?(?:kr|sek|tkr|st|h|tim))?$`)
	})
)

// pdfESignMarks are lowercase phrases that mark an e-signature stamp.
var pdfESignMarks = []string{
	"sign.visma.net", "vismasign.com", "electronically signed", "sähköisesti allekirjoitettu",
	"elektroniskt signerad", "scrive.com", "assently", "verifikat", "signerat med", "signed with",
	"penneo", "docusign envelope",
}

// pdfIsESign tells whether a line belongs to an e-signature stamp.
func pdfIsESign(s string) bool {
	s = strings.ToLower(s)
	for _, m := range pdfESignMarks {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// pdfIsStamp tells whether s is a template version stamp (v:19-07-10).
func pdfIsStamp(s string) bool {
	return strings.HasPrefix(s, "v:") && pdfStampRe().MatchString(s)
}

// pdfPageLines is one page's lines after furniture is taken out.
type pdfPageLines struct {
	num    int
	box    [4]float64 // in the dominant frame
	dir    int8
	lines  []*pdfLine // dominant direction, top to bottom
	other  []*pdfLine // other directions
	vrules []pdfRule  // dominant frame
	hrules []pdfRule
}

// pdfLayout makes the document's blocks and furniture from its pages'
// lines.
func pdfLayout(doc *extractor.Document, pls []*pdfPageLines) {
	pdfFurniture(doc, pls)
	docBody, _ := pdfBodySize(pls...)
	for _, pl := range pls {
		body, n := pdfBodySize(pl)
		if n < 200 {
			body = docBody
		}
		doc.Blocks = append(doc.Blocks, pdfPageBlocks(pl, body)...)
	}
}

// pdfBodySize is the font size most text of single-cell lines is set in,
// with the number of characters it was counted over.
func pdfBodySize(pls ...*pdfPageLines) (float64, int) {
	sizes := map[float64]int{}
	total := 0
	for _, pl := range pls {
		for _, l := range pl.lines {
			if len(l.segs) == 1 {
				n := utf8.RuneCountInString(l.segs[0].text)
				sizes[l.size] += n
				total += n
			}
		}
	}
	body, best := 0.0, 0
	for s, c := range sizes {
		if c > best || (c == best && s < body) {
			body, best = s, c
		}
	}
	return body, total
}

// pdfPrepare finds the page's dominant text direction, rotates glyphs,
// rules and the page box into that frame and builds the lines.
func pdfPrepare(p *pdfPage) *pdfPageLines {
	var count [4]int
	for _, g := range p.glyphs {
		count[g.dir&3]++
	}
	dir := int8(0)
	for d := int8(1); d < 4; d++ {
		if count[d] > count[dir] {
			dir = d
		}
	}
	pl := &pdfPageLines{num: p.num, dir: dir}
	ax, ay := pdfToFrame(dir, p.box[0], p.box[1])
	bx, by := pdfToFrame(dir, p.box[2], p.box[3])
	pl.box = [4]float64{min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)}
	for _, r := range p.rules {
		ax, ay := pdfToFrame(dir, r.x0, r.y0)
		bx, by := pdfToFrame(dir, r.x1, r.y1)
		fr := pdfRule{min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)}
		switch {
		case fr.vertical():
			pl.vrules = append(pl.vrules, fr)
		case fr.horizontal():
			pl.hrules = append(pl.hrules, fr)
		}
	}
	for _, l := range pdfLines(p.num, p.glyphs, pl.vrules) {
		if l.dir == dir {
			pl.lines = append(pl.lines, l)
		} else {
			pl.other = append(pl.other, l)
		}
	}
	sort.SliceStable(pl.lines, func(i, j int) bool {
		a, b := pl.lines[i], pl.lines[j]
		if math.Abs(a.y-b.y) > 0.3*min(a.size, b.size) {
			return a.y > b.y
		}
		return a.x0 < b.x0
	})
	return pl
}

// pdfFurniture moves headers, footers, page numbers, version stamps and
// e-signature stamps out of the pages' lines into doc.Furniture.
func pdfFurniture(doc *extractor.Document, pls []*pdfPageLines) {
	band := func(pl *pdfPageLines, l *pdfLine) (in, top bool) {
		h := pl.box[3] - pl.box[1]
		switch {
		case l.y > pl.box[3]-pdfBand*h:
			return true, true
		case l.y < pl.box[1]+pdfBand*h:
			return true, false
		}
		return false, false
	}
	key := func(segs []pdfSeg) string {
		parts := make([]string, len(segs))
		for i, s := range segs {
			parts[i] = strings.Join(strings.Fields(pdfDigitsRe().ReplaceAllString(s.text, "#")), " ")
		}
		return strings.ToLower(strings.Join(parts, " | "))
	}
	// Segments that are furniture by themselves.
	isPageNum := func(s string) bool { return pdfPageNumRe().MatchString(strings.TrimSpace(s)) }
	rest := func(pl *pdfPageLines, l *pdfLine) []pdfSeg {
		in, _ := band(pl, l)
		var out []pdfSeg
		for _, s := range l.segs {
			if pdfIsStamp(s.text) || (in && isPageNum(s.text)) {
				continue
			}
			out = append(out, s)
		}
		return out
	}
	// Repetition of the band lines across pages.
	repeats := map[string]map[int]bool{}
	esignDoc := false
	for _, pl := range pls {
		for _, l := range append(append([]*pdfLine{}, pl.lines...), pl.other...) {
			if pdfIsESign(l.text()) {
				esignDoc = true
			}
			if in, top := band(pl, l); in {
				r := rest(pl, l)
				if len(r) == 0 {
					continue
				}
				k := key(r)
				if top {
					k = "T" + k
				} else {
					k = "B" + k
				}
				if repeats[k] == nil {
					repeats[k] = map[int]bool{}
				}
				repeats[k][pl.num] = true
			}
		}
	}
	need := max(2, (len(pls)+1)/2)
	add := func(pl *pdfPageLines, kind string, segs []pdfSeg, y float64, bold bool) {
		parts := make([]string, len(segs))
		for i, s := range segs {
			parts[i] = s.text
		}
		doc.Furniture = append(doc.Furniture, extractor.Block{
			Kind: extractor.KindParagraph, Text: strings.Join(parts, " "), Furniture: kind, Page: pl.num,
			X0: segs[0].x0, X1: segs[len(segs)-1].x1, Y: y, Bold: bold,
		})
	}
	filter := func(pl *pdfPageLines, lines []*pdfLine) []*pdfLine {
		var keep []*pdfLine
		for _, l := range lines {
			t := l.text()
			if pdfIsESign(t) || (esignDoc && pdfDocIDRe().MatchString(t)) {
				add(pl, extractor.FurnitureESign, l.segs, l.y, l.bold)
				continue
			}
			in, top := band(pl, l)
			var kept []pdfSeg
			for _, s := range l.segs {
				switch {
				case pdfIsStamp(s.text):
					add(pl, extractor.FurnitureStamp, []pdfSeg{s}, l.y, s.bold)
				case in && isPageNum(s.text):
					add(pl, extractor.FurniturePageNumber, []pdfSeg{s}, l.y, s.bold)
				default:
					kept = append(kept, s)
				}
			}
			if len(kept) == 0 {
				continue
			}
			if in && l.dir == pl.dir {
				k := key(kept)
				kind := extractor.FurnitureFooter
				if top {
					k, kind = "T"+k, extractor.FurnitureHeader
				} else {
					k = "B" + k
				}
				if len(repeats[k]) >= need {
					add(pl, kind, kept, l.y, l.bold)
					continue
				}
			}
			if len(kept) != len(l.segs) {
				nl := *l
				nl.segs = kept
				nl.x0, nl.x1 = kept[0].x0, kept[len(kept)-1].x1
				l = &nl
			}
			keep = append(keep, l)
		}
		return keep
	}
	for _, pl := range pls {
		pl.lines = filter(pl, pl.lines)
		pl.other = filter(pl, pl.other)
	}
}

// pdfPageBlocks turns one page's lines into blocks: tables where lines
// have several cells (or sit inside a ruled grid), paragraphs and list
// items elsewhere.
func pdfPageBlocks(pl *pdfPageLines, body float64) []extractor.Block {
	lines := pl.lines
	inTable := make([]int, len(lines)) // 0: no; k: table k
	var tables [][]int
	regions := pdfRuledRegions(pl)
	regionOf := make([]int, len(lines))
	for i, l := range lines {
		regionOf[i] = -1
		for k, r := range regions {
			if l.y > r.y0-1 && l.y < r.y1+1 && l.x0 > r.x0-3 && l.x1 < r.x1+3 {
				regionOf[i] = k
				break
			}
		}
	}
	for i := 0; i < len(lines); {
		if k := regionOf[i]; k >= 0 {
			j := i
			var idx []int
			for j < len(lines) && regionOf[j] == k {
				idx = append(idx, j)
				j++
			}
			tables = append(tables, idx)
			for _, x := range idx {
				inTable[x] = len(tables)
			}
			i = j
			continue
		}
		if len(lines[i].segs) < 2 {
			i++
			continue
		}
		idx := []int{i}
		j := i + 1
		for j < len(lines) && regionOf[j] < 0 {
			prev := lines[idx[len(idx)-1]]
			l := lines[j]
			if prev.y-l.y > 3*max(prev.size, l.size) {
				break
			}
			if len(l.segs) >= 2 {
				idx = append(idx, j)
				j++
				continue
			}
			// Single-cell lines (a wrapped label) stay in the table when a
			// line with cells follows closely.
			k := j
			for k < len(lines) && k-j < 4 && regionOf[k] < 0 && len(lines[k].segs) < 2 &&
				lines[k-1].y-lines[k].y <= 1.6*max(lines[k-1].size, lines[k].size) {
				k++
			}
			if k > j && k < len(lines) && regionOf[k] < 0 && len(lines[k].segs) >= 2 &&
				lines[k-1].y-lines[k].y <= 2.5*max(lines[k-1].size, lines[k].size) {
				for ; j < k; j++ {
					idx = append(idx, j)
				}
				continue
			}
			// A line just below the last row, aligned with one of its
			// cells, continues that cell.
			if prev.y-l.y <= 2*max(prev.size, l.size) && pdfAlignsWithCell(prev, l) {
				idx = append(idx, j)
				j++
				continue
			}
			break
		}
		tables = append(tables, idx)
		for _, x := range idx {
			inTable[x] = len(tables)
		}
		i = j
	}

	var blocks []extractor.Block
	var para *pdfPara
	flush := func() {
		if para != nil {
			b := para.block(body)
			b.Above, b.Below = pdfGaps(lines, para.first, para.last)
			blocks = append(blocks, b)
			para = nil
		}
	}
	markerXs := pdfMarkerXs(lines, inTable)
	colRight := pdfColumnRights(lines, inTable)
	done := map[int]bool{}
	for i, l := range lines {
		if t := inTable[i]; t > 0 {
			flush()
			if !done[t] {
				done[t] = true
				var tl []*pdfLine
				for _, x := range tables[t-1] {
					tl = append(tl, lines[x])
				}
				var reg *pdfRegion
				if k := regionOf[tables[t-1][0]]; k >= 0 {
					reg = &regions[k]
				}
				blocks = append(blocks, pdfTable(pl, tl, reg))
			}
			continue
		}
		text := l.text()
		m := pdfMarkerRe().FindStringSubmatch(text)
		if para != nil && m == nil && para.accepts(l) && !para.brokeEarly(l, colRight) && !para.ruledOff(l, pl.hrules) {
			para.add(l, text)
			para.last = i
			continue
		}
		flush()
		para = &pdfPara{page: pl.num, first: i, last: i}
		if m != nil {
			para.marker = m[1]
			if strings.ContainsAny(m[1], "-–—*▪◦○►➢✓·") {
				para.marker = "•"
			}
			para.level = pdfLevel(markerXs, l.x0)
			text = m[2]
			para.textX0 = l.bodyX0
			if para.textX0 == 0 {
				para.textX0 = l.x1 - pdfTextWidthGuess(text, l)
			}
		}
		para.add(l, text)
	}
	flush()
	// Lines in another direction (margin texts): one paragraph each.
	for _, l := range pl.other {
		p := &pdfPara{page: pl.num}
		p.add(l, l.text())
		blocks = append(blocks, p.block(body))
	}
	return blocks
}

// pdfGaps returns the baseline distances from line first up to the line
// above it and from line last down to the line below it (0 where the page
// has none). A line beside the paragraph (the other cell of a row, a
// margin note at the same height) is not the line above or below.
func pdfGaps(lines []*pdfLine, first, last int) (above, below float64) {
	for k := first - 1; k >= 0; k-- {
		if d := lines[k].y - lines[first].y; d > 0.3*lines[first].size {
			above = d
			break
		}
	}
	for k := last + 1; k < len(lines); k++ {
		if d := lines[last].y - lines[k].y; d > 0.3*lines[last].size {
			below = d
			break
		}
	}
	return above, below
}

// pdfColumnRights returns, for a left edge, the right edge of the longest
// body line starting there: where the lines of a text column wrap.
func pdfColumnRights(lines []*pdfLine, inTable []int) func(x0 float64) float64 {
	const bucket = 2.0
	right := map[int]float64{}
	for i, l := range lines {
		if inTable[i] > 0 {
			continue
		}
		k := int(math.Round(l.x0 / bucket))
		right[k] = max(right[k], l.x1)
	}
	return func(x0 float64) float64 {
		k := int(math.Round(x0 / bucket))
		return max(right[k-1], right[k], right[k+1])
	}
}

// brokeEarly tells whether the paragraph's last line ended although the
// first word of line l would still have fitted before the column's right
// edge: the writer ended the paragraph there (a line break in a form
// answer, "Startdatum: …" above "Slutdatum: …"), the layout did not wrap it.
func (p *pdfPara) brokeEarly(l *pdfLine, colRight func(float64) float64) bool {
	right := max(colRight(l.x0), colRight(p.lastX0))
	if right <= p.lastX1 {
		return false
	}
	text := l.text()
	runes := utf8.RuneCountInString(text)
	if runes == 0 {
		return false
	}
	word, _, _ := strings.Cut(text, " ")
	w := (l.x1 - l.x0) * float64(utf8.RuneCountInString(word)) / float64(runes)
	return right-p.lastX1 > w+0.5*l.size
}

func pdfAlignsWithCell(prev, l *pdfLine) bool {
	for i, s := range prev.segs {
		// A line running on into the next cell's column is a paragraph
		// after the table, not the cell wrapping.
		if math.Abs(s.x0-l.x0) <= 2 && (i == len(prev.segs)-1 || l.x1 < prev.segs[i+1].x0) {
			return true
		}
	}
	return false
}

// pdfTextWidthGuess estimates where the text after a list marker starts:
// the line's segment holds marker and text, so take the text's share of
// the line's width.
func pdfTextWidthGuess(text string, l *pdfLine) float64 {
	all := utf8.RuneCountInString(l.text())
	if all == 0 {
		return 0
	}
	return (l.x1 - l.x0) * float64(utf8.RuneCountInString(text)) / float64(all)
}

// pdfMarkerXs lists the distinct left edges of list-item lines on a page.
func pdfMarkerXs(lines []*pdfLine, inTable []int) []float64 {
	var xs []float64
	for i, l := range lines {
		if inTable[i] > 0 || !pdfMarkerRe().MatchString(l.text()) {
			continue
		}
		xs = append(xs, l.x0)
	}
	sort.Float64s(xs)
	var out []float64
	for _, x := range xs {
		if len(out) == 0 || x-out[len(out)-1] > 6 {
			out = append(out, x)
		}
	}
	return out
}

func pdfLevel(xs []float64, x float64) int {
	for i, v := range xs {
		if x < v+6 {
			return i
		}
	}
	return 0
}

// pdfPara collects the lines of one paragraph or list item.
type pdfPara struct {
	page    int
	first   int // index of the first line on the page
	last    int // index of the last line on the page
	marker  string
	level   int
	text    strings.Builder
	lines   int
	x0, x1  float64
	y       float64
	firstX0 float64
	textX0  float64 // list item: where the text after the marker starts
	lastX0  float64
	lastX1  float64
	lastY   float64
	size    float64
	bold    bool
	letters int
}

func (p *pdfPara) add(l *pdfLine, text string) {
	if p.lines == 0 {
		p.x0, p.x1, p.y, p.firstX0, p.size, p.bold = l.x0, l.x1, l.y, l.x0, l.size, l.bold
		p.text.WriteString(text)
	} else {
		s := p.text.String()
		p.text.Reset()
		p.text.WriteString(pdfJoinWrapped(s, text))
		p.x0, p.x1 = min(p.x0, l.x0), max(p.x1, l.x1)
		p.bold = p.bold && l.bold
	}
	p.lines++
	p.lastX0, p.lastX1, p.lastY = l.x0, l.x1, l.y
	p.letters += utf8.RuneCountInString(text)
}

// accepts tells whether line l continues the paragraph: close below it,
// same size and weight, and the same left edge (or the hanging indent of
// a list item, or the body edge after an indented first line).
func (p *pdfPara) accepts(l *pdfLine) bool {
	gap := p.lastY - l.y
	if gap <= 0 || gap > 1.5*max(p.size, l.size) {
		return false
	}
	if math.Abs(p.size-l.size) > 0.6 || p.bold != l.bold {
		return false
	}
	tol := 0.6 * l.size
	switch {
	case math.Abs(l.x0-p.lastX0) <= tol:
		return true
	case p.marker != "" && math.Abs(l.x0-p.textX0) <= 1.5*l.size && l.x0 > p.firstX0:
		return true
	case p.marker == "" && p.lines == 1 && l.x0 < p.firstX0 && p.firstX0-l.x0 <= 4*l.size:
		return true // first-line indent
	}
	return false
}

// ruledOff tells whether a horizontal rule runs between the paragraph's
// last line and line l across both (a cell border between a form's
// label and its answer): the rule ends the paragraph. An underline of a
// few words does not span the lines.
func (p *pdfPara) ruledOff(l *pdfLine, hrules []pdfRule) bool {
	left, right := max(p.lastX0, l.x0), min(p.lastX1, l.x1)
	for _, r := range hrules {
		y := (r.y0 + r.y1) / 2
		if y >= p.lastY || y <= l.y+0.5*l.size {
			continue
		}
		if r.x0 <= left+0.5*l.size && r.x1 >= right-0.5*l.size {
			return true
		}
	}
	return false
}

func (p *pdfPara) block(body float64) extractor.Block {
	b := extractor.Block{
		Kind: extractor.KindParagraph, Text: p.text.String(), Page: p.page,
		X0: p.x0, X1: p.x1, Y: p.y, Bold: p.bold,
	}
	if p.marker != "" {
		b.Kind, b.ListMarker, b.ListLevel = extractor.KindListItem, p.marker, p.level
		return b
	}
	if body > 0 && p.letters < 200 {
		switch {
		case p.size >= 1.3*body:
			b.Level = 1
		case p.size >= 1.12*body:
			b.Level = 2
		case p.bold && p.letters < 100:
			b.Level = 2
		}
	}
	return b
}

// pdfJoinWrapped joins a wrapped line to the text before it. A soft
// hyphen at the end is dropped and the word closed up. A hard "-" at the
// end followed by a lowercase letter is kept and the words closed up
// ("avvikelse-" + "rapporteras" → "avvikelse-rapporteras"): a compound
// split at its hyphen reads right, and a word hyphenated by the layout
// keeps a stray hyphen, which the normalizer's fuzzy matching tolerates.
// Otherwise the lines are joined with a space.
func pdfJoinWrapped(a, b string) string {
	if a == "" {
		return b
	}
	if strings.HasSuffix(a, "\u00AD") {
		return strings.TrimSuffix(a, "\u00AD") + b
	}
	if strings.HasSuffix(a, "-") && len(a) >= 2 {
		before, _ := utf8.DecodeLastRuneInString(a[:len(a)-1])
		first, _ := utf8.DecodeRuneInString(b)
		if unicode.IsLetter(before) && unicode.IsLower(first) {
			return a + b
		}
	}
	return a + " " + b
}
