package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
)

// Verifier checks an officer's name and password (package account's
// *Store implements it). It should take as long for an unknown name as
// for a known one (hash a dummy password), so that timing does not tell
// which names exist.
type Verifier interface {
	Verify(name, password string) error // nil: signed in; any error: refused
}

// Config configures the web inbox.
type Config struct {
	// JS is a JetStream context as the admin identity: the inbox reads
	// the files bucket (downloads, retries) and reprocesses.
	JS jetstream.JetStream
	// Verifier checks passwords at /login. Nil: only the reverse proxy's
	// header signs in (TrustedProxyHeader).
	Verifier Verifier
	Logger   *slog.Logger
	// Limits bound an upload (files, bytes), as they bound a submission.
	Limits normalizer.SubmissionLimits
	// Secure: the inbox is served over TLS; cookies are Secure (and
	// named with the __Host- prefix).
	Secure bool
	// Audit receives the audit log's JSON lines; else AuditPath is
	// opened for appending. One of them is required.
	Audit     io.Writer
	AuditPath string
	// TrustedProxyHeader (e.g. X-Remote-User) names the header in which a
	// reverse proxy doing single sign-on passes the signed-in user. It
	// is believed only on requests from an address in TrustedProxies;
	// from any other address it is ignored.
	TrustedProxyHeader string
	TrustedProxies     []netip.Prefix
	// Now is the clock (sessions, rate limits, audit); default time.Now.
	Now func() time.Time
}

// Server is the web inbox.
type Server struct {
	cfg      Config
	log      *slog.Logger
	js       jetstream.JetStream
	client   *queue.Client
	idx      *index
	sessions *sessions
	limiter  *limiter
	audit    *auditLog
	closer   io.Closer
	tmpl     map[string]*template.Template
	static   fs.FS
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// New makes the inbox. Run fills and follows its index; Handler serves it.
func New(cfg Config) (*Server, error) {
	if cfg.JS == nil {
		return nil, errors.New("web: no JetStream connection")
	}
	if cfg.Verifier == nil && cfg.TrustedProxyHeader == "" {
		return nil, errors.New("web: no way to sign in: give a Verifier (a users file) or a trusted proxy header")
	}
	if cfg.TrustedProxyHeader != "" && len(cfg.TrustedProxies) == 0 {
		return nil, errors.New("web: a trusted proxy header needs the proxies' addresses")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Limits = cfg.Limits.WithDefaults()
	s := &Server{cfg: cfg, log: cfg.Logger, js: cfg.JS, idx: newIndex(),
		sessions: newSessions(cfg.Now), limiter: newLimiter(cfg.Now)}
	switch {
	case cfg.Audit != nil:
		s.audit = &auditLog{w: cfg.Audit}
	case cfg.AuditPath != "":
		f, err := openAudit(cfg.AuditPath)
		if err != nil {
			return nil, err
		}
		s.audit, s.closer = &auditLog{w: f}, f
	default:
		return nil, errors.New("web: no audit log (give an audit path)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := queue.Open(ctx, cfg.JS)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("web: %w", err)
	}
	c.SetLimits(cfg.Limits)
	s.client = c
	if s.tmpl, err = parseTemplates(); err != nil {
		s.Close()
		return nil, err
	}
	s.static, _ = fs.Sub(staticFS, "static")
	return s, nil
}

// Close closes the audit log the server opened.
func (s *Server) Close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}

// Run fills the index from the streams and keeps it current until ctx
// ends.
func (s *Server) Run(ctx context.Context) error {
	return s.idx.follow(ctx, s.js, s.log)
}

// Ready is closed once the index holds what the streams held when Run
// began.
func (s *Server) Ready() <-chan struct{} { return s.idx.ready }

// Handler serves the inbox.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(s.static)))
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)

	auth := http.NewServeMux()
	auth.HandleFunc("GET /{$}", s.inbox)
	auth.HandleFunc("GET /events", s.events)
	auth.HandleFunc("GET /records/{seq}", s.record)
	auth.HandleFunc("POST /records/{seq}/reprocess", s.reprocessOne)
	auth.HandleFunc("GET /submissions/{id}", s.submission)
	auth.HandleFunc("GET /files/{sha}", s.file)
	auth.HandleFunc("GET /upload", s.uploadForm)
	auth.HandleFunc("POST /upload", s.upload)
	auth.HandleFunc("GET /uploads/{job}", s.uploadStatus)
	auth.HandleFunc("GET /dead", s.deadPage)
	auth.HandleFunc("POST /dead/{seq}/retry", s.retry)
	auth.HandleFunc("POST /reprocess", s.reprocessAll)
	auth.HandleFunc("POST /logout", s.logout)
	mux.Handle("/", s.requireSession(auth))
	return s.headers(mux)
}

// headers sets the security headers on every response.
func (s *Server) headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		// same-origin, not no-referrer: with no-referrer a browser sends
		// "Origin: null" on its own form posts, and no other site learns
		// a record's address either way.
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.cfg.Secure {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			hd.Set("Cache-Control", "no-store") // pages and files hold personal data
		}
		h.ServeHTTP(w, r)
	})
}

