// Package message reads an e-mail message (RFC 5322, MIME) as one
// submission: its application files (.docx, .pdf, .xlsx attachments,
// also inside a .zip or a forwarded message) and its metadata (sender,
// subject, date, Message-ID). It reads bytes and returns bytes; reading
// the documents is the normalizer's job.
package message

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"path"
	"strings"
	"time"

	gomessage "github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // ISO-8859-1, Windows-1252 and other charsets of headers and names
	"github.com/emersion/go-message/textproto"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/schema"
)

// ErrMalformed marks a message that could not be parsed as MIME at all,
// or is nested deeper or holds more parts than the Limits allow.
// It wraps extractor.ErrCorrupt: the record says the file is broken.
var ErrMalformed = fmt.Errorf("malformed e-mail message: %w", extractor.ErrCorrupt)

// Limits bound the work one message may cost. A zero field takes its
// default.
type Limits struct {
	// MaxBytes bounds the raw message. Default 128 MB: a message with
	// three scanned attachments is rarely over 30 MB (base64 adds a third).
	MaxBytes int64
	// MaxFileBytes bounds one attachment, decoded. Default: the
	// extractor's MaxFileBytes.
	MaxFileBytes int64
	// MaxDepth bounds how deep multiparts, forwarded messages and zip
	// archives nest. Default 8: a forward of a forward is depth 4.
	MaxDepth int
	// MaxParts bounds the MIME parts and zip entries walked in all.
	// Default 1000.
	MaxParts int
}

// DefaultLimits returns the limits a zero Limits takes.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 128 << 20, MaxFileBytes: extractor.DefaultLimits().MaxFileBytes, MaxDepth: 8, MaxParts: 1000}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxParts <= 0 {
		l.MaxParts = d.MaxParts
	}
	return l
}

// Meta is what the message says about itself.
type Meta struct {
	MessageID string    // without the angle brackets; "" when absent
	From      string    // "Namn <adress>" decoded, or the address alone
	Subject   string    // decoded
	Received  time.Time // the Date header; zero when absent or unreadable
	// Automatic is true for a message a program sent, not a person: an
	// auto-reply, a bounce, a list's mail (see automatic). Nobody is
	// replied to about it, so two robots cannot answer each other.
	Automatic bool
}

// File is one application file found in the message.
type File struct {
	// Name is the attachment's decoded file name; inside a zip or a
	// forwarded message, prefixed with the container's name and "/".
	Name string
	Data []byte
	// Err is set when the file could not be taken out (larger than
	// MaxFileBytes, a broken encoding): Data is nil.
	Err error
}

// Message is a read message.
type Message struct {
	Meta
	Files []File
	// Skipped names the attachments that are not application files
	// (images, .txt, winmail.dat …), for logs.
	Skipped []string
	// SHA256 is the hex digest of the raw message.
	SHA256 string
}

// SubmissionID is the message's submission id: "mail-" and 32 hex digits
// of the SHA-256 of its Message-ID, so the same message read again (from
// an .eml, an mbox or a mailbox) has the same id. A message without a
// Message-ID takes the digest of its raw bytes instead.
func (m *Message) SubmissionID() string {
	key := "id:" + m.MessageID
	if m.MessageID == "" {
		key = "raw:" + m.SHA256
	}
	h := sha256.Sum256([]byte(key))
	return "mail-" + hex.EncodeToString(h[:16])
}

// Read reads one raw message; name (the .eml's name, for errors) names
// it. An error means the message as a whole could not be read; a single
// attachment that cannot be taken out is a File with Err.
func Read(raw []byte, name string, lim Limits) (*Message, error) {
	lim = lim.withDefaults()
	if int64(len(raw)) > lim.MaxBytes {
		return nil, fmt.Errorf("%s: %w: %s, more than %s (limit message.Limits.MaxBytes)", name, extractor.ErrLimit,
			extractor.PlainBytes(int64(len(raw))), extractor.PlainBytes(lim.MaxBytes))
	}
	sum := sha256.Sum256(raw)
	w := &walker{lim: lim, name: name}
	e, err := gomessage.Read(bytes.NewReader(raw))
	if err != nil && !gomessage.IsUnknownCharset(err) && !gomessage.IsUnknownEncoding(err) {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrMalformed, err)
	}
	m := &Message{Meta: meta(e.Header), SHA256: hex.EncodeToString(sum[:])}
	if err := w.entity(e, "", 0); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	m.Files, m.Skipped = w.files, w.skipped
	return m, nil
}

