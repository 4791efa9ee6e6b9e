package privacy

import (
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
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
		{"ansokan_19121212-1212.docx", []string{"19121212-1212"}},                     // in a file name
		{"Lisa.121212-1212@example.se", []string{"121212-1212"}},                      // in an e-mail
		{"a191212121212", []string{"191212121212"}},                                   // a letter is no digest
		// Not personal or not valid:
		{"Organisationsnummer 556036-0793 (month 60).", nil},
		{"Kommunen 212000-0142.", nil},
		{"Fel kontrollsiffra 121212-1213.", nil},
		{"Ogiltigt datum 850431-1237.", nil}, // 31 April
		{"Ring 0701234569 efter kl 9.", nil}, // ten digits, no separator, no keyword
		{"Budget 1 540 400 kr, ärende 2023-01-0001.", nil},
		{"Dnr 2022-123456-7890.", nil},
		// A digest (64 hex digits) that happens to hold twelve digits
		// making a valid number: it is a hash, not a person.
		{"sha256 ab191212121212cdef0123456789abcdef0123456789abcdef0123456789ab", nil},
	} {
		var got []string
		for _, r := range Find(tc.text) {
			got = append(got, tc.text[r[0]:r[1]])
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q: found %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"Deltagare 121212-1212 och 19701063-2391.": "Deltagare XXXXXX-XXXX och XXXXXXXX-XXXX.",
		"personnr 8503121231, org 556036-0793":     "personnr XXXXXXXXXX, org 556036-0793",
		"inget här":                                "inget här",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
		if len(Mask(in)) != len(in) {
			t.Errorf("Mask(%q) changed the length", in)
		}
	}
}

func BenchmarkMaskNoNumber(b *testing.B) {
	s := strings.Repeat("Insatsen pågår 2023-01-01 till 2023-12-31 och kostar 1 540 400 kr. ", 20)
	for b.Loop() {
		Mask(s)
	}
}

// FuzzMask: masking keeps the length, finds nothing in its own output,
// and leaves the text outside the numbers as it was.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"Deltagare 121212-1212 har anmälts.", "pnr 8503121231", "191212121212", "701063-2391+1212",
		"ab191212121212cdef0123456789abcdef0123456789abcdef0123456789ab", "2022-123456-7890"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := Mask(s)
		if len(m) != len(s) {
			t.Fatalf("length %d → %d", len(s), len(m))
		}
		if rs := Find(m); len(rs) != 0 {
			t.Fatalf("Mask(%q) = %q still holds %v", s, m, rs)
		}
		for i := 0; i < len(s); i++ {
			if m[i] != s[i] && (m[i] != 'X' || !isDigit(s[i])) {
				t.Fatalf("Mask(%q) = %q changed byte %d", s, m, i)
			}
		}
	})
}
