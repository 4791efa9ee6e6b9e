package normalizer

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/schema"
)

// digitalSignatures lists a PDF's verified digital signatures for the
// record, in file order.
func digitalSignatures(d *extractor.Document) []schema.DigitalSignature {
	var out []schema.DigitalSignature
	for _, s := range d.DigitalSignatures {
		out = append(out, schema.DigitalSignature{
			File:             d.Name,
			Field:            nonEmpty(s.Field),
			Signer:           nonEmpty(s.Signer),
			Organisation:     nonEmpty(s.Organisation),
			Email:            nonEmpty(s.Email),
			SignedAt:         nonEmpty(s.SignedAt),
			Intact:           s.Intact,
			CoversDocument:   s.CoversDocument,
			ChangedAfter:     nonEmpty(s.ChangedAfter),
			Issuer:           nonEmpty(s.Issuer),
			Timestamp:        s.Timestamp,
			CertificateValid: s.CertValid,
			Problem:          nonEmpty(s.Problem),
			Trusted:          s.Trusted,
		})
	}
	return out
}

// party is who signed, as a signature or a verification page names
// them, for matching to the signature blocks.
type party struct{ name, organisation, email *string }

// matchDigital sets each signature block's Digital to the index of the
// cryptographic signature that is its signer's (see matchParties). Document
// timestamps are matched to no block.
func matchDigital(blocks []schema.Signature, digital []schema.DigitalSignature) {
	parties := make([]*party, len(digital))
	for j, d := range digital {
		if !d.Timestamp {
			parties[j] = &party{d.Signer, d.Organisation, d.Email}
		}
	}
	matchParties(blocks, parties, func(b *schema.Signature, j int) { b.Digital = ptr(j) })
}

// matchVerification sets each signature block's Verification to the
// index of the signer a verification page lists that is the block's
// (see matchParties), whether or not a cryptographic signature matched it too:
// the two are separate evidence, the page's of lower weight.
func matchVerification(blocks []schema.Signature, signers []schema.VerificationSigner) {
	parties := make([]*party, len(signers))
	for j, v := range signers {
		parties[j] = &party{v.Name, v.Organisation, v.Email}
	}
	matchParties(blocks, parties, func(b *schema.Signature, j int) { b.Verification = ptr(j) })
}

// matchParties pairs blocks with parties: the same e-mail address, or the same
// name (in any order of its parts, diacritics and case aside), the
// organisation deciding between equals; best pairs first, each block
// and each party in one pair at most. A nil party is matched to none.
func matchParties(blocks []schema.Signature, parties []*party, set func(b *schema.Signature, j int)) {
	type pair struct{ block, party, score int }
	var pairs []pair
	for i, b := range blocks {
		for j, p := range parties {
			if p == nil {
				continue
			}
			if s := matchScore(b, *p); s > 0 {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return b.score - a.score })
	usedBlock, usedParty := map[int]bool{}, map[int]bool{}
	for _, p := range pairs {
		if usedBlock[p.block] || usedParty[p.party] {
			continue
		}
		usedBlock[p.block], usedParty[p.party] = true, true
		set(&blocks[p.block], p.party)
	}
}

// matchScore is 0 when the block and the party name different people;
// else higher the more agrees (e-mail 4, name 2, organisation 1).
func matchScore(b schema.Signature, p party) int {
	score := 0
	if b.Email != nil && p.email != nil && strings.EqualFold(strings.TrimSpace(*b.Email), strings.TrimSpace(*p.email)) {
		score += 4
	}
	if b.Name != nil && p.name != nil && sameName(*b.Name, *p.name) {
		score += 2
	}
	if score == 0 {
		return 0
	}
	if b.Organisation != nil && p.organisation != nil {
		bo, do := foldText(*b.Organisation), foldText(*p.organisation)
		if bo != "" && do != "" && (strings.Contains(bo, do) || strings.Contains(do, bo)) {
			score++
		}
	}
	return score
}

// sameName: the same words, in any order, diacritics and case aside;
// a certificate's extra words (a middle name, a masked number) may be
// there as long as every word of the shorter name is in the longer.
func sameName(a, b string) bool {
	wa, wb := strings.Fields(foldText(a)), strings.Fields(foldText(b))
	if len(wa) < 2 || len(wb) < 2 {
		return len(wa) == 1 && len(wb) == 1 && wa[0] == wb[0]
	}
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	for _, w := range wa {
		if !slices.Contains(wb, w) {
			return false
		}
	}
	return true
}

// foldText lowercases, strips diacritics (å → a, é → e) and keeps letters
// and digits, other runs becoming one space.
func foldText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}
