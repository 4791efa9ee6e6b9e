package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
)

type loginData struct {
	Password bool // a password form (a Verifier is set)
	Next     string
	Name     string
	Error    string
}

// safeNext is where to go after signing in: a path on this site only.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// loginForm shows the sign-in form, with a session of its own that
// carries the form's CSRF token.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	ss := s.cookieSession(r)
	if ss != nil && ss.user != "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if ss == nil {
		ss = s.sessions.create("", false)
		s.setCookie(w, ss)
	}
	r = r.WithContext(withSession(r, ss))
	s.render(w, r, http.StatusOK, "login", page{Title: "Logga in", Data: loginData{
		Password: s.cfg.Verifier != nil, Next: safeNext(r.URL.Query().Get("next")),
	}})
}

// login checks a name and password. Failures are counted per account
// and per client address; past FreeFailures, each attempt waits longer
// (see backoff), and says so. An unknown name and a wrong password get
// the same answer; the Verifier takes the same time for both.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	ss := s.cookieSession(r)
	if ss == nil || !sameOrigin(r) || !ss.validCSRF(r.PostFormValue("csrf")) {
		http.Error(w, "Inloggningsformuläret har gått ut eller saknar säkerhetskod. Ladda om sidan och försök igen.", http.StatusForbidden)
		return
	}
	r = r.WithContext(withSession(r, ss))
	if s.cfg.Verifier == nil {
		http.Error(w, "Inloggning med lösenord är avstängd.", http.StatusForbidden)
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	keys := []string{"user " + strings.ToLower(name), "addr " + s.clientAddr(r)}
	data := loginData{Password: true, Next: next, Name: name}
	if wait := s.limiter.wait(keys...); wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		data.Error = fmt.Sprintf("För många misslyckade inloggningar. Av säkerhetsskäl måste du vänta %d sekunder innan du försöker igen.", secs)
		s.auditf(r, AuditEntry{User: name, Action: "login_blocked", Detail: fmt.Sprintf("wait %ds", secs)})
		s.render(w, r, http.StatusTooManyRequests, "login", page{Title: "Logga in", Data: data})
		return
	}
	if name == "" || password == "" || s.cfg.Verifier.Verify(name, password) != nil {
		s.limiter.fail(keys...)
		s.auditf(r, AuditEntry{User: name, Action: "login_failed"})
		data.Error = "Fel användarnamn eller lösenord."
		s.render(w, r, http.StatusUnauthorized, "login", page{Title: "Logga in", Data: data})
		return
	}
	s.limiter.succeed(keys...)
	// A new session id at sign-in: the form's session id is not reused.
	s.sessions.end(ss.id)
	ns := s.sessions.create(name, false)
	s.setCookie(w, ns)
	s.auditf(r, AuditEntry{User: name, Action: "login"})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// logout ends the session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	ss := sessionOf(r)
	s.sessions.end(ss.id)
	s.clearCookie(w)
	s.auditf(r, AuditEntry{Action: "logout"})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
