package normalizer

import (
	_ "embed"
	"encoding/json"
	"slices"
	"strings"
	"unicode"
)

// The lexicon classifies a heading by meaning: which section or field its
// words name, whatever the förbund's wording ("Syfte med insatsen", "Vad
// är syftet med projektet?", "4. Syfte"). It is data (lexicon.json); the
// profile's exact headings come first, the lexicon second.

//go:embed lexicon.json
var lexiconJSON []byte

type lexTerm struct {
	T        string   `json:"t"`
	W        int      `json:"w"`
	Whole    bool     `json:"whole"`
	Requires []string `json:"requires"`
	words    [][]rune
}

type lexConcept struct {
	Field string    `json:"field"`
	Key   string    `json:"key"`
	Terms []lexTerm `json:"terms"`
}

type lexicon struct {
	Comment     string       `json:"comment"`
	MinScore    int          `json:"min_score"`
	Inflections []string     `json:"inflections"`
	Concepts    []lexConcept `json:"concepts"`
	inflections map[string]bool
}

// lexHit is a lexicon's reading of a heading.
type lexHit struct {
	field, key string
	score      int
	runnerUp   int    // the second best target's score
	second     string // the second best target (field or section key)
}

// target names a hit's field, or the section key for a section.
func (h lexHit) target() string {
	if h.field == fieldSection {
		return h.key
	}
	return h.field
}

var defaultLexicon = mustLexicon(lexiconJSON)

func mustLexicon(b []byte) *lexicon {
	var lx lexicon
	if err := json.Unmarshal(b, &lx); err != nil {
		panic("normalizer: lexicon.json: " + err.Error()) // a build defect, caught by tests
	}
	lx.inflections = map[string]bool{}
	for _, s := range lx.Inflections {
		lx.inflections[s] = true
	}
	for ci := range lx.Concepts {
		for ti := range lx.Concepts[ci].Terms {
			t := &lx.Concepts[ci].Terms[ti]
			for _, w := range strings.Fields(t.T) {
				t.words = append(t.words, []rune(w))
			}
		}
	}
	return &lx
}

// lexWords folds a heading into lower-case words of letters.
func lexWords(s string) [][]rune {
	var out [][]rune
	var cur []rune
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) {
			cur = append(cur, r)
			continue
		}
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// parts splits a word into the lexicon's terms it is made of: the longest
// term at its start ("målgrupp" in "målgruppsbeskrivning", never "mål"),
// then any term that ends it with an inflection (the head of a compound:
// "mål" in "projektmål", "kostnad" in "lönekostnader"). A term marked
// whole must be the whole word with an inflection.
func (lx *lexicon) parts(word []rune) []*lexTerm {
	var out []*lexTerm
	var first *lexTerm
	for ci := range lx.Concepts {
		for ti := range lx.Concepts[ci].Terms {
			t := &lx.Concepts[ci].Terms[ti]
			if len(t.words) != 1 {
				continue
			}
			tw := t.words[0]
			if !hasPrefixRunes(word, tw) {
				continue
			}
			rest := string(word[len(tw):])
			if t.Whole && !nounEnding[rest] || !t.Whole && !lx.compoundRest(rest) {
				continue
			}
			if first == nil || len(tw) > len(first.words[0]) {
				first = t
			}
		}
	}
	start := 0
	if first != nil {
		out = append(out, first)
		start = len(first.words[0])
	}
	// Compound heads: a term that ends the word (with an inflection).
	var head *lexTerm
	headAt := len(word)
	for ci := range lx.Concepts {
		for ti := range lx.Concepts[ci].Terms {
			t := &lx.Concepts[ci].Terms[ti]
			if len(t.words) != 1 || t.Whole {
				continue
			}
			tw := t.words[0]
			for at := max(start, 1); at+len(tw) <= len(word); at++ {
				if !hasPrefixRunes(word[at:], tw) || !lx.inflections[string(word[at+len(tw):])] {
					continue
				}
				if at < headAt || at == headAt && head != nil && len(tw) > len(head.words[0]) {
					head, headAt = t, at
				}
				break
			}
		}
	}
	if head != nil && head != first {
		out = append(out, head)
	}
	return out
}