// ReadMeta reads only the message's header: what the message says about
// itself, without walking its parts.
func ReadMeta(raw []byte) (Meta, error) {
	h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return Meta{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return meta(gomessage.Header{Header: h}), nil
}

func meta(h gomessage.Header) Meta {
	var m Meta
	m.MessageID = strings.TrimSpace(strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>"))
	m.Subject, _ = h.Text("Subject")
	if from := h.Get("From"); from != "" {
		if a, err := (&mail.AddressParser{WordDecoder: wordDecoder}).Parse(from); err == nil {
			if a.Name != "" {
				m.From = a.Name + " <" + a.Address + ">"
			} else {
				m.From = a.Address
			}
		} else {
			m.From, _ = h.Text("From")
		}
	}
	if t, err := mail.ParseDate(h.Get("Date")); err == nil {
		m.Received = t
	}
	m.Automatic = automatic(h, m.From)
	return m
}

// automatic reports whether the headers say a program sent the message
// (RFC 3834's Auto-Submitted, and the older conventions of vacation
// responders, list servers and Exchange), or the sender is a mailer
// daemon or a no-reply address.
func automatic(h gomessage.Header, from string) bool {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "junk", "list", "auto_reply":
		return true
	}
	for _, k := range automaticHeaders {
		if h.Has(k) {
			return true
		}
	}
	if rp := strings.TrimSpace(h.Get("Return-Path")); rp == "<>" {
		return true // a bounce (RFC 5321's null reverse-path)
	}
	addr := strings.ToLower(from)
	if i := strings.LastIndexByte(addr, '<'); i >= 0 {
		addr = strings.TrimSuffix(addr[i+1:], ">")
	}
	local, _, _ := strings.Cut(addr, "@")
	for _, p := range automaticSenders {
		if local == p || strings.HasPrefix(local, p+"+") {
			return true
		}
	}
	return strings.HasPrefix(local, "noreply") || strings.HasPrefix(local, "no-reply") || strings.HasPrefix(local, "donotreply") || strings.HasPrefix(local, "do-not-reply")
}

// automaticHeaders mark automatic mail by being there at all.
var automaticHeaders = []string{"X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "List-Id", "List-Unsubscribe", "X-Failed-Recipients"}

// automaticSenders are local parts that only programs send from.
var automaticSenders = []string{"mailer-daemon", "postmaster", "noreply", "no-reply", "bounce", "bounces"}

// wordDecoder decodes RFC 2047 words in any charset go-message's charset
// package knows.
var wordDecoder = &mime.WordDecoder{CharsetReader: gomessage.CharsetReader}

type walker struct {
	lim     Limits
	name    string
	parts   int
	files   []File
	skipped []string
}

// application reports whether a name is of a format ansokan reads.
func application(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".docx", ".pdf", ".xlsx":
		return true
	}
	return false
}

func (w *walker) count(depth int) error {
	w.parts++
	switch {
	case w.parts > w.lim.MaxParts:
		return fmt.Errorf("%w: more than %d parts (limit message.Limits.MaxParts)", ErrMalformed, w.lim.MaxParts)
	case depth > w.lim.MaxDepth:
		return fmt.Errorf("%w: nested deeper than %d (limit message.Limits.MaxDepth)", ErrMalformed, w.lim.MaxDepth)
	}
	return nil
}

// entity walks one MIME entity: prefix is the container path of the
// files found in it ("" at the top, "Fwd.eml/" in a forwarded message).
func (w *walker) entity(e *gomessage.Entity, prefix string, depth int) error {
	if err := w.count(depth); err != nil {
		return err
	}
	if mr := e.MultipartReader(); mr != nil {
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if err != nil && !gomessage.IsUnknownCharset(err) && !gomessage.IsUnknownEncoding(err) {
				return fmt.Errorf("%w: %v", ErrMalformed, err)
			}
			if err := w.entity(p, prefix, depth+1); err != nil {
				return err
			}
		}
	}
	mt, params, _ := e.Header.ContentType()
	disp, dparams, _ := e.Header.ContentDisposition()
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	name = cleanName(name)
	mt = strings.ToLower(mt)
	isMsg := mt == "message/rfc822" || strings.EqualFold(path.Ext(name), ".eml")
	if name == "" && !isMsg && !strings.EqualFold(disp, "attachment") {
		return nil // a body text, an HTML alternative: not a file
	}
	data, err := w.body(e)
	shown := prefix + cmpOr(name, "bilaga")
	if err != nil {
		if application(name) {
			w.files = append(w.files, File{Name: shown, Err: err})
		} else {
			w.skipped = append(w.skipped, shown)
		}
		return nil
	}
	switch {
	case isMsg:
		inner, err := gomessage.Read(bytes.NewReader(data))
		if err != nil && !gomessage.IsUnknownCharset(err) && !gomessage.IsUnknownEncoding(err) {
			w.skipped = append(w.skipped, shown)
			return nil
		}
		label := name
		if label == "" {
			label, _ = inner.Header.Text("Subject")
			label = cleanName(cmpOr(label, "vidarebefordrat")) + ".eml"
		}
		return w.entity(inner, prefix+label+"/", depth+1)
	case strings.EqualFold(path.Ext(name), ".zip") || mt == "application/zip" || mt == "application/x-zip-compressed":
		if f, _ := extractor.Sniff(head(data), name); f == extractor.FormatDOCX || f == extractor.FormatXLSX {
			break // a .docx or .xlsx sent as application/zip
		}
		return w.zip(data, prefix+cmpOr(name, "bilaga.zip")+"/", depth+1)
	}
	w.file(shown, data)
	return nil
}

