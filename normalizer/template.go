package normalizer

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/layout"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

// A förbund adopts ansokan by giving its blank template: DraftProfile
// reads the template's headings the way applications are read (layout
// cues, then the lexicon) and writes them down as a profile, so that the
// förbund's own wording becomes exact headings. See README "Adopting
// ansokan for another förbund".

// wordPlaceholders are the placeholder texts Word puts in empty content
// controls; every template that uses content controls shows one.
var wordPlaceholders = []string{"Klicka eller tryck här för att ange text", "Klicka här för att ange text"}

// reRequired is a required mark after a heading: "*", "(*)",
// "(obligatorisk)", "(obligatoriskt)".
var reRequired = regexp.MustCompile(`(?i)\s*(\(\s*\*\s*\)|\*|\(\s*obligatorisk[at]?\s*\))\s*:?\s*$`)

// DraftProfile reads a blank template into a profile named name. The
// headings the lexicon places become the variants of their fields and
// sections; those it cannot place are listed in Unnamed with key "" for
// the officer to name. A heading followed by "*" or "(obligatorisk)" is
// required; when no heading carries a mark, the contract's six sections
// are. The Överenskommelse's text becomes the agreement, the text left
// in the answer places the guidance. notes say, in English, what the
// officer should look at.
func DraftProfile(doc *extractor.Document, name string) (p *profile.Profile, notes []string) {
	items, litems, _ := flatten(doc)
	r := &reader{m: newMatcher(&profile.Profile{}), lx: defaultLexicon, items: items, litems: litems}
	p = &profile.Profile{Name: name, MemberParties: profile.Default().MemberParties,
		TemplateText: []string{}, Guidance: []string{}}

	type tplHeading struct {
		target, key, field string
		text, written      string // without and with its required mark
		required, marked   bool
	}
	var (
		heads     []*tplHeading
		cur       *tplHeading
		agreement *tplHeading
		agrLevel  int
		agrItems  []item
		answerAt  = map[int]bool{} // items that are the answer cell of a heading cell
	)
	addGuidance := func(text string) {
		g := guidancePhrase(text)
		if g != "" && !slices.Contains(p.Guidance, g) {
			p.Guidance = append(p.Guidance, g)
		}
	}
	for i := 0; i < len(items); i++ {
		it := items[i]
		text := cleanText(it.text)
		if text == "" || reStampLine().MatchString(text) {
			continue
		}
		h := r.read(i)
		heading := (h.kind == knownHeading || h.kind == unknownHeading) && !answerAt[i] && !isGuidanceLine(text)
		if agreement != nil {
			// Only a heading at the agreement's level or above, or the
			// signatures, end it; its sub-headings are its text.
			ends := heading && h.kind == knownHeading && (h.m.field == fieldSignature ||
				agrLevel > 0 && it.level > 0 && it.level <= agrLevel)
			if !ends {
				if heading && h.strong && !slices.Contains(p.Agreement.Subheadings, text) {
					p.Agreement.Subheadings = append(p.Agreement.Subheadings, text)
				}
				agrItems = append(agrItems, it)
				continue
			}
			p.Agreement.Text = sectionText(agrItems)
			agreement = nil
		}
		if !heading {
			switch {
			case cur == nil:
				if !slices.Contains(p.TemplateText, text) {
					p.TemplateText = append(p.TemplateText, text)
				}
			case cur.field != fieldSignature:
				addGuidance(text)
			}
			continue
		}
		if litems[i].Table != 0 {
			if j, ok := layoutAnswerCell(litems, i); ok {
				answerAt[j] = true // its text is guidance, not a heading
			}
		}
		th := &tplHeading{text: text, written: text}
		if m := reRequired.FindStringIndex(text); m != nil {
			th.marked = true
			th.text = strings.TrimSpace(text[:m[0]])
		}
		if h.kind == knownHeading {
			th.field, th.key, th.target = h.m.field, h.m.key, h.m.target()
		}
		heads = append(heads, th)
		cur = th
		if th.field == fieldSection && th.key == schema.SectionAgreement {
			agreement, agrLevel, agrItems = th, it.level, nil
		}
		if th.field == fieldSignature {
			// The signature blocks' labels follow; they are read by the
			// signature parser, not named here.
			break
		}
	}
	if agreement != nil {
		p.Agreement.Text = sectionText(agrItems)
	}

	marked := slices.ContainsFunc(heads, func(h *tplHeading) bool { return h.marked })
	if !marked {
		notes = append(notes, "no heading carries a required mark (* or (obligatorisk)): purpose, goals, background, target_group, methods and evaluation are required, as the contract says")
	}
	contractRequired := []string{schema.SectionPurpose, schema.SectionGoals, schema.SectionBackground,
		schema.SectionTargetGroup, schema.SectionMethods, schema.SectionEvaluation}
	for _, h := range heads {
		variants := []string{h.text}
		if h.written != h.text {
			variants = append(variants, h.written)
		}
		switch {
		case h.target == "":
			p.Unnamed = append(p.Unnamed, profile.UnnamedHeading{Heading: h.text,
				Note: "not placed by the lexicon: set key to a section key (" + strings.Join(allSectionKeys, ", ") +
					"), a field (title, owner, partners, period, participants, start, end, intake_end, anchoring, anchoring_how, signature) or \"extra\""})
			notes = append(notes, "unnamed heading "+quoteEN(h.text)+": name it in the profile's \"unnamed\" list")
		case h.field == fieldSection:
			s := p.Section(h.key)
			if s == nil {
				p.Sections = append(p.Sections, profile.SectionSpec{Key: h.key})
				s = &p.Sections[len(p.Sections)-1]
			}
			for _, v := range variants {
				if !slices.Contains(s.Headings, v) {
					s.Headings = append(s.Headings, v)
				}
			}
			if marked {
				s.Required = s.Required || h.marked
			} else {
				s.Required = slices.Contains(contractRequired, h.key)
			}
		default:
			for _, v := range variants {
				p.Fields.Add(h.field, v)
			}
		}
	}
	def := profile.Default()
	for _, f := range []struct {
		name string
		got  *[]string
		dflt []string
	}{{"title", &p.Fields.Title, def.Fields.Title}, {"owner", &p.Fields.Owner, def.Fields.Owner}, {"partners", &p.Fields.Partners, def.Fields.Partners}} {
		if len(*f.got) == 0 {
			*f.got = append(*f.got, f.dflt...)
			notes = append(notes, "the template has no "+f.name+" label: the built-in labels are kept")
		}
	}
	if p.Agreement.Text == "" {
		notes = append(notes, "no Överenskommelse found: agreement checks are off")
	}
	for _, g := range wordPlaceholders {
		if !slices.Contains(p.Guidance, g) {
			p.Guidance = append(p.Guidance, g)
		}
	}
	return p, notes
}

