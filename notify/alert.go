package notify

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/finsam/ansokan/batch"
	"github.com/finsam/ansokan/message"
	"github.com/finsam/ansokan/schema"
)

// Condition is when a record calls for an alert (--alert-on).
type Condition string

const (
	// OnIncomplete: the record has complete: false (always on).
	OnIncomplete Condition = "incomplete"
	// OnUncertain: a part could not be read with confidence
	// (extraction.uncertain).
	OnUncertain Condition = "uncertain"
	// OnWarnings: the record has a finding of severity warning.
	OnWarnings Condition = "warnings"
)

// ParseConditions reads a comma-separated --alert-on list.
func ParseConditions(s string) ([]Condition, error) {
	var out []Condition
	for _, f := range strings.Split(s, ",") {
		c := Condition(strings.TrimSpace(f))
		switch c {
		case "":
			continue
		case OnIncomplete, OnUncertain, OnWarnings:
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		default:
			return nil, fmt.Errorf("--alert-on %q: want incomplete, uncertain or warnings", c)
		}
	}
	return out, nil
}

// Alert is what the templates see. Its fields are documented in the
// README ("Alerts by e-mail and webhook"); add fields freely, never
// rename one: the förbund's own templates use them.
type Alert struct {
	Title      string    // the insats's name, "(utan titel)" when none was read
	Owner      string    // the insatsägare, with its units, "(okänd)" when none was read
	Complete   bool      // the record's complete
	Submission string    // the submission id, when there is one
	Files      []string  // the names of the record's files
	Applicant  Applicant // the sender of the message the application came in, when known
	// Errors are what is missing or wrong (findings of severity error):
	// what must be completed before the application can be handled.
	Errors []Item
	// Warnings are what an officer should check (severity warning and
	// info; extraction.uncertain among them).
	Warnings  []Item
	Reasons   []Condition // why this alert is sent (incomplete, uncertain, warnings)
	RecordURL string      // the record in the web inbox, when --inbox-url is set
	RecordSeq uint64      // the record's sequence in ANSOKAN_RECORDS
	RecordID  string      // the record's message id (Nats-Msg-Id)
	// MessageSubject and MessageID are the original message's subject and
	// Message-ID (source.message), for a reply.
	MessageSubject string
	MessageID      string
	// NoFiles is true when the message held no application file: the
	// record's one file is the message itself.
	NoFiles bool
	// Automatic is true when a program sent the message (an auto-reply,
	// a bounce: source.message.auto_submitted): nobody is replied to.
	Automatic bool
	// Received is when the message was sent (source.message.received);
	// zero when unknown. Only a recent message is replied to
	// (Config.ReplyWithin).
	Received time.Time
}

// Item is one finding, in Swedish.
type Item struct {
	Code     string // the finding code, e.g. section.missing
	Severity string // fel, varning or upplysning
	Message  string // the finding's message
	Where    string // where it was seen, e.g. "Budget, lönekostnader rad 3 (blad Budget, cell A7)"
}

// Applicant is a sender: Name may be empty.
type Applicant struct {
	Name    string
	Address string
}

// String gives "Name <address>", or the address alone.
func (a Applicant) String() string {
	if a.Address == "" {
		return ""
	}
	return (&mail.Address{Name: a.Name, Address: a.Address}).String()
}

var severityName = map[string]string{
	schema.SeverityError: "fel", schema.SeverityWarning: "varning", schema.SeverityInfo: "upplysning",
}

// reasons says which of the conditions the record meets.
func reasons(r *schema.Record, on []Condition) []Condition {
	var out []Condition
	if !r.Complete {
		out = append(out, OnIncomplete)
	}
	for _, c := range on {
		var hit bool
		switch c {
		case OnUncertain:
			hit = slices.ContainsFunc(r.Findings, func(f schema.Finding) bool { return f.Code == schema.CodeExtractionUncertain })
		case OnWarnings:
			hit = slices.ContainsFunc(r.Findings, func(f schema.Finding) bool { return f.Severity == schema.SeverityWarning })
		}
		if hit {
			out = append(out, c)
		}
	}
	return out
}

// sourceMessage is source.message, read without depending on its Go type
// (the contract's {message_id, from, subject, received}); from may be a
// string ("Namn <adress>") or an object ({name, address}).
type sourceMessage struct {
	Source struct {
		Message *struct {
			MessageID     string          `json:"message_id"`
			From          json.RawMessage `json:"from"`
			Subject       string          `json:"subject"`
			Received      string          `json:"received"`
			AutoSubmitted bool            `json:"auto_submitted"`
		} `json:"message"`
	} `json:"source"`
}

func parseSender(raw json.RawMessage) Applicant {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if a, err := mail.ParseAddress(s); err == nil {
			return Applicant{Name: a.Name, Address: a.Address}
		}
		return Applicant{}
	}
	var o struct {
		Name    string `json:"name"`
		Address string `json:"address"`
		Email   string `json:"email"`
	}
	if json.Unmarshal(raw, &o) != nil {
		return Applicant{}
	}
	addr := cmp.Or(o.Address, o.Email)
	if a, err := mail.ParseAddress(addr); err == nil {
		return Applicant{Name: o.Name, Address: a.Address}
	}
	return Applicant{}
}

// newAlert reads a record's JSON into what the templates see.
func newAlert(data []byte, on []Condition) (*Alert, *schema.Record, error) {
	var r schema.Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, nil, fmt.Errorf("read record: %w", err)
	}
	a := &Alert{Title: "(utan titel)", Owner: "(okänd)", Complete: r.Complete, Reasons: reasons(&r, on)}
	if r.Title != nil && strings.TrimSpace(*r.Title) != "" {
		a.Title = strings.TrimSpace(*r.Title)
	}
	if o := r.Owner; o != nil && o.Organisation != nil && *o.Organisation != "" {
		a.Owner = *o.Organisation
		if len(o.Units) > 0 {
			a.Owner += " (" + strings.Join(o.Units, ", ") + ")"
		}
	}
	if r.SubmissionID != nil {
		a.Submission = *r.SubmissionID
	}
	for _, f := range r.Source.Files {
		a.Files = append(a.Files, f.Name)
	}
	for _, f := range r.Findings {
		it := Item{Code: f.Code, Severity: severityName[f.Severity], Message: f.Message, Where: batch.Where(&r, f)}
		if f.Severity == schema.SeverityError {
			a.Errors = append(a.Errors, it)
		} else {
			a.Warnings = append(a.Warnings, it)
		}
	}
	var sm sourceMessage
	if json.Unmarshal(data, &sm) == nil && sm.Source.Message != nil {
		m := sm.Source.Message
		a.Applicant = parseSender(m.From)
		a.MessageSubject, a.MessageID, a.Automatic = m.Subject, m.MessageID, m.AutoSubmitted
		a.Received, _ = time.Parse(time.RFC3339, m.Received)
		a.NoFiles = len(r.Source.Files) == 1 && message.IsMessageName(r.Source.Files[0].Name)
	}
	return a, &r, nil
}
