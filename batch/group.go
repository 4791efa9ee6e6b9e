package batch

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Grouping says how files become submissions.
type Grouping string

// The grouping rules; see the package documentation.
const (
	// GroupStem groups the files of one folder that share a stem, and a
	// whole folder when it holds one application. The default.
	GroupStem Grouping = "stem"
	// GroupFolder makes the files directly in one folder one submission.
	GroupFolder Grouping = "folder"
	// GroupFile makes every file its own submission.
	GroupFile Grouping = "file"
)

// ParseGrouping reads a --group value.
func ParseGrouping(s string) (Grouping, error) {
	switch g := Grouping(s); g {
	case GroupStem, GroupFolder, GroupFile:
		return g, nil
	}
	return "", fmt.Errorf("unknown grouping %q (stem, folder or file)", s)
}

// affixes are the words that name what a file is rather than which
// application it belongs to: "Ansökan X.docx", "X-budget.xlsx",
// "X signerad.pdf", "Bilaga 2 X.pdf". They are dropped from either end
// of a name (not from its middle), in their ASCII-folded form.
var affixes = map[string]bool{
	"ansokan": true, "ansokningsblankett": true, "application": true,
	"budget": true, "budgetmall": true, "budgetsammanstallning": true,
	"bilaga": true, "bilagor": true, "attachment": true,
	"signerad": true, "signerat": true, "signed": true, "underskriven": true, "undertecknad": true,
	"slutlig": true, "final": true,
}

// StemKey is the part of a file name that says which application the
// file belongs to: the name without its extension, case-folded, NFC
// normalised, with å/ä/ö (and other accents) folded to ASCII, split into
// words at spaces and - _ . , ( ) +, with the affix words (ansökan,
// budget, bilaga, signerad, …) and a number right after one of them
// ("Bilaga 2", "budget 2024") dropped from the start and from the end,
// and the remaining words joined by "-".
//
// So "X.docx", "X.pdf", "X-budget.xlsx", "X budget.xlsx", "X_budget.xlsx",
// "Ansökan X.docx", "Budget X.xlsx" and "x signerad.pdf" all have the key
// "x". A name that is nothing but affixes ("Ansökan.docx",
// "Budget.xlsx") has the empty key: it names no application.
func StemKey(name string) string {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	if ext := path.Ext(base); ext != "" && ext != base {
		base = strings.TrimSuffix(base, ext)
	}
	words := strings.FieldsFunc(fold(base), func(r rune) bool {
		switch r {
		case ' ', '-', '_', '.', ',', '(', ')', '+', '–', '—', '\u00a0':
			return true
		}
		return unicode.IsSpace(r)
	})
	// From the start: an affix, and a number right after it.
	for len(words) > 0 && affixes[words[0]] {
		words = words[1:]
		for len(words) > 0 && isNumber(words[0]) {
			words = words[1:]
		}
	}
	// From the end: an affix, or a number right after an affix.
	for len(words) > 0 {
		n := len(words)
		switch {
		case affixes[words[n-1]]:
			words = words[:n-1]
		case n >= 2 && isNumber(words[n-1]) && affixes[words[n-2]]:
			words = words[:n-2]
		default:
			return strings.Join(words, "-")
		}
	}
	return ""
}

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// fold lower-cases s and strips accents (å→a, ä→a, ö→o, é→e), so that
// "Språngbrädan" and "sprangbradan" have the same key. Names from
// macOS archives are often in NFD; NFD first, then the marks go.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// Group splits the files found in one folder (names relative to any
// root; only their base names count) into submissions, by rule g.
//
// GroupStem: files with the same StemKey form one submission. When the
// folder holds at most one non-empty key (one application, with
// attachments named "Budget.xlsx" or "Ansökan.pdf" or not), the whole
// folder is one submission. Otherwise a file with the empty key cannot
// be attributed and is a submission of its own.
//
// The result is sorted: files within a group by name, groups by their
// first file.
func Group(files []string, g Grouping) [][]string {
	if len(files) == 0 {
		return nil
	}
	files = slices.Clone(files)
	slices.Sort(files)
	var out [][]string
	switch g {
	case GroupFile:
		for _, f := range files {
			out = append(out, []string{f})
		}
		return out
	case GroupFolder:
		return [][]string{files}
	}
	keys := map[string][]string{}
	var order []string
	for _, f := range files {
		k := StemKey(f)
		if _, ok := keys[k]; !ok {
			order = append(order, k)
		}
		keys[k] = append(keys[k], f)
	}
	named := len(keys)
	if _, ok := keys[""]; ok {
		named--
	}
	if named <= 1 {
		return [][]string{files}
	}
	for _, k := range order {
		if k == "" {
			for _, f := range keys[k] {
				out = append(out, []string{f})
			}
			continue
		}
		out = append(out, keys[k])
	}
	slices.SortFunc(out, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	return out
}
