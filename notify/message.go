package notify

import (
	"bytes"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// email is one message to send.
type email struct {
	From      string   // an address, with or without a name
	To        []string // addresses
	Subject   string
	Body      string
	MessageID string // "<...>": the same on every try, so a receiver can drop a repeat
	InReplyTo string // the applicant's Message-ID, for a reply
}

// bytes gives the message in RFC 5322, UTF-8 text in quoted-printable,
// marked auto-generated (RFC 3834) so that autoresponders stay quiet.
func (e *email) bytes(now time.Time) ([]byte, error) {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", e.From)
	h("To", strings.Join(e.To, ", "))
	h("Subject", mime.QEncoding.Encode("utf-8", e.Subject))
	h("Date", now.Format(time.RFC1123Z))
	h("Message-ID", e.MessageID)
	if id := strings.Trim(strings.TrimSpace(e.InReplyTo), "<>"); id != "" {
		// source.message.message_id is without its angle brackets; the
		// header's msg-id (RFC 5322 3.6.4) has them.
		h("In-Reply-To", "<"+id+">")
		h("References", "<"+id+">")
	}
	h("Auto-Submitted", "auto-generated")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	w := quotedprintable.NewWriter(&b)
	body := strings.ReplaceAll(strings.ReplaceAll(e.Body, "\r\n", "\n"), "\n", "\r\n")
	if _, err := w.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// address gives the bare address of "Name <addr>" or "addr".
func address(s string) (string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", fmt.Errorf("address %q: %w", s, err)
	}
	return a.Address, nil
}
