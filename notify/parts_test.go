package notify

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/internal/smtptest"
	"github.com/finsam/ansokan/internal/testcert"
)

// Without STARTTLS on offer, nothing is sent (not even in the clear);
// with it, PLAIN and LOGIN both authenticate.
func TestSMTPStartTLS(t *testing.T) {
	msg := []byte("Subject: prov\r\n\r\nHej\r\n")
	plain := smtptest.Start(t, "127.0.0.1:0", nil)
	if err := smtpClient(plain).Send(t.Context(), "a@forbund.example", []string{officer}, msg); err == nil || !strings.Contains(err.Error(), "starttls") {
		t.Errorf("a server without STARTTLS: %v, want a starttls error", err)
	}
	if n := len(plain.Messages()); n != 0 {
		t.Errorf("%d messages sent without TLS", n)
	}
	s := smtptest.Start(t, "127.0.0.1:0", testcert.New(t))
	for _, login := range []bool{false, true} {
		c := smtpClient(s)
		c.Login = login
		if err := c.Send(t.Context(), "a@forbund.example", []string{officer}, msg); err != nil {
			t.Fatalf("login %v: %v", login, err)
		}
	}
	wrong := smtpClient(s)
	wrong.Password = "fel"
	if err := wrong.Send(t.Context(), "a@forbund.example", []string{officer}, msg); err == nil {
		t.Error("a wrong password was accepted")
	}
	got := s.Messages()
	if len(got) != 2 || !got[0].TLS || !got[1].TLS {
		t.Errorf("messages %+v, want 2 over TLS", got)
	}
}

func TestParseSMTP(t *testing.T) {
	for _, c := range []struct {
		url, pw, want string
		login, err    bool
	}{
		{url: "smtp://u:p@mail.example", want: "smtp://u@mail.example:587"},
		{url: "smtps://mail.example", want: "smtps://mail.example:465"},
		{url: "smtp+insecure://127.0.0.1:2525", want: "smtp+insecure://127.0.0.1:2525"},
		{url: "smtp://u@mail.example:25?auth=login", want: "smtp://u@mail.example:25", login: true},
		{url: "smtp://u@mail.example", pw: "ur-fil", want: "smtp://u@mail.example:587"},
		{url: "smtp+insecure://u:p@127.0.0.1", err: true},
		{url: "http://mail.example", err: true},
		{url: "smtp://mail.example?auth=cram", err: true},
	} {
		s, err := ParseSMTP(c.url, c.pw)
		if c.err {
			if err == nil {
				t.Errorf("%s: no error", c.url)
			}
			continue
		}
		if err != nil || s.String() != c.want || s.Login != c.login || (c.pw != "" && s.Password != c.pw) {
			t.Errorf("%s: %v %v", c.url, s, err)
		}
	}
}

// A template in the folder replaces the default; one that does not
// parse or names a field Alert lacks is refused when loaded.
func TestTemplatesFolder(t *testing.T) {
	dir := t.TempDir()
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, TemplateOfficers), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(`{{define "subject"}}Ärende: {{.Title}}{{end}}{{define "body"}}{{range .Errors}}* {{.Message}}{{end}}{{end}}`)
	tm, err := LoadTemplates(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := exampleAlert()
	subj, body, err := tm.render(TemplateOfficers, a)
	if err != nil || subj != "Ärende: Språngbrädan" || body != "* Underskrift saknas." {
		t.Errorf("%q %q %v", subj, body, err)
	}
	if _, body, _ := tm.render(TemplateApplicant, a); !strings.Contains(body, "kompletteras") {
		t.Errorf("the default applicant template was not kept: %q", body)
	}
	for _, bad := range []string{`{{define "subject"}}{{.Titel}}{{end}}{{define "body"}}{{end}}`, `{{define "subject"}}{{end}}`, `{{if}}`} {
		write(bad)
		if _, err := LoadTemplates(dir); err == nil {
			t.Errorf("%s: loaded", bad)
		}
	}
}

