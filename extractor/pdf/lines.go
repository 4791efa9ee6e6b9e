package pdf

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Lines and segments from positioned glyphs.
//
// Glyphs are first cut into fragments: consecutive glyphs (in drawing
// order) of one text object and font on one baseline. Fragments on the
// same baseline make a line; a fragment that overlaps another one on that
// baseline (an e-signature stamp drawn over the body text) goes to a
// parallel line of its own. A line is cut into segments (cells) at gaps
// wider than about 1 em and at vertical ruling lines.

// pdfSeg is a run of text inside a line with no wide gap.
type pdfSeg struct {
	text   string
	x0, x1 float64
	size   float64
	bold   bool
	words  []pdfWord
}

// pdfWord is a space-separated word of a segment.
type pdfWord struct {
	text   string
	x0, x1 float64
}

// pdfLine is one visual line of text.
type pdfLine struct {
	page   int
	dir    int8
	y      float64
	x0, x1 float64
	size   float64 // the most used font size
	bold   bool    // every letter bold
	segs   []pdfSeg
	bodyX0 float64 // where the text after a separate list marker starts; 0 if none
}

func (l *pdfLine) text() string {
	if len(l.segs) == 1 {
		return l.segs[0].text
	}
	parts := make([]string, len(l.segs))
	for i, s := range l.segs {
		parts[i] = s.text
	}
	return strings.Join(parts, " ")
}

type pdfFrag struct {
	g      []pdfGlyph
	x0, x1 float64
	y      float64
	size   float64
	dir    int8
	layer  int32
	font   *pdfFont
}

// pdfLines groups a page's glyphs into lines, sorted top to bottom (per
// text direction, dominant direction first). vrules are the page's
// vertical rules in the dominant frame.
func pdfLines(page int, glyphs []pdfGlyph, vrules []pdfRule) []*pdfLine {
	if len(glyphs) == 0 {
		return nil
	}
	// 1. Fragments in drawing order: each is a sub-slice of glyphs.
	var frags []*pdfFrag
	var cur *pdfFrag
	start := 0
	for i, g := range glyphs {
		if cur != nil {
			last := glyphs[i-1]
			sz := max(g.size, last.size)
			same := g.run == last.run && g.dir == last.dir && math.Abs(g.y-last.y) < 0.2*sz &&
				math.Abs(g.size-last.size) < 0.1*sz && g.x0 > last.x1-0.5*sz && g.x0 < last.x1+8*sz
			if same {
				cur.g = glyphs[start : i+1 : i+1]
				cur.x1 = max(cur.x1, g.x1)
				continue
			}
		}
		start = i
		cur = &pdfFrag{g: glyphs[i : i+1 : i+1], x0: g.x0, x1: g.x1, y: g.y, size: g.size, dir: g.dir, layer: g.layer, font: g.font}
		frags = append(frags, cur)
	}
	// Drop fragments drawn twice at (almost) the same place: fake bold and shadows.
	frags = pdfDedupe(frags)

	// 2. Baseline clusters, per direction.
	sort.SliceStable(frags, func(i, j int) bool {
		if frags[i].dir != frags[j].dir {
			return frags[i].dir < frags[j].dir
		}
		return frags[i].y > frags[j].y
	})
	var lines []*pdfLine
	for i := 0; i < len(frags); {
		j := i + 1
		top := frags[i]
		for j < len(frags) && frags[j].dir == top.dir && top.y-frags[j].y < 0.4*max(top.size, frags[j].size) {
			j++
		}
		lines = append(lines, pdfClusterLines(page, frags[i:j], vrules)...)
		i = j
	}
	return lines
}

