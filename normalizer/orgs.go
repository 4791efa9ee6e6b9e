package normalizer

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Organisation kinds.
const (
	KindKommun = "kommun"
	KindRegion = "region"
	KindAF     = "arbetsformedlingen"
	KindFK     = "forsakringskassan"
)

// Canonical names of the two state agencies.
const (
	orgAF = "Arbetsförmedlingen"
	orgFK = "Försäkringskassan"
)

// CanonicalOrganisation maps an organisation name as written to its
// canonical form: "Uppsala Kommun", "uppsala kommun" → "Uppsala kommun";
// "Region uppsala", "Landstinget i Uppsala län", "LUL" → "Region
// Uppsala"; "AF", "Arbetsförmedlningen", "Arbetsförmedlingen Uppsala
// län", "Arbetsförmedlingen, Uppsala" → "Arbetsförmedlingen"; "FK",
// "Försäkrningskassan", "Försäkringskassan, LFC Uppsala" →
// "Försäkringskassan". An "Organisation:" prefix, trailing punctuation and
// a sub-unit after "/", ",", "(" or a dash ("Uppsala kommun /
// Arbetsmarknadsförvaltningen") are allowed; a list of several
// organisations ("Arbetsförmedlingen, Region Uppsala och
// Försäkringskassan") and anything else after the name are not.
//
// Kommuner and regions are looked up on the national list (orgs.tsv: all
// 290 kommuner and 21 regions): a kommun in the nominative or the
// genitive before "kommun" or "stad" ("Tierp kommun", "Jönköpings
// kommun", "Falun kommun" → "Falu kommun", "Stockholms kommun" →
// "Stockholms stad"), in any case and with å/ä/ö written plain; a
// misspelling is corrected only to a single name one edit away
// ("Älvkarleyb kommun" → "Älvkarleby kommun"), never when the name as
// written is on the list (Nyköping stays Nyköping, Habo stays Habo) and
// never when two kommuner are as near ("Hafors kommun": Hofors or
// Hagfors?). A capitalised name the list does not know is kept as written
// before "kommun" ("Pargas kommun") or after "Region" ("Region Nyland").
// A bare place name ("Uppsala") and placeholders ("NAMN",
// "Huvudinsatsägare", "Kommunen") are not organisations.
func CanonicalOrganisation(s string) (name string, ok bool) {
	org, rest, ok := orgSplit(s)
	if !ok {
		return "", false
	}
	rest = strings.TrimRight(rest, " .,;:")
	if rest == "" {
		return org, true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	switch r {
	case '/', ',', '(', '-', '–', '—':
	default:
		return "", false
	}
	if orgFindIn(rest) {
		return "", false // a list of parties, not a party and its unit
	}
	return org, true
}

// OrganisationKind tells which kind of member party a canonical name is:
// KindKommun, KindRegion, KindAF, KindFK, or "" when it is none. A name
// that is not canonical is canonicalised first.
func OrganisationKind(canonical string) string {
	if k := orgKind(canonical); k != "" {
		return k
	}
	if c, ok := CanonicalOrganisation(canonical); ok {
		return orgKind(c)
	}
	return ""
}

// SplitOrganisation finds an organisation name at the start of s and
// returns it canonical, with the rest of s trimmed: "Region Uppsala
// 2022-06-" → ("Region Uppsala", "2022-06-"), "Arbetsförmedlingen
// Uppsala län" → ("Arbetsförmedlingen", ""). A regional suffix after
// Arbetsförmedlingen or Försäkringskassan is dropped with the name. When
// no organisation starts s, it returns ("", s, false).
func SplitOrganisation(s string) (org, rest string, ok bool) {
	org, rest, ok = orgSplit(s)
	if !ok {
		return "", s, false
	}
	return org, rest, true
}

func orgKind(c string) string {
	if k, ok := orgData().kinds[c]; ok {
		return k
	}
	// A name not on the list, kept as written: "Region Nyland", "Pargas kommun".
	switch {
	case strings.HasPrefix(c, "Region ") && len(c) > len("Region "):
		return KindRegion
	case strings.HasSuffix(c, " kommun") && len(c) > len(" kommun"):
		return KindKommun
	}
	return ""
}

// orgSplit does SplitOrganisation.
func orgSplit(s string) (org, rest string, ok bool) {
	t := orgTrimPrefix(s)
	if t == "" {
		return "", s, false
	}
	w, end := orgWord(t, 0)
	if w == "" {
		return "", s, false
	}
	lw := strings.ToLower(w)
	// Only a lone word can be trusted to be "af" or "fk" in lower case.
	alone := strings.TrimRight(t[end:], " .,;:") == ""

	// Arbetsförmedlingen, Försäkringskassan.
	agency := ""
	short := orgData().agencies
	switch {
	case short[w] != "":
		agency = short[w]
	case alone && short[strings.ToUpper(w)] != "":
		agency = short[strings.ToUpper(w)]
	case strings.HasSuffix(lw, "ens") || strings.HasSuffix(lw, "ans"):
		// The genitive ("Arbetsförmedlingens utbud") names no party.
	case len(lw) >= 14 && orgDistance(lw, "arbetsförmedlingen", 3) <= 2:
		agency = orgAF
	case len(lw) >= 14 && orgDistance(lw, "försäkringskassan", 3) <= 2:
		agency = orgFK
	}
	if agency != "" {
		return agency, strings.TrimSpace(t[orgDropPlace(t, end):]), true
	}

	// Regions.
	if lw == "region" {
		if name, e, ok := orgRegionName(t, end); ok {
			return name, strings.TrimSpace(t[e:]), true
		}
		return "", s, false
	}
	if lw == "västra" {
		if w2, e2 := orgWord(t, numSkipInline(t, end)); strings.EqualFold(w2, "Götalandsregionen") {
			return "Västra Götalandsregionen", strings.TrimSpace(t[e2:]), true
		}
	}
	for _, r := range orgData().regions {
		for _, sh := range r.short {
			if w == sh {
				return r.canonical, strings.TrimSpace(t[end:]), true
			}
		}
	}
	if lw == "landstinget" {
		if name, e, ok := orgLandsting(t, end); ok {
			return name, strings.TrimSpace(t[e:]), true
		}
		return "", s, false
	}

	// Kommuner: "<Name> kommun", "<Name>s kommun", "<Name>s stad".
	if name, e, ok := orgKommunName(t, w, end); ok {
		return name, strings.TrimSpace(t[e:]), true
	}
	// "<Name>s läns landsting"
	if name, e, ok := orgLansLandsting(t, w, end); ok {
		return name, strings.TrimSpace(t[e:]), true
	}
	return "", s, false
}

// orgTrimPrefix trims space, a leading list bullet and an
// "Organisation:" label.
func orgTrimPrefix(s string) string {
	t := strings.TrimSpace(s)
	t = strings.TrimLeft(t, "•*·-–— \t")
	if len(t) >= len("organisation") && strings.EqualFold(t[:len("organisation")], "organisation") {
		u := strings.TrimSpace(t[len("organisation"):])
		if strings.HasPrefix(u, ":") {
			t = strings.TrimSpace(u[1:])
		}
	}
	return t
}

// orgWord reads the word at s[i]: letters, with hyphens inside
// ("Upplands-Bro"). It returns "" when s[i] does not start a word.
func orgWord(s string, i int) (string, int) {
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if unicode.IsLetter(r) {
			j += size
			continue
		}
		if r == '-' && j > i && j+1 < len(s) {
			n, _ := utf8.DecodeRuneInString(s[j+1:])
			if unicode.IsLetter(n) {
				j++
				continue
			}
		}
		break
	}
	return s[i:j], j
}

