package layout

import (
	"strings"
	"unicode/utf8"
)

// Pair is a label with its value: "Startdatum: 2024-08-01" on one line,
// a two-column key–value row, or a row of labels with the values in the
// row below.
type Pair struct {
	Label string
	Value string
	// LabelItem and ValueItem index the items; they are equal for an
	// inline pair. ValueItem is -1 when the label has no value.
	LabelItem, ValueItem int
	Inline               bool
}

// maxLabelRunes bounds the label of an inline pair: a sentence with a
// colon in it is not a label.
const maxLabelRunes = 60

// SplitInline cuts "Label: value" into its parts. ok is false when the
// text has no colon, the label is long, has more than eight words or ends
// a sentence, or the value is empty. A colon inside a time ("kl. 10:30")
// or a URL is not a separator.
func SplitInline(text string) (label, value string, ok bool) {
	line := oneLine(text)
	for i := 0; i < len(line); i++ {
		if line[i] != ':' {
			continue
		}
		if i+1 < len(line) && (line[i+1] >= '0' && line[i+1] <= '9' && i > 0 && line[i-1] >= '0' && line[i-1] <= '9' || line[i+1] == '/') {
			continue
		}
		label, value = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
		if label == "" || value == "" || utf8.RuneCountInString(label) > maxLabelRunes ||
			len(strings.Fields(label)) > 8 || strings.ContainsAny(label, ".!?") && !reNumbered.MatchString(label) || !hasLetter(label) {
			return "", "", false
		}
		return label, value, true
	}
	return "", "", false
}

// Pairs finds the label–value pairs among the items, in order.
func Pairs(items []Item) []Pair {
	var out []Pair
	for i := range items {
		it := &items[i]
		if l, v, ok := SplitInline(it.Text); ok && !strings.Contains(strings.TrimSpace(it.Text), "\n") {
			out = append(out, Pair{Label: l, Value: v, LabelItem: i, ValueItem: i, Inline: true})
			continue
		}
		if it.Table == 0 || !it.First {
			continue
		}
		if p, ok := cellPair(items, i); ok {
			out = append(out, p)
		}
	}
	return out
}

// cellPair pairs a label cell with its value: the cell to its right in a
// row of two, or the cell below when the whole row is short labels and
// the next row has a value under this one.
func cellPair(items []Item, i int) (Pair, bool) {
	it := &items[i]
	label := strings.TrimRight(oneLine(it.Text), " :")
	if label == "" || utf8.RuneCountInString(label) > maxLabelRunes || endsSentence(label) {
		return Pair{}, false
	}
	j, ok := -1, false
	if it.RowCells > 2 || it.RowCells == 2 && labelRow(items, it.Table, it.Row) && !labelRow(items, it.Table, it.Row+1) {
		j, ok = belowCell(items, i)
	}
	if !ok && it.RowCells == 2 {
		if k, found := answerCell(items, i); found && items[k].Row == it.Row {
			j, ok = k, true
		}
	}
	if !ok || it.RowCells > 2 && !labelRow(items, it.Table, it.Row) {
		return Pair{}, false
	}
	return Pair{Label: label, Value: oneLine(cellText(items, j)), LabelItem: i, ValueItem: j}, true
}

// belowCell finds the first item of the cell under item i's cell in the
// next row.
func belowCell(items []Item, i int) (int, bool) {
	it := &items[i]
	for j := i + 1; j < len(items); j++ {
		o := &items[j]
		if o.Table != it.Table || o.Row > it.Row+1 {
			return 0, false
		}
		if o.First && o.Row == it.Row+1 && o.Col <= it.Col && it.Col < o.Col+max(o.Span, 1) {
			return j, true
		}
	}
	return 0, false
}

// labelRow tells whether every filled cell of a table row is a short
// label (no digits, no full stop).
func labelRow(items []Item, table, row int) bool {
	seen := false
	for k := range items {
		o := &items[k]
		if o.Table != table || o.Row != row {
			continue
		}
		t := oneLine(o.Text)
		if utf8.RuneCountInString(t) > maxLabelRunes || endsSentence(t) || strings.ContainsAny(t, "0123456789") {
			return false
		}
		seen = true
	}
	return seen
}

// cellText joins the paragraphs of the cell item j starts.
func cellText(items []Item, j int) string {
	var parts []string
	for k := j; k < len(items); k++ {
		o := &items[k]
		if k > j && (o.First || o.Table != items[j].Table) {
			break
		}
		parts = append(parts, o.Text)
	}
	return strings.Join(parts, "\n")
}
