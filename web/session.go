package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"sync"
	"time"
)

// Session lifetimes: a session ends after IdleTimeout without a request,
// and AbsoluteTimeout after it began, whatever happens.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
)

// session is one browser's session, held on the server; the cookie
// carries only its id. A session with no user is a login form's: it
// carries the CSRF token the form posts back.
type session struct {
	id      string
	user    string
	csrf    string
	created time.Time
	seen    time.Time
	// sso is true when the reverse proxy's header signed the user in.
	sso bool
}

// sessions is the server-side session store.
type sessions struct {
	mu  sync.Mutex
	m   map[string]*session
	now func() time.Time
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{m: map[string]*session{}, now: now}
}

// randomID is 256 random bits, hex.
func randomID() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("web: crypto/rand failed: " + err.Error()) // never, since Go 1.24
	}
	return hex.EncodeToString(b[:])
}

// create starts a session for user ("" for a login form's).
func (s *sessions) create(user string, sso bool) *session {
	now := s.now()
	ss := &session{id: randomID(), user: user, csrf: randomID(), created: now, seen: now, sso: sso}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	s.m[ss.id] = ss
	return ss
}

// get returns the live session under id and marks it seen; nil when
// there is none or it expired.
func (s *sessions) get(id string) *session {
	if id == "" {
		return nil
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.m[id]
	if ss == nil {
		return nil
	}
	if now.Sub(ss.seen) > IdleTimeout || now.Sub(ss.created) > AbsoluteTimeout {
		delete(s.m, id)
		return nil
	}
	ss.seen = now
	cp := *ss
	return &cp
}

// end removes a session.
func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}

// sweep drops expired sessions. Callers hold mu.
func (s *sessions) sweep(now time.Time) {
	for id, ss := range s.m {
		if now.Sub(ss.seen) > IdleTimeout || now.Sub(ss.created) > AbsoluteTimeout {
			delete(s.m, id)
		}
	}
}

// validCSRF compares a posted token with the session's in constant time.
func (ss *session) validCSRF(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(ss.csrf)) == 1
}

// Login rate limiting: after FreeFailures failed sign-ins in a row, for
// an account or from a client address, each further attempt must wait:
// 1s after the fifth failure, doubling with each one after, at most
// MaxBackoff. A success clears the account's and the address's count.
const (
	FreeFailures = 5
	MaxBackoff   = 15 * time.Minute
)

// limiter counts failed sign-ins per key ("user NAME", "addr IP").
type limiter struct {
	mu  sync.Mutex
	m   map[string]*failures
	now func() time.Time
}

type failures struct {
	n    int
	last time.Time
}

func newLimiter(now func() time.Time) *limiter {
	return &limiter{m: map[string]*failures{}, now: now}
}

// wait returns how long the keys must still wait before another attempt
// (the longest of them); 0 when they may try now.
func (l *limiter) wait(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var longest time.Duration
	for _, k := range keys {
		f := l.m[k]
		if f == nil || f.n < FreeFailures {
			continue
		}
		if w := f.last.Add(backoff(f.n)).Sub(now); w > longest {
			longest = w
		}
	}
	return longest
}

// backoff is the wait after n failures (n ≥ FreeFailures).
func backoff(n int) time.Duration {
	d := time.Second
	for i := FreeFailures; i < n && d < MaxBackoff; i++ {
		d *= 2
	}
	return min(d, MaxBackoff)
}

// fail counts a failure for every key.
func (l *limiter) fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		f := l.m[k]
		if f == nil {
			f = &failures{}
			l.m[k] = f
		}
		// A count left alone for a day starts over.
		if now.Sub(f.last) > 24*time.Hour {
			f.n = 0
		}
		f.n++
		f.last = now
	}
	if len(l.m) > 100_000 { // bound memory under a spray of names
		for k, f := range l.m {
			if now.Sub(f.last) > MaxBackoff {
				delete(l.m, k)
			}
		}
	}
}

// succeed clears the keys' counts.
func (l *limiter) succeed(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		delete(l.m, k)
	}
}
