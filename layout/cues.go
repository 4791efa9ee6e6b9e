package layout

import (
	"math"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cue is one visual or positional sign that an item is a heading.
type Cue string

const (
	CueStyle     Cue = "style"      // a Word heading style or outline level
	CueSize      Cue = "size"       // a PDF line larger or bolder than the body
	CueBold      Cue = "bold"       // the whole paragraph is bold
	CueNumbered  Cue = "numbered"   // "4. Syfte", "2.1 Mål"
	CueShort     Cue = "short"      // a short line without a final full stop
	CueQuestion  Cue = "question"   // ends in "?"
	CueLabel     Cue = "label"      // ends in ":"
	CueCellLabel Cue = "cell_label" // a bold cell with its answer below or to its right
	CueHeaderRow Cue = "header_row" // the only filled cell of a row, with rows below
	CueKeyCell   Cue = "key_cell"   // the left cell of a two-column key–value row
	CueSetOff    Cue = "set_off"    // more space above it than below it: it belongs to the text below
)

// cueWeight is how much each cue says. A candidate's strength is the sum
// of its cues' weights.
var cueWeight = map[Cue]int{
	CueStyle:     4,
	CueSize:      2,
	CueBold:      2,
	CueCellLabel: 2,
	CueHeaderRow: 2,
	CueKeyCell:   1,
	CueSetOff:    2,
	CueNumbered:  1,
	CueQuestion:  1,
	CueLabel:     1,
	CueShort:     1,
}

// Strengths. A Strong candidate ends the current section even when its
// words are unknown; a weaker one is a heading only when its words say
// what it opens.
const (
	Weak   = 1
	Strong = 3
)

// Candidate is an item that looks like a heading.
type Candidate struct {
	Item     int // index into the items
	Cues     []Cue
	Strength int
}

// Has tells whether the candidate carries a cue.
func (c Candidate) Has(cue Cue) bool {
	for _, x := range c.Cues {
		if x == cue {
			return true
		}
	}
	return false
}

// Limits of what can be a heading, in runes.
const (
	maxHeadingRunes  = 120 // a statement or noun heading
	maxQuestionRunes = 220 // a question may be longer
	maxStyledRunes   = 220 // what a heading style marks is a heading up to this length
)

var reNumbered = regexp.MustCompile(`^\s*(\d{1,2}(\.\d{1,2})*\.?|[A-H][.)])\s+\p{L}`)

// Rule is one layout rule: the cue it gives an item, or "" for none.
type Rule func(items []Item, i int) Cue

// Rules are the layout rules, applied to every item.
var Rules = []Rule{
	ruleStyle, ruleSize, ruleBold, ruleNumbered, ruleShort, ruleQuestion, ruleLabel,
	ruleCellLabel, ruleHeaderRow, ruleKeyCell, ruleSetOff,
}

// Candidates returns the items that look like headings, in order.
func Candidates(items []Item) []Candidate {
	var out []Candidate
	for i := range items {
		if c, ok := Classify(items, i); ok {
			out = append(out, c)
		}
	}
	return out
}

// Classify tells whether item i looks like a heading, and why.
func Classify(items []Item, i int) (Candidate, bool) {
	it := &items[i]
	text := oneLine(it.Text)
	n := utf8.RuneCountInString(text)
	if n == 0 || !hasLetter(text) {
		return Candidate{}, false
	}
	limit := maxHeadingRunes
	switch {
	case it.StyleLevel > 0:
		limit = maxStyledRunes
	case strings.HasSuffix(text, "?"):
		limit = maxQuestionRunes
	}
	if n > limit || endsSentence(text) && it.StyleLevel == 0 {
		return Candidate{}, false
	}
	// A bulleted list item is part of an answer, whatever it looks like;
	// only a heading style makes it a heading.
	if it.Marker != "" && it.StyleLevel == 0 && !(it.Bold && !isBulletMarker(it.Marker)) {
		return Candidate{}, false
	}
	c := Candidate{Item: i}
	for _, r := range Rules {
		if cue := r(items, i); cue != "" {
			c.Cues = append(c.Cues, cue)
			c.Strength += cueWeight[cue]
		}
	}
	if c.Strength < Weak {
		return Candidate{}, false
	}
	return c, true
}

func ruleStyle(items []Item, i int) Cue {
	if items[i].StyleLevel > 0 {
		return CueStyle
	}
	return ""
}

func ruleSize(items []Item, i int) Cue {
	if items[i].SizeLevel > 0 {
		return CueSize
	}
	return ""
}

func ruleBold(items []Item, i int) Cue {
	// In a PDF the reader's size level already counts the weight.
	if items[i].Bold && items[i].SizeLevel == 0 {
		return CueBold
	}
	return ""
}

func ruleNumbered(items []Item, i int) Cue {
	if reNumbered.MatchString(items[i].Text) {
		return CueNumbered
	}
	return ""
}

// ruleShort: a short single line that does not end a sentence: a noun
// heading ("Metod och arbetssätt"). A remark in parentheses at its end
// is not counted: "Roller i teamet (resurserna kan fördelas på flera
// personer)" is as short a heading as "Roller i teamet".
func ruleShort(items []Item, i int) Cue {
	text := WithoutRemark(oneLine(items[i].Text))
	if strings.Contains(strings.TrimSpace(items[i].Text), "\n") || text == "" {
		return ""
	}
	if utf8.RuneCountInString(text) <= 80 && len(strings.Fields(text)) <= 10 && !endsSentence(text) {
		return CueShort
	}
	return ""
}

// WithoutRemark cuts a parenthesised remark from the end of a line
// ("Budget (separat budget ska bifogas)", "Insatsägare (*)"), with a
// colon or question mark after it. A line that is all remark, or whose
// last parenthesis nests, is returned whole.
func WithoutRemark(text string) string {
	t := strings.TrimRight(text, " :?")
	if !strings.HasSuffix(t, ")") {
		return text
	}
	open := strings.LastIndex(t, "(")
	if open <= 0 || strings.ContainsAny(t[open+1:len(t)-1], "()") {
		return text
	}
	return strings.TrimSpace(t[:open])
}

// ruleSetOff: a line with clearly more space above it than below it
// stands with the text it opens, as a heading does (a Word heading
// style's space before, a typed heading after an empty line), where a
// sub-label inside an answer ("Strukturnivå:") stands as far from the
// text above as from the text below. At the top of a page the space
// above is unknown: there the line must stand closer to the text below
// than the document's paragraphs stand to each other.
func ruleSetOff(items []Item, i int) Cue {
	it := &items[i]
	if it.Table != 0 || it.Below <= 0 {
		return ""
	}
	if it.Above > 0 {
		if it.Above >= setOffRatio*it.Below {
			return CueSetOff
		}
		return ""
	}
	if it.Loc.Page > 0 {
		if d := paragraphDistance(items); d > 0 && it.Below <= pageTopRatio*d {
			return CueSetOff
		}
	}
	return ""
}

// setOffRatio is how much more space a heading has above it than below
// it (measured on the samples: a Word heading style 1.5-1.9, a
// sub-label or a body paragraph 1.0); pageTopRatio how much closer a
// heading at the top of a page stands to its text than paragraphs stand
// to each other (a heading style 0.85, a sub-label 1.0).
const (
	setOffRatio  = 1.3
	pageTopRatio = 0.9
)

// paragraphDistance is the baseline distance most body paragraphs of
// the document stand at from the next: the last line of one to the first
// of the next, in half points. 0 when no paragraph says.
func paragraphDistance(items []Item) float64 {
	count := map[int]int{}
	for k := range items {
		o := &items[k]
		if o.Table != 0 || o.Marker != "" || o.Bold || o.Level() > 0 || o.Above <= 0 || o.Below <= 0 {
			continue
		}
		count[int(math.Round(2*o.Below))]++
	}
	best, n := 0, 0
	for d, c := range count {
		if c > n || (c == n && d < best) {
			best, n = d, c
		}
	}
	if n < 3 {
		return 0 // too few paragraphs to tell the document's spacing
	}
	return float64(best) / 2
}

func ruleQuestion(items []Item, i int) Cue {
	if strings.HasSuffix(oneLine(items[i].Text), "?") {
		return CueQuestion
	}
	return ""
}

func ruleLabel(items []Item, i int) Cue {
	if strings.HasSuffix(oneLine(items[i].Text), ":") {
		return CueLabel
	}
	return ""
}

// ruleCellLabel: a bold cell paragraph with an answer in the cell to its
// right or the row below.
func ruleCellLabel(items []Item, i int) Cue {
	it := &items[i]
	if it.Table == 0 || !it.Bold || !it.First {
		return ""
	}
	if _, ok := answerCell(items, i); ok {
		return CueCellLabel
	}
	return ""
}

// ruleHeaderRow: the only filled cell of its row in a table, followed by
// more of the table (a one-column question table, a full-width header).
func ruleHeaderRow(items []Item, i int) Cue {
	it := &items[i]
	if it.Table == 0 || it.RowCells != 1 || !it.First || (it.Columns > 1 && it.Span < it.Columns) {
		return ""
	}
	for j := i + 1; j < len(items); j++ {
		if items[j].Table != it.Table {
			return ""
		}
		if items[j].Row > it.Row {
			return CueHeaderRow
		}
	}
	return ""
}

// ruleKeyCell: the left cell of a row of exactly two filled cells.
func ruleKeyCell(items []Item, i int) Cue {
	it := &items[i]
	if it.Table == 0 || it.RowCells != 2 || !it.First {
		return ""
	}
	if j, ok := answerCell(items, i); ok && items[j].Row == it.Row {
		return CueKeyCell
	}
	return ""
}

// answerCell finds the cell that answers the cell of item i: the next
// filled cell to its right in the same row, else the first item of the
// same column in the next row.
func answerCell(items []Item, i int) (int, bool) {
	it := &items[i]
	for j := i + 1; j < len(items); j++ {
		o := &items[j]
		if o.Table != it.Table {
			return 0, false
		}
		if !o.First {
			continue
		}
		if o.Row == it.Row && o.Col > it.Col {
			return j, true
		}
		if o.Row == it.Row+1 && o.Col <= it.Col && it.Col < o.Col+max(o.Span, 1) {
			return j, true
		}
		if o.Row > it.Row+1 {
			return 0, false
		}
	}
	return 0, false
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// endsSentence tells whether text ends with a full stop (or "!") that is
// not the end of a numbering ("4.") or an abbreviation of one letter.
func endsSentence(text string) bool {
	text = strings.TrimSpace(text)
	if !strings.HasSuffix(text, ".") && !strings.HasSuffix(text, "!") {
		return false
	}
	if reNumbered.MatchString(text+" x") && len(strings.Fields(text)) == 1 {
		return false
	}
	return true
}

func isBulletMarker(m string) bool {
	r, _ := utf8.DecodeRuneInString(m)
	return !unicode.IsDigit(r) && !unicode.IsLetter(r)
}
