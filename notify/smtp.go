package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTP sends e-mail through one server: STARTTLS on the submission port
// (smtp://, the default), or TLS from the start (smtps://), with PLAIN or
// LOGIN authentication when a user is given. Plain text without TLS is
// only for a relay on loopback (smtp+insecure://), never with a password.
type SMTP struct {
	Addr        string // host:port
	Username    string
	Password    string
	Login       bool // AUTH LOGIN instead of PLAIN (?auth=login)
	ImplicitTLS bool // smtps://
	NoTLS       bool // smtp+insecure://
	// TLS is the client's TLS configuration; nil: the system's roots and
	// the host of Addr.
	TLS *tls.Config
	// Timeout bounds one whole send (default 1 minute).
	Timeout time.Duration
}

// ParseSMTP reads an --smtp URL: smtp://user:password@host:587,
// smtps://host:465, smtp+insecure://127.0.0.1:25; ?auth=login for AUTH
// LOGIN. password, when not empty, replaces the URL's (a password file).
func ParseSMTP(raw, password string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("--smtp: %w", err)
	}
	s := &SMTP{Addr: u.Host}
	port := "587"
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.ImplicitTLS, port = true, "465"
	case "smtp+insecure":
		s.NoTLS, port = true, "25"
	default:
		return nil, fmt.Errorf("--smtp %s: want smtp://, smtps:// or smtp+insecure://", u.Redacted())
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("--smtp %s: no host", u.Redacted())
	}
	if u.Port() == "" {
		s.Addr = net.JoinHostPort(u.Hostname(), port)
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	if password != "" {
		s.Password = password
	}
	switch a := u.Query().Get("auth"); a {
	case "", "plain":
	case "login":
		s.Login = true
	default:
		return nil, fmt.Errorf("--smtp %s: auth=%s: want plain or login", u.Redacted(), a)
	}
	if s.NoTLS && s.Username != "" {
		return nil, fmt.Errorf("--smtp %s: no password over a connection without TLS (use smtp:// with STARTTLS)", u.Redacted())
	}
	return s, nil
}

// String names the server without its password, for logs.
func (s *SMTP) String() string {
	scheme := "smtp"
	switch {
	case s.ImplicitTLS:
		scheme = "smtps"
	case s.NoTLS:
		scheme = "smtp+insecure"
	}
	if s.Username != "" {
		return scheme + "://" + s.Username + "@" + s.Addr
	}
	return scheme + "://" + s.Addr
}

// Send sends msg (a whole RFC 5322 message) from from to to. A server
// that does not offer STARTTLS (on smtp://) is an error: nothing is sent
// in the clear.
func (s *SMTP) Send(ctx context.Context, from string, to []string, msg []byte) (err error) {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	host, _, _ := net.SplitHostPort(s.Addr)
	cfg := s.TLS.Clone()
	if cfg == nil {
		cfg = &tls.Config{}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", s.Addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	var c *smtp.Client
	switch {
	case s.ImplicitTLS:
		c = smtp.NewClient(tls.Client(conn, cfg))
	case s.NoTLS:
		c = smtp.NewClient(conn)
	default:
		c, err = smtp.NewClientStartTLS(conn, cfg)
		if err != nil {
			conn.Close()
			return fmt.Errorf("smtp %s: starttls: %w", s.Addr, err)
		}
	}
	defer c.Close()
	if s.Username != "" {
		var a sasl.Client
		if s.Login {
			a = sasl.NewLoginClient(s.Username, s.Password)
		} else {
			a = sasl.NewPlainClient("", s.Username, s.Password)
		}
		if err := c.Auth(a); err != nil {
			return fmt.Errorf("smtp %s: auth as %s: %w", s.Addr, s.Username, err)
		}
	}
	if err := c.SendMail(from, to, bytes.NewReader(msg)); err != nil {
		return fmt.Errorf("smtp %s: send to %s: %w", s.Addr, strings.Join(to, ", "), err)
	}
	_ = c.Quit() // sent: the server accepted the data; a failed QUIT loses nothing
	return nil
}
