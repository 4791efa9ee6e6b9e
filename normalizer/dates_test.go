package normalizer

import (
	"reflect"
	"strings"
	"testing"
)

var parseDateTests = []struct {
	in   string
	want Date
	ok   bool
}{
	{"2023-01-01", Date{2023, 1, 1}, true},
	{" 2024-12-31 ", Date{2024, 12, 31}, true},
	{"2023-01-01 00:00:00", Date{2023, 1, 1}, true},
	{"2023-01-01T08:30", Date{2023, 1, 1}, true},
	{"2023/01/01", Date{2023, 1, 1}, true},
	{"2023.01.01", Date{2023, 1, 1}, true},
	{"2023-1-5", Date{2023, 1, 5}, true},
	{"20230101", Date{2023, 1, 1}, true},
	{"1/1-2023", Date{2023, 1, 1}, true},
	{"1/1–2022", Date{2022, 1, 1}, true}, // en dash
	{"1/1—2022", Date{2022, 1, 1}, true}, // em dash
	{"1/1 -2023", Date{2023, 1, 1}, true},
	{"31/12- 2023", Date{2023, 12, 31}, true},
	{"31/12 2023", Date{2023, 12, 31}, true},
	{"31/12 - 2023", Date{2023, 12, 31}, true},
	{"1/1/2023", Date{2023, 1, 1}, true},
	{"13.12.2013", Date{2013, 12, 13}, true},
	{"1.1.2023", Date{2023, 1, 1}, true},
	{"13 december 2013", Date{2013, 12, 13}, true},
	{"13 December 2013", Date{2013, 12, 13}, true},
	{"13 dec 2013", Date{2013, 12, 13}, true},
	{"13 dec. 2013", Date{2013, 12, 13}, true},
	{"1 MARS 2024", Date{2024, 3, 1}, true},
	{"24 maj 2022", Date{2022, 5, 24}, true},
	{"5 sept 2022", Date{2022, 9, 5}, true},
	{"16 juni", Date{0, 6, 16}, true},
	{"3/6", Date{0, 6, 3}, true},
	{"29/2", Date{0, 2, 29}, true},
	{"2022-06-", Date{2022, 6, 0}, true},
	{"2022-06", Date{2022, 6, 0}, true},
	{"juni 2022", Date{2022, 6, 0}, true},
	{"Juni 2022", Date{2022, 6, 0}, true},
	{"2024-02-29", Date{2024, 2, 29}, true},
	{"2000-02-29", Date{2000, 2, 29}, true},
	{"2022-06-13.", Date{2022, 6, 13}, true},

	{"", Date{}, false},
	{"31/12-23", Date{}, false}, // two-digit year: ambiguous
	{"1/1/23", Date{}, false},
	{"23-01-01", Date{}, false}, // ååmmdd: ParseShortDate
	{"230101", Date{}, false},
	{"v:19-07-10", Date{}, false},
	{"2023-02-29", Date{}, false},
	{"1900-02-29", Date{}, false},
	{"31/2-2023", Date{}, false},
	{"31/4", Date{}, false},
	{"30/2", Date{}, false},
	{"2023-13-01", Date{}, false},
	{"2023-00-10", Date{}, false},
	{"2023-01-00", Date{}, false},
	{"2023-01-32", Date{}, false},
	{"0/1-2023", Date{}, false},
	{"1/0", Date{}, false},
	{"2023", Date{}, false},
	{"2023-2024", Date{}, false},
	{"2022-6", Date{}, false},
	{"1850-01-01", Date{}, false},
	{"100%", Date{}, false},
	{"1 540 400", Date{}, false},
	{"198501011234", Date{}, false},
	{"19850101-1234", Date{}, false},
	{"hösten 2022", Date{}, false},
	{"jul 2022", Date{}, false}, // Christmas, not July
	{"juni", Date{}, false},
	{"16 juni 2022 och mer", Date{}, false},
	{"20XX", Date{}, false},
	{"2023-01-01 25:00", Date{}, false},
	{"13.12.13", Date{}, false},
	{"32 maj", Date{}, false},
	{"1 junis", Date{}, false},
}

