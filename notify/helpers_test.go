package notify

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/queue"
)

// guard bounds every wait: a failure guard, never an assertion of speed.
const guard = 60 * time.Second

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// natsEnv is an embedded server on a loopback port, set up with fast
// retries: admin publishes records and reads the dead letters as a test
// would; the notifier runs as worker, the status is read as client.
type natsEnv struct {
	admin  jetstream.JetStream
	worker jetstream.JetStream
	client *queue.Client
}

func newNATS(t *testing.T, s queue.Settings) *natsEnv {
	t.Helper()
	ids, err := queue.EnsureIdentities(filepath.Join(t.TempDir(), "creds"))
	if err != nil {
		t.Fatal(err)
	}
	ns, err := queue.NewServer(queue.ServerConfig{Listen: "127.0.0.1:0", StoreDir: t.TempDir(), Identities: ids})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	url := "nats://" + ns.Addr().String()
	conn := func(r queue.Role) jetstream.JetStream {
		nc, err := nats.Connect(url, ids[r].Options()...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(nc.Close)
		js, err := jetstream.New(nc)
		if err != nil {
			t.Fatal(err)
		}
		return js
	}
	e := &natsEnv{admin: conn(queue.RoleAdmin), worker: conn(queue.RoleWorker)}
	ctx := t.Context()
	if err := queue.Setup(ctx, e.admin, s); err != nil {
		t.Fatal(err)
	}
	if e.client, err = queue.Open(ctx, conn(queue.RoleClient)); err != nil {
		t.Fatal(err)
	}
	return e
}

// publish puts a record on its outcome's subject as a worker does (with
// a message id) and returns its sequence.
func (e *natsEnv) publish(t *testing.T, id string, record []byte) uint64 {
	t.Helper()
	var r struct {
		Complete bool `json:"complete"`
	}
	if err := json.Unmarshal(record, &r); err != nil {
		t.Fatal(err)
	}
	subject := queue.SubjectIncomplete
	if r.Complete {
		subject = queue.SubjectComplete
	}
	ack, err := e.admin.Publish(t.Context(), subject, record, jetstream.WithMsgID(id))
	if err != nil {
		t.Fatal(err)
	}
	return ack.Sequence
}

// waitDone waits until the notifier's consumer has acknowledged (or
// terminated) every record up to seq.
func (e *natsEnv) waitDone(t *testing.T, seq uint64) {
	t.Helper()
	waitFor(t, fmt.Sprintf("every record up to %d handled", seq), func() bool {
		c, err := e.admin.Consumer(t.Context(), queue.StreamRecords, queue.ConsumerNotify)
		if err != nil {
			t.Fatal(err)
		}
		info, err := c.Info(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return info.AckFloor.Stream >= seq && info.NumAckPending == 0
	})
}

// waitFor polls cond (every 10ms) until it holds: a wait for a state,
// bounded by guard.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(guard)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for: %s", guard, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startNotifier runs a notifier as worker until the test ends or stop.
func startNotifier(t *testing.T, js jetstream.JetStream, cfg Config) (stop func()) {
	t.Helper()
	cfg.FetchWait = 100 * time.Millisecond
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	n, err := New(t.Context(), js, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = n.Run(ctx); close(done) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

// sample is a record of the samples with complete false, with
// source.message set to a sender when from is not empty.
func sample(t *testing.T, from string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "samples", "a-sprangbradan-esign-andrad.submission.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r["complete"] != false {
		t.Fatal("the sample is complete; want an incomplete one")
	}
	if from != "" {
		r["source"].(map[string]any)["message"] = map[string]any{
			"message_id": "<ansokan-1@kommun.example>", "from": from,
			"subject": "Ansökan Språngbrädan", "received": "2026-12-01T09:00:00Z",
		}
	}
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// smtpServer is a go-smtp server on loopback that requires STARTTLS
// before AUTH PLAIN/LOGIN and keeps what it receives.
type smtpServer struct {
	Addr  string
	Roots *x509.CertPool
	mu    sync.Mutex
	msgs  []received
	srv   *smtp.Server
}

type received struct {
	From string
	To   []string
	TLS  bool
	User string
	Msg  *mail.Message
	Body string
}

const smtpUser, smtpPassword = "ansokan", "hemligt"

// testCert is a server certificate and the roots that trust it.
type testCert struct {
	cert tls.Certificate
	pool *x509.CertPool
}

// newCert makes a self-signed certificate for 127.0.0.1.
func newCert(t *testing.T) *testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtp test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return &testCert{tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool}
}

// startSMTP serves on addr ("127.0.0.1:0" for any port) until the test
// ends, offering STARTTLS with cert (none when nil).
func startSMTP(t *testing.T, addr string, cert *testCert) *smtpServer {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return serveSMTP(t, l, cert)
}

// serveSMTP serves on l until the test ends.
func serveSMTP(t *testing.T, l net.Listener, cert *testCert) *smtpServer {
	t.Helper()
	s := &smtpServer{}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, c: c}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	if cert != nil {
		s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert.cert}}
		s.Roots = cert.pool
	}
	s.Addr = l.Addr().String()
	go func() { _ = s.srv.Serve(l) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

// downListener is a server that is down until up is called: it closes
// every connection as soon as it is made, so a client fails reading the
// greeting; the port stays ours throughout.
type downListener struct {
	net.Listener
	isUp atomic.Bool
}

func (l *downListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil || l.isUp.Load() {
			return c, err
		}
		c.Close()
	}
}

func (l *downListener) up() { l.isUp.Store(true) }

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

// client gives the SMTP settings that reach s as the test user.
func (s *smtpServer) client() *SMTP {
	return &SMTP{Addr: s.Addr, Username: smtpUser, Password: smtpPassword, TLS: &tls.Config{RootCAs: s.Roots}, Timeout: 10 * time.Second}
}

type session struct {
	s    *smtpServer
	c    *smtp.Conn
	user string
	from string
	to   []string
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain, sasl.Login} }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if user != smtpUser || pass != smtpPassword {
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
	ss.s.msgs = append(ss.s.msgs, received{From: ss.from, To: ss.to, TLS: isTLS, User: ss.user, Msg: msg, Body: string(body)})
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// subject decodes a received message's Subject.
func subject(t *testing.T, m received) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(m.Msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// hook is an httptest server that checks the signature of every POST and
// answers 500 to the first failFirst of them (all, when failFirst < 0).
type hook struct {
	*httptest.Server
	secret    []byte
	failFirst int
	mu        sync.Mutex
	calls     int
	ok        [][]byte // bodies answered 200
	ids       []string // X-Ansokan-Delivery of those
	badSig    int
}

func newHook(t *testing.T, failFirst int) *hook {
	h := &hook{secret: []byte("delad hemlighet"), failFirst: failFirst}
	h.Server = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.Close)
	return h
}

func (h *hook) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls++
	if !Verify(h.secret, body, r.Header.Get(HeaderSignature)) || r.Header.Get(HeaderTimestamp) == "" {
		h.badSig++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if _, err := strconv.ParseInt(r.Header.Get(HeaderTimestamp), 10, 64); err != nil {
		h.badSig++
		http.Error(w, "bad timestamp", http.StatusBadRequest)
		return
	}
	if h.failFirst < 0 || h.calls <= h.failFirst {
		http.Error(w, "not now", http.StatusInternalServerError)
		return
	}
	h.ok = append(h.ok, body)
	h.ids = append(h.ids, r.Header.Get(HeaderDelivery))
}

func (h *hook) counts() (calls, ok, badSig int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls, len(h.ok), h.badSig
}

func (h *hook) webhook(tries int) *Webhook {
	return &Webhook{URL: h.URL + "/ansokan?token=x", Secret: h.secret, Tries: tries, BackOff: 10 * time.Millisecond}
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
