package pdf

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/finsam/ansokan/extractor"
	"github.com/ledongthuc/pdf"
)

// This file is the positioned-glyph walker: it runs a page's content
// stream through pdf.Interpret and records every glyph with its font and
// its position in user space, plus the straight ruling lines a table
// border is drawn with. ledongthuc/pdf is used as the parser only (xref,
// streams, filters, decryption, ToUnicode through Font.Encoder); its own
// text functions lose words, spaces and Form XObjects (see
// /work/shared/libraries.md section 3).

// pdfMaxFormDepth caps Form XObject nesting.
const pdfMaxFormDepth = 12

// pdfMat is an affine matrix [a b c d e f] as in the PDF spec.
type pdfMat [6]float64

var pdfIdent = pdfMat{1, 0, 0, 1, 0, 0}

// mul returns m × n (m applied first, then n).
func (m pdfMat) mul(n pdfMat) pdfMat {
	return pdfMat{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m pdfMat) apply(x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

// pdfGlyph is one shown glyph (or the text its code maps to, which may be
// several characters, e.g. a ligature).
type pdfGlyph struct {
	s      string
	x0, x1 float64 // in the glyph's text-direction frame (see dir)
	y      float64 // baseline, same frame
	size   float64 // font size in user space
	font   *pdfFont
	run    int32 // text object (BT) number on the page; a new one per Tf too
	layer  int32 // Form XObject drawing the glyph (0: the page's own content)
	dir    int8  // 0: left to right; 1: bottom to top; 2: upside down; 3: top to bottom
	space  bool
}

// pdfRule is a straight ruling line in user space (x0 ≤ x1, y0 ≤ y1).
type pdfRule struct {
	x0, y0, x1, y1 float64
}

func (r pdfRule) horizontal() bool { return r.y1-r.y0 < 2.5 && r.x1-r.x0 > r.y1-r.y0 }
func (r pdfRule) vertical() bool   { return r.x1-r.x0 < 2.5 && r.y1-r.y0 > r.x1-r.x0 }

// pdfFont is a font as the walker needs it, built once per font
// dictionary and document.
type pdfFont struct {
	name    string // BaseFont without the subset prefix
	bold    bool
	twoByte bool // Type0: 2-byte codes
	type3   bool
	scale   float64 // glyph-space units to text-space units (1/1000, or FontMatrix[0] for Type3)
	enc     pdf.TextEncoding
	first   int
	widths  []float64
	cidW    map[int]float64
	dw      float64 // default width (glyph units)
	std     *[256]float64
	decoded map[int]string
}

func (f *pdfFont) width(code int) float64 {
	if f.cidW != nil || f.twoByte {
		if w, ok := f.cidW[code]; ok {
			return w
		}
		return f.dw
	}
	if i := code - f.first; i >= 0 && i < len(f.widths) {
		if w := f.widths[i]; w > 0 {
			return w
		}
	}
	if f.std != nil && code >= 0 && code < 256 && f.std[code] > 0 {
		return f.std[code]
	}
	return f.dw
}

// text decodes one code, once per font. A code the font's CMap cannot
// decode (the library panics on some malformed mappings) is dropped.
func (f *pdfFont) text(code int, raw string) (s string) {
	if s, ok := f.decoded[code]; ok {
		return s
	}
	defer func() {
		if x := recover(); x != nil {
			s = ""
			f.decoded[code] = s
		}
	}()
	s = pdfCleanGlyph(f.enc.Decode(raw), f)
	f.decoded[code] = s
	return s
}

// pdfCleanGlyph maps private-use symbol glyphs (Symbol, Wingdings) to
// their meaning, and ligatures to their letters.
func pdfCleanGlyph(s string, f *pdfFont) string {
	if s == "" {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r >= 0xF000 && r <= 0xF0FF {
			// Symbol fonts map their glyphs to U+F0xx.
			r -= 0xF000
			name := strings.ToLower(f.name)
			ding := strings.Contains(name, "wingding") || strings.Contains(name, "dingbat")
			switch {
			case ding && (r == 0x6F || r == 0xA8):
				b.WriteString("☐")
			case ding && (r == 0x78 || r == 0xFD || r == 0xFE):
				b.WriteString("☒")
			case ding:
				b.WriteString("•")
			case r >= 0x20 && r < 0x7F:
				// A symbolic text font: the low range is its letters.
				b.WriteRune(r)
			default:
				b.WriteString("•")
			}
			continue
		}
		switch r {
		case 'ﬀ':
			b.WriteString("ff")
		case 'ﬁ':
			b.WriteString("fi")
		case 'ﬂ':
			b.WriteString("fl")
		case 'ﬃ':
			b.WriteString("ffi")
		case 'ﬄ':
			b.WriteString("ffl")
		case 'ﬅ', 'ﬆ':
			b.WriteString("st")
		case '\u2022', '\u25CF', '\u25AA', '\u25A0', '\u2023', '\u2043', '\u25E6', '\u2219':
			b.WriteString("•")
		case '\u2610':
			b.WriteString("☐")
		case '\u2612', '\u2611':
			b.WriteString("☒")
		case 0xFFFD, 0:
			// Undecodable code: keep nothing rather than a replacement character.
		default:
			if r < 0x20 && r != '\t' {
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pdfWalker walks one page.
type pdfWalker struct {
	fonts   map[string]*pdfFont // document-wide, by font dictionary
	glyphs  []pdfGlyph
	rules   []pdfRule
	run     int
	layer   int // current Form XObject (a new number per Do)
	layers  int
	ops     int
	images  int // images drawn on the page (Image XObjects, inline images)
	placed  []pdfPlaced
	docOps  int
	args    []pdf.Value
	forms   []string // form XObjects being walked (cycle guard)
	pageBox [4]float64
	boxes   []pdfRule // stroked small squares: check box outlines
	diags   []pdfRule // stroked diagonal segments: the cross of a checked box

	lim         extractor.Limits
	streamBytes int64 // decompressed stream bytes so far, against MaxPDFTotalStreamBytes
}

// pdfLimit is the panic that stops the walk when a limit is hit; page
// turns it back into its error, and the document is refused.
type pdfLimit struct {
	err     error
	perPage bool // the limit is the page's own: the error names the page
}

func (l pdfLimit) String() string { return l.err.Error() }

// inflate decompresses a stream (or each stream of an array) once,
// without keeping it, to count its bytes against MaxPDFStreamBytes and
// MaxPDFTotalStreamBytes before the library is handed it: the library
// reads a stream to its end and there is no other place to count.
func (w *pdfWalker) inflate(v pdf.Value) {
	if v.Kind() == pdf.Array {
		for i := 0; i < v.Len(); i++ {
			w.inflate(v.Index(i))
		}
		return
	}
	if v.Kind() != pdf.Stream {
		return
	}
	rc := v.Reader()
	n, _ := io.CopyN(io.Discard, rc, w.lim.MaxPDFStreamBytes+1)
	rc.Close()
	if n > w.lim.MaxPDFStreamBytes {
		panic(pdfLimit{extractor.LimitErr("MaxPDFStreamBytes", "a stream unpacks to more than %s", extractor.PlainBytes(w.lim.MaxPDFStreamBytes)), true})
	}
	w.streamBytes += n
	if w.streamBytes > w.lim.MaxPDFTotalStreamBytes {
		panic(pdfLimit{extractor.LimitErr("MaxPDFTotalStreamBytes", "the streams unpack to more than %s", extractor.PlainBytes(w.lim.MaxPDFTotalStreamBytes)), false})
	}
}

type pdfGState struct {
	ctm   pdfMat
	tc    float64
	tw    float64
	th    float64
	tl    float64
	rise  float64
	font  *pdfFont
	size  float64
	lineW float64
}

// walk interprets a content stream (or an array of them) with the given
// resources.
func (w *pdfWalker) walk(strm pdf.Value, res pdf.Value, g *pdfGState, depth int) {
	var stack []pdfGState
	var tm, tlm pdfMat
	fontByName := map[string]*pdfFont{}
	// Path under construction: subpath points in user space.
	var path []pdfRule
	var cur, start [2]float64
	var haveCur bool
	var rects []pdfRule

	show := func(raw string) {
		f := g.font
		if f == nil {
			return
		}
		step := 1
		if f.twoByte {
			step = 2
		}
		for i := 0; i+step <= len(raw); i += step {
			code := int(raw[i])
			if step == 2 {
				code = code<<8 | int(raw[i+1])
			}
			w0 := f.width(code) * f.scale
			trm := pdfMat{g.size * g.th, 0, 0, g.size, 0, g.rise}.mul(tm).mul(g.ctm)
			x0, y0 := trm.apply(0, 0)
			x1, y1 := trm.apply(w0, 0)
			s := f.text(code, raw[i:i+step])
			tx := w0*g.size + g.tc
			if step == 1 && code == 32 {
				tx += g.tw
			}
			tm = pdfMat{1, 0, 0, 1, tx * g.th, 0}.mul(tm)
			if s == "" {
				continue
			}
			// Size in user space: the length of the text-space unit vertical.
			sz := math.Hypot(trm[2], trm[3])
			if sz < 0.5 {
				sz = math.Abs(g.size)
				if sz < 0.5 {
					continue
				}
			}
			dir := int8(0)
			dx, dy := x1-x0, y1-y0
			if math.Abs(dx) < 1e-9 && math.Abs(dy) < 1e-9 {
				dx, dy = trm[0], trm[1]
			}
			if math.Abs(dy) > math.Abs(dx) {
				if dy > 0 {
					dir = 1
				} else {
					dir = 3
				}
			} else if dx < 0 {
				dir = 2
			}
			// Drop glyphs outside the visible page.
			mx, my := (x0+x1)/2, (y0+y1)/2
			b := w.pageBox
			if mx < b[0]-1 || mx > b[2]+1 || my < b[1]-1 || my > b[3]+1 {
				continue
			}
			fx0, fy := pdfToFrame(dir, x0, y0)
			fx1, _ := pdfToFrame(dir, x1, y1)
			if fx1 < fx0 {
				fx0, fx1 = fx1, fx0
			}
			w.glyphs = append(w.glyphs, pdfGlyph{
				s: s, x0: fx0, x1: fx1, y: fy, size: sz, font: f, run: int32(w.run), dir: dir, layer: int32(w.layer),
				space: strings.TrimSpace(s) == "",
			})
		}
	}

	addSeg := func(ax, ay, bx, by float64) {
		r := pdfRule{min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)}
		path = append(path, r)
	}

	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		w.ops++
		if w.ops > w.lim.MaxPDFPageOps {
			panic(pdfLimit{extractor.LimitErr("MaxPDFPageOps", "more than %d content operators on one page", w.lim.MaxPDFPageOps), true})
		}
		if w.docOps+w.ops > w.lim.MaxPDFOps {
			panic(pdfLimit{extractor.LimitErr("MaxPDFOps", "more than %d content operators in the document", w.lim.MaxPDFOps), false})
		}
		n := stk.Len()
		if cap(w.args) < n {
			w.args = make([]pdf.Value, n)
		}
		args := w.args[:n]
		for i := n - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "q":
			if len(stack) < 256 {
				stack = append(stack, *g)
			}
		case "Q":
			if len(stack) > 0 {
				*g = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if len(args) == 6 {
				g.ctm = pdfMat{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(g.ctm)
			}
		case "w":
			g.lineW = num(0)
		case "BT":
			tm, tlm = pdfIdent, pdfIdent
			w.run++
		case "ET":
			w.run++
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				f, ok := fontByName[name]
				if !ok {
					f = w.font(res.Key("Font").Key(name))
					fontByName[name] = f
				}
				g.font = f
				g.size = num(1)
				w.run++
			}
		case "Tc":
			g.tc = num(0)
		case "Tw":
			g.tw = num(0)
		case "Tz":
			g.th = num(0) / 100
		case "TL":
			g.tl = num(0)
		case "Ts":
			g.rise = num(0)
		case "Td":
			tlm = pdfMat{1, 0, 0, 1, num(0), num(1)}.mul(tlm)
			tm = tlm
		case "TD":
			g.tl = -num(1)
			tlm = pdfMat{1, 0, 0, 1, num(0), num(1)}.mul(tlm)
			tm = tlm
		case "Tm":
			if len(args) == 6 {
				tlm = pdfMat{num(0), num(1), num(2), num(3), num(4), num(5)}
				tm = tlm
			}
		case "T*":
			tlm = pdfMat{1, 0, 0, 1, 0, -g.tl}.mul(tlm)
			tm = tlm
		case "Tj":
			if len(args) >= 1 {
				show(args[len(args)-1].RawString())
			}
		case "'":
			tlm = pdfMat{1, 0, 0, 1, 0, -g.tl}.mul(tlm)
			tm = tlm
			if len(args) >= 1 {
				show(args[len(args)-1].RawString())
			}
		case "\"":
			if len(args) == 3 {
				g.tw, g.tc = num(0), num(1)
				tlm = pdfMat{1, 0, 0, 1, 0, -g.tl}.mul(tlm)
				tm = tlm
				show(args[2].RawString())
			}
		case "TJ":
			if len(args) < 1 {
				break
			}
			a := args[len(args)-1]
			for i := 0; i < a.Len(); i++ {
				x := a.Index(i)
				if x.Kind() == pdf.String {
					show(x.RawString())
				} else {
					tm = pdfMat{1, 0, 0, 1, -x.Float64() / 1000 * g.size * g.th, 0}.mul(tm)
				}
			}
		case "Do":
			if len(args) >= 1 {
				if xo := res.Key("XObject").Key(args[0].Name()); xo.Key("Subtype").Name() == "Image" {
					w.images++
					if len(w.placed) < pdfMaxPlaced {
						w.placed = append(w.placed, pdfPlaced{v: xo, ctm: g.ctm})
					}
				}
				w.do(args[0].Name(), res, g, depth)
			}
		case "BI":
			w.images++ // an inline image
			if len(w.placed) < pdfMaxPlaced {
				w.placed = append(w.placed, pdfPlaced{inline: true, ctm: g.ctm})
			}
		// Paths, for ruling lines.
		case "m":
			cur = [2]float64{num(0), num(1)}
			cur[0], cur[1] = g.ctm.apply(cur[0], cur[1])
			start, haveCur = cur, true
		case "l":
			x, y := g.ctm.apply(num(0), num(1))
			if haveCur {
				addSeg(cur[0], cur[1], x, y)
			}
			cur, haveCur = [2]float64{x, y}, true
		case "h":
			if haveCur {
				addSeg(cur[0], cur[1], start[0], start[1])
				cur = start
			}
		case "c", "v", "y":
			// Curves are not rules: remember only the end point.
			if len(args) >= 2 {
				cur[0], cur[1] = g.ctm.apply(num(len(args)-2), num(len(args)-1))
			}
		case "re":
			if len(args) == 4 {
				x, y, wd, ht := num(0), num(1), num(2), num(3)
				ax, ay := g.ctm.apply(x, y)
				bx, by := g.ctm.apply(x+wd, y+ht)
				rects = append(rects, pdfRule{min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)})
				start, cur, haveCur = [2]float64{ax, ay}, [2]float64{ax, ay}, true
			}
		case "S", "s":
			for _, r := range path {
				switch {
				case r.horizontal() || r.vertical():
					w.rules = append(w.rules, r)
				case len(w.diags) < pdfMaxBoxes:
					w.diags = append(w.diags, r)
				}
			}
			for _, r := range rects {
				if pdfIsBox(r) && len(w.boxes) < pdfMaxBoxes {
					w.boxes = append(w.boxes, r)
					continue
				}
				w.addRect(r, true)
			}
			path, rects, haveCur = path[:0], rects[:0], false
		case "f", "F", "f*", "B", "B*", "b", "b*":
			for _, r := range rects {
				w.addRect(r, op[0] != 'f' && op[0] != 'F')
			}
			if op[0] != 'f' && op[0] != 'F' {
				for _, r := range path {
					if r.horizontal() || r.vertical() {
						w.rules = append(w.rules, r)
					}
				}
			}
			path, rects, haveCur = path[:0], rects[:0], false
		case "n":
			path, rects, haveCur = path[:0], rects[:0], false
		}
	})
}

// pdfMaxBoxes bounds the check box candidates kept per page.
const pdfMaxBoxes = 2000

// pdfIsBox tells whether a stroked rectangle has the shape of a check box:
// a small square (Word's legacy form check box is drawn as one, with a
// diagonal line through it when checked).
func pdfIsBox(r pdfRule) bool {
	wd, ht := r.x1-r.x0, r.y1-r.y0
	return wd >= 5 && wd <= 20 && ht >= 5 && ht <= 20 && math.Abs(wd-ht) <= 1.5
}

// pdfCheckGlyphs turns the page's check box outlines into ☒/☐ glyphs
// placed where the box is, so that a box reads like the character in the
// text ("Ja ☒ Nej ☐"). A box is checked when a stroked diagonal runs
// across it.
func pdfCheckGlyphs(boxes, diags []pdfRule, run int32) []pdfGlyph {
	var out []pdfGlyph
	for _, b := range boxes {
		side := b.x1 - b.x0
		checked := false
		for _, d := range diags {
			in := func(x, y float64) bool { return x >= b.x0-1 && x <= b.x1+1 && y >= b.y0-1 && y <= b.y1+1 }
			if in(d.x0, d.y0) && in(d.x1, d.y1) && math.Hypot(d.x1-d.x0, d.y1-d.y0) >= 0.5*side {
				checked = true
				break
			}
		}
		s := "☐"
		if checked {
			s = "☒"
		}
		out = append(out, pdfGlyph{s: s, x0: b.x0, x1: b.x1, y: b.y0 + 0.2*(b.y1-b.y0), size: 0.9 * (b.y1 - b.y0), run: run})
		run++
	}
	return out
}

// addRect records a painted rectangle: a thin one is a line; a stroked
// one contributes its four edges.
func (w *pdfWalker) addRect(r pdfRule, stroked bool) {
	wd, ht := r.x1-r.x0, r.y1-r.y0
	switch {
	case wd < 2.5 && ht > wd:
		w.rules = append(w.rules, pdfRule{(r.x0 + r.x1) / 2, r.y0, (r.x0 + r.x1) / 2, r.y1})
	case ht < 2.5 && wd > ht:
		w.rules = append(w.rules, pdfRule{r.x0, (r.y0 + r.y1) / 2, r.x1, (r.y0 + r.y1) / 2})
	case stroked:
		w.rules = append(w.rules,
			pdfRule{r.x0, r.y0, r.x1, r.y0}, pdfRule{r.x0, r.y1, r.x1, r.y1},
			pdfRule{r.x0, r.y0, r.x0, r.y1}, pdfRule{r.x1, r.y0, r.x1, r.y1})
	}
}

// do draws a Form XObject. A broken form loses only itself.
func (w *pdfWalker) do(name string, res pdf.Value, g *pdfGState, depth int) {
	saved := *g
	defer func() {
		if x := recover(); x != nil {
			if _, ok := x.(pdfLimit); ok {
				panic(x)
			}
			*g = saved
		}
	}()
	w.form(res.Key("XObject").Key(name), res, g, depth)
	*g = saved
}

// form draws a Form XObject (a named one, or an annotation's appearance)
// with the graphics state g; res are the resources to fall back on.
func (w *pdfWalker) form(xo, res pdf.Value, g *pdfGState, depth int) {
	if xo.Kind() != pdf.Stream || (xo.Key("Subtype").Name() != "Form" && xo.Key("Subtype").Kind() != pdf.Null) || depth >= pdfMaxFormDepth {
		return
	}
	// Cycle guard: a form that (indirectly) draws itself. The header's
	// printed form identifies the stream well enough (it holds its offset).
	id := xo.String()
	for _, f := range w.forms {
		if f == id {
			return
		}
	}
	w.forms = append(w.forms, id)
	defer func() { w.forms = w.forms[:len(w.forms)-1] }()

	if m := xo.Key("Matrix"); m.Len() == 6 {
		g.ctm = pdfMat{m.Index(0).Float64(), m.Index(1).Float64(), m.Index(2).Float64(),
			m.Index(3).Float64(), m.Index(4).Float64(), m.Index(5).Float64()}.mul(g.ctm)
	}
	xres := xo.Key("Resources")
	if xres.Kind() != pdf.Dict {
		xres = res
	}
	w.inflate(xo)
	outer := w.layer
	w.layers++
	w.layer = w.layers
	defer func() { w.layer = outer }()
	w.walk(xo, xres, g, depth+1)
}

// pdfCheckFont is the font of the ☒/☐ glyphs made for check box fields.
var pdfCheckFont = &pdfFont{name: "check box", decoded: map[int]string{}}

// annotations draws what the page's annotations show: the normal
// appearance of form fields, stamps and free-text notes, placed on the
// annotation's rectangle (ISO 32000-1, 12.5.5). Filled-in PDF forms keep
// their answers there, not in the page content. A check box or radio
// button becomes one ☒ or ☐ from its state, whatever glyph its
// appearance draws. Links, pop-ups and hidden annotations show nothing.
// A broken annotation loses only itself.
func (w *pdfWalker) annotations(page pdf.Value, res pdf.Value) {
	annots := page.Key("Annots")
	for i := 0; i < annots.Len() && i < 2000; i++ {
		w.annotation(annots.Index(i), res)
	}
}

func (w *pdfWalker) annotation(a, res pdf.Value) {
	defer func() {
		if x := recover(); x != nil {
			if _, ok := x.(pdfLimit); ok {
				panic(x)
			}
		}
	}()
	switch a.Key("Subtype").Name() {
	case "Link", "Popup":
		return
	}
	if f := a.Key("F").Int64(); f&(2|32) != 0 { // Hidden, NoView
		return
	}
	r := a.Key("Rect")
	if r.Len() != 4 {
		return
	}
	x0, y0, x1, y1 := r.Index(0).Float64(), r.Index(1).Float64(), r.Index(2).Float64(), r.Index(3).Float64()
	rect := [4]float64{min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)}
	if rect[2]-rect[0] < 0.5 || rect[3]-rect[1] < 0.5 {
		return
	}
	field := func(key string) pdf.Value { // inherited from the parent field
		v := a
		for range 8 {
			if x := v.Key(key); x.Kind() != pdf.Null {
				return x
			}
			v = v.Key("Parent")
		}
		return pdf.Value{}
	}
	state := a.Key("AS").Name()
	if field("FT").Name() == "Btn" && field("Ff").Int64()&(1<<16) == 0 { // not a push button
		on := state != "" && state != "Off"
		if state == "" {
			on = field("V").Name() != "" && field("V").Name() != "Off"
		}
		s := "☐"
		if on {
			s = "☒"
		}
		h := rect[3] - rect[1]
		w.run++
		w.layers++
		w.glyphs = append(w.glyphs, pdfGlyph{s: s, x0: rect[0], x1: rect[2], y: rect[1] + h*0.2, size: h * 0.8,
			font: pdfCheckFont, run: int32(w.run), layer: int32(w.layers)})
		w.run++
		return
	}
	ap := a.Key("AP").Key("N")
	if ap.Kind() == pdf.Dict {
		ap = ap.Key(state)
	}
	if ap.Kind() != pdf.Stream {
		return
	}
	// The appearance's bounding box, through its matrix, onto the rectangle.
	bb := ap.Key("BBox")
	if bb.Len() != 4 {
		return
	}
	m := pdfIdent
	if mv := ap.Key("Matrix"); mv.Len() == 6 {
		m = pdfMat{mv.Index(0).Float64(), mv.Index(1).Float64(), mv.Index(2).Float64(),
			mv.Index(3).Float64(), mv.Index(4).Float64(), mv.Index(5).Float64()}
	}
	bx0, by0, bx1, by1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, c := range [][2]int{{0, 1}, {2, 1}, {0, 3}, {2, 3}} {
		x, y := m.apply(bb.Index(c[0]).Float64(), bb.Index(c[1]).Float64())
		bx0, by0, bx1, by1 = min(bx0, x), min(by0, y), max(bx1, x), max(by1, y)
	}
	if bx1-bx0 < 1e-6 || by1-by0 < 1e-6 {
		return
	}
	sx, sy := (rect[2]-rect[0])/(bx1-bx0), (rect[3]-rect[1])/(by1-by0)
	g := &pdfGState{ctm: pdfMat{sx, 0, 0, sy, rect[0] - bx0*sx, rect[1] - by0*sy}, th: 1}
	w.form(ap, res, g, 0)
}

// font returns the walker's view of a font dictionary, built once per
// document.
func (w *pdfWalker) font(v pdf.Value) *pdfFont {
	if v.Kind() != pdf.Dict {
		return nil
	}
	key := v.String()
	if f, ok := w.fonts[key]; ok {
		return f
	}
	// The library reads these streams when it builds the encoder.
	w.inflate(v.Key("ToUnicode"))
	w.inflate(v.Key("Encoding"))
	f := pdfNewFont(v)
	w.fonts[key] = f
	return f
}

func pdfNewFont(v pdf.Value) *pdfFont {
	base := v.Key("BaseFont").Name()
	if i := strings.IndexByte(base, '+'); i == 6 {
		base = base[i+1:]
	}
	f := &pdfFont{name: base, scale: 1.0 / 1000, dw: 500, decoded: map[int]string{}}
	pf := pdf.Font{V: v}
	f.enc = pf.Encoder()
	desc := v.Key("FontDescriptor")
	switch v.Key("Subtype").Name() {
	case "Type0":
		f.twoByte = true
		d := v.Key("DescendantFonts").Index(0)
		desc = d.Key("FontDescriptor")
		f.dw = 1000
		if dw := d.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
			f.dw = dw.Float64()
		}
		f.cidW = pdfCIDWidths(d.Key("W"))
	case "Type3":
		f.type3 = true
		if m := v.Key("FontMatrix"); m.Len() == 6 && m.Index(0).Float64() != 0 {
			f.scale = math.Abs(m.Index(0).Float64())
		}
		fallthrough
	default:
		f.first = int(v.Key("FirstChar").Int64())
		ws := v.Key("Widths")
		f.widths = make([]float64, min(ws.Len(), 65536))
		for i := range f.widths {
			f.widths[i] = ws.Index(i).Float64()
		}
		if mw := desc.Key("MissingWidth"); mw.Kind() == pdf.Integer || mw.Kind() == pdf.Real {
			if mw.Float64() > 0 {
				f.dw = mw.Float64()
			}
		}
		if len(f.widths) == 0 && !f.type3 {
			f.std = pdfStdWidths(base)
		}
	}
	lower := strings.ToLower(base)
	f.bold = strings.Contains(lower, "bold") || strings.Contains(lower, "black") ||
		strings.Contains(lower, "heavy") || strings.Contains(lower, "semibold") ||
		desc.Key("FontWeight").Float64() >= 600 || desc.Key("Flags").Int64()&(1<<18) != 0
	return f
}

// pdfCIDWidths reads a CIDFont's /W array: [c [w1 w2 …]] and [c1 c2 w].
func pdfCIDWidths(a pdf.Value) map[int]float64 {
	m := map[int]float64{}
	n := a.Len()
	for i := 0; i < n && len(m) < 1<<16; {
		c := int(a.Index(i).Int64())
		next := a.Index(i + 1)
		if next.Kind() == pdf.Array {
			for j := 0; j < next.Len() && len(m) < 1<<16; j++ {
				m[c+j] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		c2 := int(next.Int64())
		wd := a.Index(i + 2).Float64()
		for k := c; k <= c2 && len(m) < 1<<16; k++ {
			m[k] = wd
		}
		i += 3
	}
	return m
}

// pdfToFrame rotates a user-space point into the frame where text of the
// given direction runs left to right.
func pdfToFrame(dir int8, x, y float64) (float64, float64) {
	switch dir {
	case 1:
		return y, -x
	case 2:
		return -x, -y
	case 3:
		return -y, x
	}
	return x, y
}

// pdfPanicText formats a recovered panic value, truncated: it can hold raw
// document bytes.
func pdfPanicText(x any) string {
	s := fmt.Sprint(x)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