// orgKnownRegion matches a region's name at s[i] (case-insensitive, å/ä/ö
// optional), the longest that matches; else, in a one-word name of five
// letters or more, one edit from a single region's ("Region Upsala").
func orgKnownRegion(s string, i int) (string, int, bool) {
	// The next words, folded, and where each ends.
	var words [3]string
	var ends [3]int
	n := 0
	for j := i; n < len(words); n++ {
		if n > 0 {
			k := numSkipInline(s, j)
			if k == j {
				break
			}
			j = k
		}
		w, e := orgWord(s, j)
		if w == "" {
			break
		}
		words[n], ends[n], j = orgFold(strings.ToLower(w)), e, e
	}
	if n == 0 {
		return "", i, false
	}
	regions := orgData().regions
	best, bestEnd := "", 0
	for _, r := range regions {
		for _, name := range r.names {
			if len(name) <= n && slices.Equal(name, words[:len(name)]) && ends[len(name)-1] > bestEnd {
				best, bestEnd = r.canonical, ends[len(name)-1]
			}
		}
	}
	if best != "" {
		return best, bestEnd, true
	}
	fw := words[0]
	if utf8.RuneCountInString(fw) < 5 {
		return "", i, false
	}
	found := ""
	for _, r := range regions {
		for _, name := range r.names {
			if found != r.canonical && len(name) == 1 && utf8.RuneCountInString(name[0]) >= 5 && orgWithinOneEdit(fw, name[0]) {
				if found != "" {
					return "", i, false // two regions as near: do not guess
				}
				found = r.canonical
			}
		}
	}
	return found, ends[0], found != ""
}

