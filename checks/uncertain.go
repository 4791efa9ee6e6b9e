package checks

import "github.com/finsam/ansokan/schema"

// Uncertain is a part of the document the normalizer could not read with
// certainty: a long answer under a heading no section key could be
// placed on, a field found twice with different values.
type Uncertain struct {
	// Subject names the part: a section key ("purpose"), a field
	// ("requested_amount"), "page N".
	Subject string
	// Path is the record's JSON pointer of the part.
	Path string
	// Message says in Swedish what could not be read and where; the check
	// adds "granska manuellt".
	Message  string
	Evidence *schema.Evidence
}

// uncertain tells whether the reading of a part is doubtful: the checks
// that depend on it say so instead of reporting the applicant's error.
func (c *Context) uncertain(subject string) bool {
	for _, u := range c.Uncertain {
		if u.Subject == subject {
			return true
		}
	}
	return false
}

// checkUncertain: every doubtful reading becomes an extraction.uncertain
// finding for an officer to look at.
func checkUncertain(r *schema.Record, c *Context) []schema.Finding {
	var out []schema.Finding
	for _, u := range c.Uncertain {
		subject := u.Subject
		out = append(out, schema.Finding{
			Code: schema.CodeExtractionUncertain, Severity: schema.DefaultSeverity[schema.CodeExtractionUncertain],
			Subject: &subject, Message: u.Message + " – granska manuellt.", Path: u.Path, Evidence: u.Evidence,
		})
	}
	return out
}
