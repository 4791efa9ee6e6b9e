package normalizer

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// orgsTSV is the national list: every kommun and region, and the two
// state agencies (see the file's header for its source and columns).
//
//go:embed orgs.tsv
var orgsTSV string

// orgKommun is one of the 290 kommuner.
type orgKommun struct {
	code      string // kommunkod, "0380"
	name      string // the place, "Jönköping"
	genitive  string // as it stands in the kommun's name, "Jönköpings", "Falu"
	canonical string // "Jönköpings kommun", "Stockholms stad"
}

// orgRegion is one of the 21 regions.
type orgRegion struct {
	code      string     // länskod, "06"
	lan       string     // "Jönköpings län"
	canonical string     // "Region Jönköpings län"
	names     [][]string // what may follow "Region" or "Landstinget", as folded words: {"jonkopings", "lan"}, {"jonkoping"}
	short     []string   // "LUL"
}

// orgList is the national list with its lookups.
type orgList struct {
	kommuner []orgKommun
	regions  []orgRegion
	agencies map[string]string // short form ("AF") → canonical

	// exact maps a kommun's name or genitive, lower-cased with hyphens
	// and runs of space as one space (orgKey), to its index.
	exact map[string]int
	// folded does the same after orgFold (å, ä, ö… as a, o): Håbo and
	// Habo share "habo", so a key can hold several kommuner.
	folded map[string][]int
	// near are the folded forms that a misspelling may be corrected to:
	// those of five letters or more.
	near []orgForm
	// kinds maps every canonical name on the list to its kind.
	kinds map[string]string
	// places are single-word place names, folded: kommuner and regions.
	places map[string]bool
}

// orgForm is a folded name of a kommun.
type orgForm struct {
	key string
	n   int // runes in key
	k   int
}

// orgData is the national list, parsed once.
var orgData = sync.OnceValue(func() *orgList {
	l, err := parseOrgList(orgsTSV)
	if err != nil {
		panic(err) // the embedded file is part of the program: TestOrgData reads it
	}
	return l
})

// parseOrgList reads the national list's text.
func parseOrgList(text string) (*orgList, error) {
	l := &orgList{
		agencies: map[string]string{},
		exact:    map[string]int{},
		folded:   map[string][]int{},
		kinds:    map[string]string{},
		places:   map[string]bool{},
	}
	addKind := func(ln int, canonical, kind string) error {
		if k, dup := l.kinds[canonical]; dup && k != kind {
			return fmt.Errorf("orgs.tsv:%d: %q is both %s and %s", ln, canonical, k, kind)
		}
		l.kinds[canonical] = kind
		return nil
	}
	for n, line := range strings.Split(text, "\n") {
		ln := n + 1
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		switch {
		case f[0] == "kommun" && len(f) == 5:
			k := orgKommun{code: f[1], name: f[2], genitive: f[3], canonical: f[4]}
			i := len(l.kommuner)
			l.kommuner = append(l.kommuner, k)
			for _, form := range []string{k.name, k.genitive} {
				key := orgKey(form)
				if j, dup := l.exact[key]; dup && j != i {
					return nil, fmt.Errorf("orgs.tsv:%d: %q names both %s and %s", ln, form, l.kommuner[j].name, k.name)
				}
				l.exact[key] = i
				fk := orgFold(key)
				if fs := l.folded[fk]; len(fs) == 0 || fs[len(fs)-1] != i {
					l.folded[fk] = append(fs, i)
					if utf8.RuneCountInString(fk) >= 5 {
						l.near = append(l.near, orgForm{fk, utf8.RuneCountInString(fk), i})
					}
				}
				if !strings.Contains(fk, " ") {
					l.places[fk] = true
				}
			}
			if err := addKind(ln, k.canonical, KindKommun); err != nil {
				return nil, err
			}
		case f[0] == "region" && len(f) == 6:
			r := orgRegion{code: f[1], lan: f[2], canonical: f[3]}
			for _, name := range append(strings.Split(f[4], "|"), f[2]) {
				words := strings.Fields(orgFold(strings.ToLower(name)))
				r.names = append(r.names, words)
				if len(words) == 1 {
					l.places[words[0]] = true
				}
			}
			if f[5] != "" {
				r.short = strings.Split(f[5], "|")
			}
			l.regions = append(l.regions, r)
			if err := addKind(ln, r.canonical, KindRegion); err != nil {
				return nil, err
			}
		case f[0] == "stat" && len(f) == 4:
			kind := map[string]string{orgAF: KindAF, orgFK: KindFK}[f[2]]
			if kind == "" {
				return nil, fmt.Errorf("orgs.tsv:%d: unknown agency %q", ln, f[2])
			}
			for _, s := range strings.Split(f[3], "|") {
				l.agencies[s] = f[2]
			}
			if err := addKind(ln, f[2], kind); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("orgs.tsv:%d: malformed line %q", ln, line)
		}
	}
	return l, nil
}

