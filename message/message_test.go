package message

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/internal/mailtest"
)

func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../samples/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func base(parts ...mailtest.Part) mailtest.Message {
	return mailtest.Message{
		ID:      "<20261204.abc123@kommun.example.se>",
		From:    "=?UTF-8?Q?Bj=C3=B6rn_=C3=85str=C3=B6m?= <bjorn.astrom@kommun.example.se>",
		Subject: "=?UTF-8?Q?Ans=C3=B6kan_Spr=C3=A5ngbr=C3=A4dan?=",
		Date:    "Fri, 4 Dec 2026 10:15:00 +0100",
		Text:    "Hej!\nHär kommer vår ansökan med budget.\nFrom now on we write in Swedish.\n",
		Parts:   parts,
	}
}

func names(m *Message) []string {
	var n []string
	for _, f := range m.Files {
		n = append(n, f.Name)
	}
	return n
}

// Every way mail programs write a Swedish file name is decoded to the same
// name, and the bytes come out as they went in.
func TestAttachmentNames(t *testing.T) {
	pdf := sample(t, "a-sprangbradan.pdf")
	const name = "Ansökan Språngbrädan – slutversion med underskrifter.pdf"
	for _, tc := range []struct {
		naming mailtest.Naming
		name   string
		qp     bool
	}{
		{mailtest.RFC2047Q, name, false},
		{mailtest.RFC2047B, name, false},
		{mailtest.RFC2047Latin1, "Ansökan Språngbrädan.pdf", false},
		{mailtest.RFC2231, name, false},
		{mailtest.RFC2231Continued, name, false},
		{mailtest.NameOnly, name, false},
		{mailtest.RFC2231, name, true},
	} {
		t.Run(fmt.Sprintf("%d-qp=%v", tc.naming, tc.qp), func(t *testing.T) {
			raw := base(mailtest.Part{Name: tc.name, Naming: tc.naming, Type: "application/pdf", Data: pdf, QP: tc.qp}).Bytes()
			m, err := Read(raw, "ansokan.eml", Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Files) != 1 || m.Files[0].Name != tc.name {
				t.Fatalf("files %q, want [%q]", names(m), tc.name)
			}
			if !bytes.Equal(m.Files[0].Data, pdf) {
				t.Errorf("the attachment's bytes differ from the file's (%d against %d)", len(m.Files[0].Data), len(pdf))
			}
		})
	}
}

