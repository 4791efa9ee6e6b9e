package checks

import (
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/finsam/ansokan/schema"
)

// checkSections: every section the profile marks required is present
// and answered. An answer that only repeats the heading, or is only the
// template's instruction ("Beskriv här …") left in place, is empty.
func checkSections(r *schema.Record, c *Context) []schema.Finding {
	if !c.HasForm {
		return nil
	}
	var out []schema.Finding
	for _, spec := range c.Profile.Sections {
		if !spec.Required {
			continue
		}
		path := "/sections/" + ptrKey(spec.Key)
		s, ok := r.Sections[spec.Key]
		if !ok && c.uncertain(spec.Key) {
			continue // said by extraction.uncertain: maybe under a heading not understood
		}
		if !ok {
			name := spec.Key
			if len(spec.Headings) > 0 {
				name = spec.Headings[0]
			}
			out = append(out, c.absent(schema.CodeSectionMissing, spec.Key, path,
				"Avsnittet "+quote(name)+" saknas i ansökan. Be sökanden fylla i det."))
			continue
		}
		answer, guided := c.answer(s)
		if answer != "" {
			continue
		}
		msg := "Avsnittet " + quote(s.Heading) + " är tomt. Be sökanden fylla i det."
		switch {
		case guided:
			msg = "Avsnittet " + quote(s.Heading) + " är inte ifyllt: där står bara mallens instruktion. Be sökanden fylla i det."
		case strings.TrimSpace(s.Text) != "":
			msg = "Avsnittet " + quote(s.Heading) + " är inte ifyllt: svaret upprepar bara rubriken. Be sökanden fylla i det."
		}
		out = append(out, c.finding(schema.CodeSectionMissing, spec.Key, path+"/text", msg))
	}
	return out
}

// answer returns what the applicant wrote in a section: its text without
// the template's guidance lines, and empty when what is left only
// repeats the heading. guided tells that guidance lines were found.
func (c *Context) answer(s schema.Section) (answer string, guided bool) {
	var kept []string
	for _, l := range strings.Split(s.Text, "\n") {
		if c.isGuidance(l) {
			guided = true
			continue
		}
		if strings.TrimSpace(l) != "" {
			kept = append(kept, l)
		}
	}
	answer = strings.TrimSpace(strings.Join(kept, "\n"))
	if bare(answer) == bare(s.Heading) {
		answer = ""
	}
	return answer, guided
}

// isGuidance tells whether a line is the template's instruction: it
// starts with one of the profile's guidance phrases.
func (c *Context) isGuidance(line string) bool {
	l := bare(line)
	if l == "" {
		return false
	}
	for _, g := range c.Profile.Guidance {
		if g := bare(g); g != "" && strings.HasPrefix(l, g) {
			return true
		}
	}
	return false
}

var reNumbering = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*\d+(\.\d+)*\.?\s+`) })

// bare folds a text for comparison: lower case, no numbering, no (*)
// marks, letters and digits separated by single spaces.
func bare(s string) string {
	s = reNumbering().ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, "(*)", " ")
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
			continue
		}
		space = true
	}
	return b.String()
}

var rePlaceholderYear = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b(?:20|19)[Xx]{2}\b|\b[ÅåAa]{4}-[Mm]{2}-[Dd]{2}\b`)
})

// checkPlaceholders: the template's placeholders where the applicant
// filled something in — a budget row still labelled Kostnadsbeteckning
// that carries amounts, a column still headed NAMN that carries amounts,
// "20XX" left in a label or an answer — and guidance text left inside an
// answer that also holds the applicant's text. Unused template rows and
// columns are normal and are not findings.
func checkPlaceholders(r *schema.Record, c *Context) []schema.Finding {
	var out []schema.Finding
	if c.HasForm {
		for _, spec := range c.Profile.Sections {
			s, ok := r.Sections[spec.Key]
			if !ok {
				continue
			}
			path := "/sections/" + ptrKey(spec.Key) + "/text"
			answer, guided := c.answer(s)
			if guided && (answer != "" || !spec.Required) {
				msg := "Avsnittet " + quote(s.Heading) + " innehåller fortfarande mallens instruktionstext; den bör tas bort."
				if answer == "" {
					msg = "Avsnittet " + quote(s.Heading) + " är inte ifyllt: där står bara mallens instruktionstext."
				}
				out = append(out, c.finding(schema.CodeTemplatePlaceholder, spec.Key, path, msg))
			}
			if m := rePlaceholderYear().FindString(s.Text); m != "" {
				out = append(out, c.finding(schema.CodeTemplatePlaceholder, spec.Key, path,
					"Avsnittet "+quote(s.Heading)+" innehåller mallens platshållare "+quote(m)+" där ett riktigt värde ska stå."))
			}
		}
	}
	b := r.Budget
	if b == nil {
		return out
	}
	eachLine(b, func(ln lineRef) {
		l := ln.line
		label := strings.ToLower(strings.TrimSpace(l.Label))
		carries := l.Total != nil && *l.Total != 0 || sumAmounts(l.Amounts) != 0
		switch {
		case strings.HasPrefix(label, "kostnadsbeteckning") && carries:
			out = append(out, c.finding(schema.CodeTemplatePlaceholder, l.Label, ln.path+"/label",
				"En budgetrad "+ln.where+" heter fortfarande "+quote(l.Label)+" men har belopp; skriv vad kostnaden avser."))
		case rePlaceholderYear().MatchString(l.Label) && carries:
			out = append(out, c.finding(schema.CodeTemplatePlaceholder, l.Label, ln.path+"/label",
				"Budgetraden "+quote(l.Label)+" "+ln.where+" har kvar mallens platshållare för år men har belopp."))
		}
		if v, ok := l.Amounts[placeholderParty]; ok && v != 0 {
			out = append(out, c.finding(schema.CodeTemplatePlaceholder, l.Label, ln.path+"/amounts/"+placeholderParty,
				"Budgetraden "+quote(l.Label)+" "+ln.where+" har "+kr(v)+" i en kolumn som fortfarande heter NAMN; skriv vilken part kolumnen gäller."))
		}
	})
	return out
}

// placeholderParty is the key the budget uses for a column still headed
// NAMN (see normalizer's budget parser).
const placeholderParty = "NAMN"

// sortedSectionKeys returns the record's section keys in a fixed order.
func sortedSectionKeys(m map[string]schema.Section) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
