package checks

import (
	"strings"
	"testing"

	"github.com/finsam/ansokan/schema"
)

func TestPersonnummerFound(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string // the numbers found, as written
	}{
		{"Deltagare 121212-1212 har anmälts.", []string{"121212-1212"}},
		{"pnr 19121212-1212", []string{"19121212-1212"}},
		{"Född 191212121212 i Uppsala", []string{"191212121212"}},
		{"Hundraåring 121212+1212.", []string{"121212+1212"}},
		{"Samordningsnummer 701063-2391.", []string{"701063-2391"}},                   // day 63 = 3 + 60
		{"Personnummer: 8503121231", []string{"8503121231"}},                          // ten digits after the word
		{"Två: 121212-1212 och 850312-1231.", []string{"121212-1212", "850312-1231"}}, //
		{"Leap: 000229-1235", []string{"000229-1235"}},                                // 29 Feb 2000
		// Not personal or not valid:
		{"Organisationsnummer 556036-0793 (month 60).", nil},
		{"Kommunen 212000-0142.", nil},
		{"Fel kontrollsiffra 121212-1213.", nil},
		{"Ogiltigt datum 850431-1237.", nil}, // 31 April
		{"Ring 0701234569 efter kl 9.", nil}, // ten digits, no separator, no keyword
		{"Budget 1 540 400 kr, ärende 2023-01-0001.", nil},
		{"Dnr 2022-123456-7890.", nil},
	} {
		var got []string
		for _, r := range personnummer(tc.text) {
			got = append(got, tc.text[r[0]:r[1]])
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q: found %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestPersonnummerMasked(t *testing.T) {
	r := load(t, "a-sprangbradan.submission")
	s := r.Sections["target_group"]
	s.Text += "\n\nExempel: deltagaren 121212-1212 har redan anmält intresse."
	r.Sections["target_group"] = s
	how := "Diskuterades med handläggaren för 19121212-1212."
	r.Anchoring.How = &how
	fs := run(r, formCtx())
	f := want(t, fs, schema.CodePrivacyPersonnummer, "target_group", "/sections/target_group/text", schema.SeverityWarning)
	if strings.Contains(f.Message, "1212") {
		t.Errorf("the message repeats the number: %q", f.Message)
	}
	want(t, fs, schema.CodePrivacyPersonnummer, "anchoring", "/anchoring/how", schema.SeverityWarning)
	if got := r.Sections["target_group"].Text; strings.Contains(got, "121212-1212") || !strings.Contains(got, "deltagaren XXXXXX-XXXX har") {
		t.Errorf("not masked: %q", got)
	}
	if got := *r.Anchoring.How; got != "Diskuterades med handläggaren för XXXXXXXX-XXXX." {
		t.Errorf("not masked: %q", got)
	}
	if !r.Complete {
		t.Error("a personnummer (a warning) made the record incomplete")
	}
}
