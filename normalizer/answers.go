package normalizer

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/finsam/ansokan/schema"
)

// Answers read from prose and typed forms, for templates that ask in
// words of their own.

var reBracketed = regexp.MustCompile(`(?i)\[\s*([xX✓✔]?)\s*\]\s*(ja|nej)\b`)

// bracketYesNo reads "[X] Ja [ ] Nej".
func bracketYesNo(text string) *bool {
	var yes, no *bool
	for _, m := range reBracketed.FindAllStringSubmatch(text, -1) {
		checked := m[1] != ""
		if strings.EqualFold(m[2], "ja") {
			yes = &checked
		} else {
			no = &checked
		}
	}
	switch {
	case yes != nil && *yes && (no == nil || !*no):
		return ptr(true)
	case no != nil && *no && (yes == nil || !*yes):
		return ptr(false)
	}
	return nil
}

var (
	reTypedYes = regexp.MustCompile(`(?i)^\s*ja\s*([.,!:;–-]|$)`)
	reTypedNo  = regexp.MustCompile(`(?i)^\s*nej\s*([.,!:;–-]|$)`)
	// reAnchored: the application has been discussed or anchored.
	reAnchored = regexp.MustCompile(`(?i)\b(har|är|blev|har blivit|har varit)\s+(\S+\s+){0,3}?(förankrad|förankrats|diskuterats|diskuterad|presenterats|presenterad|behandlats|beretts|dragits)\b|\b(förankrades|diskuterades|presenterades|behandlades|bereddes)\b`)
	reNegated  = regexp.MustCompile(`(?i)\b(inte|ej|ännu inte|aldrig|icke)\b`)
)

// typedYesNo reads an answer typed as a word: "Ja.", "Nej, men …".
func typedYesNo(text string) *bool {
	switch {
	case reTypedYes.MatchString(text):
		return ptr(true)
	case reTypedNo.MatchString(text):
		return ptr(false)
	}
	return nil
}

// proseYesNo reads the anchoring from a sentence: "Ansökan har
// förankrats i beredningsgruppen den 12 mars" is a yes, "har ännu inte
// diskuterats" a no.
func proseYesNo(text string) *bool {
	loc := reAnchored.FindStringIndex(text)
	if loc == nil {
		return nil
	}
	// A negation in the same sentence before the verb.
	start := strings.LastIndexAny(text[:loc[0]], ".!?\n") + 1
	if reNegated.MatchString(text[start:loc[1]]) {
		return ptr(false)
	}
	return ptr(true)
}

// readYesNo reads the anchoring answer in every form: check boxes, a mark
// under or beside the words, "[X] Ja", a typed "Ja."/"Nej.", or prose.
// prose tells that the answer came from a sentence (its text is then the
// "how").
func readYesNo(items []item) (v *bool, prose bool) {
	if v := resolveYesNo(items); v != nil {
		return v, false
	}
	for _, it := range items {
		if v := bracketYesNo(it.text); v != nil {
			return v, false
		}
	}
	if v := besideYesNo(items); v != nil {
		return v, false
	}
	if yesNoOffered(items) {
		// "Ja" and "Nej" are the choice's labels, not a typed answer; with
		// no mark the question is unanswered.
		return nil, false
	}
	for _, it := range items {
		if v := typedYesNo(it.text); v != nil {
			return v, false
		}
	}
	for _, it := range items {
		if v := proseYesNo(cleanText(it.text)); v != nil {
			return v, true
		}
	}
	return nil, false
}

// besideYesNo reads a mark in the cell to the right of "Ja" or "Nej" when
// the two words stand in rows of their own.
func besideYesNo(items []item) *bool {
	for i, it := range items {
		if it.table == 0 || !isMark(strings.TrimSpace(it.text)) {
			continue
		}
		for j := range items {
			w := items[j]
			if j == i || w.table != it.table || w.row != it.row || w.col >= it.col {
				continue
			}
			switch strings.ToLower(strings.TrimSpace(cleanText(w.text))) {
			case "ja":
				return ptr(true)
			case "nej":
				return ptr(false)
			}
		}
	}
	return nil
}

var (
	reIntake    = regexp.MustCompile(`(?i)\bintag`)
	reIntakeEnd = regexp.MustCompile(`(?i)till och med|t\.\s?o\.\s?m\.?|\bsenast\b|\bsista\b|avslutas|upphör|stängs|stoppas|\bslut`)
)

// proseIntakeEnd finds the last intake date stated in a sentence:
// "Intag av nya deltagare sker till och med 30 november 2025".
func proseIntakeEnd(items []item) *string {
	for i, it := range items {
		text := cleanText(it.text)
		if j := nextInColumn(items, i); j > 0 && reIntake.MatchString(text) && !strings.HasSuffix(text, ".") &&
			len(FindDates(text[reIntake.FindStringIndex(text)[0]:])) == 0 {
			// A sentence a PDF table split over two rows of its column:
			// "… Intag av" / "nya deltagare sker till och med 30 april 2027."
			text += " " + cleanText(items[j].text)
		}
		loc := reIntake.FindStringIndex(text)
		if loc == nil || !reIntakeEnd.MatchString(text) {
			continue
		}
		for _, d := range FindDates(text) {
			if d.Start > loc[0] && d.Date.Year > 0 {
				return dateString(d.Date)
			}
		}
	}
	return nil
}

var reAppliedCue = regexp.MustCompile(`(?i)\b(söks|ansöker om|ansökt belopp|sökt belopp|söker vi|vi söker|från (samordnings)?förbundet)\b`)

