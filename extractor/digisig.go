package extractor

// DigitalSignature is one cryptographic signature (or document
// timestamp) found in a PDF, with what verifying it showed. The verdicts
// are facts about the bytes; the normalizer matches them to the signature
// blocks and the checks judge them.
type DigitalSignature struct {
	Field     string // the signature field's name (/T), when found
	SubFilter string // adbe.pkcs7.detached, ETSI.CAdES.detached, adbe.pkcs7.sha1, ETSI.RFC3161
	Timestamp bool   // a document timestamp (/Type /DocTimeStamp), not a person's signature

	// From the signer's certificate. A personnummer is masked.
	Signer       string
	Organisation string
	Email        string
	Issuer       string

	// SignedAt is the signing time, RFC 3339: a timestamp token's genTime
	// when there is one, else the signed attribute signingTime, else the
	// dictionary's /M; empty when none is given. SignedAtSource says which
	// ("timestamp", "signingTime", "M").
	SignedAt       string
	SignedAtSource string

	// Intact: the byte range's digest equals the CMS messageDigest and the
	// signature over the signed attributes verifies with the signer's
	// certificate. Problem says why not in Swedish, for the officer, and
	// Detail in English, for the engineer, when false.
	Intact  bool
	Problem string
	Detail  string
	// CertValid: the signer's certificate was within its validity period
	// at SignedAt (or now, when there is no signing time).
	CertValid bool
	// Revision is the 1-based revision (%%EOF section) whose end the byte
	// range reaches; 0 when it reaches none.
	Revision int
	// CoversDocument: the byte range reaches the end of its revision with
	// no gap but /Contents, and every later revision adds only
	// signatures, annotations, form fields or validation data.
	// ChangedAfter says in Swedish what happened otherwise.
	CoversDocument bool
	ChangedAfter   string
	// Trusted: the certificate chains to a configured trust anchor; nil
	// when no trust anchors are configured.
	Trusted *bool
}