func quoteEN(s string) string { return "\"" + s + "\"" }

// reGuidance opens an instruction left in an answer place.
var reGuidance = regexp.MustCompile(`(?i)^(beskriv|skriv|ange|fyll i|redogör|klicka|lägg till|svara)\b.*\b(här|nedan)\b`)

// isGuidanceLine tells an instruction in an answer place ("Beskriv här
// …", "Skriv här") from a heading.
func isGuidanceLine(text string) bool {
	return reGuidance.MatchString(text)
}

// guidancePhrase is what of a template's answer text marks it as
// guidance: its first sentence, when it has letters and two words or
// more (never a Ja/Nej label or a lone word).
func guidancePhrase(text string) string {
	text = strings.TrimSpace(strings.SplitN(text, "\n", 2)[0])
	if loc := reSentence.FindStringIndex(text); loc != nil {
		text = text[:loc[0]]
	}
	text = strings.TrimSpace(strings.TrimRight(text, ".!?:"))
	if len(lexWords(text)) < 2 || yesNoOffered([]item{{text: text}}) || utf8.RuneCountInString(text) > 160 {
		return ""
	}
	return text
}

// layoutAnswerCell finds the cell that answers a heading cell: the cell
// to its right, or the one below a heading that spans its table (in a
// key–value table the cell below an empty answer is the next key).
func layoutAnswerCell(items []layout.Item, i int) (int, bool) {
	it := &items[i]
	full := it.Span >= it.Columns
	for j := i + 1; j < len(items); j++ {
		o := &items[j]
		if o.Table != it.Table || o.Row > it.Row+1 {
			return 0, false
		}
		if !o.First {
			continue
		}
		if o.Row == it.Row && o.Col > it.Col || full && o.Row == it.Row+1 && o.Col <= it.Col && it.Col < o.Col+max(o.Span, 1) {
			return j, true
		}
	}
	return 0, false
}

// HeadingReading is how one heading of a file was mapped: to a field or
// section key, or to an extra section.
type HeadingReading struct {
	File, Place string
	Heading     string
	Target      string   // field name or section key; "extra" for an extra section
	How         string   // "profile" (an exact heading), "lexicon", "label" (a label with its value)
	Cues        []string // the layout cues
	Strength    int      // the layout strength
	Score       int      // the lexicon's score (0 for an exact profile heading)
}

// ReadHeadings reads a document with the profile and returns how each
// of its headings was mapped, in document order (ansokan profile check).
// The signature blocks are not listed.
func ReadHeadings(doc *extractor.Document, p *profile.Profile) []HeadingReading {
	f := parseForm(doc, p)
	var out []HeadingReading
	for _, pt := range f.order {
		hr := HeadingReading{File: pt.loc.file, Place: place(pt.loc), Heading: pt.m.written,
			Strength: pt.how.strength, Score: pt.how.score}
		switch {
		case pt.m.field == "":
			hr.Target = profile.Extra
		default:
			hr.Target = pt.m.target()
		}
		switch {
		case pt.how.exact:
			hr.How, hr.Score = "profile", 0
		case pt.how.pair:
			hr.How = "label"
		case pt.m.field == "":
			hr.How = "layout"
		default:
			hr.How = "lexicon"
		}
		for _, c := range pt.how.cues {
			hr.Cues = append(hr.Cues, string(c))
		}
		out = append(out, hr)
	}
	return out
}
