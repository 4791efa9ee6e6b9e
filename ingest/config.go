package ingest

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// Auth mechanisms.
const (
	AuthPassword    = "password"    // LOGIN with a password
	AuthXOAUTH2     = "xoauth2"     // an OAuth2 access token (Microsoft 365, Google)
	AuthOAuthBearer = "oauthbearer" // the same, by RFC 7628
)

// Config is where and how to read the mailbox.
type Config struct {
	// Addr is the server's HOST:PORT.
	Addr string
	// Security is "tls" (implicit TLS, imaps://), "starttls" (imap://:
	// STARTTLS is required) or "none" (imap+insecure://, loopback only).
	Security string
	// TLS is the client's TLS configuration (ServerName, RootCAs); nil:
	// the system's roots and the host of Addr.
	TLS *tls.Config
	// User is the mailbox's user name (often the address).
	User string
	// Auth is one of AuthPassword, AuthXOAUTH2, AuthOAuthBearer.
	Auth string
	// Password is the password (AuthPassword).
	Password string
	// TokenFile holds the OAuth2 access token (AuthXOAUTH2,
	// AuthOAuthBearer). It is read at every login, so that a helper
	// outside ansokan can keep it fresh.
	TokenFile string
	// Folder is the folder new messages arrive in. Default "INBOX".
	Folder string
	// Processed is the folder a processed message is moved to; "" keeps
	// it in Folder, marked \Seen and with the keyword Keyword.
	Processed string
	// Poll is how often the folder is searched again (also with IDLE,
	// as a safety net). Default one minute.
	Poll time.Duration
	// MaxBytes bounds a message's size: a larger one is left in the
	// folder and named in the log. Default message.DefaultLimits().MaxBytes.
	MaxBytes int64
}

// Keyword marks a processed message that stays in its folder.
const Keyword = "$AnsokanProcessed"

// ParseURL reads imaps://USER@HOST[:993]/FOLDER, imap://USER@HOST[:143]/FOLDER
// (STARTTLS required) or imap+insecure://USER@127.0.0.1:PORT/FOLDER (no
// TLS, loopback only). The user may be written with %40 for "@".
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("--imap: %w", err)
	}
	var c Config
	port := ""
	switch u.Scheme {
	case "imaps":
		c.Security, port = "tls", "993"
	case "imap":
		c.Security, port = "starttls", "143"
	case "imap+insecure":
		c.Security, port = "none", "143"
	default:
		return Config{}, fmt.Errorf("--imap %s: want imaps://, imap:// (STARTTLS) or imap+insecure://", u.Redacted())
	}
	if u.Hostname() == "" {
		return Config{}, fmt.Errorf("--imap %s: no host", u.Redacted())
	}
	if _, ok := u.User.Password(); ok {
		return Config{}, errors.New("--imap: put the password in a file (--imap-password-file), not in the URL")
	}
	c.User = u.User.Username()
	if c.User == "" {
		return Config{}, fmt.Errorf("--imap %s: no user (imaps://USER@HOST/FOLDER)", u.Redacted())
	}
	c.Addr = net.JoinHostPort(u.Hostname(), cmpOr(u.Port(), port))
	if c.Security == "none" && !loopback(u.Hostname()) {
		return Config{}, fmt.Errorf("--imap %s: imap+insecure:// is for a server on this machine only; use imaps:// or imap://", u.Redacted())
	}
	c.Folder = strings.Trim(u.Path, "/")
	return c, nil
}

// Redacted is the mailbox's URL for logs.
func (c Config) Redacted() string {
	scheme := map[string]string{"tls": "imaps", "starttls": "imap", "none": "imap+insecure"}[c.Security]
	return (&url.URL{Scheme: scheme, User: url.User(c.User), Host: c.Addr, Path: "/" + c.folder()}).String()
}

func (c Config) folder() string { return cmpOr(c.Folder, "INBOX") }

func (c Config) check() error {
	switch c.Auth {
	case AuthPassword:
		if c.Password == "" {
			return errors.New("no IMAP password (--imap-password-file)")
		}
	case AuthXOAUTH2, AuthOAuthBearer:
		if c.TokenFile == "" {
			return errors.New("no OAuth2 token file (--imap-token-file)")
		}
	default:
		return fmt.Errorf("IMAP auth %q: want %s, %s or %s", c.Auth, AuthPassword, AuthXOAUTH2, AuthOAuthBearer)
	}
	if c.Processed != "" && strings.EqualFold(c.Processed, c.folder()) {
		return fmt.Errorf("the processed folder %q is the folder read", c.Processed)
	}
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
