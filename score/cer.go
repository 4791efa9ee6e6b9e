package score

import "strings"

// CER counts character errors: the edit distance between a reference
// text and what was read, over the reference's length, and the same
// restricted to the Swedish letters å, ä and ö (either case), where OCR
// errs most (a read as ä, ö as 6). White space is collapsed first, so
// line breaks are not errors.
type CER struct {
	Chars        int `json:"chars"`         // reference characters
	Errors       int `json:"errors"`        // edits (insertions, deletions, substitutions)
	Umlauts      int `json:"umlauts"`       // reference å, ä, ö
	UmlautErrors int `json:"umlaut_errors"` // reference å, ä, ö not read as themselves
}

// Rate is Errors / Chars (0 when there is no reference).
func (c CER) Rate() float64 {
	if c.Chars == 0 {
		return 0
	}
	return float64(c.Errors) / float64(c.Chars)
}

// UmlautRate is UmlautErrors / Umlauts (0 when there are none).
func (c CER) UmlautRate() float64 {
	if c.Umlauts == 0 {
		return 0
	}
	return float64(c.UmlautErrors) / float64(c.Umlauts)
}

// Plus sums two counts.
func (c CER) Plus(d CER) CER {
	return CER{c.Chars + d.Chars, c.Errors + d.Errors, c.Umlauts + d.Umlauts, c.UmlautErrors + d.UmlautErrors}
}

func isUmlaut(r rune) bool {
	switch r {
	case 'å', 'ä', 'ö', 'Å', 'Ä', 'Ö':
		return true
	}
	return false
}

// CharErrors aligns got to want (Levenshtein over runes) and counts the
// edits, and the reference å/ä/ö that the alignment does not match with
// the same letter. Texts are bounded by the sections' sizes; the table
// is one row at a time plus a traceback of bytes.
func CharErrors(want, got string) CER {
	a := []rune(strings.Join(strings.Fields(want), " "))
	b := []rune(strings.Join(strings.Fields(got), " "))
	c := CER{Chars: len(a)}
	for _, r := range a {
		if isUmlaut(r) {
			c.Umlauts++
		}
	}
	if len(a)*len(b) > 50_000_000 {
		// Too long to align: count every letter as wrong rather than
		// spend seconds (never the case for an application's sections).
		c.Errors, c.UmlautErrors = len(a), c.Umlauts
		return c
	}
	// dp over (i, j); back records the move: 0 match/substitute, 1 delete
	// (a[i-1] unmatched), 2 insert (b[j-1] extra).
	n, m := len(a), len(b)
	back := make([]byte, (n+1)*(m+1))
	prev := make([]int, m+1)
	cur := make([]int, m+1)
	for j := 0; j <= m; j++ {
		prev[j] = j
		back[j] = 2
	}
	for i := 1; i <= n; i++ {
		cur[0] = i
		back[i*(m+1)] = 1
		for j := 1; j <= m; j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			best, mv := sub, byte(0)
			if d := prev[j] + 1; d < best {
				best, mv = d, 1
			}
			if ins := cur[j-1] + 1; ins < best {
				best, mv = ins, 2
			}
			cur[j], back[i*(m+1)+j] = best, mv
		}
		prev, cur = cur, prev
	}
	c.Errors = prev[m]
	for i, j := n, m; i > 0 || j > 0; {
		switch back[i*(m+1)+j] {
		case 0:
			if isUmlaut(a[i-1]) && a[i-1] != b[j-1] {
				c.UmlautErrors++
			}
			i, j = i-1, j-1
		case 1:
			if isUmlaut(a[i-1]) {
				c.UmlautErrors++
			}
			i--
		default:
			j--
		}
	}
	return c
}