func TestParseDate(t *testing.T) {
	for _, tt := range parseDateTests {
		got, ok := ParseDate(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseDate(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseShortDate(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		ok   bool
	}{
		{"23-01-01", Date{2023, 1, 1}, true},
		{"24-12-31", Date{2024, 12, 31}, true},
		{"230101", Date{2023, 1, 1}, true},
		{"23 01 01", Date{2023, 1, 1}, true},
		{"23/01/01", Date{2023, 1, 1}, true},
		{" 23.01.01 ", Date{2023, 1, 1}, true},
		{"1/1-2023", Date{2023, 1, 1}, true},
		{"31/12- 2023", Date{2023, 12, 31}, true},
		{"2023-01-01", Date{2023, 1, 1}, true},
		{"24-02-29", Date{2024, 2, 29}, true},
		{"23-02-29", Date{}, false},
		{"23-13-01", Date{}, false},
		{"230132", Date{}, false},
		{"23-01/01", Date{}, false},
		{"2301011", Date{}, false},
		{"", Date{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseShortDate(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseShortDate(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDateString(t *testing.T) {
	tests := []struct {
		in   Date
		want string
	}{
		{Date{2023, 1, 1}, "2023-01-01"},
		{Date{2024, 12, 31}, "2024-12-31"},
		{Date{2022, 6, 0}, "2022-06"},
		{Date{0, 6, 16}, ""},
		{Date{2022, 0, 0}, ""},
		{Date{}, ""},
		{Date{2022, 13, 1}, ""},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDatePredicates(t *testing.T) {
	full, partial, noYear := Date{2023, 1, 1}, Date{2022, 6, 0}, Date{0, 6, 16}
	if full.Partial() || !partial.Partial() || !noYear.Partial() {
		t.Error("Partial is wrong")
	}
	if !(Date{}).IsZero() || full.IsZero() || partial.IsZero() {
		t.Error("IsZero is wrong")
	}
	tests := []struct {
		a, b Date
		want bool
	}{
		{Date{2023, 1, 1}, Date{2023, 1, 2}, true},
		{Date{2023, 1, 2}, Date{2023, 1, 1}, false},
		{Date{2022, 12, 31}, Date{2023, 1, 1}, true},
		{Date{2023, 1, 31}, Date{2023, 2, 1}, true},
		{Date{2023, 1, 1}, Date{2023, 1, 1}, false},
		{Date{2022, 6, 0}, Date{2023, 1, 1}, false},
		{Date{2023, 1, 1}, Date{0, 6, 16}, false},
	}
	for _, tt := range tests {
		if got := tt.a.Before(tt.b); got != tt.want {
			t.Errorf("%+v.Before(%+v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// dateWant is an expected match; its offsets are where Text next occurs
// in the input.
type dateWant struct {
	date Date
	text string
}

var findDatesTests = []struct {
	in   string
	want []dateWant
}{
	{"Planerat startdatum: 2023-01-01", []dateWant{{Date{2023, 1, 1}, "2023-01-01"}}},
	{"Planerat startdatum:2023-01-01", []dateWant{{Date{2023, 1, 1}, "2023-01-01"}}},
	{"Förlängningsansökan gäller perioden: 1/1-2023- 31/12–2023",
		[]dateWant{{Date{2023, 1, 1}, "1/1-2023"}, {Date{2023, 12, 31}, "31/12–2023"}}},
	{"Insatsens resultat under perioden 1/1- 2022- 31/5–2022",
		[]dateWant{{Date{2022, 1, 1}, "1/1- 2022"}, {Date{2022, 5, 31}, "31/5–2022"}}},
	{"Uppdaterad budget för perioden 1/1-2023-31/12–2023",
		[]dateWant{{Date{2023, 1, 1}, "1/1-2023"}, {Date{2023, 12, 31}, "31/12–2023"}}},
	{"Arbetslivsintro startade 1/1–2022 och pågår till 31/12–2022",
		[]dateWant{{Date{2022, 1, 1}, "1/1–2022"}, {Date{2022, 12, 31}, "31/12–2022"}}},
	{"Lokus har diskuterat ansökan på Lokusmöten 26 april och 24 maj 2022.",
		[]dateWant{{Date{2022, 4, 26}, "26 april"}, {Date{2022, 5, 24}, "24 maj 2022"}}},
	{"Mötena 20 december och 10 januari 2023",
		[]dateWant{{Date{2022, 12, 20}, "20 december"}, {Date{2023, 1, 10}, "10 januari 2023"}}},
	{"Möten 3 maj, 16 juni och augusti 2022",
		[]dateWant{{Date{2022, 5, 3}, "3 maj"}, {Date{2022, 6, 16}, "16 juni"}, {Date{2022, 8, 0}, "augusti 2022"}}},
	{"Perioden 1/1-31/12 2023", []dateWant{{Date{2023, 1, 1}, "1/1"}, {Date{2023, 12, 31}, "31/12 2023"}}},
	{"Vi sågs 26 april. Beslut 2022-06-13", []dateWant{{Date{0, 4, 26}, "26 april"}, {Date{2022, 6, 13}, "2022-06-13"}}},
	{"Region Uppsala 2022-06-", []dateWant{{Date{2022, 6, 0}, "2022-06-"}}},
	{"Älvkarleby kommun 2022-06-13", []dateWant{{Date{2022, 6, 13}, "2022-06-13"}}},
	{"Uppsala kommun 16 juni", []dateWant{{Date{0, 6, 16}, "16 juni"}}},
	{"Ansökan diskuterades vid lokus-mötet 3/6 och lokus beslutade", []dateWant{{Date{0, 6, 3}, "3/6"}}},
	{"Insatsens löptid: 2023-01-01 2024-12-31",
		[]dateWant{{Date{2023, 1, 1}, "2023-01-01"}, {Date{2024, 12, 31}, "2024-12-31"}}},
	{"Socialsekreterare 100% 1/1-2023 31/12 2023 672 000 672 000",
		[]dateWant{{Date{2023, 1, 1}, "1/1-2023"}, {Date{2023, 12, 31}, "31/12 2023"}}},
	{"När ansökan lämnades in i juni 2022 saknades resurs", []dateWant{{Date{2022, 6, 0}, "juni 2022"}}},
	{"2023-01-01 00:00:00", []dateWant{{Date{2023, 1, 1}, "2023-01-01 00:00:00"}}},
	{"Från 2023-01-01-2023-12-31", []dateWant{{Date{2023, 1, 1}, "2023-01-01"}, {Date{2023, 12, 31}, "2023-12-31"}}},
	{"Den 13 dec. 2013 och 13.12.2014", []dateWant{{Date{2013, 12, 13}, "13 dec. 2013"}, {Date{2014, 12, 13}, "13.12.2014"}}},

	// Not dates.
	{"6 \n v:19-07-10", nil},
	{"Personnummer 19850101-1234 och 198501011234 och 8501011234", nil},
	{"850101-1234", nil},
	{"80% av deltagarna och 100%", nil},
	{"Totalt 1 540 400 kr", nil},
	{"Insatsen 31/12-23 slutar", nil},
	{"ÅR 1 ÅR 2 2023 20XX", nil},
	{"Kl 10:30 och 1,5 maj", nil},
	{"hösten 2022 efter jul 2022", nil},
	{"under 12 månader", nil},
	{"", nil},
}

func TestFindDates(t *testing.T) {
	for _, tt := range findDatesTests {
		got := FindDates(tt.in)
		var want []DateMatch
		from := 0
		for _, w := range tt.want {
			i := strings.Index(tt.in[from:], w.text)
			if i < 0 {
				t.Fatalf("bad test: %q not in %q", w.text, tt.in)
			}
			want = append(want, DateMatch{Date: w.date, Start: from + i, End: from + i + len(w.text), Text: w.text})
			from += i + len(w.text)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("FindDates(%q) =\n %+v\nwant\n %+v", tt.in, got, want)
		}
	}
}

// TestFindDatesSeeds runs over lines as the seed applications write them
// (see /work/shared/seeds) and checks the dates the record needs.
func TestFindDatesSeeds(t *testing.T) {
	text := "Planerat startdatum: 2023-01-01 \nPlanerat slutdatum: 2024-12-31 \n" +
		"Planerat slutdatum för intag av personer i insatsen: 2024-09-30 \n\n" +
		"1. Arbetsmarknadsstödjare 100% 23-01-01 24-12-31 1 362 000 1 362 000\n\n" +
		"Kvalificerad handläggare/ projektledare 100% 1/1-2023 31/12-2023 672 000 672 000\n" +
		"Utkast budget 0-klassade sjukskrivna 1/1-2023-1/12-2023\n" +
		"(Räknat på 40 000 kr per månad för perioden 1/1-2023 till 30/11-2023\n"
	var got []string
	for _, m := range FindDates(text) {
		got = append(got, m.Date.String())
	}
	want := []string{"2023-01-01", "2024-12-31", "2024-09-30",
		"2023-01-01", "2023-12-31", "2023-01-01", "2023-12-01", "2023-01-01", "2023-11-30"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dates =\n %v\nwant\n %v", got, want)
	}
}

func BenchmarkFindDates(b *testing.B) {
	text := strings.Repeat("Arbetslivsintro startade 1/1–2022 och pågår till 31/12–2022. "+
		"Förlängningsansökan gäller perioden: 1/1-2023- 31/12–2023. Lokus har diskuterat "+
		"ansökan på Lokusmöten 26 april och 24 maj 2022. Ansökt belopp 2 904 400 kr, "+
		"varav 500 000 kr avser medel. Region Uppsala 2022-06- v:19-07-10 ", 20)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		FindDates(text)
	}
}
