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
			Source:           schema.SourceSignature,
			Field:            nonEmpty(s.Field),
			Signer:           nonEmpty(s.Signer),
			Organisation:     nonEmpty(s.Organisation),
			Email:            nonEmpty(s.Email),
			SignedAt:         nonEmpty(s.SignedAt),
			Intact:           ptr(s.Intact),
			CoversDocument:   ptr(s.CoversDocument),
			ChangedAfter:     nonEmpty(s.ChangedAfter),
			Issuer:           nonEmpty(s.Issuer),
			Timestamp:        s.Timestamp,
			CertificateValid: ptr(s.CertValid),
			Problem:          nonEmpty(s.Problem),
			Trusted:          s.Trusted,
		})
	}
	return out
}

// matchDigital sets each signature block's Digital to the index of the
// digital signature that is its signer's: the same e-mail address, or the
// same name (in any order of its parts, diacritics and case aside), the
// organisation deciding between equals. A cryptographic signature
// matches before a verification page's signer (lower-weight evidence).
// A digital signature is matched to one block at most; document
// timestamps to none.
func matchDigital(blocks []schema.Signature, digital []schema.DigitalSignature) {
	type pair struct{ block, sig, score int }
	var pairs []pair
	for i, b := range blocks {
		for j, d := range digital {
			if d.Timestamp {
				continue
			}
			if s := matchScore(b, d); s > 0 {
				if d.Source != schema.SourceVerificationPage {
					s += 8 // above any verification page's match
				}
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return b.score - a.score })
	usedSig := map[int]bool{}
	for _, p := range pairs {
		if blocks[p.block].Digital != nil || usedSig[p.sig] {
			continue
		}
		usedSig[p.sig] = true
		blocks[p.block].Digital = ptr(p.sig)
	}
}

// matchScore is 0 when the block and the signature name different
// people; else higher the more agrees (e-mail 4, name 2, organisation 1).
func matchScore(b schema.Signature, d schema.DigitalSignature) int {
	score := 0
	if b.Email != nil && d.Email != nil && strings.EqualFold(strings.TrimSpace(*b.Email), strings.TrimSpace(*d.Email)) {
		score += 4
	}
	if b.Name != nil && d.Signer != nil && sameName(*b.Name, *d.Signer) {
		score += 2
	}
	if score == 0 {
		return 0
	}
	if b.Organisation != nil && d.Organisation != nil {
		bo, do := foldText(*b.Organisation), foldText(*d.Organisation)
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