// orgRegionName reads the name after "Region" at s[end].
func orgRegionName(s string, end int) (string, int, bool) {
	i := numSkipInline(s, end)
	if i == end {
		return "", end, false
	}
	if name, e, ok := orgKnownRegion(s, i); ok {
		return name, e, true
	}
	w, e := orgWord(s, i)
	r, _ := utf8.DecodeRuneInString(w)
	if w == "" || !unicode.IsUpper(r) || orgIsShouting(w) {
		return "", end, false
	}
	return "Region " + w, e, true
}

// orgLandsting reads "Landstinget i Uppsala län", "Landstinget Dalarna".
func orgLandsting(s string, end int) (string, int, bool) {
	i := numSkipInline(s, end)
	if w, e := orgWord(s, i); strings.EqualFold(w, "i") {
		i = numSkipInline(s, e)
	}
	name, e, ok := orgKnownRegion(s, i)
	if !ok {
		return "", end, false
	}
	if w, e2 := orgWord(s, numSkipInline(s, e)); strings.EqualFold(w, "län") {
		e = e2
	}
	return name, e, true
}

// orgLansLandsting reads "Uppsala läns landsting", "Stockholms läns
// landsting": the first word is the län's name before "län".
func orgLansLandsting(s, w string, end int) (string, int, bool) {
	w2, e2 := orgWord(s, numSkipInline(s, end))
	if !strings.EqualFold(w2, "läns") {
		return "", 0, false
	}
	w3, e3 := orgWord(s, numSkipInline(s, e2))
	if !strings.EqualFold(w3, "landsting") {
		return "", 0, false
	}
	key := orgFold(strings.ToLower(w)) + " lan"
	for _, r := range orgData().regions {
		if orgFold(orgKey(r.lan)) == key {
			return r.canonical, e3, true
		}
	}
	return "", 0, false
}

// orgNotKommunNames are capitalised words that can stand before
// "kommun" without naming one.
var orgNotKommunNames = map[string]bool{
	"den": true, "denna": true, "det": true, "varje": true, "vilken": true, "vilka": true,
	"hela": true, "vår": true, "er": true, "din": true, "min": true, "samma": true,
	"annan": true, "aktuell": true, "berörd": true, "respektive": true, "egen": true,
	"någon": true, "ingen": true, "alla": true, "en": true, "ena": true, "andra": true,
	"namn": true, "ort": true, "ansvarig": true, "deltagande": true, "medverkande": true,
	"region": true, "landstinget": true, "hem": true, "vald": true, "bosättnings": true,
}

// orgKommunName reads "<Name> kommun" or "<Name> stad" at the start of
// s, whose first word w ends at end. The name is one word or two ("Lilla
// Edets kommun"), in the nominative or the genitive ("Tierp kommun",
// "Tierps kommun"), and is looked up on the national list
// (orgList.kommun). A capitalised word the list does not know, or knows
// only as near to two kommuner, is kept as written before "kommun"
// ("Pargas kommun"); before "stad" it names no party.
func orgKommunName(s, w string, end int) (string, int, bool) {
	d := orgData()
	ke, stad, ok := orgKommunWord(s, end)
	if !ok {
		// Two words: "Lilla Edets kommun", "Upplands Bro kommun".
		i := numSkipInline(s, end)
		if i == end {
			return "", 0, false
		}
		w2, e2 := orgWord(s, i)
		if w2 == "" {
			return "", 0, false
		}
		if ke, _, ok := orgKommunWord(s, e2); ok {
			if k, how := d.kommun(w + " " + w2); how != orgNone && how != orgAmbiguous {
				return k.canonical, ke, true
			}
		}
		return "", 0, false
	}
	if k, how := d.kommun(w); how != orgNone && how != orgAmbiguous {
		return k.canonical, ke, true
	}
	r, _ := utf8.DecodeRuneInString(w)
	if stad || !unicode.IsUpper(r) || utf8.RuneCountInString(w) < 2 || orgIsShouting(w) || orgNotKommunNames[strings.ToLower(w)] {
		return "", 0, false
	}
	return w + " kommun", ke, true
}

