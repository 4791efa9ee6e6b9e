// Package schema holds the normalized application record, version 1, as
// ../shared/contract.md defines it: the product's public interface. Every
// path that turns an application into data emits exactly this record.
//
// Field names are snake_case in JSON. Unknown values are null, never an
// empty string pretending to be data; that is why most scalar fields are
// pointers. Money is whole kronor as an integer.
package schema

// Version is the record's schema_version.
const Version = "1"

// Record is one application (one file, or the files of one submission).
type Record struct {
	SchemaVersion        string                `json:"schema_version"`
	Producer             Producer              `json:"producer"`
	Source               Source                `json:"source"`
	Title                *string               `json:"title"`
	Owner                *Owner                `json:"owner"`
	Partners             []Partner             `json:"partners"`
	Period               *Period               `json:"period"`
	ExpectedParticipants *ExpectedParticipants `json:"expected_participants"`
	RequestedAmountSEK   *int64                `json:"requested_amount_sek"`
	Anchoring            *Anchoring            `json:"anchoring"`
	Sections             map[string]Section    `json:"sections"`
	ExtraSections        []Section             `json:"extra_sections"`
	Signatures           []Signature           `json:"signatures"`
	// DigitalSignatures are the cryptographic signatures in the
	// submission's PDFs with their verdicts; empty when there are none.
	DigitalSignatures []DigitalSignature `json:"digital_signatures"`
	// VerificationSigners are the signers e-signature services'
	// verification pages in the submission's PDFs list, read from the
	// pages' text (nothing verified); empty when there are none.
	VerificationSigners []VerificationSigner `json:"verification_signers"`
	Budget              *Budget              `json:"budget"`
	Findings            []Finding            `json:"findings"`
	Complete            bool                 `json:"complete"`
	// SubmissionID is the submission's id: the one given (submit
	// --submission, a batch's content id), else the queue's own id for a
	// job of several files; null for a lone file outside a submission.
	SubmissionID *string `json:"submission_id"`
	// Job is the queue job that made the record (null outside the queue):
	// its id, and the reprocess run or retry that queued it again, so that
	// two records of one application tell which run made each.
	Job *string `json:"job"`
	// ProducedAt is when the record was made, RFC 3339 in UTC.
	ProducedAt string `json:"produced_at"`
}

// TimeFormat is the layout of ProducedAt: RFC 3339 in UTC, to the
// millisecond.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// Producer names the build that made the record.
type Producer struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Source lists the files the record was made from.
type Source struct {
	Files []File `json:"files"`
	// Message is the e-mail message the submission arrived in; null
	// when it did not arrive by e-mail.
	Message *Message `json:"message"`
}

// Message is an e-mail message a submission arrived in.
type Message struct {
	MessageID *string `json:"message_id"` // without angle brackets; null when the message has none
	From      *string `json:"from"`       // "Namn <adress>", decoded
	Subject   *string `json:"subject"`    // decoded
	Received  *string `json:"received"`   // the Date header, RFC 3339
	// AutoSubmitted is true when a program sent the message (an
	// auto-reply, a bounce, a mailing list): nobody replies to it.
	AutoSubmitted bool `json:"auto_submitted"`
}

// File is one source file.
type File struct {
	Name string `json:"name"`
	// Path is the file's path as given: relative to the folder a batch
	// was run on, the path on the command line, or the upload's name.
	Path string `json:"path"`
	// PathEncoded is the path with its original bytes, present only when
	// the path is not valid UTF-8 (a name from an old archive or another
	// system's encoding): every byte that is not part of valid UTF-8, and
	// '%' itself, written %XX. Name and Path then show those bytes as
	// U+FFFD, as JSON must.
	PathEncoded string `json:"path_encoded,omitempty"`
	SHA256      string `json:"sha256"`
	Format      string `json:"format"` // docx, pdf, xlsx, png, jpeg or tiff; empty string never: unknown formats are "unknown"
	Pages       *int   `json:"pages"`  // PDF and image files (frames) only
	Bytes       int64  `json:"bytes"`
	// OCRPages lists the pages read by OCR with their mean word
	// confidence; absent when none were.
	OCRPages []OCRPage `json:"ocr_pages,omitempty"`
}

