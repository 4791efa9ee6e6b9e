package normalizer

import "testing"

var canonicalOrgTests = []struct {
	in, want string
	ok       bool
}{
	// Kommuner.
	{"Älvkarleby kommun", "Älvkarleby kommun", true},
	{"Uppsala Kommun", "Uppsala kommun", true},
	{"uppsala kommun", "Uppsala kommun", true},
	{"UPPSALA KOMMUN", "Uppsala kommun", true},
	{"Uppsala kommun / Arbetsmarknadsförvaltningen", "Uppsala kommun", true},
	{"Uppsala kommun, Socialtjänst - Ekonomiskt bistånd", "Uppsala kommun", true},
	{"Uppsala kommun (Arbetsmarknadsförvaltningen)", "Uppsala kommun", true},
	{"Organisation: Älvkarleby kommun", "Älvkarleby kommun", true},
	{"Organisation:Älvkarleby kommun.", "Älvkarleby kommun", true},
	{"Tierps kommun", "Tierps kommun", true},
	{"Tierp kommun", "Tierps kommun", true},
	{"Enköpings kommun", "Enköpings kommun", true},
	{"Östhammars kommun", "Östhammars kommun", true},
	{"Alvkarleby kommun", "Älvkarleby kommun", true},
	{"Älvkarleyb kommun", "Älvkarleby kommun", true},
	{"Uppsal kommun", "Uppsala kommun", true},
	{"Håbo kommun", "Håbo kommun", true},
	{"Habo kommun", "Habo kommun", true}, // another kommun, in Jönköpings län
	{"Sala kommun", "Sala kommun", true},
	{"Gävle Kommun", "Gävle kommun", true},
	{"Upplands-Bro kommun", "Upplands-Bro kommun", true},
	{"Upplands Väsby kommun", "Upplands Väsby kommun", true},
	{"Lilla Edets kommun", "Lilla Edets kommun", true},
	{"Kommunen", "", false},
	{"Kommun", "", false},
	{"kommun", "", false},
	{"Den kommun", "", false},
	{"sala kommun", "", false}, // an unknown name must be capitalised
	{"NAMN kommun", "", false},
	{"Uppsala kommuns roll i insatsen", "", false},
	{"Uppsala", "", false},
	{"Arbetsmarknadsförvaltningen Uppsala kommun", "", false},

	// Regions.
	{"Region Uppsala", "Region Uppsala", true},
	{"Region uppsala", "Region Uppsala", true},
	{"region Uppsala.", "Region Uppsala", true},
	{"Region Upsala", "Region Uppsala", true},
	{"Landstinget i Uppsala län", "Region Uppsala", true},
	{"Uppsala läns landsting", "Region Uppsala", true},
	{"LUL", "Region Uppsala", true},
	{"Region Gävleborg", "Region Gävleborg", true},
	{"Region Jönköpings län", "Region Jönköpings län", true},
	{"Region Jämtland Härjedalen", "Region Jämtland Härjedalen", true},
	{"Västra Götalandsregionen", "Västra Götalandsregionen", true},
	{"Region Nyland", "Region Nyland", true},
	{"Region Uppsala, Akademiska sjukhuset", "Region Uppsala", true},
	{"Region", "", false},
	{"Regionen", "", false},
	{"Region och kommun", "", false},
	{"Region Uppsala 2022-06-", "", false},

	// Arbetsförmedlingen.
	{"Arbetsförmedlingen", "Arbetsförmedlingen", true},
	{"arbetsförmedlingen", "Arbetsförmedlingen", true},
	{"AF", "Arbetsförmedlingen", true},
	{"af", "Arbetsförmedlingen", true},
	{"Arbetsförmedlningen", "Arbetsförmedlingen", true},
	{"Arbetsformedlingen", "Arbetsförmedlingen", true},
	{"Arbetsförmedligen", "Arbetsförmedlingen", true},
	{"Arbetsförmedlingen Uppsala län", "Arbetsförmedlingen", true},
	{"Arbetsförmedlingen, Uppsala", "Arbetsförmedlingen", true},
	{"Arbetsförmedlingen Enköping", "Arbetsförmedlingen", true},
	{"Arbetsförmedlingen i Uppsala", "Arbetsförmedlingen", true},
	{"Arbetsförmedlingen Gävle", "Arbetsförmedlingen", true},
	{"Organisation: Arbetsförmedlingen   ", "Arbetsförmedlingen", true},

	// Försäkringskassan.
	{"Försäkringskassan", "Försäkringskassan", true},
	{"FK", "Försäkringskassan", true},
	{"Försäkrningskassan", "Försäkringskassan", true},
	{"Forsakringskassan", "Försäkringskassan", true},
	{"Försäkringskassan Uppsala län", "Försäkringskassan", true},
	{"Försäkringskassan, LFC Uppsala", "Försäkringskassan", true},
	{"Försäkringskassan;", "Försäkringskassan", true},

	// Lists and placeholders.
	{"Arbetsförmedlingen, Region Uppsala och Försäkringskassan", "", false},
	{"Region Uppsala, Försäkringskassan", "", false},
	{"Uppsala kommun / Region Uppsala", "", false},
	{"", "", false},
	{"   ", "", false},
	{"NAMN", "", false},
	{"Namn", "", false},
	{"Kostnadsbeteckning", "", false},
	{"ATT REKVIRERA - ALLA INSATSÄGARE", "", false},
	{"Huvudinsatsägare", "", false},
	{"Delinsatsägare 1", "", false},
	{"Arbetsmarknadsförvaltningen", "", false},
	{"Samordningsförbundet", "", false},
	{"Arbetsförmedlare", "", false},
	{"Förstärkt stöd till arbete & studier", "", false},
	{"Af", "Arbetsförmedlingen", true},
	{"AFA Försäkring", "", false},
	{"Arbetsförmedlingens", "", false},
	{"Försäkringskassans handläggare", "", false},
}

