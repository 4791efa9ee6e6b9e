package normalizer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/finsam/ansokan/layout"
)

// What an item is to the section parser.
type headingKind int

const (
	notHeading     headingKind = iota
	knownHeading               // a field or section the profile or the lexicon names
	unknownHeading             // looks like a heading; its words are not known
)

// reading is what the reader makes of one item.
type reading struct {
	kind     headingKind
	m        match
	exact    bool // the profile's own heading (a strong hint that always wins)
	strong   bool // its layout alone makes it a heading
	strength int  // the layout strength
	pair     bool // a label with its value (inline or in the next cell)
	value    int  // the item holding a pair's value; -1 when none
	// maybe lists the targets the lexicon could not choose between (a
	// tie): the part's reading is doubtful.
	maybe []string
	cues  []layout.Cue // the layout cues that made it a candidate
	score int          // the lexicon's score of its words (0: none)
}

// reader reads items as headings: the profile first, then the layout
// candidates classified by the lexicon.
type reader struct {
	m      *matcher
	lx     *lexicon // nil: the profile pins the template, no lexicon
	items  []item
	litems []layout.Item
	pairs  map[int]layout.Pair // by label item
}

// target names what a match opens: its section key, or its field.
func (m match) target() string {
	if m.field == fieldSection {
		return m.key
	}
	return m.field
}

// pairFields are the fields a "Label: value" pair may fill: short
// values, never free-text sections.
var pairFields = map[string]bool{
	fieldTitle: true, fieldOwner: true, fieldPeriod: true, fieldParticipants: true,
	fieldStart: true, fieldEnd: true, fieldIntakeEnd: true, fieldPartners: true,
}

func (r *reader) read(i int) reading {
	rd := r.readText(i)
	if rd.kind == knownHeading && !rd.pair && rd.m.written != "" {
		rd.m.written = withNumber(r.items[i], rd.m.written)
	}
	return rd
}

// withNumber puts a numbered heading's number back in front of it as the
// page shows it: a PDF reader takes a typed "1." for a list marker, where
// a Word file keeps it in the text, and the same application must give
// the same record from both.
func withNumber(it item, written string) string {
	m := it.marker
	if m == "" || m[0] < '0' || m[0] > '9' || strings.HasPrefix(written, m) {
		return written
	}
	return m + " " + written
}

func (r *reader) readText(i int) reading {
	text := strings.TrimSpace(r.items[i].text)
	if hm, ok := r.m.match(text); ok {
		rd := reading{kind: knownHeading, m: hm, exact: true, strong: true, strength: layout.Strong, value: -1}
		if c, ok := layout.Classify(r.litems, i); ok {
			rd.cues = c.Cues
		}
		return rd
	}
	if r.lx == nil {
		// A pinned template: only a heading style or level makes an unknown
		// heading, as Word's styles say so exactly.
		if r.items[i].level > 0 && utf8.RuneCountInString(text) <= maxHeadingRunes && !strings.HasSuffix(text, ":") {
			return reading{kind: unknownHeading, strength: layout.Strong, value: -1}
		}
		return reading{value: -1}
	}
	// "Startdatum: 2024-08-01", or a key cell with its value beside it.
	if rd, ok := r.readPair(i, text); ok {
		return rd
	}
	c, ok := layout.Classify(r.litems, i)
	if !ok {
		return reading{value: -1}
	}
	formatted := c.Has(layout.CueStyle) || c.Has(layout.CueSize) || c.Has(layout.CueBold) ||
		c.Has(layout.CueCellLabel) || c.Has(layout.CueHeaderRow) || c.Has(layout.CueSetOff)
	rd := reading{strength: c.Strength, value: -1, cues: c.Cues}
	rd.strong = formatted && c.Strength >= layout.Strong
	if !c.Has(layout.CueStyle) && !c.Has(layout.CueQuestion) && statement(text) {
		return reading{value: -1} // "Syftet är att …": an answer
	}
	h, ok := r.lx.classify(text)
	rd.score = h.score
	if ok && h.field == fieldForm {
		return reading{value: -1} // the form's title: part of the intro
	}
	if !ok && h.score >= r.lx.MinScore {
		rd.maybe = []string{h.target(), h.second}
	}
	if ok && (h.field == fieldOwner || h.field == fieldPartners) && namesOrganisation(text) {
		// "Falkenbergs kommun (huvudsökande)": a party named with its
		// role is an answer, not a label.
		return reading{value: -1}
	}
	if ok {
		rd.kind = knownHeading
		rd.m = match{heading: heading{field: h.field, key: h.key}, written: cleanText(strings.ReplaceAll(text, "\n", " "))}
		if h.field == fieldAnchoring && howQuestion(text) {
			rd.m.field = fieldAnchoringHow
		}
		return rd
	}
	// A label ending in a colon without a heading style is a sub-label of
	// an answer ("Strukturnivå:"), never a section of its own, unless it
	// stands apart from the text above as a heading does (a PDF of a Word
	// heading, where the style is lost but its spacing is not).
	if rd.strong && !(c.Has(layout.CueLabel) && !c.Has(layout.CueStyle) && !c.Has(layout.CueSetOff)) {
		rd.kind = unknownHeading
	}
	return rd
}

