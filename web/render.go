package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/finsam/ansokan/schema"
)

// pages are the page templates, each parsed with the layout and the row.
var pages = []string{"login", "inbox", "record", "upload", "waiting", "dead", "message"}

var funcs = template.FuncMap{
	"fmtTime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Local().Format("2006-01-02 15:04")
	},
	"join":        strings.Join,
	"statusClass": statusClass,
	"statusIcon":  statusIcon,
	"deref":       deref,
	"fileHref":    fileHref,
	"add":         func(a, b int) int { return a + b },
	"bytes":       byteSize,
}

func parseTemplates() (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	for _, p := range pages {
		t, err := template.New(p).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/row.html", "templates/"+p+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", p, err)
		}
		out[p] = t
	}
	return out, nil
}

// statusClass is a status's CSS class (ASCII).
func statusClass(s string) string {
	switch s {
	case StatusComplete:
		return "komplett"
	case StatusIncomplete:
		return "ofullstandig"
	case StatusReview:
		return "granska"
	case StatusPending:
		return "under"
	}
	return "misslyckad"
}

// statusIcon is a status's symbol: status is never told by colour alone
// (the word is always there too).
func statusIcon(s string) string {
	switch s {
	case StatusComplete:
		return "✓"
	case StatusIncomplete, StatusFailed:
		return "✗"
	case StatusReview:
		return "!"
	}
	return "…"
}

var sevLabel = map[string]string{schema.SeverityError: "fel", schema.SeverityWarning: "varning", schema.SeverityInfo: "info"}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d byte", n)
}

// page is what the layout needs, and the page's own data.
type page struct {
	Title   string
	Nav     string
	User    string
	CSRF    string
	Refresh int
	Data    any
}

// render writes a page. The session (if any) gives the user and the
// CSRF token of its forms.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	if ss := sessionOf(r); ss != nil {
		p.User, p.CSRF = ss.user, ss.csrf
	}
	var buf bytes.Buffer
	if err := s.tmpl[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("page not rendered", "page", name, "err", err)
		http.Error(w, "Sidan kunde inte visas.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// message renders a short message page.
func (s *Server) message(w http.ResponseWriter, r *http.Request, status int, title, text string) {
	s.render(w, r, status, "message", page{Title: title, Data: struct {
		Text  string
		Error bool
		Back  string
	}{text, status >= 400, "/"}})
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// contentDisposition is a Content-Disposition value naming the file:
// an ASCII fallback in filename, the UTF-8 name in filename* (RFC 5987).
func contentDisposition(kind, name string) string {
	var ascii, ext strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f || r == '"' || r == '\\':
			ascii.WriteByte('_')
		case r < 0x80:
			ascii.WriteRune(r)
		default:
			ascii.WriteByte('_')
		}
	}
	for _, b := range []byte(name) {
		if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0 {
			ext.WriteByte(b)
		} else {
			fmt.Fprintf(&ext, "%%%02X", b)
		}
	}
	return fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`, kind, ascii.String(), ext.String())
}
