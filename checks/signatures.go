package checks

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/finsam/ansokan/schema"
)

// Signature checks. Every organisation named as Insatsägare or
// Samverkanspart must have a signature block with a printed name; each
// block's date must be there and whole; each e-mail valid.
//
// E-signature rule: when the submission carries evidence of an
// e-signature service (a verification link, an "Electronically signed"
// stamp), the service's verification records who signed and when. A
// block without its date, or with only part of it, is still reported —
// the officer needs to know the form itself is incomplete — but as info
// instead of warning. A missing block or printed name stays an error:
// the e-signature does not say which party signed.
//
// Signatures read with doubt: before a signature check reports an
// applicant's error it asks whether the reading was sound. A block with
// no organisation, or a signature table with rows whose labels could not
// be mapped, makes the normalizer report one extraction.uncertain finding
// (subject "signatures"); then no party is reported as unsigned (its
// block may be the one misread), and only the blocks of a party the
// application names get date and e-mail findings: a block without an
// organisation, or with one nobody named (a label read as a value), may
// be the misreading.
//
// Digital signatures: a block without a date whose party signed the PDF
// digitally (Signature.Digital) gets the date finding as info naming the
// signing time; failing that, one whose signer an e-signature service's
// verification page lists with a time (Signature.Verification) gets it
// as info naming the page and its time. The other digital-signature
// rules are in digital.go.
//
// Scanned pages: when a PDF of the submission has pages that could not
// be read (no text layer and no OCR, or OCR with low confidence), a
// signature that is not found may stand there; the missing signature is
// then reported as info saying it could not be verified, not as an error.
// A block on a page read by OCR is judged by its ink (see handSigned):
// signed by hand, unsigned (signature.missing, naming the page), or not
// verified (info); a missing date there is info (a handwritten date is
// not read).

var reEmail = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z0-9.!#$%&'*+/=?^_` + "`" + `{|}~åäöÅÄÖéÉüÜ-]+@[A-Za-z0-9åäöÅÄÖ](?:[A-Za-z0-9åäöÅÄÖ-]*[A-Za-z0-9åäöÅÄÖ])?(?:\.[A-Za-z0-9åäöÅÄÖ](?:[A-Za-z0-9åäöÅÄÖ-]*[A-Za-z0-9åäöÅÄÖ])?)+$`)
})

func validEmail(s string) bool {
	s = strings.TrimSpace(s)
	if !reEmail().MatchString(s) {
		return false
	}
	local, domain, _ := strings.Cut(s, "@")
	return !strings.HasPrefix(local, ".") && !strings.HasSuffix(local, ".") && !strings.Contains(local, "..") &&
		len(local) <= 64 && len(domain) <= 253
}

// named lists the organisations the application names as owner and
// partners, with the JSON pointer where each is named.
func named(r *schema.Record) (orgs []string, paths []string, roles []string) {
	if r.Owner != nil && r.Owner.Organisation != nil && *r.Owner.Organisation != "" {
		orgs = append(orgs, *r.Owner.Organisation)
		paths = append(paths, "/owner/organisation")
		roles = append(roles, schema.RoleOwner)
	}
	for i, p := range r.Partners {
		orgs = append(orgs, p.Organisation)
		paths = append(paths, "/partners/"+strconv.Itoa(i)+"/organisation")
		roles = append(roles, schema.RolePartner)
	}
	return orgs, paths, roles
}