// readPair reads a label with its value whose label the lexicon places
// on a short field.
func (r *reader) readPair(i int, text string) (reading, bool) {
	if r.pairs == nil {
		r.pairs = map[int]layout.Pair{}
		for _, p := range layout.Pairs(r.litems) {
			r.pairs[p.LabelItem] = p
		}
	}
	p, ok := r.pairs[i]
	if !ok {
		return reading{}, false
	}
	h, ok := r.lx.classify(p.Label)
	if !ok || !pairFields[h.field] || statement(p.Label) {
		return reading{}, false
	}
	rd := reading{kind: knownHeading, pair: true, value: -1, strength: layout.Weak, score: h.score,
		m: match{heading: heading{field: h.field}, written: p.Label}}
	if c, ok := layout.Classify(r.litems, i); ok {
		rd.cues = c.Cues
	}
	if p.Inline {
		rd.m.rest = p.Value
	} else {
		rd.value = p.ValueItem
	}
	return rd, true
}

// statementVerbs are finite verbs that make a line a statement, not a
// heading: "Syftet är att …", "Insatsen ska följas upp".
var statementVerbs = map[string]bool{
	"är": true, "ska": true, "skall": true, "har": true, "hade": true, "kommer": true, "kan": true,
	"blir": true, "vill": true, "får": true, "finns": true, "sker": true, "gäller": true,
	"behöver": true, "var": true, "måste": true, "bör": true, "syftar": true, "innebär": true,
}

// interrogatives open a question even when its "?" is missing.
var interrogatives = map[string]bool{
	"hur": true, "vad": true, "vilka": true, "vilken": true, "vilket": true, "varför": true,
	"när": true, "har": true, "finns": true, "kommer": true, "ska": true, "beskriv": true, "ange": true,
}

// statement tells whether a line reads as a sentence: it starts in lower
// case, or holds a finite verb and does not open as a question or an
// instruction ("Beskriv …", "Ange …").
//
// A remark in parentheses at the end is not read: "Roller i teamet
// (resurserna kan fördelas på flera personer)" is a heading, its verb
// is the remark's.
func statement(text string) bool {
	text = layout.WithoutRemark(strings.TrimSpace(text))
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(layoutStripNumber(text), " "))
	if unicode.IsLower(r) {
		return true
	}
	words := lexWords(text)
	if len(words) == 0 || interrogatives[string(words[0])] {
		return false
	}
	for _, w := range words {
		if statementVerbs[string(w)] {
			return true
		}
	}
	return false
}

func layoutStripNumber(s string) string {
	return reNumbering().ReplaceAllString(strings.TrimSpace(s), "")
}

// howQuestion tells an anchoring heading that asks how and when
// ("Hur och när har ansökan förankrats?") from the yes/no question.
func howQuestion(text string) bool {
	words := lexWords(text)
	return len(words) > 0 && (string(words[0]) == "hur" || string(words[0]) == "när")
}

// namesOrganisation tells whether a line starts with an organisation
// ansokan knows (after an "Organisation:" prefix).
func namesOrganisation(text string) bool {
	_, _, ok := SplitOrganisation(reOrgPrefix().ReplaceAllString(cleanText(text), ""))
	return ok
}