// compoundRest tells whether what follows a term at the start of a word
// leaves it that term: an inflection ("syftet"), or an inflection and
// an optional linking "s" before another word part of three letters or
// more ("implementeringsplan", "behovsanalys"), never a mere different
// word ("ekonomiskt" is not "ekonomi").
func (lx *lexicon) compoundRest(rest string) bool {
	if lx.inflections[rest] {
		return true
	}
	r := []rune(rest)
	for _, infl := range []string{"", "e", "a", "s", "ing", "ning", "ings", "nings", "er", "ar", "s"} {
		ir := []rune(infl)
		if !hasPrefixRunes(r, ir) {
			continue
		}
		tail := r[len(ir):]
		if len(tail) > 0 && tail[0] == 's' && len(tail)-1 >= 3 {
			return true
		}
		if len(tail) >= 4 && infl != "" || len(tail) >= 3 && infl == "" && tail[0] != 's' {
			return true
		}
	}
	return false
}

// nounEnding are the endings a whole term may take: a noun's, not a
// verb's ("starten", never "startade").
var nounEnding = map[string]bool{"": true, "s": true, "en": true, "et": true, "ens": true, "ets": true, "er": true, "erna": true, "ar": true, "arna": true}

func hasPrefixRunes(s, p []rune) bool {
	return len(s) >= len(p) && slices.Equal(s[:len(p)], p)
}

// classify scores a heading against every concept. ok is false when no
// concept reaches the minimum score or two tie.
func (lx *lexicon) classify(text string) (lexHit, bool) {
	words := lexWords(text)
	if len(words) == 0 {
		return lexHit{}, false
	}
	used := map[*lexTerm]bool{}
	for _, w := range words {
		for _, t := range lx.parts(w) {
			used[t] = true
		}
	}
	// Phrases: consecutive words, each starting with the phrase's word.
	for ci := range lx.Concepts {
		for ti := range lx.Concepts[ci].Terms {
			t := &lx.Concepts[ci].Terms[ti]
			if len(t.words) < 2 {
				continue
			}
			for i := 0; i+len(t.words) <= len(words); i++ {
				match := true
				for k, tw := range t.words {
					w := words[i+k]
					if !hasPrefixRunes(w, tw) || k < len(t.words)-1 && !lx.inflections[string(w[len(tw):])] {
						match = false
						break
					}
				}
				if match {
					used[t] = true
					break
				}
			}
		}
	}
	type scored struct {
		c     *lexConcept
		score int
	}
	var all []scored
	for ci := range lx.Concepts {
		c := &lx.Concepts[ci]
		s := 0
		for ti := range c.Terms {
			t := &c.Terms[ti]
			if used[t] && lx.requiresMet(t, words) {
				s += t.W
			}
		}
		if s > 0 {
			all = append(all, scored{c, s})
		}
	}
	if len(all) == 0 {
		return lexHit{}, false
	}
	slices.SortStableFunc(all, func(a, b scored) int { return b.score - a.score })
	best := all[0]
	h := lexHit{field: best.c.Field, key: best.c.Key, score: best.score}
	if len(all) > 1 {
		h.runnerUp = all[1].score
		h.second = all[1].c.Key
		if all[1].c.Field != fieldSection {
			h.second = all[1].c.Field
		}
	}
	if h.score < lx.MinScore || h.runnerUp == h.score {
		return h, false
	}
	return h, true
}

// requiresMet tells whether one of a term's required words stands in the
// heading (as a whole word with an inflection).
func (lx *lexicon) requiresMet(t *lexTerm, words [][]rune) bool {
	if len(t.Requires) == 0 {
		return true
	}
	for _, r := range t.Requires {
		rr := []rune(r)
		for _, w := range words {
			if hasPrefixRunes(w, rr) && lx.inflections[string(w[len(rr):])] {
				return true
			}
		}
	}
	return false
}