func checkSignatures(r *schema.Record, c *Context) []schema.Finding {
	if !c.HasForm {
		return nil
	}
	var out []schema.Finding
	doubt := c.uncertain("signatures")
	orgs, _, roles := named(r)
	isNamed := map[string]bool{}
	for _, o := range orgs {
		isNamed[o] = true
	}
	if doubt {
		orgs = nil // reported as extraction.uncertain instead
	}
	for k, org := range orgs {
		idx := -1
		for i, s := range r.Signatures {
			if s.Organisation != nil && *s.Organisation == org {
				idx = i
				break
			}
		}
		role := "Samverkansparten"
		if roles[k] == schema.RoleOwner {
			role = "Insatsägaren"
		}
		if idx < 0 {
			f := c.absent(schema.CodeSignatureMissing, org, "/signatures",
				role+" "+org+" har inget underskriftsblock i ansökan.")
			if pages := c.scannedPages(); pages != "" {
				f.Severity = schema.SeverityInfo
				f.Message = role + " " + org + "s underskrift kunde inte kontrolleras: " + pages + " saknar text (inskannad). Kontrollera underskriften på sidan."
			}
			out = append(out, f)
			continue
		}
		if s := r.Signatures[idx]; s.Name == nil || strings.TrimSpace(*s.Name) == "" {
			out = append(out, c.finding(schema.CodeSignatureMissing, org, "/signatures/"+strconv.Itoa(idx)+"/name",
				"Underskriftsblocket för "+org+" saknar namnförtydligande."))
		} else if f, ok := c.handSigned(r, idx, org); ok {
			out = append(out, f)
		}
	}
	for i, s := range r.Signatures {
		if doubt && (s.Organisation == nil || !isNamed[*s.Organisation]) {
			continue // may be a misreading
		}
		org := "underskriftsblock " + strconv.Itoa(i+1)
		subject := ""
		if s.Organisation != nil {
			org, subject = *s.Organisation, *s.Organisation
		}
		base := "/signatures/" + strconv.Itoa(i)
		switch {
		case s.Date == nil:
			f := c.finding(schema.CodeSignatureDateMissing, subject, base+"/date",
				"Underskriften för "+org+" saknar datum.")
			switch {
			case s.Digital != nil && *s.Digital < len(r.DigitalSignatures) && r.DigitalSignatures[*s.Digital].SignedAt != nil:
				f.Severity = schema.SeverityInfo
				f.Message += " Blocket är digitalt signerat " + signingTime(*r.DigitalSignatures[*s.Digital].SignedAt) + "."
			case s.Verification != nil && *s.Verification < len(r.VerificationSigners) && r.VerificationSigners[*s.Verification].SignedAt != nil:
				v := r.VerificationSigners[*s.Verification]
				f.Severity = schema.SeverityInfo
				f.Message += " Enligt " + verifiedBy(v) + " signerades det " + signingTime(*v.SignedAt) + "."
			case s.Electronic:
				f.Severity = schema.SeverityInfo
				f.Message += " Dokumentet är e-signerat; datumet finns i signeringstjänstens verifikat."
			case c.scannedBlock(i) != "":
				f.Severity = schema.SeverityInfo
				f.Message += " Blocket står på " + c.scannedBlock(i) + ", som är inskannad: ett handskrivet datum kan inte läsas. Kontrollera datumet på sidan."
			}
			out = append(out, f)
		case incompleteDate(*s.Date):
			f := c.finding(schema.CodeSignatureDateIncomplete, subject, base+"/date",
				"Underskriftsdatumet för "+org+" är ofullständigt ("+describeDate(*s.Date)+").")
			if s.Electronic {
				f.Severity = schema.SeverityInfo
				f.Message += " Dokumentet är e-signerat; datumet finns i signeringstjänstens verifikat."
			}
			out = append(out, f)
		}
		if s.Email != nil && !validEmail(*s.Email) {
			out = append(out, c.finding(schema.CodeSignatureEmailInvalid, subject, base+"/email",
				"E-postadressen för "+org+" är inte giltig: "+quote(*s.Email)+"."))
		}
	}
	return out
}

// scannedBlock names the scanned page a signature block stands on
// ("sidan 7 i ansokan.pdf"), "" when it is not on a page read by OCR.
func (c *Context) scannedBlock(i int) string {
	e := c.evidence("/signatures/" + strconv.Itoa(i) + "/handwritten")
	if e == nil || !onPage(e, c.OCR) {
		return ""
	}
	return "sidan " + strconv.Itoa(*e.Page) + " i " + e.File
}

// handSigned is the verdict on a block with a printed name that stands
// on a scanned page: no finding when ink is in its signature area
// (Handwritten true), signature.missing when there is none (false), and
// an info saying it could not be verified when the area could not be
// placed (null). A block signed electronically or digitally is not
// judged by its ink.
func (c *Context) handSigned(r *schema.Record, i int, org string) (schema.Finding, bool) {
	s := r.Signatures[i]
	where := c.scannedBlock(i)
	if where == "" || s.Electronic || s.Digital != nil || s.Verification != nil {
		return schema.Finding{}, false
	}
	path := "/signatures/" + strconv.Itoa(i) + "/handwritten"
	switch {
	case s.Handwritten == nil:
		f := c.finding(schema.CodeSignatureMissing, org, path,
			"Underskriften för "+org+" kunde inte kontrolleras: blocket står på "+where+", som är inskannad, och platsen för underskriften kunde inte avgöras. Kontrollera underskriften på sidan.")
		f.Severity = schema.SeverityInfo
		return f, true
	case !*s.Handwritten:
		return c.finding(schema.CodeSignatureMissing, org, path,
			"Underskriftsblocket för "+org+" saknar underskrift: den inskannade "+where+" visar ingen namnteckning vid underskriftsraden."), true
	}
	return schema.Finding{}, false
}

