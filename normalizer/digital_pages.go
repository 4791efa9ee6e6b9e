package normalizer

import (
	_ "embed"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/schema"
)

// The e-signature services' verification pages: Scrive's "Verifikat",
// Visma Sign's (Addo's) signing page, DocuSign's "Certificate Of
// Completion", Assently's. The signers they list (name, e-mail,
// organisation, signing time) become the record's verification_signers,
// never digital_signatures entries (nothing about them is verified):
// matched to the signature blocks' verification by the rules signatures
// are matched by, as evidence of lower weight. The words are data
// (digital_pages.json).

//go:embed digital_pages.json
var digitalPagesJSON []byte

type pageVocabulary struct {
	Services []struct {
		Service string     `json:"service"`
		Markers [][]string `json:"markers"`
	} `json:"services"`
	NameLabels         []string `json:"name_labels"`
	EmailLabels        []string `json:"email_labels"`
	OrganisationLabels []string `json:"organisation_labels"`
	TimeLabels         []string `json:"time_labels"`
	Verbs              []string `json:"verbs"`
	OtherEvents        []string `json:"other_events"`
	HeadingWords       []string `json:"heading_words"`
}

var pageVocab = func() pageVocabulary {
	var v pageVocabulary
	if err := json.Unmarshal(digitalPagesJSON, &v); err != nil {
		panic("normalizer: digital_pages.json: " + err.Error())
	}
	return v
}()

// pageSigner is one signer a verification page lists.
type pageSigner struct {
	Name, Email, Organisation string
	// SignedAt is RFC 3339; empty when the page gives no time.
	SignedAt string
}

// verificationPage reads one page's lines: the service whose
// verification page it is ("" when none) and the signers it lists.
func verificationPage(lines []string) (service string, signers []pageSigner) {
	service = pageService(lines)
	if service == "" {
		return "", nil
	}
	signers = pageSigners(lines)
	if len(signers) == 0 {
		return "", nil
	}
	return service, signers
}

// pageService is the first service all of whose marker groups have a
// line starting with one of their words.
func pageService(lines []string) string {
	folded := make([]string, len(lines))
	for i, l := range lines {
		folded[i] = foldText(l)
	}
	for _, s := range pageVocab.Services {
		ok := true
		for _, group := range s.Markers {
			ok = ok && slices.ContainsFunc(folded, func(l string) bool {
				return slices.ContainsFunc(group, func(m string) bool { return startsWithWords(l, foldText(m)) })
			})
		}
		if ok {
			return s.Service
		}
	}
	return ""
}

// startsWithWords: folded line l begins with the folded words m, ending
// at a word boundary.
func startsWithWords(l, m string) bool {
	return m != "" && strings.HasPrefix(l, m) && (len(l) == len(m) || l[len(m)] == ' ')
}

// label splits "Signerat av: Anna Svensson" into its label's kind
// ("name", "email", "organisation", "time") and the rest; "" when the
// line does not start with a label. The longest label wins ("signerat
// av" is a name's, "signerat" a time's).
func label(line string) (kind, rest string) {
	best := 0
	for _, k := range []struct {
		kind   string
		labels []string
	}{
		{"name", pageVocab.NameLabels}, {"email", pageVocab.EmailLabels},
		{"organisation", pageVocab.OrganisationLabels}, {"time", pageVocab.TimeLabels},
	} {
		for _, l := range k.labels {
			if r, ok := cutLabel(line, l); ok && len(l) > best {
				best, kind, rest = len(l), k.kind, r
			}
		}
	}
	return kind, rest
}

// cutLabel: line starts with lab (case aside) followed by a colon, the
// end, or a space, and what follows.
func cutLabel(line, lab string) (string, bool) {
	line = strings.TrimSpace(line)
	if len(line) < len(lab) || !strings.EqualFold(line[:len(lab)], lab) {
		return "", false
	}
	// The label stands alone (its value on the next line) or is
	// followed by a colon: "Signer Events" is a heading, not a signer.
	rest := strings.TrimSpace(line[len(lab):])
	switch {
	case rest == "":
		return "", true
	case rest[0] == ':':
		return strings.TrimSpace(rest[1:]), true
	}
	return "", false
}

var (
	reEmail    = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	reISOTime  = regexp.MustCompile(`(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*(UTC|GMT|CEST|CET|Z|[+-]\d{2}:?\d{2}))?`)
	reUSTime   = regexp.MustCompile(`(\d{1,2})/(\d{1,2})/(\d{4})\s*\|?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?`)
	reInitials = regexp.MustCompile(`\s*\([A-ZÅÄÖ]{1,4}\)`)
)

