package checks

import (
	"strings"
	"unicode"

	"github.com/finsam/ansokan/schema"
)

// checkAgreement: the Överenskommelse, which the template says must stay
// untouched, against the profile's canonical text. Words are compared,
// not characters: line breaks, spacing, hyphenation at a line end and
// quotes do not count; the message shows what changed.
func checkAgreement(r *schema.Record, c *Context) []schema.Finding {
	s, ok := r.Sections["agreement"]
	canon := c.Profile.Agreement.Text
	if !c.HasForm || !ok || strings.TrimSpace(canon) == "" || strings.TrimSpace(s.Text) == "" {
		return nil
	}
	changes := wordDiff(agreementWords(canon), agreementWords(s.Text))
	if len(changes) == 0 {
		return nil
	}
	const show = 3
	msg := "Överenskommelsen skiljer sig från förbundets text, som ska stå kvar orörd: " + strings.Join(changes[:min(show, len(changes))], "; ")
	if len(changes) > show {
		msg += " (och " + itoa(len(changes)-show) + " ändringar till)"
	}
	return []schema.Finding{c.finding(schema.CodeAgreementModified, "agreement", "/sections/agreement/text", msg+".")}
}

// wordHyphens drops hyphens inside a word; built once, it is costly to
// make and safe to share.
var wordHyphens = strings.NewReplacer("-", "", "\u00ad", "", "‐", "")

// agreementWords splits a text into comparable words: lower case,
// punctuation around a word dropped, hyphens and soft hyphens inside a
// word dropped (a PDF joins "avvikelse-" and "rapporteras").
func agreementWords(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		w = wordHyphens.Replace(strings.ToLower(w))
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// wordDiff describes how b differs from a, in Swedish, one phrase per
// change ("”skall” har ändrats till ”ska”", "”inte” har tagits bort").
func wordDiff(a, b []string) []string {
	// Longest common subsequence over words; the texts are a few hundred
	// words, and a record's agreement is capped by the reader anyway.
	const maxWords = 4000
	if len(a) > maxWords || len(b) > maxWords {
		if strings.Join(a, " ") == strings.Join(b, " ") {
			return nil
		}
		return []string{"texten är för lång för att jämföras ord för ord"}
	}
	n, m := len(a), len(b)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	var del, ins []string
	flush := func() {
		switch {
		case len(del) > 0 && len(ins) > 0:
			out = append(out, quote(clip(del))+" har ändrats till "+quote(clip(ins)))
		case len(del) > 0:
			out = append(out, quote(clip(del))+" har tagits bort")
		case len(ins) > 0:
			out = append(out, quote(clip(ins))+" har lagts till")
		}
		del, ins = nil, nil
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			flush()
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			ins = append(ins, b[j])
			j++
		default:
			del = append(del, a[i])
			i++
		}
	}
	flush()
	return out
}

// clip shows at most a dozen words of a change.
func clip(ws []string) string {
	if len(ws) > 12 {
		return strings.Join(ws[:12], " ") + " …"
	}
	return strings.Join(ws, " ")
}
