// Package dovecottest runs a real Dovecot IMAP server on loopback for
// tests: Debian's dovecot-imapd, started with a configuration of its own
// in a temporary folder (one user, Maildir, a self-signed certificate,
// STARTTLS and implicit TLS ports, passwords and OAuth2 tokens checked by
// an introspection endpoint the test serves). Tests skip, naming the
// package, where Dovecot is not installed.
package dovecottest

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"

	"github.com/finsam/ansokan/internal/testcert"
)

// Server is a running Dovecot.
type Server struct {
	// Addr is the STARTTLS listener, TLSAddr the implicit-TLS one, both
	// on 127.0.0.1.
	Addr, TLSAddr string
	// User and Password sign in; Token is an OAuth2 access token the
	// server takes for User (XOAUTH2, OAUTHBEARER).
	User, Password, Token string
	// TLS trusts the server's certificate (ServerName 127.0.0.1).
	TLS *tls.Config
	// CAFile is the certificate, PEM, for --imap-ca.
	CAFile string

	t    testing.TB
	dir  string
	conf string
	cmd  *exec.Cmd
	done chan struct{}
}

// Binary is Dovecot's path, or "" when it is not installed.
func Binary() string {
	for _, p := range []string{"dovecot", "/usr/sbin/dovecot"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	return ""
}

// Start starts Dovecot, or skips the test when it is not installed. It
// stops when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := Binary()
	if bin == "" {
		t.Skip("dovecot not installed (Debian: dovecot-imapd)")
	}
	// Dovecot's mail processes must reach the folder: not under the
	// test's private temporary folder.
	dir, err := os.MkdirTemp("", "dovecot")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := &Server{t: t, dir: dir, User: "ansokan@forbund.example", Password: "hemligt-lösen-123", Token: "token-" + strconv.FormatInt(time.Now().UnixNano(), 36)}
	t.Cleanup(func() {
		s.Stop()
		os.RemoveAll(dir)
	})
	cert := testcert.New(t)
	s.TLS = cert.Client()
	s.CAFile, _ = cert.Write(t, dir)
	introspect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		tok := r.Form.Get("token")
		if tok == "" {
			tok = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"active": tok == s.Token, "username": s.User})
	}))
	t.Cleanup(introspect.Close)

	mailUID, mailGID, internal := identity(t)
	for _, d := range []string{"mail", "home", "run", "state"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"mail", "home"} {
		if err := os.Chown(filepath.Join(dir, d), mailUID, mailGID); err != nil && os.Getuid() == 0 {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(dir, "passwd"), s.User+":{PLAIN}"+s.Password+"\n")
	write(t, filepath.Join(dir, "oauth2.conf"), "introspection_mode = post\nintrospection_url = "+introspect.URL+"/introspect\n"+
		"username_attribute = username\nactive_attribute = active\nactive_value = true\nforce_introspection = yes\n")
	port, tlsPort := freePort(t), freePort(t)
	s.Addr, s.TLSAddr = "127.0.0.1:"+strconv.Itoa(port), "127.0.0.1:"+strconv.Itoa(tlsPort)
	conf := fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <%[1]s/cert.pem
ssl_key = <%[1]s/key.pem
disable_plaintext_auth = yes
login_trusted_networks =
auth_mechanisms = plain login xoauth2 oauthbearer
first_valid_uid = %[2]d
mail_location = maildir:%[1]s/mail/%%u
%[6]s
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/passwd
}
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = %[1]s/oauth2.conf
}
userdb {
  driver = static
  args = uid=%[2]d gid=%[3]d home=%[1]s/home/%%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[4]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[5]d
    ssl = yes
  }
}
`, dir, mailUID, mailGID, port, tlsPort, internal)
	s.conf = filepath.Join(dir, "dovecot.conf")
	write(t, s.conf, conf)
	s.Start()
	return s
}

// Start starts the server again after Stop.
func (s *Server) Start() {
	s.t.Helper()
	if s.cmd != nil {
		return
	}
	cmd := exec.Command(Binary(), "-F", "-c", s.conf)
	cmd.Stdout, cmd.Stderr = nil, nil
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start dovecot: %v", err)
	}
	s.cmd, s.done = cmd, make(chan struct{})
	go func() { cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if ready(s.Addr) {
			return
		}
		select {
		case <-s.done:
			s.t.Fatalf("dovecot stopped at start:\n%s", s.Log())
		default:
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("dovecot not ready after 30 s:\n%s", s.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop stops the server (its mail stays).
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
	s.cmd = nil
}

// Log is Dovecot's log so far.
func (s *Server) Log() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "dovecot.log"))
	return string(b)
}

// ready reports whether the server greets on addr with its banner.
func ready(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.Contains(line, "ready")
}

// Client signs in over implicit TLS as the test's user.
func (s *Server) Client() *client.Client {
	s.t.Helper()
	c, err := client.DialTLS(s.TLSAddr, s.TLS)
	if err != nil {
		s.t.Fatalf("dial %s: %v", s.TLSAddr, err)
	}
	if err := c.Login(s.User, s.Password); err != nil {
		c.Logout()
		s.t.Fatalf("login: %v", err)
	}
	return c
}

// Append appends a message to folder (created when missing) over IMAP.
func (s *Server) Append(folder string, raw []byte) {
	s.t.Helper()
	c := s.Client()
	defer c.Logout()
	if folder != "INBOX" {
		c.Create(folder) // an error: it exists
	}
	if err := c.Append(folder, nil, time.Now(), literal(raw)); err != nil {
		s.t.Fatalf("append to %s: %v", folder, err)
	}
}

// Message is one message in a folder.
type Message struct {
	UID   uint32
	Flags []string
	Body  []byte
}

// List returns the messages of folder ("" for none when it is missing).
func (s *Server) List(folder string) []Message {
	s.t.Helper()
	c := s.Client()
	defer c.Logout()
	mb, err := c.Select(folder, true)
	if err != nil {
		return nil
	}
	if mb.Messages == 0 {
		return nil
	}
	set := new(imap.SeqSet)
	set.AddRange(1, mb.Messages)
	section := &imap.BodySectionName{Peek: true}
	// Read the answers while they come: another session's flag changes
	// come as FETCH responses too, more than the folder's messages.
	ch := make(chan *imap.Message, 16)
	done := make(chan error, 1)
	go func() {
		done <- c.Fetch(set, []imap.FetchItem{imap.FetchUid, imap.FetchFlags, section.FetchItem()}, ch)
	}()
	byUID := map[uint32]Message{}
	var order []uint32
	for m := range ch {
		l := m.GetBody(section)
		if l == nil || m.Uid == 0 {
			continue // an unsolicited flag update
		}
		body, _ := io.ReadAll(l)
		if _, seen := byUID[m.Uid]; !seen {
			order = append(order, m.Uid)
		}
		byUID[m.Uid] = Message{UID: m.Uid, Flags: m.Flags, Body: body}
	}
	if err := <-done; err != nil {
		s.t.Fatalf("fetch %s: %v", folder, err)
	}
	var out []Message
	for _, uid := range order {
		out = append(out, byUID[uid])
	}
	return out
}

type bytesLiteral struct {
	*strings.Reader
}

func (l bytesLiteral) Len() int { return int(l.Reader.Size()) }

func literal(b []byte) imap.Literal { return bytesLiteral{strings.NewReader(string(b))} }

// identity returns the uid and gid the mail processes run as, and the
// configuration lines naming Dovecot's own users: as root, nobody (mail
// may not be handled as root) and the package's dovecot and dovenull; as
// another user, that user for all.
func identity(t testing.TB) (uid, gid int, conf string) {
	if os.Getuid() != 0 {
		u, err := user.Current()
		if err != nil {
			t.Fatal(err)
		}
		g, err := user.LookupGroupId(u.Gid)
		if err != nil {
			t.Fatal(err)
		}
		return os.Getuid(), os.Getgid(), fmt.Sprintf("default_internal_user = %s\ndefault_internal_group = %s\ndefault_login_user = %s\n", u.Username, g.Name, u.Username)
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("no user nobody for Dovecot's mail processes: %v", err)
	}
	uid, _ = strconv.Atoi(u.Uid)
	gid, _ = strconv.Atoi(u.Gid)
	return uid, gid, ""
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func write(t testing.TB, path, s string) {
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
