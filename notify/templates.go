package notify

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"
)

// The default templates, in Swedish. A förbund overrides one by putting a
// file of the same name in its --templates folder.
//
//go:embed templates/*.tmpl
var defaultTemplates embed.FS

// Template names: the e-mail to the officers and the reply to the
// applicant. Each file defines "subject" (one line) and "body".
const (
	TemplateOfficers  = "officers.tmpl"
	TemplateApplicant = "applicant.tmpl"
)

// Templates are the parsed e-mail templates.
type Templates struct {
	byName map[string]*template.Template
}

var templateFuncs = template.FuncMap{"join": strings.Join}

// LoadTemplates parses the default templates, each replaced by the file
// of its name in dir when dir has one ("" for the defaults alone). A
// template that does not parse or does not render an example alert is an
// error now, not when the first alert is due.
func LoadTemplates(dir string) (*Templates, error) {
	t := &Templates{byName: map[string]*template.Template{}}
	for _, name := range []string{TemplateOfficers, TemplateApplicant} {
		src, err := fs.ReadFile(defaultTemplates, "templates/"+name)
		if err != nil {
			return nil, err
		}
		from := "built-in " + name
		if dir != "" {
			path := filepath.Join(dir, name)
			b, err := os.ReadFile(path)
			switch {
			case err == nil:
				src, from = b, path
			case !errors.Is(err, fs.ErrNotExist):
				return nil, fmt.Errorf("template %s: %w", path, err)
			}
		}
		tt, err := template.New(name).Funcs(templateFuncs).Option("missingkey=error").Parse(string(src))
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", from, err)
		}
		for _, part := range []string{"subject", "body"} {
			if tt.Lookup(part) == nil {
				return nil, fmt.Errorf("template %s: no {{define %q}}", from, part)
			}
		}
		t.byName[name] = tt
		if _, _, err := t.render(name, exampleAlert()); err != nil {
			return nil, fmt.Errorf("template %s: %w", from, err)
		}
	}
	return t, nil
}

// render gives the subject (one line) and body of the template name.
func (t *Templates) render(name string, a *Alert) (subject, body string, err error) {
	tt := t.byName[name]
	var b bytes.Buffer
	if err := tt.ExecuteTemplate(&b, "subject", a); err != nil {
		return "", "", err
	}
	subject = strings.Join(strings.Fields(b.String()), " ")
	b.Reset()
	if err := tt.ExecuteTemplate(&b, "body", a); err != nil {
		return "", "", err
	}
	return subject, b.String(), nil
}

// exampleAlert has every field set, to try a template on.
func exampleAlert() *Alert {
	return &Alert{
		Title: "Språngbrädan", Owner: "Uppsala kommun (Arbetsmarknadsförvaltningen)", Submission: "exempel",
		Files: []string{"ansokan.docx", "budget.xlsx"}, Applicant: Applicant{Name: "Anna Andersson", Address: "anna@example.se"},
		Errors:    []Item{{Code: "signature.missing", Severity: "fel", Message: "Underskrift saknas.", Where: "Underskrift 1"}},
		Warnings:  []Item{{Code: "extraction.uncertain", Severity: "varning", Message: "Osäker läsning.", Where: "sida 2"}},
		Reasons:   []Condition{OnIncomplete},
		RecordURL: "https://inbox.example.se/records/1", RecordSeq: 1, RecordID: "exempel",
		MessageSubject: "Ansökan", MessageID: "<exempel@example.se>",
	}
}
