package normalizer

import (
	"reflect"
	"strings"
	"testing"
)

var parseAmountTests = []struct {
	in   string
	want int64
	ok   bool
}{
	{"1 540 400", 1540400, true},
	{"1 540 400 kr", 1540400, true},
	{"1 540 400 kr.", 1540400, true},
	{"1 540 400 kronor", 1540400, true},
	{"1540400", 1540400, true},
	{"1540400kr", 1540400, true},
	{"1 540 400:-", 1540400, true},
	{"1 540 400 :-", 1540400, true},
	{"500,-", 500, true},
	{"SEK 12 000", 12000, true},
	{"12 000 SEK", 12000, true},
	{"12 000 sek", 12000, true},
	{"672,000", 672000, true},
	{"1,362,000", 1362000, true},
	{"1,362,000.50", 1362001, true},
	{"1.540.400", 1540400, true},
	{"1.540.400,50", 1540401, true},
	{"1,5 mkr", 1500000, true},
	{"1,5 mnkr", 1500000, true},
	{"1,5 milj kr", 1500000, true},
	{"1,5 milj. kr", 1500000, true},
	{"1,5 miljoner kronor", 1500000, true},
	{"1,5 MSEK", 1500000, true},
	{"1,5 Mkr", 1500000, true},
	{"1,250 mnkr", 1250000, true},
	{"2 mdkr", 2000000000, true},
	{"200 tkr", 200000, true},
	{"200 kkr", 200000, true},
	{"200tkr", 200000, true},
	{"0,5 tkr", 500, true},
	{"12 500,50", 12501, true}, // half away from zero
	{"12 500,49", 12500, true},
	{"-12 500,50", -12501, true}, // half away from zero
	{"12,5", 13, true},
	{"-5 000", -5000, true},
	{"−5 000", -5000, true}, // U+2212
	{"-5 000 kr", -5000, true},
	{"0", 0, true},
	{"00", 0, true},
	{"000", 0, true},
	{" 86 400 ", 86400, true},
	{"1\u00a0540\u00a0400", 1540400, true},
	{"1\u202f540\u202f400 kr", 1540400, true},
	{"1\u2009540\u2009400", 1540400, true},
	{"1 540\u00a0400", 1540400, true},
	{"999 999 999 999 999", 0, false},            // glued cells
	{"1000000000000000", 1000000000000000, true}, // MaxAmount
	{"1000000000000001", 0, false},
	{"99999999999999999999", 0, false},
	{"9 227 000 000 000 000 000", 0, false}, // once overflowed int64
	{"1000000000 mdkr", 0, false},

	{"", 0, false},
	{"kr", 0, false},
	{"2023-01-01", 0, false},
	{"1/1-2023", 0, false},
	{"13.12.2013", 0, false},
	{"100%", 0, false},
	{"50 %", 0, false},
	{"Lokalhyra", 0, false},
	{"1 54 400", 0, false},
	{"1 5400", 0, false},
	{"1  540 400", 0, false},
	{"672 000 672 000", 0, false},
	{"1 540 400 1 540 400", 0, false},
	{"0123", 0, false},
	{"0 500", 0, false},
	{"1.540,400", 0, false},
	{"12 500,500", 0, false},
	{"12,3456", 0, false},
	{"1,362,50", 0, false},
	{"1 540.400", 0, false},
	{"12 000 kr kr", 0, false},
	{"12 000 krav", 0, false},
	{"500kronor", 0, false},
	{"20XX", 0, false},
	{"ca 500 000 kr", 0, false},
	{"- ", 0, false},
	{"1,", 0, false},
}

