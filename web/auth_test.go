package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Nothing but /login and the static assets answers without a session:
// a GET goes to /login, anything else is refused.
func TestEveryRouteNeedsASession(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	sha := strings.Repeat("a", 64)
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/", http.StatusSeeOther},
		{"GET", "/?status=komplett", http.StatusSeeOther},
		{"GET", "/events", http.StatusUnauthorized},
		{"GET", "/records/1", http.StatusSeeOther},
		{"GET", "/records/1.json", http.StatusSeeOther},
		{"GET", "/records/1.xlsx", http.StatusSeeOther},
		{"GET", "/submissions/abc", http.StatusSeeOther},
		{"GET", "/files/" + sha, http.StatusSeeOther},
		{"GET", "/upload", http.StatusSeeOther},
		{"GET", "/uploads/x?file=" + sha, http.StatusSeeOther},
		{"GET", "/dead", http.StatusSeeOther},
		{"GET", "/nosuchpage", http.StatusSeeOther},
		{"POST", "/upload", http.StatusUnauthorized},
		{"POST", "/dead/1/retry", http.StatusUnauthorized},
		{"POST", "/reprocess", http.StatusUnauthorized},
		{"POST", "/records/1/reprocess", http.StatusUnauthorized},
		{"POST", "/logout", http.StatusUnauthorized},
		{"GET", "/login", http.StatusOK},
		{"GET", "/static/style.css", http.StatusOK},
		{"GET", "/static/app.js", http.StatusOK},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, e.hs.URL+tc.path, nil)
			res, body := b.do(req)
			if res.StatusCode != tc.want {
				t.Fatalf("%s %s: %s, want %d\n%s", tc.method, tc.path, res.Status, tc.want, body)
			}
			if tc.want == http.StatusSeeOther && !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
				t.Errorf("redirected to %q, want /login", res.Header.Get("Location"))
			}
			if tc.want != http.StatusOK && strings.Contains(body, "Inkorg") {
				t.Errorf("the refusal shows the inbox:\n%s", body)
			}
		})
	}
}

func TestLoginLogout(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	res, body := b.get("/login")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `<html lang="sv">`) || !strings.Contains(body, "Lösenord") {
		t.Fatalf("login form: %s\n%s", res.Status, body)
	}
	res, body = b.post("/login", url.Values{"name": {"anna"}, "password": {"fel"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Fel användarnamn eller lösenord.") {
		t.Fatalf("wrong password: %s\n%s", res.Status, body)
	}
	// An unknown name gets the same answer as a wrong password.
	_, unknown := b.post("/login", url.Values{"name": {"okänd"}, "password": {"fel"}})
	if !strings.Contains(unknown, "Fel användarnamn eller lösenord.") {
		t.Errorf("unknown user: %s", unknown)
	}
	formSession := b.c.Jar.Cookies(mustURL(t, e.hs.URL))
	res, _ = b.post("/login", url.Values{"name": {"anna"}, "password": {"rätt-lösen"}, "next": {"/dead"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/dead" {
		t.Fatalf("login: %s to %q", res.Status, res.Header.Get("Location"))
	}
	c := sessionCookie(t, res)
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure || c.Path != "/" {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Strict, not Secure without TLS", c)
	}
	if len(c.Value) != 64 || len(formSession) == 1 && formSession[0].Value == c.Value {
		t.Errorf("session id %q: want a new 256-bit id at sign-in", c.Value)
	}
	res, body = b.get("/")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "<h1>Inkorg</h1>") || !strings.Contains(body, "anna") {
		t.Fatalf("inbox after login: %s\n%s", res.Status, body)
	}
	res, _ = b.post("/logout", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %s", res.Status)
	}
	// The old cookie names no session any more.
	req, _ := http.NewRequest("GET", e.hs.URL+"/", nil)
	req.AddCookie(c)
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("the logged-out session still works: %s", res.Status)
	}
	var actions []string
	for _, a := range e.audit.entries(t) {
		actions = append(actions, a.Action+" "+a.User)
	}
	want := "login_failed anna,login_failed okänd,login anna,logout anna"
	if got := strings.Join(actions, ","); got != want {
		t.Errorf("audit actions %q, want %q", got, want)
	}
}

func mustURL(t testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func sessionCookie(t testing.TB, res *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range res.Cookies() {
		if c.Name == "ansokan" || c.Name == "__Host-ansokan" {
			return c
		}
	}
	t.Fatalf("no session cookie in %v", res.Header["Set-Cookie"])
	return nil
}

// Under TLS the cookie is Secure and __Host- prefixed.
func TestSecureCookie(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Secure = true })
	res, _ := e.browser().get("/login")
	c := sessionCookie(t, res)
	if c.Name != "__Host-ansokan" || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Errorf("cookie %+v: want __Host-ansokan, Secure, HttpOnly, SameSite=Strict", c)
	}
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS under TLS")
	}
}