// The conditions: incomplete always; uncertain and warnings when asked.
func TestReasons(t *testing.T) {
	var r map[string]any
	if err := json.Unmarshal(sample(t, ""), &r); err != nil {
		t.Fatal(err)
	}
	r["complete"] = true
	r["findings"] = []any{map[string]any{"code": "extraction.uncertain", "severity": "warning", "message": "Osäker läsning.", "path": "", "evidence": nil, "subject": nil}}
	b, _ := json.Marshal(r)
	for _, c := range []struct {
		on   []Condition
		want []Condition
	}{
		{nil, nil},
		{[]Condition{OnUncertain}, []Condition{OnUncertain}},
		{[]Condition{OnWarnings, OnUncertain}, []Condition{OnWarnings, OnUncertain}},
	} {
		a, _, err := newAlert(b, c.on)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.Reasons, c.want) {
			t.Errorf("on %v: %v, want %v", c.on, a.Reasons, c.want)
		}
	}
	if _, err := ParseConditions("incomplete,uncertain,bogus"); err == nil {
		t.Error("bogus condition accepted")
	}
}

func TestSignVerify(t *testing.T) {
	secret, body := []byte("s"), []byte(`{"event":"ansokan.alert"}`)
	sig := Sign(secret, body)
	// echo -n '{"event":"ansokan.alert"}' | openssl dgst -sha256 -hmac s
	if want := "sha256=74f388b83511420dd214e95090e7b8667a70a53612872f917e9f65e4ea28b57b"; sig != want || !Verify(secret, body, sig) {
		t.Fatalf("signature %s, want %s (openssl's)", sig, want)
	}
	if Verify(secret, append(body, ' '), sig) || Verify([]byte("t"), body, sig) {
		t.Error("a changed body or secret verifies")
	}
}

func TestEmailEncoding(t *testing.T) {
	e := &email{From: sender, To: []string{officer}, Subject: "Ofullständig ansökan: Språngbrädan", Body: "Rad ett\nÅäö\n", MessageID: "<k@forbund.example>"}
	b, err := e.bytes(time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"Subject: =?utf-8?q?Ofullst=C3=A4ndig", "Rad ett\r\n=C3=85=C3=A4=C3=B6\r\n", "Message-ID: <k@forbund.example>\r\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("lacks %q:\n%s", want, s)
		}
	}
}

// The default reply to an applicant whose message held no application
// file asks for the files, not for completions; neither reply is sent to
// a message a program sent.
func TestApplicantReplyKinds(t *testing.T) {
	tm, err := LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	a := exampleAlert()
	_, body, err := tm.render(TemplateApplicant, a)
	if err != nil || !strings.Contains(body, "Underskrift saknas.") || strings.Contains(body, "inga ansökningsfiler") {
		t.Errorf("reply on an incomplete application: %v\n%s", err, body)
	}
	a.NoFiles = true
	subj, body, err := tm.render(TemplateApplicant, a)
	if err != nil || !strings.Contains(subj, "ansökningsfilerna saknas") || !strings.Contains(body, "inga ansökningsfiler") || strings.Contains(body, "Underskrift saknas.") {
		t.Errorf("reply on a message without files: %v\n%s\n%s", err, subj, body)
	}
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	n := &Notifier{cfg: Config{SMTP: &SMTP{}, ReplyToApplicant: true}, now: func() time.Time { return now }}
	a.NoFiles = false
	for _, c := range []struct {
		received  time.Time
		automatic bool
		within    time.Duration
		want      bool
	}{
		{now.Add(-time.Hour), false, 0, true},
		{now.Add(-13 * 24 * time.Hour), false, 0, true},
		{now.Add(-15 * 24 * time.Hour), false, 0, false}, // a mailbox's backlog, an export: long ago
		{now.AddDate(-2, 0, 0), false, 0, false},
		{time.Time{}, false, 0, false},                     // no date: no telling how old
		{now.AddDate(-2, 0, 0), false, -1, true},           // no bound
		{now.Add(-2 * time.Hour), false, time.Hour, false}, // a bound of one's own
		{now.Add(-time.Hour), true, 0, false},              // an auto-reply
	} {
		a.Received, a.Automatic, n.cfg.ReplyWithin = c.received, c.automatic, c.within
		if got := slices.Contains(n.targets(a), TargetApplicant); got != c.want {
			t.Errorf("received %v, automatic %v, within %v: reply %v, want %v", c.received, c.automatic, c.within, got, c.want)
		}
	}
}