// OCRPage is one page of a file read by OCR.
type OCRPage struct {
	Page       int     `json:"page"`
	Confidence float64 `json:"confidence"` // mean word confidence, 0-100
	// Rotation is how far the page was turned to read upright (90, 180,
	// 270 degrees); absent when it stood upright.
	Rotation int `json:"rotation,omitempty"`
	// Skew is the skew corrected, in degrees to one decimal; absent when
	// under 0.05.
	Skew float64 `json:"skew,omitempty"`
}

// Owner is the Insatsägare.
type Owner struct {
	Organisation *string  `json:"organisation"`
	Units        []string `json:"units"`
}

// Partner is one Samverkanspart.
type Partner struct {
	Organisation string `json:"organisation"`
}

// Period is the Planerad insatstid. Dates are "YYYY-MM-DD", or "YYYY-MM"
// when the source lacks the day.
type Period struct {
	Start     *string `json:"start"`
	End       *string `json:"end"`
	IntakeEnd *string `json:"intake_end"`
}

// ExpectedParticipants is "Ange förväntat antal deltagare".
type ExpectedParticipants struct {
	Count   *int   `json:"count"`
	PerYear bool   `json:"per_year"`
	Text    string `json:"text"`
}

// Anchoring is the local anchoring question (Har ansökan diskuterats…).
type Anchoring struct {
	Discussed *bool   `json:"discussed"`
	How       *string `json:"how"`
}

// Section is one free-text answer.
type Section struct {
	Heading string `json:"heading"`
	Text    string `json:"text"`
}

// Section keys (contract: "Section keys").
const (
	SectionPurpose     = "purpose"
	SectionGoals       = "goals"
	SectionBackground  = "background"
	SectionTargetGroup = "target_group"
	SectionMethods     = "methods"
	SectionEvaluation  = "evaluation"
	SectionResultsUse  = "results_use"
	SectionBudgetText  = "budget_text"
	SectionAgreement   = "agreement"
)

// Signature roles.
const (
	RoleOwner   = "owner"
	RolePartner = "partner"
)

// Signature is one signature block.
type Signature struct {
	Role         string  `json:"role"`
	Organisation *string `json:"organisation"`
	Date         *string `json:"date"`
	Name         *string `json:"name"`
	Email        *string `json:"email"`
	Electronic   bool    `json:"electronic"`
	// Digital is the index into Record.DigitalSignatures of the digital
	// signature matched to this block; null when none matched.
	Digital *int `json:"digital"`
	// Verification is the index into Record.VerificationSigners of the
	// signer a verification page lists for this block; null when none
	// matched. Evidence of lower weight than Digital.
	Verification *int `json:"verification"`
	// Handwritten says, for a block on a scanned page, whether the
	// signature line or box carries a handwritten signature (ink that is
	// not printed text); null when the block is not on a scan or it
	// cannot be decided.
	Handwritten *bool `json:"handwritten"`
}

// DigitalSignature is one cryptographic signature (or document
// timestamp) in a PDF and what verifying it showed.
type DigitalSignature struct {
	File         string  `json:"file"`
	Field        *string `json:"field"`
	Signer       *string `json:"signer"`
	Organisation *string `json:"organisation"`
	Email        *string `json:"email"`
	// SignedAt is RFC 3339 with the signer's offset: a timestamp token's
	// time, else the signed signingTime, else the dictionary's /M.
	SignedAt *string `json:"signed_at"`
	// Intact: the signed bytes' digest and the CMS signature verify.
	Intact bool `json:"intact"`
	// CoversDocument: the signature covers its revision whole and only
	// signatures, annotations or form fields follow.
	CoversDocument bool `json:"covers_document"`
	// ChangedAfter says in Swedish what changed when CoversDocument is
	// false.
	ChangedAfter *string `json:"changed_after"`
	Issuer       *string `json:"issuer"`
	// Timestamp: a document timestamp (a time-stamping authority's seal),
	// not a person's signature; never matched to a block.
	Timestamp bool `json:"timestamp"`
	// CertificateValid: the signer's certificate was within its validity
	// period at SignedAt.
	CertificateValid bool `json:"certificate_valid"`
	// Problem says in Swedish why the signature is not intact; null when
	// it is.
	Problem *string `json:"problem"`
	// Trusted against the configured trust anchors; null when none are
	// configured.
	Trusted *bool `json:"trusted"`
}

