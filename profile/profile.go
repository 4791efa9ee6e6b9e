// Package profile holds förbund profiles: the data that describes one
// förbund's application template (headings, required sections, the
// canonical agreement text, the template's guidance phrases).
package profile

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"slices"

	"github.com/finsam/ansokan/schema"
)

// Profile describes one förbund's application template: the heading
// variants of each field and section, which sections are required, and
// the canonical Överenskommelse text. The built-in default describes the
// 2019 template of Samordningsförbundet Uppsala län; another förbund
// supplies its own file (ansokan extract --profile FILE).
type Profile struct {
	Name string `json:"name"`
	// MemberParties lists the kinds of member party (kommun, region,
	// arbetsformedlingen, forsakringskassan).
	MemberParties []string      `json:"member_parties"`
	Fields        ProfileFields `json:"fields"`
	Sections      []SectionSpec `json:"sections"`
	Agreement     AgreementSpec `json:"agreement"`
	// TemplateText are paragraphs of the template itself (the intro) that
	// belong to no answer; a paragraph starting with one is dropped.
	TemplateText []string `json:"template_text"`
	// Guidance are the template's instruction phrases ("Beskriv här …"):
	// an answer that is only guidance counts as empty.
	Guidance []string `json:"guidance"`
	// StrictHeadings pins the template: only the headings listed here
	// open fields and sections (and an unknown heading needs a heading
	// style), the lexicon is not used. Off by default: the profile's
	// headings are strong hints and the lexicon reads the rest.
	StrictHeadings bool `json:"strict_headings,omitempty"`
	// Unnamed are headings of the template that 'ansokan profile init'
	// could not place: the officer names each by setting its key (a
	// section key, a field name such as "title", or "extra" for a
	// section of the template's own). A named one is read as a heading
	// variant of that key; one left with key "" is ignored.
	Unnamed []UnnamedHeading `json:"unnamed,omitempty"`
}

// UnnamedHeading is a template heading waiting for the officer's name.
type UnnamedHeading struct {
	Heading string `json:"heading"`
	Key     string `json:"key"`
	Note    string `json:"note,omitempty"`
}

// Extra is the key an officer gives a template heading that is a section
// of the template's own: it is read into extra_sections.
const Extra = "extra"

// ProfileFields holds the heading (or label) variants of the form's fields.
type ProfileFields struct {
	Title        []string `json:"title"`
	Owner        []string `json:"owner"`
	Partners     []string `json:"partners"`
	Period       []string `json:"period"`
	Participants []string `json:"participants"`
	Anchoring    []string `json:"anchoring"`
	AnchoringHow []string `json:"anchoring_how"`
	Signature    []string `json:"signature"`
	Start        []string `json:"start"`
	End          []string `json:"end"`
	IntakeEnd    []string `json:"intake_end"`
}

// SectionSpec is one free-text section.
type SectionSpec struct {
	Key      string   `json:"key"`
	Required bool     `json:"required"`
	Headings []string `json:"headings"`
}

// AgreementSpec is the Överenskommelse: its sub-headings (part of its
// text, not sections of their own) and the canonical text.
type AgreementSpec struct {
	Subheadings []string `json:"subheadings"`
	Text        string   `json:"text"`
}

//go:embed uppsala-2019.json
var defaultProfileJSON []byte

// DefaultProfile returns the built-in profile (a fresh copy).
func Default() *Profile {
	p, err := Parse(defaultProfileJSON)
	if err != nil {
		panic("profile: built-in profile: " + err.Error()) // a build defect, caught by tests
	}
	return p
}

// LoadProfile reads a profile file.
func Load(path string) (*Profile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	p, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", path, err)
	}
	return p, nil
}

// ParseProfile parses and validates a profile.
func Parse(b []byte) (*Profile, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p Profile
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	known := []string{schema.SectionPurpose, schema.SectionGoals, schema.SectionBackground,
		schema.SectionTargetGroup, schema.SectionMethods, schema.SectionEvaluation,
		schema.SectionResultsUse, schema.SectionBudgetText, schema.SectionAgreement}
	seen := map[string]bool{}
	for _, s := range p.Sections {
		if !slices.Contains(known, s.Key) {
			return nil, fmt.Errorf("unknown section key %q (known: %v)", s.Key, known)
		}
		if seen[s.Key] {
			return nil, fmt.Errorf("section key %q twice", s.Key)
		}
		seen[s.Key] = true
		if len(s.Headings) == 0 {
			return nil, fmt.Errorf("section %q has no headings", s.Key)
		}
	}
	for _, u := range p.Unnamed {
		switch {
		case u.Key == "" || u.Key == Extra:
		case slices.Contains(known, u.Key):
			if s := p.Section(u.Key); s != nil {
				s.Headings = append(s.Headings, u.Heading)
			} else {
				p.Sections = append(p.Sections, SectionSpec{Key: u.Key, Headings: []string{u.Heading}})
			}
		default:
			f := p.Fields.named(u.Key)
			if f == nil {
				return nil, fmt.Errorf("unnamed heading %q: unknown key %q (a section key, a field, %q or \"\")", u.Heading, u.Key, Extra)
			}
			*f = append(*f, u.Heading)
		}
	}
	if len(p.Fields.Title) == 0 || len(p.Fields.Owner) == 0 || len(p.Fields.Partners) == 0 {
		return nil, fmt.Errorf("fields title, owner and partners need at least one heading each")
	}
	return &p, nil
}

// Section returns the spec of a section key, or nil.
func (p *Profile) Section(key string) *SectionSpec {
	for i := range p.Sections {
		if p.Sections[i].Key == key {
			return &p.Sections[i]
		}
	}
	return nil
}

// named returns the heading list of a field by its JSON name, or nil.
func (f *ProfileFields) named(name string) *[]string {
	switch name {
	case "title":
		return &f.Title
	case "owner":
		return &f.Owner
	case "partners":
		return &f.Partners
	case "period":
		return &f.Period
	case "participants":
		return &f.Participants
	case "anchoring":
		return &f.Anchoring
	case "anchoring_how":
		return &f.AnchoringHow
	case "signature":
		return &f.Signature
	case "start":
		return &f.Start
	case "end":
		return &f.End
	case "intake_end":
		return &f.IntakeEnd
	}
	return nil
}

// Add appends a heading variant to a field given by its JSON name; false
// when there is no such field.
func (f *ProfileFields) Add(name, heading string) bool {
	l := f.named(name)
	if l == nil {
		return false
	}
	if !slices.Contains(*l, heading) {
		*l = append(*l, heading)
	}
	return true
}
