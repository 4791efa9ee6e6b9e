// Package mailtest builds e-mail messages for tests: multipart messages
// with attachments whose names are encoded as real mail programs encode
// them (RFC 2047 words, RFC 2231 parameters with continuations), in
// base64 or quoted-printable, forwarded as message/rfc822 or zipped.
package mailtest

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"net/url"
	"strings"
	"sync/atomic"
)

var boundaries atomic.Int64

// Naming is how an attachment's file name is written in its headers.
type Naming int

const (
	Plain            Naming = iota // filename="name" (ASCII names only)
	RFC2047Q                       // filename="=?UTF-8?Q?...?=" (Outlook, Gmail)
	RFC2047B                       // filename="=?UTF-8?B?...?="
	RFC2047Latin1                  // filename="=?ISO-8859-1?Q?...?=" (older clients)
	RFC2231                        // filename*=UTF-8''... (Thunderbird, Apple Mail)
	RFC2231Continued               // filename*0*=UTF-8''...; filename*1*=... (long names)
	NameOnly                       // no disposition filename: only Content-Type name="=?UTF-8?Q?...?="
)

// Part is one attachment.
type Part struct {
	Name   string
	Naming Naming
	Type   string // Content-Type; application/octet-stream when ""
	Data   []byte
	QP     bool // quoted-printable instead of base64
	// Raw, when set, is written as the part's whole body under Type
	// (a message/rfc822 part, say), without encoding.
	Raw []byte
}

// Message is a message to build.
type Message struct {
	ID, From, Subject, Date string
	Text                    string
	Parts                   []Part
	// Headers are more header lines ("Auto-Submitted: auto-replied").
	Headers []string
}

const boundary = "=_ansokan_test_boundary_"

// Bytes writes the message with CRLF line ends.
func (m Message) Bytes() []byte {
	var b bytes.Buffer
	h := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	h("Message-ID", m.ID)
	h("From", m.From)
	h("To", "registrator@samordningsforbund.example")
	h("Subject", m.Subject)
	h("Date", m.Date)
	h("MIME-Version", "1.0")
	for _, l := range m.Headers {
		b.WriteString(l + "\r\n")
	}
	// Every message its own boundary, as mail programs make them: a
	// forwarded message inside must not end its container's parts.
	bnd := fmt.Sprintf("%s%d", boundary, boundaries.Add(1))
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", bnd)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", bnd)
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(m.Text))
	qp.Close()
	b.WriteString("\r\n")
	for _, p := range m.Parts {
		fmt.Fprintf(&b, "--%s\r\n", bnd)
		typ := p.Type
		if typ == "" {
			typ = "application/octet-stream"
		}
		if p.Raw != nil {
			fmt.Fprintf(&b, "Content-Type: %s\r\nContent-Disposition: attachment\r\n\r\n", typ)
			b.Write(p.Raw)
			b.WriteString("\r\n")
			continue
		}
		ctName, disp := names(p.Name, p.Naming)
		fmt.Fprintf(&b, "Content-Type: %s%s\r\n", typ, ctName)
		if disp != "" {
			fmt.Fprintf(&b, "Content-Disposition: attachment;%s\r\n", disp)
		}
		if p.QP {
			b.WriteString("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
			w := quotedprintable.NewWriter(&b)
			w.Binary = true
			w.Write(p.Data)
			w.Close()
		} else {
			b.WriteString("Content-Transfer-Encoding: base64\r\n\r\n")
			enc := base64.StdEncoding.EncodeToString(p.Data)
			for len(enc) > 76 {
				b.WriteString(enc[:76] + "\r\n")
				enc = enc[76:]
			}
			b.WriteString(enc)
		}
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", bnd)
	return b.Bytes()
}

// names returns the Content-Type name parameter (with its leading "; ")
// and the Content-Disposition parameters.
func names(name string, n Naming) (ctName, disp string) {
	switch n {
	case Plain:
		return fmt.Sprintf("; name=%q", name), fmt.Sprintf(" filename=%q", name)
	case RFC2047Q:
		w := qWord("UTF-8", []byte(name))
		return fmt.Sprintf("; name=\"%s\"", w), fmt.Sprintf("\r\n filename=\"%s\"", w)
	case RFC2047B:
		w := "=?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte(name)) + "?="
		return fmt.Sprintf("; name=\"%s\"", w), fmt.Sprintf("\r\n filename=\"%s\"", w)
	case RFC2047Latin1:
		w := qWord("ISO-8859-1", latin1(name))
		return fmt.Sprintf("; name=\"%s\"", w), fmt.Sprintf("\r\n filename=\"%s\"", w)
	case RFC2231:
		return "", " filename*=UTF-8''" + pct(name)
	case RFC2231Continued:
		enc := pct(name)
		var parts []string
		for i := 0; len(enc) > 0; i++ {
			n := min(len(enc), 20)
			for n < len(enc) && n > 0 && (enc[n-1] == '%' || (n > 1 && enc[n-2] == '%')) {
				n++ // never split a %XX
			}
			pre := ""
			if i == 0 {
				pre = "UTF-8''"
			}
			parts = append(parts, fmt.Sprintf("\r\n filename*%d*=%s%s", i, pre, enc[:n]))
			enc = enc[n:]
		}
		return "", strings.Join(parts, ";")
	case NameOnly:
		return fmt.Sprintf("; name=\"%s\"", qWord("UTF-8", []byte(name))), ""
	}
	panic("mailtest: unknown naming")
}

func qWord(charset string, b []byte) string {
	var s strings.Builder
	s.WriteString("=?" + charset + "?Q?")
	for _, c := range b {
		switch {
		case c == ' ':
			s.WriteByte('_')
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-':
			s.WriteByte(c)
		default:
			fmt.Fprintf(&s, "=%02X", c)
		}
	}
	s.WriteString("?=")
	return s.String()
}

func latin1(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r))
	}
	return b
}

func pct(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "+", "%2B")
}

// Forward wraps a message as a message/rfc822 part, as "forward as
// attachment" does.
func Forward(m Message) Part {
	return Part{Type: "message/rfc822", Raw: m.Bytes()}
}

// Zip packs files (name → bytes) in a .zip, in the order of names.
func Zip(names []string, files map[string][]byte) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range names {
		w, _ := zw.Create(n)
		w.Write(files[n])
	}
	zw.Close()
	return b.Bytes()
}

// Mbox writes messages as an mbox file (mboxrd: lines starting "From ",
// after any '>'s, get one more '>').
func Mbox(msgs ...[]byte) []byte {
	var b bytes.Buffer
	for _, m := range msgs {
		b.WriteString("From ansokan@example Fri Dec  4 10:00:00 2026\n")
		for _, line := range strings.SplitAfter(strings.ReplaceAll(string(m), "\r\n", "\n"), "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, ">"), "From ") {
				b.WriteByte('>')
			}
			b.WriteString(line)
		}
		if !bytes.HasSuffix(b.Bytes(), []byte("\n")) {
			b.WriteByte('\n')
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}