// VerificationSigner is one signer an e-signature service's
// verification page lists (Scrive's verifikat, Visma Sign's or Addo's
// signing page, DocuSign's certificate of completion, Assently's
// verification), read from the page's text. Nothing about it is
// verified: it is evidence of lower weight than a DigitalSignature, and
// it is never one (the service's own seal over the file, when there is
// one, is in Record.DigitalSignatures).
type VerificationSigner struct {
	File string `json:"file"`
	// Page is the verification page's number in File (1-based).
	Page int `json:"page"`
	// Service names the e-signature service ("Scrive", "DocuSign").
	Service      string  `json:"service"`
	Name         *string `json:"name"`
	Organisation *string `json:"organisation"`
	Email        *string `json:"email"`
	// SignedAt is the time the page says the signer signed, RFC 3339
	// with the page's offset (Swedish time when it names none).
	SignedAt *string `json:"signed_at"`
}

// Budget is what the budget template holds, figures as written.
type Budget struct {
	UnitStated        *string       `json:"unit_stated"` // "tkr" or "kr" as the header claims
	Unit              string        `json:"unit"`        // the unit the figures are in, inferred
	Period            *BudgetPeriod `json:"period"`
	Parties           []string      `json:"parties"`
	Requested         *CostGroups   `json:"requested"`
	OwnFinancing      *CostGroups   `json:"own_financing"`
	RequestedTotal    *Total        `json:"requested_total"`
	OwnFinancingTotal *Total        `json:"own_financing_total"`
	TotalCost         *Total        `json:"total_cost"`
	Summary           []SummaryRow  `json:"summary"`
}

// BudgetPeriod is the budget's Insatsens löptid.
type BudgetPeriod struct {
	Start *string `json:"start"`
	End   *string `json:"end"`
}

// CostGroups is the requested or own-financing half of the detailed budget.
type CostGroups struct {
	Salaries *CostGroup `json:"salaries"`
	Premises *CostGroup `json:"premises"`
	Other    *CostGroup `json:"other"`
}

// CostGroup is Lönekostnader, Lokalkostnader or Övriga kostnader.
type CostGroup struct {
	Lines []BudgetLine `json:"lines"`
	Sum   *SumRow      `json:"sum"`
}

// BudgetLine is one cost line. Amounts maps canonical party name to kronor.
type BudgetLine struct {
	Label   string           `json:"label"`
	Percent *float64         `json:"percent"`
	From    *string          `json:"from"`
	To      *string          `json:"to"`
	Amounts map[string]int64 `json:"amounts"`
	Total   *int64           `json:"total"`
}

// SumRow is a Summa row as written.
type SumRow struct {
	Percent *float64         `json:"percent"`
	Amounts map[string]int64 `json:"amounts"`
	Total   *int64           `json:"total"`
}

// Total is a total row as written.
type Total struct {
	Amounts map[string]int64 `json:"amounts"`
	Total   *int64           `json:"total"`
}

// SummaryRow is one party's row of the Budgetsammanställning.
type SummaryRow struct {
	Party        string `json:"party"`
	Requested    *int64 `json:"requested"`
	OwnFinancing *int64 `json:"own_financing"`
	Other        *int64 `json:"other"`
	Total        *int64 `json:"total"`
}

// Finding is one thing a förbund officer should know about.
type Finding struct {
	Code     string    `json:"code"`
	Severity string    `json:"severity"`
	Subject  *string   `json:"subject"`
	Message  string    `json:"message"`
	Path     string    `json:"path"`
	Evidence *Evidence `json:"evidence"`
}