// pageSigners reads the signers of a verification page's lines: an entry
// starts at a name label, or at an e-mail address (its name the
// name-like line before it); its e-mail, organisation and time follow
// until the next entry. "Anna Svensson signerade 2023-10-16 10:00"
// (an event log) gives a listed signer's time, or a signer of its own.
func pageSigners(lines []string) []pageSigner {
	var out []pageSigner
	cur := -1 // index into out of the entry being read
	start := func(name string) {
		out = append(out, pageSigner{Name: cleanName(name)})
		cur = len(out) - 1
	}
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		if name, at, ok := signedEvent(line); ok {
			k := slices.IndexFunc(out, func(s pageSigner) bool { return s.Name != "" && sameName(s.Name, name) })
			if k < 0 {
				out = append(out, pageSigner{Name: name})
				k = len(out) - 1
			}
			if out[k].SignedAt == "" {
				out[k].SignedAt = at
			}
			continue
		}
		kind, rest := label(line)
		switch kind {
		case "name":
			if rest == "" && i+1 < len(lines) {
				rest = lines[i+1]
			}
			if rest != "" && !reEmail.MatchString(rest) {
				start(rest)
			}
			if m := reEmail.FindString(rest); m != "" {
				start("")
				out[cur].Email = m
			}
			continue
		case "email":
			if m := reEmail.FindString(rest); m != "" {
				if cur < 0 || out[cur].Email != "" {
					start("")
				}
				out[cur].Email = m
			}
			continue
		case "organisation":
			if cur >= 0 && rest != "" && out[cur].Organisation == "" {
				out[cur].Organisation = rest
			}
			continue
		}
		if m := reEmail.FindString(line); m != "" && len(strings.Fields(line)) <= 3 {
			if cur < 0 || out[cur].Email != "" {
				// The name-like line just before it names the signer;
				// an organisation between them is the signer's.
				name, org := "", ""
				for j := i - 1; j >= max(0, i-2); j-- {
					if n := trailingName(lines[j]); n != "" {
						name = n
						break
					}
					if OrganisationKind(strings.TrimSpace(lines[j])) != "" {
						org = strings.TrimSpace(lines[j])
					}
				}
				start(name)
				out[cur].Organisation = org
			}
			out[cur].Email = m
			continue
		}
		if cur >= 0 && out[cur].SignedAt == "" && !otherEvent(line) {
			if at, ok := pageTime(line); ok {
				out[cur].SignedAt = at
				continue
			}
		}
		if cur >= 0 && out[cur].Organisation == "" && out[cur].Email == "" && OrganisationKind(line) != "" {
			out[cur].Organisation = line
		}
	}
	// An entry that names nobody (a time or organisation alone) is no
	// signer; the same signer twice is one.
	var signers []pageSigner
	for _, s := range out {
		if s.Name == "" && s.Email == "" {
			continue
		}
		k := slices.IndexFunc(signers, func(t pageSigner) bool {
			return s.Email != "" && strings.EqualFold(s.Email, t.Email) || s.Name != "" && t.Name != "" && sameName(s.Name, t.Name)
		})
		if k < 0 {
			signers = append(signers, s)
			continue
		}
		t := &signers[k]
		t.Name, t.Email = cmpOr(t.Name, s.Name), cmpOr(t.Email, s.Email)
		t.Organisation, t.SignedAt = cmpOr(t.Organisation, s.Organisation), cmpOr(t.SignedAt, s.SignedAt)
	}
	return signers
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// otherEvent: the line times an event that is not the signing ("Sent:",
// "Skickat", "Initierat på").
func otherEvent(line string) bool {
	f := foldText(line)
	return slices.ContainsFunc(pageVocab.OtherEvents, func(e string) bool { return startsWithWords(f, foldText(e)) })
}

// signedEvent reads "Anna Svensson (AS) signerade 2023-10-16 10:00:00
// CEST": a name-like subject, a signing verb, a time.
func signedEvent(line string) (name, at string, ok bool) {
	for _, v := range pageVocab.Verbs {
		i := strings.Index(strings.ToLower(line), " "+v+" ")
		if i <= 0 {
			continue
		}
		subject := trailingName(line[:i])
		t, found := pageTime(line[i:])
		if found && subject != "" {
			return subject, t, true
		}
	}
	return "", "", false
}

