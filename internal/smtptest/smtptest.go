// Package smtptest runs a real SMTP server (emersion/go-smtp's) on
// loopback for tests: STARTTLS before AUTH PLAIN or LOGIN, and every
// message it receives kept for the test to read.
package smtptest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/finsam/ansokan/internal/testcert"
)

// Server is a go-smtp server on loopback that requires STARTTLS
// before AUTH PLAIN/LOGIN and keeps what it receives.
type Server struct {
	Addr  string
	Roots *x509.CertPool
	mu    sync.Mutex
	msgs  []Received
	srv   *smtp.Server
}

type Received struct {
	From string
	To   []string
	TLS  bool
	User string
	Msg  *mail.Message
	Body string
}

// User and Password are the account the server takes.
const User, Password = "ansokan", "hemligt"

// Start serves on addr ("127.0.0.1:0" for any port) until the test
// ends, offering STARTTLS with cert (none when nil).
func Start(t testing.TB, addr string, cert *testcert.Cert) *Server {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return Serve(t, l, cert)
}

// Serve serves on l until the test ends.
func Serve(t testing.TB, l net.Listener, cert *testcert.Cert) *Server {
	t.Helper()
	s := &Server{}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, c: c}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	if cert != nil {
		s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert.TLS}}
		s.Roots = cert.Pool
	}
	s.Addr = l.Addr().String()
	go func() { _ = s.srv.Serve(l) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

// DownListener is a server that is down until Up is called: it closes
// every connection as soon as it is made, so a client fails reading the
// greeting; the port stays ours throughout.
type DownListener struct {
	net.Listener
	isUp atomic.Bool
}

func (l *DownListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil || l.isUp.Load() {
			return c, err
		}
		c.Close()
	}
}

// Up lets connections through.
func (l *DownListener) Up() { l.isUp.Store(true) }

// Messages are what the server received so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

type session struct {
	s    *Server
	c    *smtp.Conn
	user string
	from string
	to   []string
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain, sasl.Login} }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if user != User || pass != Password {
			return errors.New("wrong user or password")
		}
		ss.user = user
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, user, pass string) error { return check(user, pass) }), nil
	case sasl.Login:
		return newLoginServer(check), nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(qpReader(msg))
	if err != nil {
		return err
	}
	_, isTLS := ss.c.TLSConnectionState()
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	ss.s.msgs = append(ss.s.msgs, Received{From: ss.from, To: ss.to, TLS: isTLS, User: ss.user, Msg: msg, Body: string(body)})
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// Subject decodes a received message's Subject.
func Subject(t testing.TB, m Received) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(m.Msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// loginServer is the server side of AUTH LOGIN (go-sasl has only the
// client): the user name (as an initial response, or after "Username:"),
// then the password after "Password:".
type loginServer struct {
	check     func(user, pass string) error
	user      []byte
	askedUser bool
	haveUser  bool
}

func newLoginServer(check func(user, pass string) error) sasl.Server {
	return &loginServer{check: check}
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch {
	case !l.haveUser && resp == nil && !l.askedUser:
		l.askedUser = true
		return []byte("Username:"), false, nil
	case !l.haveUser:
		l.user, l.haveUser = resp, true
		return []byte("Password:"), false, nil
	}
	return nil, true, l.check(string(l.user), string(resp))
}

// qpReader decodes a message body sent quoted-printable.
func qpReader(m *mail.Message) io.Reader {
	if m.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
		return quotedprintable.NewReader(m.Body)
	}
	return m.Body
}
