package docx

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"unicode/utf8"
)

// docxScanner is a fast tokenizer for the plain XML Word writes in its
// styles part: start, end and empty-element tags with ASCII names and
// quoted attribute values, white space between them, and an XML
// declaration at the start. It gives the start and end elements
// encoding/xml's RawToken would give (character data is skipped: the
// styles parse never looks at it). For anything outside that subset — a
// comment, a processing instruction or directive, a character reference
// or an entity other than XML's five, a control or non-ASCII byte in text, an odd name, a
// malformed or mismatched tag, the end of the data inside an element —
// it returns errDocxScanOff, and the caller parses the part again with
// encoding/xml, which then gives whatever that construct gives (an error
// or a token). So the scanner never decides an outcome by itself: where
// it answers, encoding/xml would have answered the same.
type docxScanner struct {
	data []byte
	pos  int
	open []xml.Name
	// pendingEnd is the end of an empty-element tag, given after its start.
	pendingEnd *xml.EndElement
	// strs interns names and short values: a styles part repeats a few
	// hundred of them tens of thousands of times.
	strs map[string]string
	// attrs is reused for every start element: the styles parse reads a
	// token's attributes before it asks for the next token, and keeps
	// none of them.
	attrs []xml.Attr
}

// str returns b as a string, interned when short.
func (s *docxScanner) str(b []byte) string {
	if len(b) > 32 {
		return string(b)
	}
	if v, ok := s.strs[string(b)]; ok {
		return v
	}
	v := string(b)
	s.strs[v] = v
	return v
}

// errDocxScanOff: the part is outside what docxScanner reads.
var errDocxScanOff = errors.New("outside the fast tokenizer's subset")

// docxXMLDecls are the XML declarations the scanner accepts (what Word,
// LibreOffice and the generators write).
var docxXMLDecls = [][]byte{
	[]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`),
	[]byte(`<?xml version="1.0" encoding="UTF-8"?>`),
	[]byte(`<?xml version="1.0" encoding="utf-8"?>`),
	[]byte(`<?xml version="1.0"?>`),
}

func newDocxScanner(data []byte) *docxScanner {
	s := &docxScanner{data: data, strs: map[string]string{}}
	// A byte order mark (Office 365 writes one) is character data to
	// encoding/xml, which the styles parse skips.
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		s.pos = 3
	}
	for _, d := range docxXMLDecls {
		if bytes.HasPrefix(data[s.pos:], d) {
			s.pos += len(d)
			break
		}
	}
	return s
}

// docxEntities are XML's predefined entities, the only references the
// scanner reads (in attribute values).
var docxEntities = []struct {
	ref  string
	text byte
}{{"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}, {"&lt;", '<'}, {"&gt;", '>'}}

func docxScanSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func docxScanNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func docxScanNameByte(c byte) bool {
	return docxScanNameStart(c) || c >= '0' && c <= '9' || c == '.' || c == '-'
}

// name reads prefix:local or local, ASCII only.
func (s *docxScanner) name() (xml.Name, bool) {
	part := func() (string, bool) {
		start := s.pos
		if s.pos >= len(s.data) || !docxScanNameStart(s.data[s.pos]) {
			return "", false
		}
		for s.pos < len(s.data) && docxScanNameByte(s.data[s.pos]) {
			s.pos++
		}
		return s.str(s.data[start:s.pos]), true
	}
	first, ok := part()
	if !ok {
		return xml.Name{}, false
	}
	if s.pos < len(s.data) && s.data[s.pos] == ':' {
		s.pos++
		local, ok := part()
		if !ok || s.pos < len(s.data) && s.data[s.pos] == ':' {
			return xml.Name{}, false
		}
		return xml.Name{Space: first, Local: local}, true
	}
	return xml.Name{Local: first}, true
}

func (s *docxScanner) spaces() int {
	n := 0
	for s.pos < len(s.data) && docxScanSpace(s.data[s.pos]) {
		s.pos++
		n++
	}
	return n
}

// value reads a quoted attribute value: XML's five entities replaced,
// no other reference, '<', control byte or invalid UTF-8.
func (s *docxScanner) value() (string, bool) {
	if s.pos >= len(s.data) || s.data[s.pos] != '"' && s.data[s.pos] != '\'' {
		return "", false
	}
	q := s.data[s.pos]
	s.pos++
	start := s.pos
	var b []byte // the value with its references replaced, once there is one
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == q:
			v := s.str(s.data[start:s.pos])
			if b != nil {
				v = string(append(b, s.data[start:s.pos]...))
			}
			s.pos++
			return v, true
		case c == '&':
			found := false
			for _, e := range docxEntities {
				if bytes.HasPrefix(s.data[s.pos:], []byte(e.ref)) {
					b = append(append(b, s.data[start:s.pos]...), e.text)
					s.pos += len(e.ref)
					start = s.pos
					found = true
					break
				}
			}
			if !found {
				return "", false
			}
			continue
		case c == '<' || c < 0x20:
			return "", false
		case c >= 0x80:
			r, n := utf8.DecodeRune(s.data[s.pos:])
			if r == utf8.RuneError || !(r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000) {
				return "", false
			}
			s.pos += n
			continue
		}
		s.pos++
	}
	return "", false
}

// next returns the next start or end element, io.EOF at a clean end, or
// errDocxScanOff.
func (s *docxScanner) next() (xml.Token, error) {
	if s.pendingEnd != nil {
		e := *s.pendingEnd
		s.pendingEnd = nil
		return e, nil
	}
	// Character data: plain ASCII text only.
	for s.pos < len(s.data) && s.data[s.pos] != '<' {
		c := s.data[s.pos]
		if c == '&' || c == ']' || c >= 0x80 || c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return nil, errDocxScanOff
		}
		s.pos++
	}
	if s.pos >= len(s.data) {
		if len(s.open) > 0 {
			return nil, errDocxScanOff
		}
		return nil, io.EOF
	}
	s.pos++ // '<'
	if s.pos < len(s.data) && s.data[s.pos] == '/' {
		s.pos++
		name, ok := s.name()
		if !ok {
			return nil, errDocxScanOff
		}
		s.spaces()
		n := len(s.open)
		if s.pos >= len(s.data) || s.data[s.pos] != '>' || n == 0 || s.open[n-1] != name {
			return nil, errDocxScanOff
		}
		s.pos++
		s.open = s.open[:n-1]
		return xml.EndElement{Name: name}, nil
	}
	name, ok := s.name()
	if !ok {
		return nil, errDocxScanOff
	}
	t := xml.StartElement{Name: name, Attr: s.attrs[:0]}
	defer func() { s.attrs = t.Attr[:0] }()
	for {
		sp := s.spaces()
		if s.pos >= len(s.data) {
			return nil, errDocxScanOff
		}
		switch s.data[s.pos] {
		case '>':
			s.pos++
			s.open = append(s.open, name)
			return t, nil
		case '/':
			if s.pos+1 >= len(s.data) || s.data[s.pos+1] != '>' {
				return nil, errDocxScanOff
			}
			s.pos += 2
			s.pendingEnd = &xml.EndElement{Name: name}
			return t, nil
		}
		if sp == 0 {
			return nil, errDocxScanOff
		}
		an, ok := s.name()
		if !ok {
			return nil, errDocxScanOff
		}
		s.spaces()
		if s.pos >= len(s.data) || s.data[s.pos] != '=' {
			return nil, errDocxScanOff
		}
		s.pos++
		s.spaces()
		v, ok := s.value()
		if !ok {
			return nil, errDocxScanOff
		}
		t.Attr = append(t.Attr, xml.Attr{Name: an, Value: v})
	}
}