// trailingName is the name a line ends with: the line itself when it is
// name-like, else its last two to four words when they are and none is a
// heading's ("Signer Events Signature Timestamp Anna Svensson").
func trailingName(line string) string {
	w := strings.Fields(cleanName(line))
	for n := min(5, len(w)); n >= 2; n-- {
		cand := strings.Join(w[len(w)-n:], " ")
		if nameLike(cand) && !slices.ContainsFunc(w[len(w)-n:], func(x string) bool {
			return slices.Contains(pageVocab.HeadingWords, strings.ToLower(x))
		}) {
			return cand
		}
	}
	return ""
}

// cleanName drops initials in brackets ("Anna Svensson (AS)") and a
// role after a comma or a tab.
func cleanName(s string) string {
	s = reInitials.ReplaceAllString(s, "")
	if i := strings.IndexAny(s, ",\t"); i > 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// nameLike: two to five words, each starting with a capital letter and
// holding only letters, hyphens and apostrophes, and not an
// organisation's name ("Region Uppsala").
func nameLike(s string) bool {
	s = cleanName(s)
	w := strings.Fields(s)
	if len(w) < 2 || len(w) > 5 || OrganisationKind(s) != "" {
		return false
	}
	for _, x := range w {
		r := []rune(x)
		if !unicode.IsUpper(r[0]) {
			return false
		}
		for _, c := range r {
			if !unicode.IsLetter(c) && c != '-' && c != '\'' && c != '.' {
				return false
			}
		}
	}
	if k, _ := label(s); k != "" {
		return false
	}
	return true
}

// pageTime finds a signing time in s: "2023-10-16 10:00:00 CEST",
// "2023-10-16 10:00", DocuSign's "10/16/2023 | 10:00:12 AM". Without a
// zone the time is Swedish (CET, CEST in summer). RFC 3339.
func pageTime(s string) (string, bool) {
	var y, mo, d, h, mi, sec int
	zone := ""
	if m := reISOTime.FindStringSubmatch(s); m != nil {
		y, mo, d, h, mi, sec = atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5]), atoi(m[6])
		zone = m[7]
	} else if m := reUSTime.FindStringSubmatch(s); m != nil {
		mo, d, y, h, mi, sec = atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5]), atoi(m[6])
		switch strings.ToLower(m[7]) {
		case "pm":
			if h < 12 {
				h += 12
			}
		case "am":
			if h == 12 {
				h = 0
			}
		}
	} else {
		return "", false
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 {
		return "", false
	}
	var loc *time.Location
	switch {
	case zone == "UTC" || zone == "GMT" || zone == "Z":
		loc = time.UTC
	case zone == "CET":
		loc = time.FixedZone("CET", 3600)
	case zone == "CEST":
		loc = time.FixedZone("CEST", 7200)
	case zone != "":
		z := strings.ReplaceAll(zone, ":", "")
		off := (atoi(z[1:3])*60 + atoi(z[3:5])) * 60
		if z[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	default:
		loc = swedish(y, mo, d, h)
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, loc)
	if t.Day() != d {
		return "", false // 31 February
	}
	return t.Format(time.RFC3339), true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// swedish is Swedish local time's zone at a wall-clock time: CEST from
// the last Sunday of March 02:00 to the last Sunday of October 03:00,
// else CET (the EU rule since 1996).
func swedish(y, mo, d, h int) *time.Location {
	lastSunday := func(m time.Month) int {
		t := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC) // the month's last day
		return t.Day() - int(t.Weekday())
	}
	cest := time.FixedZone("CEST", 7200)
	cet := time.FixedZone("CET", 3600)
	switch {
	case mo > 3 && mo < 10:
		return cest
	case mo == 3 && (d > lastSunday(3) || d == lastSunday(3) && h >= 2):
		return cest
	case mo == 10 && (d < lastSunday(10) || d == lastSunday(10) && h < 3):
		return cest
	}
	return cet
}

// pageLines are the lines of each page of d, in reading order: page →
// lines. The page's furniture (a header the reader set apart) comes
// first. A paragraph the reader joined from a page's lines is cut into
// lines again (segment).
func pageLines(d *extractor.Document) map[int][]string {
	out := map[int][]string{}
	add := func(page int, text string) {
		for _, l := range strings.Split(text, "\n") {
			out[page] = append(out[page], segment(l)...)
		}
	}
	for _, b := range d.Furniture {
		if b.Page > 0 && b.Table == nil {
			add(b.Page, b.Text)
		}
	}
	for _, b := range d.Blocks {
		if b.Page <= 0 {
			continue
		}
		if b.Table != nil {
			for _, r := range b.Table.Rows {
				var cells []string
				for _, c := range r.Cells {
					cells = append(cells, c.Text)
				}
				add(b.Page, strings.Join(cells, "\n"))
			}
			continue
		}
		add(b.Page, b.Text)
	}
	return out
}

// verificationSigners lists the signers of d's verification pages for
// the record's verification_signers, page by page.
func verificationSigners(d *extractor.Document) []schema.VerificationSigner {
	if d.Format != extractor.FormatPDF && !d.Format.IsImage() {
		return nil
	}
	pages := pageLines(d)
	nums := make([]int, 0, len(pages))
	for p := range pages {
		nums = append(nums, p)
	}
	slices.Sort(nums)
	var out []schema.VerificationSigner
	for _, p := range nums {
		service, signers := verificationPage(pages[p])
		for _, s := range signers {
			out = append(out, schema.VerificationSigner{
				File:         d.Name,
				Service:      service,
				Page:         p,
				Name:         nonEmpty(s.Name),
				Organisation: nonEmpty(s.Organisation),
				Email:        nonEmpty(s.Email),
				SignedAt:     nonEmpty(s.SignedAt),
			})
		}
	}
	return out
}

// segment cuts a paragraph joined from a verification page's lines into
// lines again, where a line of such a page ends: around an e-mail
// address, after a time ("… 10:00:00 CEST (+0200)"), after initials in
// brackets ("Anna Svensson (AS)") unless a signing verb follows, before
// a label with a colon ("E-post:", "Sent:"), and after a heading or a
// label standing at the start of a line ("Signerande parter", "Signed
// by").
func segment(text string) []string {
	var cuts []int
	for _, m := range reEmail.FindAllStringIndex(text, -1) {
		cuts = append(cuts, m[0], m[1])
	}
	for _, re := range []*regexp.Regexp{reISOTimeTail, reUSTimeTail} {
		for _, m := range re.FindAllStringIndex(text, -1) {
			cuts = append(cuts, m[1])
		}
	}
	for _, m := range reInitials.FindAllStringIndex(text, -1) {
		next := strings.ToLower(strings.TrimSpace(text[m[1]:]))
		if !slices.ContainsFunc(pageVocab.Verbs, func(v string) bool { return strings.HasPrefix(next, v+" ") }) {
			cuts = append(cuts, m[1])
		}
	}
	for _, m := range reColonLabel.FindAllStringSubmatchIndex(text, -1) {
		cuts = append(cuts, m[2])
	}
	slices.Sort(cuts)
	var lines []string
	prev := 0
	for _, c := range append(cuts, len(text)) {
		if c < prev {
			continue
		}
		lines = append(lines, splitHeads(strings.TrimSpace(text[prev:c]))...)
		prev = c
	}
	return slices.DeleteFunc(lines, func(l string) bool { return l == "" })
}

// splitHeads splits a marker or a name label standing at the start of a
// line without a colon from what follows: "Signerande parter Anna
// Svensson (AS)" is two lines.
func splitHeads(line string) []string {
	if line == "" {
		return nil
	}
	heads := slices.Clone(pageVocab.NameLabels)
	for _, s := range pageVocab.Services {
		for _, g := range s.Markers {
			heads = append(heads, g...)
		}
	}
	best := 0
	for _, h := range heads {
		if len(h) > best && len(line) > len(h) && strings.EqualFold(line[:len(h)], h) && line[len(h)] == ' ' {
			best = len(h)
		}
	}
	if best == 0 {
		return []string{line}
	}
	return append([]string{line[:best]}, splitHeads(strings.TrimSpace(line[best:]))...)
}

var (
	// A time as it ends a line: with its zone and a bracketed offset.
	reISOTimeTail = regexp.MustCompile(reISOTime.String() + `(?:\s*\((?:UTC|GMT)?[+-]\d{1,2}(?::?\d{2})?\))?`)
	reUSTimeTail  = regexp.MustCompile(reUSTime.String())
	// A label with a colon, after a space: the cut goes before it.
	reColonLabel = regexp.MustCompile(`\s((?i:` + strings.Join(func() []string {
		var ls []string
		v := pageVocab
		for _, l := range slices.Concat(v.NameLabels, v.EmailLabels, v.OrganisationLabels, v.TimeLabels, v.OtherEvents) {
			ls = append(ls, regexp.QuoteMeta(l))
		}
		slices.SortFunc(ls, func(a, b string) int { return len(b) - len(a) })
		return ls
	}(), "|") + `)\s*:)`)
)
