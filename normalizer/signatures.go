package normalizer

import (
	"strings"
)

// sigBlock is one signature block as written.
type sigBlock struct {
	role    string // "owner", "partner" or "" when no label says
	orgText string // the organisation as written
	org     string // canonical, when recognised
	date    *Date
	dateRaw string
	name    string
	email   string
	loc     srcLoc
	nameLoc srcLoc
}

// sigParser reads the signature pages: a sequence of blocks, each a run
// of labels ("Organisation och datum", "Insatsägare (namnförtydligande)",
// "E-post") each followed by its value, in a table or as paragraphs.
type sigParser struct {
	blocks    []sigBlock
	cur       *sigBlock
	pending   string // the label waiting for its value
	skipValue bool   // the next value is the repeated insats name: ignore it
}

func newSigParser() *sigParser { return &sigParser{} }

// Signature labels, folded by labelKey.
const (
	sigOrgDate  = "orgdate"
	sigOrg      = "org"
	sigDate     = "date"
	sigSign     = "sign"
	sigName     = "name"
	sigEmail    = "email"
	sigTitle    = "title"
	sigRole     = "role"
	sigRoleNone = ""
)

// sigLabel recognises a signature label; it returns the label kind, the
// role it implies and any value on the same line.
func sigLabel(text string) (kind, role, rest string, ok bool) {
	label, value, hasColon := strings.Cut(text, ":")
	key := labelKey(label)
	if !hasColon {
		key = labelKey(text)
		value = ""
	}
	role = sigRoleNone
	for _, p := range []struct{ prefix, role string }{
		{"insatsägare", "owner"}, {"huvudinsatsägare", "owner"}, {"projektägare", "owner"}, {"huvudman", "owner"},
		{"samverkansparter", "partner"}, {"samverkanspart", "partner"}, {"delinsatsägare", "partner"},
	} {
		if strings.HasPrefix(key, p.prefix) {
			role = p.role
			key = strings.TrimPrefix(key, p.prefix)
			break
		}
	}
	value = strings.TrimSpace(value)
	switch key {
	case "organisationochdatum", "organisationdatum", "organisationochort", "ortochdatum":
		return sigOrgDate, role, value, true
	case "organisation":
		if role != "" || value == "" {
			return sigOrg, role, value, true
		}
		return sigOrg, role, value, true
	case "datum":
		return sigDate, role, value, true
	case "namn", "underskrift", "namnteckning", "signatur":
		return sigSign, role, value, true
	case "namnförtydligande", "namnfortydligande", "förtydligande":
		return sigName, role, value, true
	case "epost", "email", "mejl", "epostadress", "mail":
		return sigEmail, role, value, true
	case "titel", "befattning":
		return sigTitle, role, value, true
	case "":
		if role != "" && value == "" {
			// A bare role heading over a block: "Projektägare", "Samverkanspart".
			return sigRole, role, "", true
		}
	}
	return "", "", "", false
}

// start opens a new block at an "Underskrift" heading.
func (s *sigParser) start(it item) {
	s.flush()
	s.cur = &sigBlock{loc: it.loc}
	s.pending = ""
}

func (b *sigBlock) hasContent() bool {
	return b.orgText != "" || b.name != "" || b.email != ""
}

func (s *sigParser) flush() {
	if s.cur != nil && (s.cur.hasContent() || s.cur.role != "") {
		s.blocks = append(s.blocks, *s.cur)
	}
	s.cur = nil
}

func (s *sigParser) feed(it item, text string) {
	if kind, role, rest, ok := sigLabel(text); ok {
		s.skipValue = false
		// A template without "Underskrift" headings: a role heading, or an
		// organisation label when the block already has one, starts the
		// next block.
		if s.cur == nil || (kind == sigRole && s.cur.hasContent()) ||
			((kind == sigOrgDate || kind == sigOrg) && s.cur.orgText != "") {
			s.flush()
			s.cur = &sigBlock{loc: it.loc}
		}
		if role != "" && s.cur.role == "" {
			s.cur.role = role
		}
		s.pending = kind
		if kind == sigRole {
			s.pending = ""
		}
		if rest != "" {
			s.value(it, rest)
		}
		return
	}
	if s.skipValue {
		s.skipValue = false
		return
	}
	if s.cur == nil || s.pending == "" {
		return
	}
	s.value(it, text)
}

// value assigns text to the pending label.
func (s *sigParser) value(it item, text string) {
	b := s.cur
	text = cleanText(text)
	switch s.pending {
	case sigOrgDate, sigOrg:
		b.loc = it.loc
		b.orgText, b.dateRaw, b.date = splitOrgDate(text)
		if org, ok := CanonicalOrganisation(b.orgText); ok {
			b.org = org
		}
		if s.pending == sigOrg && b.date == nil {
			s.pending = sigOrg // a date may follow under its own label
		}
	case sigDate:
		if ds := FindDates(text); len(ds) > 0 {
			d := ds[0].Date
			b.date, b.dateRaw = &d, ds[0].Text
		} else {
			b.dateRaw = text
		}
	case sigName:
		b.name = text
		b.nameLoc = it.loc
	case sigEmail:
		b.email = strings.TrimSpace(strings.TrimPrefix(text, "mailto:"))
	}
	s.pending = ""
}

// splitOrgDate splits "Region Uppsala 2022-06-" into the organisation as
// written and the date.
func splitOrgDate(text string) (org, dateRaw string, date *Date) {
	ds := FindDates(text)
	if len(ds) == 0 {
		return strings.TrimSpace(strings.TrimRight(text, ", ")), "", nil
	}
	d := ds[0]
	org = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(text[:d.Start]), ",;"))
	if org == "" {
		org = strings.TrimSpace(text[d.End:])
	}
	dd := d.Date
	return org, d.Text, &dd
}

func (s *sigParser) finish() []sigBlock {
	s.flush()
	return s.blocks
}
