package normalizer

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/finsam/ansokan/checks"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/schema"
)

// allSectionKeys are the section keys the record knows, in the order a
// record lists them when the profile does not name them.
var allSectionKeys = []string{schema.SectionPurpose, schema.SectionGoals, schema.SectionBackground,
	schema.SectionTargetGroup, schema.SectionMethods, schema.SectionEvaluation, schema.SectionResultsUse,
	schema.SectionBudgetText, schema.SectionAgreement}

// sectionKeys are the profile's section keys, then the others the
// lexicon may find.
func sectionKeys(p *profile.Profile) []string {
	var out []string
	for _, s := range p.Sections {
		out = append(out, s.Key)
	}
	for _, k := range allSectionKeys {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// longAnswer is the length (runes) from which an answer under a heading
// nobody could place may well be a required section's.
const longAnswer = 150

// uncertainties lists the doubtful readings of a form:
//   - a required section that was not found while a long answer stands
//     under a heading no key could be placed on (or one the lexicon could
//     not decide);
//   - a section or field found twice with different answers.
func uncertainties(rec *schema.Record, f *form, p *profile.Profile) []checks.Uncertain {
	var out []checks.Uncertain
	for _, spec := range p.Sections {
		if !spec.Required {
			continue
		}
		if _, ok := rec.Sections[spec.Key]; ok {
			continue
		}
		var where []string
		var first *part
		for _, x := range f.extras {
			text := sectionText(x.items)
			if utf8.RuneCountInString(text) < longAnswer && !slices.Contains(x.maybe, spec.Key) {
				continue
			}
			if first == nil {
				first = x
			}
			where = append(where, quote(x.m.written)+" ("+place(x.loc)+")")
		}
		if first == nil {
			continue
		}
		out = append(out, checks.Uncertain{
			Subject: spec.Key, Path: "/sections/" + spec.Key, Evidence: ptr(evidence(first.loc)),
			Message: "Avsnittet " + quote(spec.Headings[0]) + " kunde inte hittas med säkerhet; svaret kan stå under " +
				strings.Join(where, ", "),
		})
	}
	for _, key := range sectionKeys(p) {
		if u, ok := twice(f.all(fieldSection, key), key, "/sections/"+key, "Avsnittet "+quote(heading0(p, key))); ok {
			out = append(out, u)
		}
	}
	for _, fl := range []struct{ field, path, name string }{
		{fieldTitle, "/title", "Insatsens namn"}, {fieldOwner, "/owner", "Insatsägare"}, {fieldPartners, "/partners", "Samverkansparter"},
		{fieldStart, "/period/start", "Startdatum"}, {fieldEnd, "/period/end", "Slutdatum"}, {fieldIntakeEnd, "/period/intake_end", "Slutdatum för intag"},
	} {
		if u, ok := twice(f.all(fl.field, ""), fl.field, fl.path, "Fältet "+quote(fl.name)); ok {
			out = append(out, u)
		}
	}
	return out
}

// twice reports a part found more than once with different answers.
func twice(parts []*part, subject, path, what string) (checks.Uncertain, bool) {
	var texts []string
	var at []*part
	for _, pt := range parts {
		t := strings.Join(strings.Fields(sectionText(pt.items)), " ")
		if t == "" || slices.Contains(texts, t) {
			continue
		}
		texts = append(texts, t)
		at = append(at, pt)
	}
	if len(at) < 2 {
		return checks.Uncertain{}, false
	}
	return checks.Uncertain{
		Subject: subject, Path: path, Evidence: ptr(evidence(at[1].loc)),
		Message: what + " finns två gånger med olika svar (" + place(at[0].loc) + " och " + place(at[1].loc) +
			"); det första har lästs",
	}, true
}

func heading0(p *profile.Profile, key string) string {
	if s := p.Section(key); s != nil && len(s.Headings) > 0 {
		return s.Headings[0]
	}
	return key
}

// place says in Swedish where something stands: "sidan 3 i a.pdf",
// "stycke 12 i a.docx".
func place(l srcLoc) string {
	switch {
	case l.page > 0:
		return "sidan " + strconv.Itoa(l.page) + " i " + l.file
	case l.paragraph > 0:
		return "stycke " + strconv.Itoa(l.paragraph) + " i " + l.file
	case l.cell != "":
		return "cell " + l.cell + " i " + l.file
	}
	return l.file
}

func quote(s string) string { return "”" + s + "”" }