// Evidence says where in the source a finding was seen.
type Evidence struct {
	File      string `json:"file"`
	Page      *int   `json:"page,omitempty"`
	Sheet     string `json:"sheet,omitempty"`
	Cell      string `json:"cell,omitempty"`
	Paragraph *int   `json:"paragraph,omitempty"`
}

// Severities.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// Finding codes (contract: "Findings").
const (
	CodeDocumentUnreadable      = "document.unreadable"
	CodeDocumentNoText          = "document.no_text"
	CodeSectionMissing          = "section.missing"
	CodeSignatureMissing        = "signature.missing"
	CodeSignatureDateMissing    = "signature.date_missing"
	CodeSignatureDateIncomplete = "signature.date_incomplete"
	CodeSignatureEmailInvalid   = "signature.email_invalid"
	CodeBudgetRowSum            = "budget.row_sum_mismatch"
	CodeBudgetColumnSum         = "budget.column_sum_mismatch"
	CodeBudgetTotal             = "budget.total_mismatch"
	CodeBudgetSummary           = "budget.summary_mismatch"
	CodeBudgetRequestedAmount   = "budget.requested_amount_mismatch"
	CodeBudgetPercent           = "budget.percent_mismatch"
	CodePeriodInvalid           = "period.invalid"
	CodePeriodBudgetMismatch    = "period.budget_mismatch"
	CodePrivacyPersonnummer     = "privacy.personnummer"
	CodePartiesMismatch         = "parties.mismatch"
	CodeAgreementModified       = "agreement.modified"
	CodeTemplatePlaceholder     = "template.placeholder"
	CodeBudgetUnitMismatch      = "budget.unit_mismatch"
	// CodeExtractionUncertain: a part of the document could not be read
	// with certainty; the findings that would follow from it are not raised.
	CodeExtractionUncertain = "extraction.uncertain"
	// CodeSignatureDigitalInvalid: a digital signature does not verify,
	// or the document was changed after it was signed.
	CodeSignatureDigitalInvalid = "signature.digital_invalid"
	// CodeSignatureDigitalUnmatched: the document is digitally signed,
	// but a party that must sign has no matching digital signature.
	CodeSignatureDigitalUnmatched = "signature.digital_unmatched"
)

// DefaultSeverity is each code's severity unless a rule says otherwise.
var DefaultSeverity = map[string]string{
	CodeDocumentUnreadable:        SeverityError,
	CodeDocumentNoText:            SeverityError,
	CodeSectionMissing:            SeverityError,
	CodeSignatureMissing:          SeverityError,
	CodeSignatureDateMissing:      SeverityWarning,
	CodeSignatureDateIncomplete:   SeverityWarning,
	CodeSignatureEmailInvalid:     SeverityWarning,
	CodeBudgetRowSum:              SeverityError,
	CodeBudgetColumnSum:           SeverityError,
	CodeBudgetTotal:               SeverityError,
	CodeBudgetSummary:             SeverityError,
	CodeBudgetRequestedAmount:     SeverityError,
	CodeBudgetPercent:             SeverityWarning,
	CodePeriodInvalid:             SeverityError,
	CodePeriodBudgetMismatch:      SeverityWarning,
	CodePrivacyPersonnummer:       SeverityWarning,
	CodePartiesMismatch:           SeverityWarning,
	CodeAgreementModified:         SeverityWarning,
	CodeTemplatePlaceholder:       SeverityWarning,
	CodeBudgetUnitMismatch:        SeverityInfo,
	CodeExtractionUncertain:       SeverityWarning,
	CodeSignatureDigitalInvalid:   SeverityError,
	CodeSignatureDigitalUnmatched: SeverityWarning,
}

// Complete reports whether no finding has severity error.
func Complete(findings []Finding) bool {
	for _, f := range findings {
		if f.Severity == SeverityError {
			return false
		}
	}
	return true
}