// cookieName is the session cookie's name: __Host- prefixed under TLS,
// so that no other host or path can set it.
func (s *Server) cookieName() string {
	if s.cfg.Secure {
		return "__Host-ansokan"
	}
	return "ansokan"
}

func (s *Server) setCookie(w http.ResponseWriter, ss *session) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: ss.id, Path: "/", HttpOnly: true, Secure: s.cfg.Secure,
		SameSite: http.SameSiteStrictMode, MaxAge: int(AbsoluteTimeout / time.Second),
	})
}

func (s *Server) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", HttpOnly: true,
		Secure: s.cfg.Secure, SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// cookieSession is the session the request's cookie names, if live.
func (s *Server) cookieSession(r *http.Request) *session {
	c, err := r.Cookie(s.cookieName())
	if err != nil {
		return nil
	}
	return s.sessions.get(c.Value)
}

type ctxKey struct{}

func sessionOf(r *http.Request) *session {
	ss, _ := r.Context().Value(ctxKey{}).(*session)
	return ss
}

// remoteAddr is the address the request came from.
func remoteAddr(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		a, _ := netip.ParseAddr(host)
		return a.Unmap()
	}
	return ap.Addr().Unmap()
}

// fromTrustedProxy reports whether the request came from a trusted proxy.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	a := remoteAddr(r)
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr is the client's address: the proxy's last X-Forwarded-For
// entry when a trusted proxy sent the request, else the peer's.
func (s *Server) clientAddr(r *http.Request) string {
	if s.fromTrustedProxy(r) {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if a, err := netip.ParseAddr(strings.TrimSpace(parts[len(parts)-1])); err == nil {
				return a.String()
			}
		}
	}
	return remoteAddr(r).String()
}

// requireSession lets through requests of a signed-in session (from the
// cookie, or the trusted proxy's header), checks the CSRF token of every
// POST, and turns the others away: GET to /login, anything else 401.
func (s *Server) requireSession(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ss := s.cookieSession(r)
		if s.cfg.TrustedProxyHeader != "" && s.fromTrustedProxy(r) {
			if user := strings.TrimSpace(r.Header.Get(s.cfg.TrustedProxyHeader)); user != "" {
				if ss == nil || ss.user != user {
					ss = s.sessions.create(user, true)
					s.setCookie(w, ss)
					s.auditf(r, AuditEntry{User: user, Action: "login", Detail: "reverse proxy (" + s.cfg.TrustedProxyHeader + ")"})
				}
			}
		}
		if ss == nil || ss.user == "" {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				if r.URL.Path == "/events" {
					http.Error(w, "Inte inloggad.", http.StatusUnauthorized)
					return
				}
				http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Error(w, "Inte inloggad. Logga in och försök igen.", http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost && !s.checkCSRF(w, r, ss) {
			return
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, ss)))
	})
}

// sameOrigin checks the browser's own word on where a POST came from:
// Sec-Fetch-Site, when sent, must be same-origin (or none: typed by the
// user); Origin, when sent, must be this server.
func sameOrigin(r *http.Request) bool {
	// Sec-Fetch-Site is set by the browser itself and cannot be forged by
	// a page: where it is sent, it decides.
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin" || site == "none"
	}
	// Older browsers: the Origin, when it names one ("null" names none:
	// a privacy-minded browser's own form post; the CSRF token decides).
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		if o != scheme+"://"+r.Host && !strings.HasSuffix(o, "://"+r.Host) {
			return false
		}
	}
	return true
}

// checkCSRF checks a POST's origin and its token: the form field csrf,
// or the header X-CSRF-Token (the upload's XHR). The upload's
// multipart form carries the token as its first part; the upload
// handler checks it there (any other multipart POST is parsed here). It answers 403 and returns false when the check fails.
func (s *Server) checkCSRF(w http.ResponseWriter, r *http.Request, ss *session) bool {
	if !sameOrigin(r) {
		http.Error(w, "Begäran kom inte från den här webbplatsen och har avvisats.", http.StatusForbidden)
		return false
	}
	if tok := r.Header.Get("X-CSRF-Token"); tok != "" {
		if ss.validCSRF(tok) {
			return true
		}
	} else if r.URL.Path == "/upload" && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return true // checked by the upload, on the form's first part, before any file is read
	} else if ss.validCSRF(r.PostFormValue("csrf")) {
		return true
	}
	http.Error(w, "Formuläret saknar en giltig säkerhetskod (CSRF). Ladda om sidan och försök igen.", http.StatusForbidden)
	return false
}

// auditf writes an audit entry for the request; a write that fails is
// logged (the request has been served).
func (s *Server) auditf(r *http.Request, e AuditEntry) {
	e.At = s.cfg.Now().UTC()
	e.Addr = s.clientAddr(r)
	if e.User == "" {
		if ss := sessionOf(r); ss != nil {
			e.User = ss.user
		}
	}
	if err := s.audit.write(e); err != nil {
		s.log.Error("audit log not written", "action", e.Action, "err", err)
	}
}

func withSession(r *http.Request, ss *session) context.Context {
	return context.WithValue(r.Context(), ctxKey{}, ss)
}