func TestCanonicalOrganisation(t *testing.T) {
	for _, tt := range canonicalOrgTests {
		got, ok := CanonicalOrganisation(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CanonicalOrganisation(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestOrganisationKind(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Älvkarleby kommun", KindKommun},
		{"Tierps kommun", KindKommun},
		{"Region Uppsala", KindRegion},
		{"Västra Götalandsregionen", KindRegion},
		{"Arbetsförmedlingen", KindAF},
		{"Försäkringskassan", KindFK},
		{"Arbetsförmedlningen", KindAF}, // not canonical: canonicalised first
		{"LUL", KindRegion},
		{"Samordningsförbundet", ""},
		{"NAMN", ""},
		{"", ""},
		{" kommun", ""},
		{"Region ", ""},
	}
	for _, tt := range tests {
		if got := OrganisationKind(tt.in); got != tt.want {
			t.Errorf("OrganisationKind(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitOrganisation(t *testing.T) {
	tests := []struct {
		in, org, rest string
		ok            bool
	}{
		{"Region Uppsala 2022-06-", "Region Uppsala", "2022-06-", true},
		{"Älvkarleby kommun 2022-06-13", "Älvkarleby kommun", "2022-06-13", true},
		{"Arbetsförmedlingen Uppsala län", "Arbetsförmedlingen", "", true},
		{"Arbetsförmedlingen Uppsala län 2022-06-20", "Arbetsförmedlingen", "2022-06-20", true},
		{"Arbetsförmedlingen, Uppsala 2022-06-20", "Arbetsförmedlingen", "2022-06-20", true},
		{"Försäkringskassan, LFC Uppsala 2022-06-20", "Försäkringskassan", "2022-06-20", true},
		{"Uppsala kommun 16 juni", "Uppsala kommun", "16 juni", true},
		{"Uppsala kommun / Arbetsmarknadsförvaltningen", "Uppsala kommun", "/ Arbetsmarknadsförvaltningen", true},
		{"Organisation: Region Uppsala", "Region Uppsala", "", true},
		{"Försäkringskassan", "Försäkringskassan", "", true},
		{"FK 2022-06-01", "Försäkringskassan", "2022-06-01", true},
		{"Region Uppsala kommer att fortsätta", "Region Uppsala", "kommer att fortsätta", true},
		{"Arbetsförmedlingen, Region Uppsala och Försäkringskassan", "Arbetsförmedlingen", ", Region Uppsala och Försäkringskassan", true},
		{"Arbetsförmedlingen Uppsala kommun", "Arbetsförmedlingen", "Uppsala kommun", true},
		{"af 2022", "", "af 2022", false},
		{"NAMN 2022-06-01", "", "NAMN 2022-06-01", false},
		{"2022-06-01 Region Uppsala", "", "2022-06-01 Region Uppsala", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		org, rest, ok := SplitOrganisation(tt.in)
		if org != tt.org || rest != tt.rest || ok != tt.ok {
			t.Errorf("SplitOrganisation(%q) = %q, %q, %v; want %q, %q, %v", tt.in, org, rest, ok, tt.org, tt.rest, tt.ok)
		}
	}
}

// TestOrganisationsSeeds: every organisation the seed applications name,
// as they write it.
func TestOrganisationsSeeds(t *testing.T) {
	want := map[string]string{
		"Älvkarleby kommun":              KindKommun,
		"Arbetsförmedlningen":            KindAF,
		"Försäkrningskassan":             KindFK,
		"Region Uppsala":                 KindRegion,
		"Region uppsala":                 KindRegion,
		"Uppsala kommun":                 KindKommun,
		"Arbetsförmedlingen Uppsala län": KindAF,
		"Försäkringskassan":              KindFK,
	}
	for in, kind := range want {
		c, ok := CanonicalOrganisation(in)
		if !ok || OrganisationKind(c) != kind {
			t.Errorf("%q: canonical %q, %v, kind %q; want kind %q", in, c, ok, OrganisationKind(c), kind)
		}
	}
}
