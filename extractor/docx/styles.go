package docx

import (
	"bytes"
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/finsam/ansokan/extractor"
)

// docxStyles is what ansokan needs of styles.xml.
type docxStyles struct {
	byID         map[string]*docxStyle
	defaultPara  string // styleId of the default paragraph style
	defaultBold  int8   // docDefaults run bold: 0 unset, 1 on, -1 off
	defaultChars string // styleId of the default character style
}

type docxStyle struct {
	id, name, typ string
	basedOn       string
	outline       int // w:outlineLvl + 1; 0 when unset
	bold          int8
	numID         string // "" unset; "0" removes numbering
	ilvl          int    // -1 when unset
}

// docxPath tracks the local names of the open elements of a properties
// part, mc:AlternateContent and mc:Choice left out (their content reads
// as if in place) and mc:Fallback skipped.
type docxPath struct {
	names  []string
	pushed []bool
}

// step reads one token into the path. It returns the start element (ok
// true) when one was entered.
func (pp *docxPath) step(x *docxXML, tok xml.Token) (t xml.StartElement, ok bool, err error) {
	switch t := tok.(type) {
	case xml.StartElement:
		switch t.Name.Local {
		case "Fallback":
			return t, false, x.skip()
		case "AlternateContent", "Choice":
			pp.pushed = append(pp.pushed, false)
			return t, false, nil
		}
		pp.names = append(pp.names, t.Name.Local)
		pp.pushed = append(pp.pushed, true)
		return t, true, nil
	case xml.EndElement:
		if n := len(pp.pushed); n > 0 {
			if pp.pushed[n-1] {
				pp.names = pp.names[:len(pp.names)-1]
			}
			pp.pushed = pp.pushed[:n-1]
		}
	}
	return t, false, nil
}

// is reports whether the open elements end with the given names.
func (pp *docxPath) is(names ...string) bool {
	if len(pp.names) < len(names) {
		return false
	}
	tail := pp.names[len(pp.names)-len(names):]
	for i := range names {
		if tail[i] != names[i] {
			return false
		}
	}
	return true
}

func (s *docxStyles) parse(x *docxXML) error {
	x.localNames()
	var pp docxPath
	var cur *docxStyle
	for {
		tok, err := x.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		t, ok, err := pp.step(x, tok)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		switch {
		case pp.is("styles", "style"):
			cur = &docxStyle{id: docxAttr(t, "styleId"), typ: docxAttr(t, "type"), ilvl: -1}
			if cur.typ == "" {
				cur.typ = "paragraph"
			}
			if _, dup := s.byID[cur.id]; !dup {
				s.byID[cur.id] = cur
			}
			if docxAttr(t, "default") == "1" || docxAttr(t, "default") == "true" {
				switch cur.typ {
				case "paragraph":
					s.defaultPara = cur.id
				case "character":
					s.defaultChars = cur.id
				}
			}
		case pp.is("docDefaults", "rPrDefault", "rPr", "b"):
			s.defaultBold = docxTri(t)
		case cur == nil || len(pp.names) < 3 || pp.names[1] != "style":
			// outside a style
		case pp.is("style", "name"):
			cur.name = docxAttr(t, "val")
		case pp.is("style", "basedOn"):
			cur.basedOn = docxAttr(t, "val")
		case pp.is("style", "pPr", "outlineLvl"):
			if n, err := strconv.Atoi(docxAttr(t, "val")); err == nil && n >= 0 && n < 9 {
				cur.outline = n + 1
			} else {
				cur.outline = -1 // body text: stops the chain
			}
		case pp.is("style", "pPr", "numPr", "numId"):
			cur.numID = docxAttr(t, "val")
		case pp.is("style", "pPr", "numPr", "ilvl"):
			if n, err := strconv.Atoi(docxAttr(t, "val")); err == nil {
				cur.ilvl = n
			}
		case pp.is("style", "rPr", "b"):
			cur.bold = docxTri(t)
		}
	}
}

// docxTri reads a toggle property: 1 on, -1 off.
func docxTri(t xml.StartElement) int8 {
	if docxOn(t) {
		return 1
	}
	return -1
}

