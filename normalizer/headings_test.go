package normalizer

import (
	"testing"

	"github.com/finsam/ansokan/profile"
)

func TestMatchHeadings(t *testing.T) {
	m := newMatcher(profile.Default())
	tests := []struct {
		text          string
		field, key    string
		written, rest string
	}{
		{"Beskriv syftet med insatsen (*)", fieldSection, "purpose", "Beskriv syftet med insatsen (*)", ""},
		{"BESKRIV SYFTET MED INSATSEN", fieldSection, "purpose", "BESKRIV SYFTET MED INSATSEN", ""},
		{"4. Syfte", fieldSection, "purpose", "4. Syfte", ""},
		{"Syfte:", fieldSection, "purpose", "Syfte:", ""},
		{"Beskriv metod för uppföljning och\nutvärdering av målen", fieldSection, "evaluation", "Beskriv metod för uppföljning och utvärdering av målen", ""},
		{"Beskriv bakgrunden till/ behovet av insatsen (*)", fieldSection, "background", "Beskriv bakgrunden till/ behovet av insatsen (*)", ""},
		{"Ange budget/finansiering (separat budget ska bifogas enligt mall)", fieldSection, "budget_text", "Ange budget/finansiering (separat budget ska bifogas enligt mall)", ""},
		{"Insatsens namn: Vägen vidare", fieldTitle, "", "Insatsens namn", "Vägen vidare"},
		{"1. Projektets namn", fieldTitle, "", "1. Projektets namn", ""},
		{"Insatsägare (*)", fieldOwner, "", "Insatsägare (*)", ""},
		{"2. Projektägare", fieldOwner, "", "2. Projektägare", ""},
		{"Planerat slutdatum för intag av personer i insatsen: 2024-09-30", fieldIntakeEnd, "", "Planerat slutdatum för intag av personer i insatsen", "2024-09-30"},
		{"Planerat slutdatum: 2024-12-31", fieldEnd, "", "Planerat slutdatum", "2024-12-31"},
		{"Ange förväntat antal deltagare: Minst 15 per år", fieldParticipants, "", "Ange förväntat antal deltagare", "Minst 15 per år"},
		{"Har ansökan diskuterats i lokal utvecklingsgrupp eller i den strategiska utvecklingsgruppen?", fieldAnchoring, "", "Har ansökan diskuterats i lokal utvecklingsgrupp eller i den strategiska utvecklingsgruppen?", ""},
		{"Underskrift  (*)", fieldSignature, "", "Underskrift (*)", ""},
		{"Beskriv hur ni tänker jobba för implementering efter insatstid", fieldSection, "results_use", "Beskriv hur ni tänker jobba för implementering efter insatstid", ""},
	}
	for _, tt := range tests {
		got, ok := m.match(tt.text)
		if !ok {
			t.Errorf("%q: not recognised", tt.text)
			continue
		}
		if got.field != tt.field || got.key != tt.key || got.written != tt.written || got.rest != tt.rest {
			t.Errorf("%q: got field=%s key=%s written=%q rest=%q; want %s %s %q %q",
				tt.text, got.field, got.key, got.written, got.rest, tt.field, tt.key, tt.written, tt.rest)
		}
	}
	for _, text := range []string{
		"Syftet är att med ett motiverande arbetssätt stödja deltagarna.",
		"Målgruppen är personer i arbetsför ålder.",
		"Underskrifter", // the agreement's sub-heading, not a signature block
		"Samverkanspart (namnförtydligande)",
		"Insatsägare (namn)",
		"Metoden bygger på SIP.",
	} {
		if got, ok := m.match(text); ok {
			t.Errorf("%q: recognised as %s/%s, want no heading", text, got.field, got.key)
		}
	}
}

func TestSigLabel(t *testing.T) {
	tests := []struct{ text, kind, role, rest string }{
		{"Organisation och datum", sigOrgDate, "", ""},
		{"Insatsägare (namnförtydligande)", sigName, "owner", ""},
		{"Samverkanspart(namn)", sigNameSign, "partner", ""},
		{"Namnteckning", sigSign, "", ""},
		{"Namnförtydliga nde", sigName, "", ""}, // a PDF cell broke the word
		{"Befattning", sigTitle, "", ""},
		{"Roll", sigRoleCol, "", ""},
		{"Projektägare", sigRole, "owner", ""},
		{"Sökande", sigRole, "owner", ""},
		{"Medsökande", sigRole, "partner", ""},
		{"Telefon", sigOther, "", ""},
		{"Samverkanspart (namnförtydligande)", sigName, "partner", ""},
		{"E-post:", sigEmail, "", ""},
		{"E-post: kim@example.se", sigEmail, "", "kim@example.se"},
	}
	for _, tt := range tests {
		kind, role, rest, ok := sigLabel(tt.text)
		if !ok || kind != tt.kind || role != tt.role || rest != tt.rest {
			t.Errorf("sigLabel(%q) = %q %q %q %v; want %q %q %q", tt.text, kind, role, rest, ok, tt.kind, tt.role, tt.rest)
		}
	}
	if _, _, _, ok := sigLabel("Region Uppsala 2022-06-"); ok {
		t.Error("a value was taken for a label")
	}
}
