package normalizer

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// Words broken at a PDF cell's edge. When a word is wider than its
// table cell (a header "Huvudinsatsägare" in a narrow column, set in a
// wider substitute font), the layout breaks it mid-word, and the PDF
// reader, which cannot tell such a break from a wrap between words,
// joins the lines with a space: "Huvudins atsägare", "Arbetsför
// medlinge n", "tove.lindberg@skellefte a.se". RejoinBroken closes such a
// gap when the joined form is a known word: one of the budget template's
// words, a word of an organisation's name on the national list
// (orgs.tsv), or an e-mail address whose first piece has no domain yet.
// Everything else keeps its space: "Region Uppsala" is two known words,
// "500 000" is figures.

// rejoinTemplateWords are the budget template's words that a narrow
// column breaks (lower case).
var rejoinTemplateWords = []string{
	"huvudinsatsägare", "delinsatsägare", "insatsägare", "insatsägarnas", "samordningsförbundet",
	"rekvirera", "lönekostnader", "lokalkostnader", "lokalhyra", "egenfinansiering", "finansiering",
	"spridningsseminarier", "insatsmedarbetare", "informationsmaterial", "utvärdering", "utbildning",
	"utbildningar", "utredningar", "tjänster", "tjänst", "deltagare", "aktiviteter", "it-kostnader",
	"telefon-", "kostnadsbeteckning", "budgetsammanställning", "detaljerad", "tidsperiod", "ååmmdd",
	"övriga", "övrigt", "kostnader", "kostnad", "totalt", "summa", "insatsen", "insatsens", "löptid",
	"projektägarnas", "projektägare", "samverkanspart", "samverkansparter", "organisation", "datum",
	"namnförtydligande", "namnteckning", "befattning", "underskrift", "e-post", "övrig", "esf",
	"kommun", "region", "stad", "landsting", "län", "arbetsförmedlingen", "försäkringskassan",
}

// rejoinVocabulary is the set of known words, built once.
var rejoinVocabulary = sync.OnceValue(func() map[string]bool {
	v := map[string]bool{}
	for _, w := range rejoinTemplateWords {
		v[w] = true
	}
	l := orgData()
	add := func(name string) {
		for _, w := range strings.Fields(strings.ToLower(name)) {
			if w = rejoinTrim(w); len([]rune(w)) >= 3 {
				v[w] = true
			}
		}
	}
	for c := range l.kinds {
		add(c)
	}
	for _, k := range l.kommuner {
		add(k.name)
		add(k.genitive)
	}
	for a := range l.agencies {
		add(a)
	}
	return v
})

var rejoinEmailRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[\p{L}0-9._%+-]+@[\p{L}0-9-]+(\.[\p{L}0-9-]+)*\.[a-z]{2,}$`)
})

var rejoinTLDRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\.[a-z]{2,}$`) })

// rejoinTrim takes the punctuation off a word's ends: "(ååmm" → "ååmm".
func rejoinTrim(w string) string {
	return strings.TrimFunc(w, func(r rune) bool {
		return unicode.IsPunct(r) && r != '-' && r != '@'
	})
}

// RejoinBroken closes the spaces that a PDF reader put inside words
// broken at a cell's edge (see above). Up to four pieces are joined.
func RejoinBroken(s string) string {
	f := strings.Fields(s)
	if len(f) < 2 {
		return s
	}
	vocab := rejoinVocabulary()
	known := func(w string) bool { return vocab[strings.ToLower(rejoinTrim(w))] }
	var out []string
	changed := false
	for i := 0; i < len(f); {
		best := i
		for j := i + 1; j < len(f) && j < i+4; j++ {
			pieces := f[i : j+1]
			joined := strings.Join(pieces, "")
			if rejoinEmail(pieces) {
				best = j
				continue
			}
			if rejoinHasDigit(joined) || !known(joined) {
				continue
			}
			// Two known words side by side stay apart: "Region Uppsala".
			all := true
			for _, p := range pieces {
				if !known(p) {
					all = false
					break
				}
			}
			if !all {
				best = j
			}
		}
		out = append(out, strings.Join(f[i:best+1], ""))
		if best > i {
			changed = true
		}
		i = best + 1
	}
	if !changed {
		return s
	}
	return strings.Join(out, " ")
}

// rejoinEmail tells whether the pieces make one e-mail address broken
// inside it: the first piece holds the "@" but no domain ending yet, or
// ends in a dot or hyphen, and together they are an address.
func rejoinEmail(pieces []string) bool {
	first := pieces[0]
	at := strings.IndexByte(first, '@')
	if at < 0 {
		return false
	}
	domain := first[at+1:]
	if !strings.HasSuffix(domain, ".") && !strings.HasSuffix(domain, "-") &&
		rejoinTLDRe().MatchString(domain) {
		return false
	}
	return rejoinEmailRe().MatchString(strings.ToLower(strings.Join(pieces, "")))
}

func rejoinHasDigit(s string) bool {
	return strings.ContainsFunc(s, unicode.IsDigit)
}
