package normalizer

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/finsam/ansokan/profile"
)

// What a matched heading or label opens.
const (
	fieldTitle        = "title"
	fieldOwner        = "owner"
	fieldPartners     = "partners"
	fieldPeriod       = "period"
	fieldParticipants = "participants"
	fieldAnchoring    = "anchoring"
	fieldAnchoringHow = "anchoring_how"
	fieldSignature    = "signature"
	fieldStart        = "start"
	fieldEnd          = "end"
	fieldIntakeEnd    = "intake_end"
	fieldSection      = "section" // a free-text section; key in match.key
	// fieldForm is the form's own title ("Ansökan om medel för
	// samverkansinsats"): the document's name, never a section.
	fieldForm = "form"
)

// heading is one variant of a heading, normalized, with what it opens.
type heading struct {
	field string
	key   string // section key for fieldSection
	norm  string
	words int
}

// match is a paragraph recognised as a heading or label.
type match struct {
	heading
	written string // the heading as written in the document (without the answer)
	rest    string // text after the heading on the same line (an inline answer)
}

// inline labels do not end the section they stand in.
func (m match) inline() bool {
	switch m.field {
	case fieldParticipants, fieldStart, fieldEnd, fieldIntakeEnd:
		return true
	}
	return false
}

// matcher recognises a profile's headings.
type matcher struct {
	headings []heading // longest first
	subheads map[string]bool
}

func newMatcher(p *profile.Profile) *matcher {
	m := &matcher{subheads: map[string]bool{}}
	add := func(field, key string, variants []string) {
		for _, v := range variants {
			n := normHeading(v)
			if n == "" {
				continue
			}
			m.headings = append(m.headings, heading{field: field, key: key, norm: n, words: len(strings.Fields(n))})
		}
	}
	f := p.Fields
	add(fieldTitle, "", f.Title)
	add(fieldOwner, "", f.Owner)
	add(fieldPartners, "", f.Partners)
	add(fieldPeriod, "", f.Period)
	add(fieldParticipants, "", f.Participants)
	add(fieldAnchoring, "", f.Anchoring)
	add(fieldAnchoringHow, "", f.AnchoringHow)
	add(fieldSignature, "", f.Signature)
	add(fieldStart, "", f.Start)
	add(fieldEnd, "", f.End)
	add(fieldIntakeEnd, "", f.IntakeEnd)
	for _, s := range p.Sections {
		add(fieldSection, s.Key, s.Headings)
	}
	// Longest variant first, so "planerat slutdatum för intag…" wins over
	// "planerat slutdatum".
	for i := 1; i < len(m.headings); i++ {
		for j := i; j > 0 && len(m.headings[j].norm) > len(m.headings[j-1].norm); j-- {
			m.headings[j], m.headings[j-1] = m.headings[j-1], m.headings[j]
		}
	}
	for _, s := range p.Agreement.Subheadings {
		m.subheads[normHeading(s)] = true
	}
	return m
}

func matchInline(field string) bool {
	return match{heading: heading{field: field}}.inline()
}

// maxHeadingRunes bounds what can be a heading: a long paragraph that
// happens to start with "Syfte" is an answer.
const maxHeadingRunes = 220