// file keeps data if its name or its bytes say it is an application file.
func (w *walker) file(shown string, data []byte) {
	if application(shown) {
		w.files = append(w.files, File{Name: shown, Data: data})
		return
	}
	f, err := extractor.Sniff(head(data), shown)
	if err == nil {
		switch f {
		case extractor.FormatDOCX, extractor.FormatPDF, extractor.FormatXLSX:
			w.files = append(w.files, File{Name: shown + "." + string(f), Data: data})
			return
		}
	}
	w.skipped = append(w.skipped, shown)
}

func head(b []byte) []byte { return b[:min(len(b), 4096)] }

// body decodes an entity's body (base64, quoted-printable) within
// MaxFileBytes.
func (w *walker) body(e *gomessage.Entity) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(e.Body, w.lim.MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: the attachment's encoding is broken: %v", extractor.ErrCorrupt, err)
	}
	if int64(len(data)) > w.lim.MaxFileBytes {
		return nil, fmt.Errorf("%w: more than %s (limit MaxFileBytes)", extractor.ErrLimit, extractor.PlainBytes(w.lim.MaxFileBytes))
	}
	return data, nil
}

// zip takes the application files out of an attached archive, within the
// extractor's zip limits; nested archives and messages in it are read too.
func (w *walker) zip(data []byte, prefix string, depth int) error {
	if err := w.count(depth); err != nil {
		return err
	}
	elim := extractor.DefaultLimits()
	elim.MaxFileBytes = max(elim.MaxFileBytes, int64(len(data)))
	zr, err := extractor.OpenZip(bytes.NewReader(data), int64(len(data)), elim)
	if err != nil {
		w.skipped = append(w.skipped, strings.TrimSuffix(prefix, "/"))
		return nil
	}
	budget := extractor.NewZipBudget(elim)
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		if err := w.count(depth + 1); err != nil {
			return err
		}
		name := path.Clean("/" + strings.ReplaceAll(f.Name, `\`, "/"))[1:]
		if base := path.Base(name); strings.HasPrefix(base, ".") || strings.HasPrefix(base, "~$") || strings.HasPrefix(name, "__MACOSX/") {
			continue
		}
		shown := prefix + name
		b, err := readEntry(budget, f, w.lim.MaxFileBytes)
		if err != nil {
			if application(name) {
				w.files = append(w.files, File{Name: shown, Err: err})
			} else {
				w.skipped = append(w.skipped, shown)
			}
			continue
		}
		switch strings.ToLower(path.Ext(name)) {
		case ".zip":
			if err := w.zip(b, shown+"/", depth+1); err != nil {
				return err
			}
			continue
		case ".eml":
			inner, err := gomessage.Read(bytes.NewReader(b))
			if err != nil && !gomessage.IsUnknownCharset(err) && !gomessage.IsUnknownEncoding(err) {
				w.skipped = append(w.skipped, shown)
				continue
			}
			if err := w.entity(inner, shown+"/", depth+1); err != nil {
				return err
			}
			continue
		}
		w.file(shown, b)
	}
	return nil
}

func readEntry(budget *extractor.ZipBudget, f *zip.File, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("%w: more than %s (limit MaxFileBytes)", extractor.ErrLimit, extractor.PlainBytes(limit))
	}
	rc, err := budget.Open(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than %s (limit MaxFileBytes)", extractor.ErrLimit, extractor.PlainBytes(limit))
	}
	return b, nil
}

// cleanName keeps a file name's last element, without control
// characters or path separators an attacker could use.
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	s = strings.ReplaceAll(s, `\`, "/")
	if i := strings.LastIndex(s, "/"); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSpace(s)
	if s == "." || s == ".." {
		return ""
	}
	return s
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Record is the record's source.message: unknown values null, the time
// in RFC 3339.
func (m Meta) Record() *schema.Message {
	s := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	r := &schema.Message{MessageID: s(m.MessageID), From: s(m.From), Subject: s(m.Subject), AutoSubmitted: m.Automatic}
	if !m.Received.IsZero() {
		r.Received = s(m.Received.Format(time.RFC3339))
	}
	return r
}

// IsMessageName reports whether a file name is an e-mail message's
// (.eml).
func IsMessageName(name string) bool { return strings.EqualFold(path.Ext(name), ".eml") }