// chain returns the style and its basedOn ancestors (cycles cut).
func (s *docxStyles) chain(id string) []*docxStyle {
	var out []*docxStyle
	for id != "" && len(out) < 32 {
		st := s.byID[id]
		if st == nil {
			break
		}
		for _, seen := range out {
			if seen == st {
				return out
			}
		}
		out = append(out, st)
		id = st.basedOn
	}
	return out
}

// docxHeadingRe matches heading style names Word and LibreOffice write
// (built-in names are English in styles.xml whatever the UI language, but
// localized names occur in converted and hand-made templates).
var docxHeadingRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^(?:heading|rubrik|überschrift|overskrift|otsikko)\s*([1-9])$`)
})

// headingLevel infers a level from a style name; 0 when it is not a
// heading style.
func docxHeadingLevel(name string) int {
	if m := docxHeadingRe().FindStringSubmatch(strings.TrimSpace(name)); m != nil {
		return int(m[1][0] - '0')
	}
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "title", "rubrik", "titel":
		return 1
	}
	return 0
}

// docxNumbering is what ansokan needs of numbering.xml.
type docxNumbering struct {
	abstract map[string]*docxAbstractNum
	nums     map[string]*docxNum
}

type docxAbstractNum struct {
	id        string
	lvls      [9]*docxLvl
	styleLink string // w:numStyleLink: the definition is the style's numbering
}

type docxLvl struct {
	start   int // -1 unset
	fmt     string
	text    string
	pStyle  string
	isLgl   bool
	present bool
}

type docxNum struct {
	abstractID string
	override   [9]docxLvlOverride
	restarts   bool // some level has a startOverride
}

type docxLvlOverride struct {
	start int // -1 unset
	lvl   *docxLvl
}

func (n *docxNumbering) parse(x *docxXML) error {
	x.localNames()
	var pp docxPath
	var abs *docxAbstractNum
	var num *docxNum
	var lvl *docxLvl
	ovr := -1
	for {
		tok, err := x.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		t, ok, err := pp.step(x, tok)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		switch {
		case pp.is("numbering", "abstractNum"):
			abs = &docxAbstractNum{id: docxAttr(t, "abstractNumId")}
			if _, dup := n.abstract[abs.id]; !dup {
				n.abstract[abs.id] = abs
			}
		case pp.is("numbering", "num"):
			num = &docxNum{}
			for i := range num.override {
				num.override[i].start = -1
			}
			id := docxAttr(t, "numId")
			if _, dup := n.nums[id]; !dup {
				n.nums[id] = num
			}
		case pp.is("abstractNum", "numStyleLink") && abs != nil:
			abs.styleLink = docxAttr(t, "val")
		case pp.is("abstractNum", "lvl") && abs != nil:
			lvl = nil
			if i, err := strconv.Atoi(docxAttr(t, "ilvl")); err == nil && i >= 0 && i < 9 {
				lvl = &docxLvl{start: -1, present: true}
				abs.lvls[i] = lvl
			}
		case pp.is("num", "abstractNumId") && num != nil:
			num.abstractID = docxAttr(t, "val")
		case pp.is("num", "lvlOverride") && num != nil:
			ovr = -1
			if i, err := strconv.Atoi(docxAttr(t, "ilvl")); err == nil && i >= 0 && i < 9 {
				ovr = i
			}
		case pp.is("num", "lvlOverride", "startOverride") && num != nil && ovr >= 0:
			if v, err := strconv.Atoi(docxAttr(t, "val")); err == nil {
				num.override[ovr].start = v
				num.restarts = true
			}
		case pp.is("num", "lvlOverride", "lvl") && num != nil && ovr >= 0:
			lvl = &docxLvl{start: -1, present: true}
			num.override[ovr].lvl = lvl
		case pp.is("lvl", "start") && lvl != nil:
			if v, err := strconv.Atoi(docxAttr(t, "val")); err == nil {
				lvl.start = v
			}
		case pp.is("lvl", "numFmt") && lvl != nil:
			lvl.fmt = docxAttr(t, "val")
		case pp.is("lvl", "lvlText") && lvl != nil:
			lvl.text = docxAttr(t, "val")
		case pp.is("lvl", "pStyle") && lvl != nil:
			lvl.pStyle = docxAttr(t, "val")
		case pp.is("lvl", "isLgl") && lvl != nil:
			lvl.isLgl = docxOn(t)
		}
	}
}

// abstractOf returns the abstract numbering of a num, following
// numStyleLink through the styles.
func (n *docxNumbering) abstractOf(num *docxNum, styles *docxStyles) *docxAbstractNum {
	abs := n.abstract[num.abstractID]
	for hops := 0; abs != nil && abs.styleLink != "" && hops < 8; hops++ {
		var next *docxAbstractNum
		for _, st := range styles.chain(abs.styleLink) {
			if st.numID != "" {
				if linked := n.nums[st.numID]; linked != nil && linked != num {
					next = n.abstract[linked.abstractID]
				}
				break
			}
		}
		if next == nil || next == abs {
			break
		}
		abs = next
	}
	return abs
}

// docxListState holds the list counters of one part.
type docxListState struct {
	counters map[string]*docxCounter
}

type docxCounter struct {
	val     [9]int
	started [9]bool
}

// item advances the counter of a numbered paragraph and returns its
// marker ("" when the level shows none) and level.
func (ls *docxListState) item(n *docxNumbering, styles *docxStyles, numID string, ilvl int) string {
	ilvl = max(0, min(ilvl, 8))
	num := n.nums[numID]
	if num == nil {
		return "•"
	}
	abs := n.abstractOf(num, styles)
	// Word continues one list across nums sharing an abstract definition,
	// unless a num restarts it with a startOverride.
	key := "n" + numID
	if abs != nil && !num.restarts {
		key = "a" + abs.id
	}
	lvl := func(i int) *docxLvl {
		if l := num.override[i].lvl; l != nil {
			return l
		}
		if abs != nil {
			return abs.lvls[i]
		}
		return nil
	}
	start := func(i int) int {
		if s := num.override[i].start; s >= 0 {
			return s
		}
		if l := lvl(i); l != nil && l.start >= 0 {
			return l.start
		}
		return 1
	}
	if ls.counters == nil {
		ls.counters = map[string]*docxCounter{}
	}
	c := ls.counters[key]
	if c == nil {
		c = &docxCounter{}
		ls.counters[key] = c
	}
	if c.started[ilvl] {
		c.val[ilvl]++
	} else {
		c.val[ilvl], c.started[ilvl] = start(ilvl), true
	}
	for j := ilvl + 1; j < 9; j++ {
		c.started[j] = false
	}

	def := lvl(ilvl)
	if def == nil {
		// A level the definition leaves out: borrow the nearest one's format.
		for d := 1; d < 9 && def == nil; d++ {
			if ilvl-d >= 0 {
				def = lvl(ilvl - d)
			}
			if def == nil && ilvl+d < 9 {
				def = lvl(ilvl + d)
			}
		}
		if def == nil || def.fmt == "bullet" || def.fmt == "" {
			return "•"
		}
		return docxFormatNum(c.val[ilvl], def.fmt) + "."
	}
	switch def.fmt {
	case "bullet":
		return "•"
	case "none":
		return ""
	}
	var b strings.Builder
	text := def.text
	for i := 0; i < len(text); i++ {
		if text[i] == '%' && i+1 < len(text) && text[i+1] >= '1' && text[i+1] <= '9' {
			j := int(text[i+1] - '1')
			v := start(j)
			if c.started[j] {
				v = c.val[j]
			}
			f := "decimal"
			if l := lvl(j); l != nil && !def.isLgl {
				f = l.fmt
			}
			b.WriteString(docxFormatNum(v, f))
			i++
			continue
		}
		b.WriteByte(text[i])
	}
	return strings.TrimSpace(b.String())
}

// docxFormatNum renders a list counter in a numFmt.
func docxFormatNum(v int, f string) string {
	switch f {
	case "lowerLetter", "upperLetter":
		if v <= 0 {
			break
		}
		ch := byte('a' + (v-1)%26)
		if f == "upperLetter" {
			ch -= 'a' - 'A'
		}
		return strings.Repeat(string(ch), (v-1)/26+1)
	case "lowerRoman", "upperRoman":
		if v <= 0 || v >= 4000 {
			break
		}
		s := docxRoman(v)
		if f == "lowerRoman" {
			s = strings.ToLower(s)
		}
		return s
	case "decimalZero":
		if v >= 0 && v < 10 {
			return "0" + strconv.Itoa(v)
		}
	case "bullet":
		return "•"
	case "none":
		return ""
	}
	return strconv.Itoa(v)
}

func docxRoman(v int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, n := range vals {
		for v >= n {
			b.WriteString(syms[i])
			v -= n
		}
	}
	return b.String()
}

// readStyles reads the styles part. Word writes the same large part
// (about 350 KB: latent styles, the built-in paragraph, character and
// table styles) into every document made from a template, and parsing it
// is most of a .docx read; so a process keeps the last parts it parsed,
// by digest, and reads a part it has seen from memory. A part larger than
// docxStylesCacheMaxPart is parsed as it streams, and not kept. The
// result is that of parsePart with docxStyles.parse either way: the same
// bytes under the same name and limits give the same styles or error.
func (pkg *docxPackage) readStyles(name string) (*docxStyles, error) {
	f := pkg.files[strings.ToLower(name)]
	if f == nil {
		return nil, nil
	}
	if f.UncompressedSize64 > docxStylesCacheMaxPart {
		styles := &docxStyles{byID: map[string]*docxStyle{}}
		_, err := pkg.parsePart(name, styles.parse)
		return styles, err
	}
	rc, _, err := pkg.openPart(name)
	if err != nil {
		return nil, err
	}
	// The zip reader stops at the declared size (more is ErrFormat), so
	// this reads what streaming would have read of a well-formed part.
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil && !errors.Is(err, extractor.ErrLimit) {
		err = fmt.Errorf("%w: part %s: %w", extractor.ErrCorrupt, name, err)
	}
	if err != nil {
		return nil, err
	}
	lim := pkg.lim
	key := docxStylesKey{sum: sha256.Sum256(data), name: name, depth: lim.MaxXMLDepth, elems: lim.MaxXMLElements}
	if r, ok := docxStylesCache.get(key); ok {
		return r.styles, r.err
	}
	styles, err := docxParseStyles(data, name, lim)
	docxStylesCache.put(key, docxStylesResult{styles, err})
	return styles, err
}

// docxParseStyles parses a styles part held in memory: with docxScanner
// when the part is the plain XML Word writes (several times faster than
// encoding/xml), else, or when the scanner gives up part way, with
// encoding/xml from the start. Either way the result is what
// encoding/xml's parse gives (TestStylesScannerMatchesDecoder).
func docxParseStyles(data []byte, name string, lim extractor.Limits) (*docxStyles, error) {
	if docxFastStyles {
		styles := &docxStyles{byID: map[string]*docxStyle{}}
		err := styles.parse(&docxXML{part: name, lim: lim, scan: newDocxScanner(data)})
		if !errors.Is(err, errDocxScanOff) {
			return styles, docxParseErr(name, err)
		}
	}
	styles := &docxStyles{byID: map[string]*docxStyle{}}
	err := docxParseXML(bytes.NewReader(data), name, lim, styles.parse)
	return styles, err
}

// docxFastStyles lets the tests compare docxScanner with encoding/xml.
var docxFastStyles = true

// docxStylesCacheMaxPart bounds the styles parts kept (and read into
// memory whole): Word's are under 1 MB.
const docxStylesCacheMaxPart = 4 << 20

// docxStylesCacheSize is how many parsed styles parts a process keeps:
// the templates a förbund's applicants use are few.
const docxStylesCacheSize = 8

type docxStylesKey struct {
	sum          [sha256.Size]byte
	name         string
	depth, elems int // the limits the part was parsed under
}

// docxStylesResult is a parse's outcome. The styles are never changed
// after the parse, so documents share them.
type docxStylesResult struct {
	styles *docxStyles
	err    error
}

// docxStylesCache is the process's styles parts, oldest first out. It is
// safe for concurrent use (a batch read in process reads files in
// parallel).
var docxStylesCache = &docxStylesLRU{m: map[docxStylesKey]docxStylesResult{}}

type docxStylesLRU struct {
	mu    sync.Mutex
	m     map[docxStylesKey]docxStylesResult
	order []docxStylesKey
}

func (c *docxStylesLRU) get(k docxStylesKey) (docxStylesResult, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[k]
	return r, ok
}

func (c *docxStylesLRU) put(k docxStylesKey, r docxStylesResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; ok {
		return
	}
	if len(c.order) >= docxStylesCacheSize {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.m[k] = r
	c.order = append(c.order, k)
}
