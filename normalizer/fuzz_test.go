package normalizer

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzParseAmount: no panic, results within MaxAmount, a parsed amount
// formats and re-parses to itself, and FormatKronor round-trips through
// ParseAmount; FindAmounts on the same text keeps its offsets honest.
func FuzzParseAmount(f *testing.F) {
	for k, tt := range parseAmountTests {
		f.Add(tt.in, tt.want*int64(k%3-1))
	}
	for _, tt := range findAmountsTests {
		f.Add(tt.in, int64(len(tt.in)))
	}
	f.Fuzz(func(t *testing.T, s string, n int64) {
		v, ok := ParseAmount(s)
		if ok {
			if v > MaxAmount || v < -MaxAmount {
				t.Fatalf("ParseAmount(%q) = %d: beyond MaxAmount", s, v)
			}
			if v > -numGluedLimit && v < numGluedLimit {
				if w, ok := ParseAmount(FormatKronor(v)); !ok || w != v {
					t.Fatalf("ParseAmount(%q) = %d, but FormatKronor gives %q which parses to %d, %v", s, v, FormatKronor(v), w, ok)
				}
			}
		} else if v != 0 {
			t.Fatalf("ParseAmount(%q) = %d, false: want 0 when not ok", s, v)
		}
		n %= numGluedLimit
		if w, ok := ParseAmount(FormatKronor(n)); !ok || w != n {
			t.Fatalf("FormatKronor(%d) = %q parses to %d, %v", n, FormatKronor(n), w, ok)
		}
		checkAmountMatches(t, s)
	})
}

func checkAmountMatches(t *testing.T, s string) {
	t.Helper()
	last := 0
	for _, m := range FindAmounts(s) {
		if m.Start < last || m.End <= m.Start || m.End > len(s) {
			t.Fatalf("FindAmounts(%q): bad offsets %+v (previous end %d)", s, m, last)
		}
		if m.Text != s[m.Start:m.End] {
			t.Fatalf("FindAmounts(%q): Text %q != s[%d:%d]", s, m.Text, m.Start, m.End)
		}
		if v, ok := ParseAmount(m.Text); !ok || v != m.Kronor {
			t.Fatalf("FindAmounts(%q): %q is %d, but ParseAmount gives %d, %v", s, m.Text, m.Kronor, v, ok)
		}
		last = m.End
	}
}

// FuzzParseDate: no panic; a parsed date is valid, and its String()
// re-parses to the same date; ParseShortDate agrees with ParseDate.
func FuzzParseDate(f *testing.F) {
	for _, tt := range parseDateTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseDate(s)
		if !ok {
			if d != (Date{}) {
				t.Fatalf("ParseDate(%q) = %+v, false: want the zero Date", s, d)
			}
		} else {
			checkDate(t, s, d)
			if sd, ok := ParseShortDate(s); !ok || sd != d {
				t.Fatalf("ParseDate(%q) = %+v but ParseShortDate gives %+v, %v", s, d, sd, ok)
			}
		}
		if sd, ok := ParseShortDate(s); ok {
			checkDate(t, s, sd)
		}
	})
}

// checkDate checks a date parsed from s.
func checkDate(t *testing.T, s string, d Date) {
	t.Helper()
	if d.IsZero() || d.Month < 1 || d.Month > 12 || d.Day < 0 || d.Day > dateDaysIn(d.Year, d.Month) {
		t.Fatalf("%q gave the invalid date %+v", s, d)
	}
	if d.Year != 0 && (d.Year < dateMinYear || d.Year > dateMaxYear) {
		t.Fatalf("%q gave a year out of range: %+v", s, d)
	}
	if str := d.String(); d.Year != 0 {
		back, ok := ParseDate(str)
		if !ok || back != d {
			t.Fatalf("%q gave %+v; its String() %q re-parses to %+v, %v", s, d, str, back, ok)
		}
	} else if str != "" {
		t.Fatalf("%+v.String() = %q, want \"\" without a year", d, str)
	}
}

// FuzzFindDates: offsets in bounds, in order, not overlapping, Text ==
// s[Start:End], and each match's text parses by itself to the same date
// (a filled-in year aside).
func FuzzFindDates(f *testing.F) {
	for _, tt := range findDatesTests {
		f.Add(tt.in)
	}
	for _, tt := range parseDateTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, m := range FindDates(s) {
			if m.Start < last || m.End <= m.Start || m.End > len(s) {
				t.Fatalf("FindDates(%q): bad offsets %+v (previous end %d)", s, m, last)
			}
			if m.Text != s[m.Start:m.End] {
				t.Fatalf("FindDates(%q): Text %q != s[%d:%d]", s, m.Text, m.Start, m.End)
			}
			checkDate(t, s, m.Date)
			d, ok := ParseDate(m.Text)
			if !ok {
				t.Fatalf("FindDates(%q) found %q, which ParseDate rejects", s, m.Text)
			}
			if d.Year == 0 && m.Date.Year != 0 {
				d.Year = m.Date.Year // filled from the next date
			}
			if d != m.Date {
				t.Fatalf("FindDates(%q) found %q as %+v, ParseDate gives %+v", s, m.Text, m.Date, d)
			}
			last = m.End
		}
	})
}

// FuzzCanonicalOrganisation: no panic; a canonical name has a kind, is
// its own canonical form, and SplitOrganisation finds it at the start.
func FuzzCanonicalOrganisation(f *testing.F) {
	for _, tt := range canonicalOrgTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, ok := CanonicalOrganisation(s)
		if ok {
			if OrganisationKind(name) == "" {
				t.Fatalf("CanonicalOrganisation(%q) = %q, which has no kind", s, name)
			}
			if again, ok := CanonicalOrganisation(name); !ok || again != name {
				t.Fatalf("CanonicalOrganisation(%q) = %q, but that canonicalises to %q, %v", s, name, again, ok)
			}
			if org, _, ok := SplitOrganisation(s); !ok || org != name {
				t.Fatalf("CanonicalOrganisation(%q) = %q, but SplitOrganisation gives %q, %v", s, name, org, ok)
			}
		} else if name != "" {
			t.Fatalf("CanonicalOrganisation(%q) = %q, false: want \"\"", s, name)
		}
		org, rest, ok := SplitOrganisation(s)
		switch {
		case !ok && (org != "" || rest != s):
			t.Fatalf("SplitOrganisation(%q) = %q, %q, false: want \"\", s", s, org, rest)
		case ok && OrganisationKind(org) == "":
			t.Fatalf("SplitOrganisation(%q) = %q, which has no kind", s, org)
		case ok && rest != strings.TrimFunc(rest, unicode.IsSpace):
			t.Fatalf("SplitOrganisation(%q): rest %q is not trimmed", s, rest)
		case ok && len(rest) >= len(s):
			t.Fatalf("SplitOrganisation(%q): rest %q is no shorter than s", s, rest)
		}
	})
}