func TestMeta(t *testing.T) {
	m, err := Read(base().Bytes(), "x.eml", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.MessageID != "20261204.abc123@kommun.example.se" {
		t.Errorf("Message-ID %q", m.MessageID)
	}
	if m.From != "Björn Åström <bjorn.astrom@kommun.example.se>" {
		t.Errorf("From %q", m.From)
	}
	if m.Subject != "Ansökan Språngbrädan" {
		t.Errorf("Subject %q", m.Subject)
	}
	r := m.Record()
	if r.Received == nil || *r.Received != "2026-12-04T10:15:00+01:00" {
		t.Errorf("received %v", r.Received)
	}
	if len(m.Files) != 0 {
		t.Errorf("a message with only text has files %q", names(m))
	}
	id := m.SubmissionID()
	if !strings.HasPrefix(id, "mail-") || len(id) != 37 {
		t.Errorf("submission id %q", id)
	}
	// The same message read again (another body, the same Message-ID)
	// keeps its id; another Message-ID gives another.
	again := base(mailtest.Part{Name: "a.pdf", Data: sample(t, "a-sprangbradan.pdf")})
	m2, _ := Read(again.Bytes(), "y.eml", Limits{})
	if m2.SubmissionID() != id {
		t.Errorf("same Message-ID, ids %s and %s", id, m2.SubmissionID())
	}
	again.ID = "<other@example.se>"
	m3, _ := Read(again.Bytes(), "y.eml", Limits{})
	if m3.SubmissionID() == id {
		t.Error("another Message-ID, the same id")
	}
	// Without a Message-ID: the id follows the bytes.
	again.ID = ""
	raw := again.Bytes()
	m4, _ := Read(raw, "y.eml", Limits{})
	m5, _ := Read(raw, "z.eml", Limits{})
	if m4.SubmissionID() != m5.SubmissionID() || m4.SubmissionID() == m3.SubmissionID() || m4.MessageID != "" {
		t.Errorf("ids without Message-ID: %s %s", m4.SubmissionID(), m5.SubmissionID())
	}
}

// A message a program sent is told from one a person sent, by the
// headers of RFC 3834 and older conventions, and by the sender.
func TestAutomatic(t *testing.T) {
	for _, c := range []struct {
		from    string
		headers []string
		want    bool
	}{
		{"Björn Åström <bjorn.astrom@kommun.example.se>", nil, false},
		{"Björn <bjorn@kommun.example.se>", []string{"Auto-Submitted: no"}, false},
		{"Björn <bjorn@kommun.example.se>", []string{"Precedence: first-class"}, false},
		{"Noreen Replysson <noreen@kommun.example.se>", nil, false}, // "no…" in the name, not the address
		{"Anna <anna.noreply-ansvarig@kommun.example.se>", nil, false},
		{"Björn <bjorn@kommun.example.se>", []string{"Auto-Submitted: auto-replied"}, true},
		{"Björn <bjorn@kommun.example.se>", []string{"auto-submitted: Auto-Generated"}, true},
		{"Björn <bjorn@kommun.example.se>", []string{"Precedence: bulk"}, true},
		{"Björn <bjorn@kommun.example.se>", []string{"X-Autoreply: yes"}, true},
		{"Björn <bjorn@kommun.example.se>", []string{"X-Auto-Response-Suppress: All"}, true},
		{"Björn <bjorn@kommun.example.se>", []string{"List-Id: <projekt.lists.example.se>"}, true},
		{"Björn <bjorn@kommun.example.se>", []string{"Return-Path: <>"}, true},
		{"Mail Delivery System <MAILER-DAEMON@mx.example.se>", nil, true},
		{"no-reply@kommun.example.se", nil, true},
		{"Kommunen <noreply+ansokan@kommun.example.se>", nil, true},
		{"postmaster@kommun.example.se", nil, true},
	} {
		msg := base()
		msg.From, msg.Headers = c.from, c.headers
		m, err := Read(msg.Bytes(), "x.eml", Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if m.Automatic != c.want || m.Record().AutoSubmitted != c.want {
			t.Errorf("from %q, headers %q: automatic %v, want %v", c.from, c.headers, m.Automatic, c.want)
		}
	}
}

// The application files of a forwarded message, of a zip and of a message
// inside a zip are found; pictures and text are not application files;
// a file without an extension is taken by its bytes.
func TestContainers(t *testing.T) {
	pdf, docx, xlsx := sample(t, "a-sprangbradan.pdf"), sample(t, "a-sprangbradan.docx"), sample(t, "a-sprangbradan-budget.xlsx")
	inner := base(mailtest.Part{Name: "Ansökan.docx", Naming: mailtest.RFC2047Q, Data: docx})
	inner.Subject = "Fwd: ansökan"
	innerEml := inner.Bytes()
	zipped := mailtest.Zip([]string{"bilagor/Budget 2027.xlsx", "bilagor/logga.png", "vidare.eml", "__MACOSX/._x.pdf"},
		map[string][]byte{"bilagor/Budget 2027.xlsx": xlsx, "bilagor/logga.png": []byte("\x89PNG\r\n\x1a\n"), "vidare.eml": innerEml, "__MACOSX/._x.pdf": pdf})
	raw := base(
		mailtest.Forward(inner),
		mailtest.Part{Name: "Bilagor för ansökan.zip", Naming: mailtest.RFC2231, Type: "application/zip", Data: zipped},
		mailtest.Part{Name: "underskrift", Naming: mailtest.Plain, Data: pdf},
		mailtest.Part{Name: "bild.jpg", Naming: mailtest.Plain, Type: "image/jpeg", Data: []byte("\xff\xd8\xff\xe0")},
	).Bytes()
	m, err := Read(raw, "x.eml", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Fwd: ansökan.eml/Ansökan.docx",
		"Bilagor för ansökan.zip/bilagor/Budget 2027.xlsx",
		"Bilagor för ansökan.zip/vidare.eml/Ansökan.docx",
		"underskrift.pdf",
	}
	if got := names(m); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("files\n %q\nwant\n %q", got, want)
	}
	if len(m.Skipped) != 2 {
		t.Errorf("skipped %q, want the picture in the zip and bild.jpg", m.Skipped)
	}
}

// Hostile messages give an error naming the file, or a file carrying its
// error: never a panic, never a hang.
func TestHostile(t *testing.T) {
	pdf := sample(t, "a-sprangbradan.pdf")
	t.Run("deep forwards", func(t *testing.T) {
		m := base(mailtest.Part{Name: "a.pdf", Data: pdf})
		for range 12 {
			m = base(mailtest.Forward(m))
		}
		_, err := Read(m.Bytes(), "djup.eml", Limits{})
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "djup.eml") || !strings.Contains(err.Error(), "MaxDepth") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("many parts", func(t *testing.T) {
		var parts []mailtest.Part
		for i := range 50 {
			parts = append(parts, mailtest.Part{Name: fmt.Sprintf("%d.txt", i), Data: []byte("x")})
		}
		_, err := Read(base(parts...).Bytes(), "många.eml", Limits{MaxParts: 20})
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "MaxParts") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("huge part", func(t *testing.T) {
		m, err := Read(base(mailtest.Part{Name: "stor.pdf", Data: pdf}).Bytes(), "x.eml", Limits{MaxFileBytes: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Files) != 1 || !errors.Is(m.Files[0].Err, extractor.ErrLimit) || m.Files[0].Data != nil {
			t.Fatalf("files %+v", m.Files)
		}
	})
	t.Run("huge message", func(t *testing.T) {
		_, err := Read(base(mailtest.Part{Name: "stor.pdf", Data: pdf}).Bytes(), "x.eml", Limits{MaxBytes: 1000})
		if !errors.Is(err, extractor.ErrLimit) || !strings.Contains(err.Error(), "x.eml") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("bad base64", func(t *testing.T) {
		raw := bytes.Replace(base(mailtest.Part{Name: "trasig.pdf", Data: pdf}).Bytes(), []byte("JVBER"), []byte("J*@!%"), 1)
		m, err := Read(raw, "x.eml", Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Files) != 1 || !errors.Is(m.Files[0].Err, extractor.ErrCorrupt) {
			t.Fatalf("files %+v", m.Files)
		}
	})
	t.Run("unknown charset and encoding", func(t *testing.T) {
		raw := []byte("Subject: =?x-klingon?Q?abc?=\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: x-uue\r\n\r\n%PDF-1.4\r\n--b--\r\n")
		if _, err := Read(raw, "x.eml", Limits{}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("unterminated multipart", func(t *testing.T) {
		raw := []byte("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\n")
		if _, err := Read(raw, "x.eml", Limits{}); err != nil && !strings.Contains(err.Error(), "x.eml") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("zip bomb", func(t *testing.T) {
		zipped := mailtest.Zip([]string{"a.pdf"}, map[string][]byte{"a.pdf": make([]byte, 8<<20)})
		m, err := Read(base(mailtest.Part{Name: "b.zip", Data: zipped}).Bytes(), "x.eml", Limits{MaxFileBytes: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Files) != 1 || !errors.Is(m.Files[0].Err, extractor.ErrLimit) {
			t.Fatalf("files %+v", m.Files)
		}
	})
	t.Run("path in name", func(t *testing.T) {
		m, err := Read(base(mailtest.Part{Name: "../../etc/a.pdf", Data: pdf}).Bytes(), "x.eml", Limits{})
		if err != nil || len(m.Files) != 1 || m.Files[0].Name != "a.pdf" {
			t.Fatalf("files %q, err %v", names(m), err)
		}
	})
}

func TestMbox(t *testing.T) {
	var msgs [][]byte
	for i := range 3 {
		m := base()
		m.ID = fmt.Sprintf("<%d@example.se>", i)
		m.Text = fmt.Sprintf("meddelande %d\nFrom here on\n>From quoted\n\n", i)
		msgs = append(msgs, m.Bytes())
	}
	box := mailtest.Mbox(msgs...)
	spans, err := MboxSpans(bytes.NewReader(box))
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) != 3 {
		t.Fatalf("%d messages, want 3: %v", len(spans), spans)
	}
	for i, s := range spans {
		raw := FromMbox(box[s.Offset : s.Offset+s.Length])
		m, err := Read(raw, "inkorg.mbox", Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("%d@example.se", i); m.MessageID != want {
			t.Errorf("message %d: id %q", i, m.MessageID)
		}
		if !bytes.Contains(raw, []byte("\nFrom here on\n>From quoted\n")) {
			t.Errorf("message %d: the >From quoting was not undone:\n%s", i, raw)
		}
	}
	if !IsMbox(box) || IsMbox(msgs[0]) {
		t.Error("IsMbox")
	}
}

func FuzzRead(f *testing.F) {
	pdf := sample(f, "a-sprangbradan.pdf")[:2000]
	f.Add(base().Bytes())
	f.Add(base(mailtest.Part{Name: "Ansökan.pdf", Naming: mailtest.RFC2231Continued, Data: pdf}).Bytes())
	f.Add(base(mailtest.Forward(base(mailtest.Part{Name: "Å.pdf", Naming: mailtest.RFC2047Latin1, Data: pdf, QP: true}))).Bytes())
	f.Add(base(mailtest.Part{Name: "z.zip", Data: mailtest.Zip([]string{"a.eml"}, map[string][]byte{"a.eml": base().Bytes()})}).Bytes())
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Read(raw, "fuzz.eml", Limits{MaxParts: 200, MaxDepth: 6})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.eml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, f := range m.Files {
			if (f.Err == nil) == (f.Data == nil) && len(f.Data) > 0 {
				t.Fatalf("file %q: data and error", f.Name)
			}
		}
	})
}
