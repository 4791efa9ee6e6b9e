package normalizer

import "testing"

func TestRejoinBroken(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		// Broken at a cell edge: joined.
		{"Huvudins atsägare", "Huvudinsatsägare"},
		{"Delinsats ägare", "Delinsatsägare"},
		{"Arbetsför medlinge n", "Arbetsförmedlingen"},
		{"Arbetsförmedli ngen", "Arbetsförmedlingen"},
		{"Försäkrin gskassan", "Försäkringskassan"},
		{"Skellefte å kommun", "Skellefteå kommun"},
		{"Region Västerbo tten", "Region Västerbotten"},
		{"ATT REKVIRER A - ALLA INSATSÄG ARE", "ATT REKVIRERA - ALLA INSATSÄGARE"},
		{"Totalt från Samordningsförbu ndet", "Totalt från Samordningsförbundet"},
		{"tidsperi od (ååmm dd) från", "tidsperiod (ååmmdd) från"},
		{"Spridningsseminarie r", "Spridningsseminarier"},
		{"tove.lindberg@skellefte a.se", "tove.lindberg@skelleftea.se"},
		{"sara.nordin@regionv asterbotten.se", "sara.nordin@regionvasterbotten.se"},
		{"mats.holmgren@arbetsformedlingen. se", "mats.holmgren@arbetsformedlingen.se"},
		// Two words that merely touch: kept apart.
		{"Region Uppsala", "Region Uppsala"},
		{"Region Västerbotten", "Region Västerbotten"},
		{"Skellefteå kommun", "Skellefteå kommun"},
		{"500 000", "500 000"},
		{"1 080 000", "1 080 000"},
		{"Summa lönekostnader", "Summa lönekostnader"},
		{"tjänst i %", "tjänst i %"},
		{"Övriga lokalkostnader", "Övriga lokalkostnader"},
		{"anna@mora.se och", "anna@mora.se och"},
		{"Kontakt anna@mora.se", "Kontakt anna@mora.se"},
		{"Delinsatsägare 1", "Delinsatsägare 1"},
		{"", ""},
		{"Arbetsförmedlingen", "Arbetsförmedlingen"},
	}
	for _, tt := range tests {
		if got := RejoinBroken(tt.in); got != tt.want {
			t.Errorf("RejoinBroken(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