func pdfDedupe(frags []*pdfFrag) []*pdfFrag {
	out := frags[:0]
	seen := map[string][]*pdfFrag{}
	for _, f := range frags {
		var b strings.Builder
		for _, g := range f.g {
			b.WriteString(g.s)
		}
		key := b.String()
		dup := false
		for _, o := range seen[key] {
			if o.dir == f.dir && math.Abs(o.x0-f.x0) < 1.5 && math.Abs(o.y-f.y) < 1.5 {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		seen[key] = append(seen[key], f)
		out = append(out, f)
	}
	return out
}

// pdfClusterLines makes the lines of one baseline cluster: fragments that
// overlap go to parallel lines, and so do fragments drawn by different
// Form XObjects (an e-signature stamp overlaid on the page) or in a
// clearly different font and size.
func pdfClusterLines(page int, frags []*pdfFrag, vrules []pdfRule) []*pdfLine {
	sort.SliceStable(frags, func(i, j int) bool { return frags[i].x0 < frags[j].x0 })
	var subs [][]*pdfFrag
	for _, f := range frags {
		placed := false
		for k := range subs {
			last := subs[k][len(subs[k])-1]
			first := subs[k][0]
			apart := first.layer != f.layer ||
				(first.font != f.font && max(first.size, f.size) > 1.4*min(first.size, f.size))
			if !apart && f.x0 >= last.x1-0.25*min(f.size, last.size) {
				subs[k] = append(subs[k], f)
				placed = true
				break
			}
		}
		if !placed {
			subs = append(subs, []*pdfFrag{f})
		}
	}
	var lines []*pdfLine
	for _, sub := range subs {
		if l := pdfMakeLine(page, sub, vrules); l != nil {
			lines = append(lines, l)
		}
	}
	return lines
}

func pdfMakeLine(page int, frags []*pdfFrag, vrules []pdfRule) *pdfLine {
	n := 0
	for _, f := range frags {
		n += len(f.g)
	}
	// Pointers into the page's glyphs (a glyph is 72 bytes): sorted
	// here, read below, never changed.
	gs := make([]*pdfGlyph, 0, n)
	for _, f := range frags {
		for i := range f.g {
			gs = append(gs, &f.g[i])
		}
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].x0 < gs[j].x0 })
	// Baseline and size: the most common among letters.
	sizes := map[float64]int{}
	var ysum float64
	var bold int
	n = 0
	for _, g := range gs {
		if g.space {
			continue
		}
		sizes[math.Round(g.size*2)/2] += len(g.s)
		ysum += g.y
		n++
		if g.font != nil && g.font.bold {
			bold++
		}
	}
	if n == 0 {
		return nil
	}
	l := &pdfLine{page: page, dir: gs[0].dir, y: ysum / float64(n), bold: bold == n}
	best := 0
	for s, c := range sizes {
		if c > best || (c == best && s > l.size) {
			l.size, best = s, c
		}
	}
	// Vertical rules crossing this line.
	var cuts []float64
	for _, r := range vrules {
		if r.y0-2 <= l.y && l.y+0.5*l.size <= r.y1+2 {
			cuts = append(cuts, (r.x0+r.x1)/2)
		}
	}

	var segs []pdfSeg
	var b strings.Builder
	var seg pdfSeg
	var segBold, segLetters int
	var prev *pdfGlyph     // previous glyph, spaces included
	var prevText *pdfGlyph // previous non-space glyph
	spaceSeen := false
	var word strings.Builder
	var wx0, wx1 float64
	endWord := func() {
		if word.Len() > 0 {
			seg.words = append(seg.words, pdfWord{word.String(), wx0, wx1})
			word.Reset()
		}
	}
	flush := func() {
		endWord()
		t := strings.TrimSpace(b.String())
		if t != "" {
			seg.text = t
			seg.bold = segLetters > 0 && segBold == segLetters
			segs = append(segs, seg)
		}
		b.Reset()
		seg = pdfSeg{}
		segBold, segLetters = 0, 0
		prev, prevText, spaceSeen = nil, nil, false
	}
	for _, g := range gs {
		if prevText != nil && !g.space {
			gap := g.x0 - prevText.x1
			em := max(min(g.size, prevText.size), 1)
			split := gap > 1.0*em && !(spaceSeen && gap < 2.5*em)
			if !split {
				mid0, mid1 := (prevText.x0+prevText.x1)/2, (g.x0+g.x1)/2
				for _, c := range cuts {
					if mid0 < c && c < mid1 && prevText.x1 <= c+1.5 && g.x0 >= c-1.5 {
						split = true
						break
					}
				}
			}
			if split {
				flush()
			}
		}
		if g.space {
			if prev != nil && !prev.space {
				b.WriteByte(' ')
			}
			endWord()
			spaceSeen = prevText != nil
			prev = g
			continue
		}
		if prev != nil && !prev.space {
			if g.x0-prev.x1 > 0.2*max(min(g.size, prev.size), 1) {
				b.WriteByte(' ')
				endWord()
			}
		}
		if word.Len() == 0 {
			wx0 = g.x0
		}
		word.WriteString(g.s)
		wx1 = max(wx1, g.x1)
		if word.Len() == len(g.s) {
			wx1 = g.x1
		}
		if seg.text == "" && b.Len() == 0 {
			seg.x0, seg.size = g.x0, g.size
		}
		b.WriteString(g.s)
		seg.x1 = max(seg.x1, g.x1)
		seg.text = "x" // mark non-empty
		segLetters++
		if g.font != nil && g.font.bold {
			segBold++
		}
		prev, prevText, spaceSeen = g, g, false
	}
	flush()
	if len(segs) == 0 {
		return nil
	}
	// A list marker standing alone before its text is part of the text.
	if len(segs) >= 2 && (pdfBulletOnlyRe().MatchString(segs[0].text) ||
		(len(segs) == 2 && pdfNumMarkerOnlyRe().MatchString(segs[0].text) && segs[1].x0-segs[0].x1 < 4*l.size)) {
		s := segs[1]
		l.bodyX0 = s.x0
		s.text = segs[0].text + " " + s.text
		s.words = append(append([]pdfWord(nil), segs[0].words...), s.words...)
		s.x0 = segs[0].x0
		segs = append([]pdfSeg{s}, segs[2:]...)
	}
	l.segs = segs
	l.x0, l.x1 = segs[0].x0, segs[len(segs)-1].x1
	return l
}

var (
	pdfBulletOnlyRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[•\-–—*▪◦○►➢✓·]$`) })
	pdfNumMarkerOnlyRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{1,2}|[a-zA-Z])[.)]$`) })
)