// proseAmount finds the amount applied for in a sentence of any section
// (the sections in key order, then the extra sections): one that says
// "söks", "ansöker om" or "från förbundet" next to an amount.
func proseAmount(rec *schema.Record, where map[string]schema.Evidence) (*int64, schema.Evidence) {
	type src struct {
		text, ptr string
	}
	var srcs []src
	for _, k := range allSectionKeys {
		if s, ok := rec.Sections[k]; ok && k != schema.SectionAgreement {
			srcs = append(srcs, src{s.Text, "/sections/" + k})
		}
	}
	for i, s := range rec.ExtraSections {
		srcs = append(srcs, src{s.Text, "/extra_sections/" + strconv.Itoa(i)})
	}
	for _, s := range srcs {
		for _, sentence := range reSentence.Split(s.text, -1) {
			if !reAppliedCue.MatchString(sentence) || len(FindAmounts(sentence)) == 0 {
				continue
			}
			return requestedAmount(sentence), where[s.ptr]
		}
	}
	return nil, schema.Evidence{}
}

// reSentence splits text into sentences: a full stop, "!" or "?" before a
// space and a capital, or a line break.
var reSentence = regexp.MustCompile(`[.!?]\s+|\n`)

// reParticipantCount is a count of people in a sentence: "Cirka 60
// deltagare", "minst 20 personer per år", "ca 25 unga vuxna".
// A share ("7 av 10 deltagare") is not a count.
var reParticipantCount = regexp.MustCompile(`(?i)(^|\s)(av\s+)?(\d{1,5})\s+(deltagare|personer|individer|ungdomar|unga)\b`)

// reTakesPart tells that a sentence is about taking part, not about an
// outcome ("20 personer ska ha fått arbete").
var reTakesPart = regexp.MustCompile(`(?i)\bdelta(r|ga|gare|garna)?\b|\bta(r)? emot\b|\bskrivs in\b|\binskrivna\b`)

// proseParticipants finds the expected number of participants stated in a
// sentence, when no field holds it: first in the target group's answer
// (where a template asks for it), then in any section's sentence that is
// about taking part. The sentence is the text.
func proseParticipants(rec *schema.Record, where map[string]schema.Evidence) (*schema.ExpectedParticipants, schema.Evidence) {
	order := []string{schema.SectionTargetGroup}
	for _, k := range allSectionKeys {
		if k != schema.SectionTargetGroup && k != schema.SectionAgreement && k != schema.SectionBudgetText {
			order = append(order, k)
		}
	}
	for _, k := range order {
		s, ok := rec.Sections[k]
		if !ok {
			continue
		}
		for _, sentence := range reSentence.Split(s.Text, -1) {
			m := reParticipantCount.FindStringSubmatch(sentence)
			if m == nil || m[2] != "" || k != schema.SectionTargetGroup && !reTakesPart.MatchString(sentence) {
				continue
			}
			ep := parseParticipants(strings.TrimSpace(sentence))
			if n, err := strconv.Atoi(m[3]); err == nil {
				ep.Count = &n
			}
			ep.Text = strings.TrimSpace(sentence)
			if !strings.HasSuffix(ep.Text, ".") && strings.Contains(s.Text, ep.Text+".") {
				ep.Text += "."
			}
			return ep, where["/sections/"+k]
		}
	}
	return nil, schema.Evidence{}
}

// yesNoOffered tells whether the items offer a Ja/Nej choice to mark:
// both words on short lines or in cells of their own ("Ja", "Nej",
// "☐ Ja ☐ Nej", "[ ] Ja [ ] Nej"). An unmarked choice is an unanswered
// question, whatever the prose around it says.
func yesNoOffered(items []item) bool {
	var yes, no bool
	for _, it := range items {
		text := cleanText(it.text)
		if utf8.RuneCountInString(text) > 40 {
			continue
		}
		for _, w := range lexWords(text) {
			switch string(w) {
			case "ja":
				yes = true
			case "nej":
				no = true
			}
		}
	}
	return yes && no
}

// nextInColumn returns the item that continues item i's table column in
// the next row (0 when i is not in a table or none follows).
func nextInColumn(items []item, i int) int {
	it := items[i]
	if it.table == 0 {
		return 0
	}
	for j := i + 1; j < len(items) && items[j].table == it.table; j++ {
		if items[j].row == it.row+1 && items[j].col == it.col {
			return j
		}
		if items[j].row > it.row+1 {
			break
		}
	}
	return 0
}

// answerProse is the text of an anchoring answer without its Ja/Nej
// choice: the question line with its marks, marks and labels standing
// alone ("☒", "Ja", "[X] Nej"). What is left is how and when the
// application was anchored, whether the choice was marked or not, so a
// Word file and its PDF (where the marks are glyphs of their own) give
// the same text.
func answerProse(items []item) string {
	var keep []item
	for _, it := range items {
		if !choiceLine(it.text) {
			keep = append(keep, it)
		}
	}
	return sectionText(keep)
}

// choiceLine tells whether s is a Ja/Nej choice: nothing but marks and
// the words Ja and Nej, or a question ending in "?" followed by them.
func choiceLine(s string) bool {
	words := strings.Fields(strings.NewReplacer("☒", " ", "☐", " ", "[X]", " ", "[x]", " ", "[ ]", " ", "[]", " ").Replace(s))
	for len(words) > 0 {
		switch strings.ToLower(words[len(words)-1]) {
		case "ja", "nej", "x":
			words = words[:len(words)-1]
			continue
		}
		break
	}
	return len(words) == 0 || strings.HasSuffix(words[len(words)-1], "?")
}