// orgKommunWord matches " kommun" (any case, also "komun") or " stad" at
// s[i] as a whole word and returns its end.
func orgKommunWord(s string, i int) (end int, stad, ok bool) {
	j := numSkipInline(s, i)
	if j == i {
		return 0, false, false
	}
	w, e := orgWord(s, j)
	switch strings.ToLower(w) {
	case "kommun", "komun":
		return e, false, true
	case "stad":
		return e, true, true
	}
	return 0, false, false
}

// orgIsShouting reports whether w is in capitals throughout ("NAMN").
func orgIsShouting(w string) bool {
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// orgIsPlace tells whether a word, folded, is a place that may follow
// Arbetsförmedlingen or Försäkringskassan as a regional suffix: a kommun,
// a region, or one of a few more.
func orgIsPlace(fw string) bool {
	switch fw {
	case "sverige", "balsta":
		return true
	}
	return orgData().places[fw]
}

// orgDropPlace skips a regional suffix after an agency's name at s[end]
// (", Uppsala", " Uppsala län", " i Enköping", ", LFC Uppsala") and
// returns where the rest starts; end when there is none.
func orgDropPlace(s string, end int) int {
	i := numSkipInline(s, end)
	if i < len(s) && (s[i] == ',' || s[i] == '-') {
		i = numSkipInline(s, i+1)
	} else if strings.HasPrefix(s[i:], "–") {
		i = numSkipInline(s, i+len("–"))
	}
	w, e := orgWord(s, i)
	switch strings.ToLower(w) {
	case "i":
		i = numSkipInline(s, e)
	case "lfc", "lkc", "lokalkontor", "kontor", "lokalt":
		if strings.EqualFold(w, "lokalt") {
			if w2, e2 := orgWord(s, numSkipInline(s, e)); strings.EqualFold(w2, "försäkringscenter") {
				e = e2
			}
		}
		i = numSkipInline(s, e)
	}
	w, e = orgWord(s, i)
	r, _ := utf8.DecodeRuneInString(w)
	if w == "" || !unicode.IsUpper(r) || orgIsShouting(w) && len(w) > 3 {
		return end
	}
	if _, _, ok := orgSplit(s[i:]); ok {
		return end // another organisation: a list
	}
	after := e
	if w2, e2 := orgWord(s, numSkipInline(s, e)); strings.EqualFold(w2, "län") || strings.EqualFold(w2, "läns") {
		after = e2
	} else if !orgIsPlace(orgFold(strings.ToLower(strings.TrimSuffix(w, "s")))) && !orgIsPlace(orgFold(strings.ToLower(w))) {
		// An unknown word is a place only at the end or before a date
		// or a separator.
		j := numSkipInline(s, e)
		if j < len(s) {
			c := s[j]
			if !numIsDigit(c) && strings.IndexByte(",;/()-", c) < 0 {
				return end
			}
		}
	}
	return after
}

// orgFindIn reports whether an organisation starts at any word of s.
func orgFindIn(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) {
			if _, _, ok := orgSplit(s[i:]); ok {
				return true
			}
			_, e := orgWord(s, i)
			if e == i {
				e = i + size
			}
			i = e
			continue
		}
		i += size
	}
	return false
}

// orgDistance is the Levenshtein distance in runes between a and b, or
// limit when it is at least limit. Words of over 64 runes are never close.
func orgDistance(as, bs string, limit int) int {
	var abuf, bbuf [64]rune
	a, b := abuf[:0], bbuf[:0]
	for _, r := range as {
		if len(a) == cap(a) {
			return limit
		}
		a = append(a, r)
	}
	for _, r := range bs {
		if len(b) == cap(b) {
			return limit
		}
		b = append(b, r)
	}
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	var prev, cur [65]int
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev = cur
	}
	return min(prev[len(b)], limit)
}