func TestParseAmount(t *testing.T) {
	for _, tt := range parseAmountTests {
		got, ok := ParseAmount(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParsePercent(t *testing.T) {
	tests := []struct {
		in        string
		allowBare bool
		want      float64
		ok        bool
	}{
		{"100%", false, 100, true},
		{"50 %", false, 50, true},
		{"0%", false, 0, true},
		{"1,5 %", false, 1.5, true},
		{"1.5%", false, 1.5, true},
		{"350%", false, 350, true},
		{"20 procent", false, 20, true},
		{"100\u00a0%", false, 100, true},
		{"-10%", false, -10, true},
		{"100", true, 100, true},
		{"1,5", true, 1.5, true},
		{"100", false, 0, false},
		{"%", false, 0, false},
		{"procent", false, 0, false},
		{"abc%", false, 0, false},
		{"1,5,5%", false, 0, false},
		{",5%", false, 0, false},
		{"5,%", false, 0, false},
		{"", true, 0, false},
		{"1 000", true, 0, false},
	}
	for _, tt := range tests {
		got, ok := ParsePercent(tt.in, tt.allowBare)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParsePercent(%q, %v) = %v, %v; want %v, %v", tt.in, tt.allowBare, got, ok, tt.want, tt.ok)
		}
	}
}

// amountWant is an expected match; its offsets are where Text next
// occurs in the input.
type amountWant struct {
	kronor int64
	text   string
}

var findAmountsTests = []struct {
	in   string
	want []amountWant
}{
	{"Ansökt belopp för förlängningen: 2 904 400 kr, varav 500 000 kr avser medel för upphandling.",
		[]amountWant{{2904400, "2 904 400 kr"}, {500000, "500 000 kr"}}},
	{"1 540 400 kr", []amountWant{{1540400, "1 540 400 kr"}}},
	{"1 540 400 kr.", []amountWant{{1540400, "1 540 400 kr"}}},
	{"31/12-2023 672 000 kr", []amountWant{{672000, "672 000 kr"}}},
	{"ÅR 1 2023 672 000 kr", []amountWant{{672000, "672 000 kr"}}},
	{"672 000 672 000 kr", []amountWant{{672000, "672 000 kr"}}},
	{"(Räknat på 40 000 kr per månad)", []amountWant{{40000, "40 000 kr"}}},
	{"Totalt 1,5 mnkr och 200 tkr", []amountWant{{1500000, "1,5 mnkr"}, {200000, "200 tkr"}}},
	{"Budget: SEK 12 000 för resor", []amountWant{{12000, "SEK 12 000"}}},
	{"Kostnad 5 000:- per termin", []amountWant{{5000, "5 000:-"}}},
	{"Underskott -5 000 kr", []amountWant{{-5000, "-5 000 kr"}}},
	{"Ca 1,5 milj kr totalt", []amountWant{{1500000, "1,5 milj kr"}}},
	{"Belopp:500 000 kr", []amountWant{{500000, "500 000 kr"}}},
	{"Klockan 10:30 kr", nil},
	{"0 SEK 0", []amountWant{{0, "0 SEK"}}},
	{"Beloppet är 672,000 kr", []amountWant{{672000, "672,000 kr"}}},
	{"1\u00a0540\u00a0400\u00a0kr", []amountWant{{1540400, "1\u00a0540\u00a0400\u00a0kr"}}},

	// No currency, no amount.
	{"Summa 1 540 400 0 0 0 1 540 400", nil},
	{"100% 23-01-01 24-12-31 1 362 000 1 362 000", nil},
	{"Minst 15 per år", nil},
	{"80% av deltagarna", nil},
	{"Det finns 5 krav", nil},
	{"Kostnader i tkr 2023", nil},
	{"", nil},
	{"2023-500 kr", nil},
}

func TestFindAmounts(t *testing.T) {
	for _, tt := range findAmountsTests {
		got := FindAmounts(tt.in)
		var want []AmountMatch
		from := 0
		for _, w := range tt.want {
			i := strings.Index(tt.in[from:], w.text)
			if i < 0 {
				t.Fatalf("bad test: %q not in %q", w.text, tt.in)
			}
			want = append(want, AmountMatch{Kronor: w.kronor, Start: from + i, End: from + i + len(w.text), Text: w.text})
			from += i + len(w.text)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("FindAmounts(%q) =\n %+v\nwant\n %+v", tt.in, got, want)
		}
	}
}

func TestFormatKronor(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0 kr"},
		{5, "5 kr"},
		{999, "999 kr"},
		{1000, "1 000 kr"},
		{86400, "86 400 kr"},
		{1540400, "1 540 400 kr"},
		{-5000, "-5 000 kr"},
		{-999, "-999 kr"},
		{-9223372036854775808, "-9 223 372 036 854 775 808 kr"},
		{9223372036854775807, "9 223 372 036 854 775 807 kr"},
	}
	for _, tt := range tests {
		if got := FormatKronor(tt.in); got != tt.want {
			t.Errorf("FormatKronor(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkParseAmount(b *testing.B) {
	cells := []string{"1 540 400", "0", "00", "100%", "Lokalhyra", "1 362 000 kr", "2023-01-01", "672,000", "1,5 mkr"}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cells {
			ParseAmount(c)
		}
	}
}