func incompleteDate(d string) bool { return len(d) != 10 || strings.HasPrefix(d, "--") }

func describeDate(d string) string {
	switch {
	case strings.HasPrefix(d, "--"):
		return "året saknas: " + d
	case len(d) == 7:
		return "dagen saknas: " + d
	case len(d) == 4:
		return "månad och dag saknas: " + d
	}
	return d
}

// checkParties: the organisations named as owner and partners, the
// signature blocks and the budget's columns must agree. An owner or
// partner without a signature block is signature.missing, not reported
// here again.
func checkParties(r *schema.Record, c *Context) []schema.Finding {
	if !c.HasForm {
		return nil
	}
	orgs, paths, _ := named(r)
	if len(orgs) == 0 {
		return nil
	}
	isNamed := map[string]bool{}
	for _, o := range orgs {
		isNamed[o] = true
	}
	var out []schema.Finding
	// A samverkansinsats is run by at least two of the member parties,
	// and its owner is one of them.
	if r.Owner != nil && r.Owner.Organisation != nil && !c.isMember(*r.Owner.Organisation) {
		out = append(out, c.finding(schema.CodePartiesMismatch, *r.Owner.Organisation, "/owner/organisation",
			"Insatsägaren "+*r.Owner.Organisation+" är inte en av förbundets medlemmar (en kommun, en region, Arbetsförmedlingen eller Försäkringskassan)."))
	}
	if len(orgs) < 2 {
		out = append(out, c.finding(schema.CodePartiesMismatch, orgs[0], "/partners",
			"Ansökan anger bara en part ("+orgs[0]+"); en samverkansinsats drivs av minst två av förbundets medlemmar."))
	}
	for i, s := range r.Signatures {
		if s.Organisation == nil || isNamed[*s.Organisation] {
			continue
		}
		out = append(out, c.finding(schema.CodePartiesMismatch, *s.Organisation, "/signatures/"+strconv.Itoa(i)+"/organisation",
			*s.Organisation+" har skrivit under men är inte angiven som insatsägare eller samverkanspart."))
	}
	b := r.Budget
	if b == nil || len(b.Parties) == 0 {
		return out
	}
	inBudget := map[string]bool{}
	for k, p := range b.Parties {
		inBudget[p] = true
		if isNamed[p] || !budgetUses(b, p) {
			continue
		}
		out = append(out, c.finding(schema.CodePartiesMismatch, p, "/budget/parties/"+strconv.Itoa(k),
			"Budgeten har belopp för "+p+", som inte är angiven som insatsägare eller samverkanspart."))
	}
	for k, o := range orgs {
		if !inBudget[o] && !reported(out, paths[k]) {
			out = append(out, c.finding(schema.CodePartiesMismatch, o, paths[k],
				o+" är angiven i ansökan men saknar kolumn i budgeten."))
		}
	}
	return out
}

// isMember tells whether a canonical organisation name is one of the
// kinds of member party, by Context.MemberParty when it is set.
func (c *Context) isMember(org string) bool {
	if c.MemberParty != nil {
		return c.MemberParty(org)
	}
	return memberParty(org)
}

// memberParty tells by its form whether a canonical organisation name is
// one of the kinds of member party: a kommun, a region,
// Arbetsförmedlingen or Försäkringskassan.
func memberParty(org string) bool {
	switch {
	case org == "Arbetsförmedlingen", org == "Försäkringskassan", org == "Västra Götalandsregionen":
		return true
	case strings.HasSuffix(org, " kommun") && len(org) > len(" kommun"):
		return true
	case strings.HasPrefix(org, "Region ") && len(org) > len("Region "):
		return true
	}
	return false
}

// budgetUses tells whether any figure of the budget is for the party.
func budgetUses(b *schema.Budget, party string) bool {
	used := false
	eachLine(b, func(ln lineRef) {
		if ln.line.Amounts[party] != 0 {
			used = true
		}
	})
	for _, t := range []*schema.Total{b.RequestedTotal, b.OwnFinancingTotal, b.TotalCost} {
		if t != nil && t.Amounts[party] != 0 {
			used = true
		}
	}
	return used
}