// orgLookup is how a name was found on the list.
type orgLookup int

const (
	orgNone      orgLookup = iota // near no name on the list
	orgExact                      // the name, in any case
	orgFolded                     // the name with å, ä, ö… written plain
	orgCorrected                  // one edit from a single name
	orgAmbiguous                  // as near to two or more kommuner: not guessed
)

// kommun finds the kommun a name (nominative or genitive, as written
// before "kommun") stands for. An exact name always wins; then the name
// with its diacritics folded, when that names one kommun; then a single
// kommun within one edit (Damerau-Levenshtein, folded) of a name of five
// letters or more. It never guesses between two.
func (l *orgList) kommun(name string) (*orgKommun, orgLookup) {
	key := orgKey(name)
	if i, ok := l.exact[key]; ok {
		return &l.kommuner[i], orgExact
	}
	fk := orgFold(key)
	switch fs := l.folded[fk]; len(fs) {
	case 0:
	case 1:
		return &l.kommuner[fs[0]], orgFolded
	default:
		return nil, orgAmbiguous
	}
	found, n := -1, utf8.RuneCountInString(fk)
	for _, f := range l.near {
		if f.k != found && f.n-n <= 1 && n-f.n <= 1 && orgWithinOneEdit(fk, f.key) {
			if found >= 0 {
				return nil, orgAmbiguous
			}
			found = f.k
		}
	}
	if found < 0 {
		return nil, orgNone
	}
	return &l.kommuner[found], orgCorrected
}

// orgKey lower-cases a name and writes hyphens and runs of space as one
// space: "Upplands-Bro", "upplands  bro" → "upplands bro".
func orgKey(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == '-' || unicode.IsSpace(r)
	}), " ")
}

// orgFold maps the Latin letters with diacritics that Swedish names use
// or that stand in for them (å, ä, ö, é, ü, ø, æ…) to plain ASCII, for
// comparing names written without Swedish letters. It works on lower
// and upper case alike and leaves every other rune alone.
func orgFold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case 'å', 'ä', 'á', 'à', 'â', 'ã', 'æ':
			return 'a'
		case 'Å', 'Ä', 'Á', 'À', 'Â', 'Ã', 'Æ':
			return 'A'
		case 'ö', 'ó', 'ò', 'ô', 'õ', 'ø':
			return 'o'
		case 'Ö', 'Ó', 'Ò', 'Ô', 'Õ', 'Ø':
			return 'O'
		case 'é', 'è', 'ê', 'ë':
			return 'e'
		case 'É', 'È', 'Ê', 'Ë':
			return 'E'
		case 'ü', 'ú', 'ù', 'û':
			return 'u'
		case 'Ü', 'Ú', 'Ù', 'Û':
			return 'U'
		case 'í', 'ì', 'î', 'ï':
			return 'i'
		case 'Í', 'Ì', 'Î', 'Ï':
			return 'I'
		}
		return r
	}, s)
}

// orgWithinOneEdit reports whether a and b are at most one edit apart
// (Damerau-Levenshtein, in runes): one rune inserted, deleted or changed,
// or two neighbours swapped. Words of over 64 runes are never near.
func orgWithinOneEdit(a, b string) bool {
	if a == b {
		return true
	}
	var abuf, bbuf [64]rune
	ra, ok := orgRunes(abuf[:0], a)
	if !ok {
		return false
	}
	rb, ok := orgRunes(bbuf[:0], b)
	if !ok {
		return false
	}
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	if len(ra)-len(rb) > 1 {
		return false
	}
	// Skip the common prefix and suffix; what is left must be one edit.
	p := 0
	for p < len(rb) && ra[p] == rb[p] {
		p++
	}
	sa, sb := len(ra), len(rb)
	for sb > p && ra[sa-1] == rb[sb-1] {
		sa--
		sb--
	}
	da, db := ra[p:sa], rb[p:sb]
	switch {
	case len(da) == 1 && len(db) <= 1: // insert, delete or change one
		return true
	case len(da) == 2 && len(db) == 2: // swap two neighbours
		return da[0] == db[1] && da[1] == db[0]
	}
	return false
}

// orgRunes appends the runes of s to buf while it has room.
func orgRunes(buf []rune, s string) ([]rune, bool) {
	for _, r := range s {
		if len(buf) == cap(buf) {
			return nil, false
		}
		buf = append(buf, r)
	}
	return buf, true
}
