package ingest

import "github.com/emersion/go-sasl"

// xoauth2 is the client side of Google's and Microsoft's XOAUTH2 (the
// mechanism Microsoft 365 takes for IMAP; go-sasl has only OAUTHBEARER).
type xoauth2 struct{ user, token string }

var _ sasl.Client = xoauth2{}

func (a xoauth2) Start() (string, []byte, error) {
	return "XOAUTH2", []byte("user=" + a.user + "\x01auth=Bearer " + a.token + "\x01\x01"), nil
}

// Next answers the challenge the server sends only on failure (a JSON
// error): the empty answer ends the exchange, and the server's NO then
// says why.
func (a xoauth2) Next(challenge []byte) ([]byte, error) { return []byte{}, nil }