// Sessions end after the idle time and after the absolute time.
func TestSessionExpiry(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps []time.Duration // time between requests
		ok    bool
	}{
		{"active", []time.Duration{10 * time.Minute, 20 * time.Minute, 25 * time.Minute}, true},
		{"idle", []time.Duration{IdleTimeout + time.Second}, false},
		{"absolute", func() []time.Duration {
			var s []time.Duration
			for range AbsoluteTimeout / (20 * time.Minute) {
				s = append(s, 20*time.Minute)
			}
			return append(s, 20*time.Minute)
		}(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			b := e.browser()
			b.login("anna", "rätt-lösen")
			var res *http.Response
			for _, d := range tc.steps {
				e.clock.advance(d)
				res, _ = b.get("/")
			}
			if got := res.StatusCode == http.StatusOK; got != tc.ok {
				t.Errorf("after %v: %s, want signed in %t", tc.steps, res.Status, tc.ok)
			}
		})
	}
}

// Every POST needs the session's CSRF token and, when the browser says
// where it comes from, this site.
func TestCSRF(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("anna", "rätt-lösen")
	for _, tc := range []struct {
		name   string
		form   url.Values
		header []string
		want   int
	}{
		{"no token", url.Values{"csrf": {""}}, nil, http.StatusForbidden},
		{"wrong token", url.Values{"csrf": {strings.Repeat("0", 64)}}, nil, http.StatusForbidden},
		{"other origin", nil, []string{"Origin", "https://evil.example"}, http.StatusForbidden},
		{"cross-site fetch", nil, []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"same-site, other origin", nil, []string{"Sec-Fetch-Site", "same-site", "Origin", "https://annan.kommun.example"}, http.StatusForbidden},
		{"same origin", nil, []string{"Origin", e.hs.URL, "Sec-Fetch-Site", "same-origin"}, http.StatusSeeOther},
		// Chromium's own form post under a no-referrer policy.
		{"null origin from this site", nil, []string{"Origin", "null", "Sec-Fetch-Site", "same-origin"}, http.StatusSeeOther},
		{"null origin, no token", url.Values{"csrf": {""}}, []string{"Origin", "null", "Sec-Fetch-Site", "same-origin"}, http.StatusForbidden},
		{"token only", nil, nil, http.StatusSeeOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := b.post("/reprocess", tc.form, tc.header...)
			if res.StatusCode != tc.want {
				t.Errorf("%s: %s, want %d\n%s", tc.name, res.Status, tc.want, body)
			}
		})
	}
	// The upload's multipart form, without its token.
	csrf := b.csrf
	b.csrf = ""
	if res, _ := b.upload(nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("upload without token: %s", res.Status)
	}
	b.csrf = csrf
	// Another form sent as multipart, without its token.
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	_ = mw.WriteField("all", "1")
	_ = mw.Close()
	req, _ := http.NewRequest("POST", e.hs.URL+"/reprocess", &mp)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if res, _ := b.do(req); res.StatusCode != http.StatusForbidden {
		t.Errorf("multipart POST /reprocess without token: %s", res.Status)
	}
	// The login form, without its token.
	a := e.browser()
	a.get("/login")
	if res, _ := a.post("/login", url.Values{"csrf": {""}, "name": {"anna"}, "password": {"rätt-lösen"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("login without token: %s", res.Status)
	}
}

// After FreeFailures failures, for an account or from an address, the
// next attempt must wait, even with the right password, and is told so.
func TestLoginRateLimit(t *testing.T) {
	for _, tc := range []struct {
		name  string
		names []string // the failing attempts' names
		then  string   // who signs in then
	}{
		{"one account", []string{"anna", "anna", "anna", "anna", "anna"}, "anna"},
		{"one address, many names", []string{"a1", "a2", "a3", "a4", "a5"}, "bo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			b := e.browser()
			b.get("/login")
			for _, n := range tc.names {
				if res, _ := b.post("/login", url.Values{"name": {n}, "password": {"fel"}}); res.StatusCode != http.StatusUnauthorized {
					t.Fatalf("failure %s: %s", n, res.Status)
				}
			}
			pw := users{"anna": "rätt-lösen", "bo": "annat-lösen"}[tc.then]
			res, body := b.post("/login", url.Values{"name": {tc.then}, "password": {pw}})
			if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "För många misslyckade inloggningar") ||
				!strings.Contains(body, "vänta 1 sekunder") || res.Header.Get("Retry-After") != "1" {
				t.Fatalf("after %d failures: %s (Retry-After %q)\n%s", len(tc.names), res.Status, res.Header.Get("Retry-After"), body)
			}
			// One more failure after the wait doubles it.
			e.clock.advance(time.Second)
			b.post("/login", url.Values{"name": {tc.then}, "password": {"fel"}})
			if res, body := b.post("/login", url.Values{"name": {tc.then}, "password": {pw}}); res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "vänta 2 sekunder") {
				t.Fatalf("after another failure: %s\n%s", res.Status, body)
			}
			e.clock.advance(2 * time.Second)
			if res, body := b.post("/login", url.Values{"name": {tc.then}, "password": {pw}}); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("after the wait: %s\n%s", res.Status, body)
			}
			var blocked int
			for _, a := range e.audit.entries(t) {
				if a.Action == "login_blocked" {
					blocked++
				}
			}
			if blocked != 2 {
				t.Errorf("%d login_blocked audit entries, want 2", blocked)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	for n, want := range map[int]time.Duration{5: time.Second, 6: 2 * time.Second, 10: 32 * time.Second, 40: MaxBackoff} {
		if got := backoff(n); got != want {
			t.Errorf("backoff(%d) = %v, want %v", n, got, want)
		}
	}
}

// A trusted proxy's header signs its user in (POSTs still need the
// token); from any other address the header is ignored.
func TestReverseProxySSO(t *testing.T) {
	for _, tc := range []struct {
		name    string
		proxies string
		signed  bool
	}{
		{"trusted", "127.0.0.0/8", true},
		{"untrusted", "10.0.0.0/8", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) {
				c.Verifier = nil
				c.TrustedProxyHeader = "X-Remote-User"
				c.TrustedProxies = []netip.Prefix{netipPrefix(t, tc.proxies)}
			})
			b := e.browser()
			req, _ := http.NewRequest("GET", e.hs.URL+"/", nil)
			req.Header.Set("X-Remote-User", "cecilia")
			res, body := b.do(req)
			if got := res.StatusCode == http.StatusOK && strings.Contains(body, "cecilia"); got != tc.signed {
				t.Fatalf("GET / as the proxy's user: %s, signed in %t, want %t", res.Status, got, tc.signed)
			}
			if !tc.signed {
				if _, body := b.get("/login"); strings.Contains(body, `type="password"`) {
					t.Error("a password form without a Verifier")
				}
				return
			}
			post := func(form url.Values) int {
				req, _ := http.NewRequest("POST", e.hs.URL+"/reprocess", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Remote-User", "cecilia")
				res, _ := b.do(req)
				return res.StatusCode
			}
			if got := post(url.Values{}); got != http.StatusForbidden {
				t.Errorf("POST without token as the proxy's user: %d, want 403", got)
			}
			if got := post(url.Values{"csrf": {b.csrf}}); got != http.StatusSeeOther {
				t.Errorf("POST with token as the proxy's user: %d, want 303", got)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("anna", "rätt-lösen")
	for _, path := range []string{"/login", "/", "/upload", "/dead"} {
		res, _ := b.get(path)
		h := res.Header
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Cache-Control": "no-store"} {
			if h.Get(k) != want {
				t.Errorf("%s: %s %q, want %q", path, k, h.Get(k), want)
			}
		}
	}
}