// match recognises text as a heading (or an inline label with its answer).
// A one-word variant ("Syfte", "Mål") must be the whole text; a longer
// variant may be followed by a parenthesis, a colon and an inline answer,
// or a question mark.
func (m *matcher) match(text string) (match, bool) {
	line := strings.Join(strings.Fields(strings.ReplaceAll(text, "\n", " ")), " ")
	if line == "" || utf8.RuneCountInString(line) > maxHeadingRunes*4 {
		return match{}, false
	}
	n := normHeading(line)
	for _, h := range m.headings {
		if n == h.norm {
			return match{heading: h, written: strings.TrimSpace(line)}, true
		}
	}
	for _, h := range m.headings {
		if !strings.HasPrefix(n, h.norm) {
			continue
		}
		// A one-word variant ("Startdatum", "Syfte") may carry an answer
		// only as a label: "Startdatum: 2024-08-01". For free-text
		// sections a one-word variant must stand alone, or every answer
		// starting "Syfte: …" mid-text would open a section.
		if h.words < 2 && (!matchInline(h.field) || !strings.HasPrefix(n[len(h.norm):], ":")) {
			continue
		}
		after := n[len(h.norm):]
		r, _ := utf8.DecodeRuneInString(after)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			continue // "mål" is not a prefix of "målgrupp"
		}
		written, rest := splitWritten(line, h)
		// An inline answer follows a colon; a parenthesis or question mark is
		// part of the heading. Anything else is a paragraph that starts with
		// the heading's words.
		trimmed := strings.TrimSpace(rest)
		switch {
		case trimmed == "":
		case strings.HasPrefix(trimmed, ":"):
			rest = strings.TrimSpace(strings.TrimPrefix(trimmed, ":"))
		case strings.HasPrefix(trimmed, "(") || strings.HasPrefix(trimmed, "?") || strings.HasPrefix(trimmed, "*"):
			// "(separat budget ska bifogas enligt mall)", "(*)": part of the heading;
			// an answer may still follow a colon after it.
			head, ans, found := strings.Cut(trimmed, ":")
			written = strings.TrimSpace(written + " " + head)
			rest = ""
			if found {
				rest = strings.TrimSpace(ans)
			}
			if !found && utf8.RuneCountInString(line) > maxHeadingRunes {
				continue
			}
		case strings.HasSuffix(line, "?") && utf8.RuneCountInString(line) <= maxHeadingRunes:
			// The question worded for another förbund: "Har ansökan
			// diskuterats i beredningsgruppen?"
			written, rest = line, ""
		default:
			continue
		}
		return match{heading: h, written: written, rest: rest}, true
	}
	return match{}, false
}

// splitWritten cuts the written line after the words of heading h.
func splitWritten(line string, h heading) (written, rest string) {
	// Walk the written line until its normalized prefix covers h.norm.
	for i := range line {
		if i == 0 {
			continue
		}
		if normHeading(line[:i]) == h.norm {
			// extend over closing marks that normalize away: " (*)", "*"
			j := i
			for j < len(line) && strings.ContainsRune(" *()", rune(line[j])) {
				if strings.HasPrefix(line[j:], "(*)") {
					j += 3
					continue
				}
				if line[j] == '*' || line[j] == ' ' {
					j++
					continue
				}
				break
			}
			return strings.TrimSpace(line[:j]), line[j:]
		}
	}
	return line, ""
}

func (m *matcher) isSubheading(text string) bool {
	return m.subheads[normHeading(text)]
}

var (
	reNumbering = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{1,2}(\.\d{1,2})*[.):]?|[a-hA-H][.)])\s+`) })
	reStar      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\(\s*\*\s*\)|\*`) })
)

// normHeading folds the ways a heading is written: case, "(*)" marks,
// numbering ("1. ", "2.3 "), trailing colon or question mark, spaces
// around "/", line breaks and non-breaking spaces.
func normHeading(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u00a0', '\u202f', '\u2009', '\t', '\n':
			return ' '
		case '–', '—':
			return '-'
		}
		return unicode.ToLower(r)
	}, s)
	s = strings.TrimSpace(s)
	s = reNumbering().ReplaceAllString(s, "")
	s = reStar().ReplaceAllString(s, "")
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, " / ", "/")
	s = strings.ReplaceAll(s, "/ ", "/")
	s = strings.ReplaceAll(s, " /", "/")
	s = strings.TrimRight(s, " :?.")
	return s
}

// labelKey folds a signature label to its letters: "Samverkanspart(namn)"
// and "Samverkanspart (namn)" both give "samverkanspartnamn".
func labelKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
