package pdf

import (
	"strings"
	"testing"

	"github.com/finsam/ansokan/extractor/scan"
)

func TestOCREmail(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"per.olssonQarbetsformedlingen.se", "per.olsson@arbetsformedlingen.se"},
		{"johan.ekstromQWarbetsformedlingen.se", "johan.ekstrom@arbetsformedlingen.se"},
		{"anna©region.se", "anna@region.se"},
		{"anna®kommun.nu", "anna@kommun.nu"},
		{"annaÖkommun.se", "anna@kommun.se"},
		{"ok@kommun.se", "ok@kommun.se"},
		{"Maria.LundgrenQuppsala.se", "Maria.Lundgren@uppsala.se"},
		{"Eva.Berg©mora.se", "Eva.Berg@mora.se"},
		// Must not match: not an address, or the capitals belong there.
		{"Arbetsförmedlingen", ""},
		{"SamverkanQpart", ""},
		{"annaQkommun", ""},               // no domain
		{"annaQRSkommun.se", ""},          // three marks
		{"anna.Lindqvist.se", ""},         // "." is no mark
		{"www.regionuppsala.se", ""},      // a web address
		{"SamverkanQpart.se", ""},         // a name with capitals is first.last
		{"Maria.LundgrenRuppsala.se", ""}, // R starts words: not taken for "@" after capitals
	} {
		got, ok := pdfOCREmail(c.in)
		if (c.want != "") != ok || (ok && got != c.want) {
			t.Errorf("pdfOCREmail(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
}

func TestOCRJoinEmails(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"e-post: per.olssonQarbetsform edlingen.se", "e-post:|per.olsson@arbetsformedlingen.se"},
		{"johan. ekstromMarbetsformed lingen. se", "johan.ekstrom@arbetsformedlingen.se"},
		{"mejla anna@region.se nu", "mejla|anna@region.se|nu"},
		{"mikael.holm Qforsakringskassan.se", "mikael.holm@forsakringskassan.se"},
		// Must not join: the next word starts in capitals, or the gap is wide.
		{"se Regionuppsala.se", "se|Regionuppsala.se"},
		{"annaQ       kommun.se", "annaQ|kommun.se"},
	} {
		ws := ocrLine(c.in)
		var got []string
		for _, w := range pdfOCRJoinEmails(ws) {
			s, _ := pdfOCREmail(w.Text)
			got = append(got, s)
		}
		if g := strings.Join(got, "|"); g != c.want {
			t.Errorf("%q: got %q, want %q", c.in, g, c.want)
		}
	}
}

func TestOCRBoxLines(t *testing.T) {
	// Row: "Fråga?" at 0-200, box at 300-320, "Ja" at 330-360, box at
	// 420-440, "Nej" at 450-500; a box alone far from any word.
	words := []scan.Word{
		{Text: "Fråga?", Conf: 90, X0: 0, X1: 200, Y0: 100, Y1: 120, Block: 1, Par: 1, Line: 1},
		{Text: "Ja", Conf: 90, X0: 330, X1: 360, Y0: 100, Y1: 120, Block: 2, Par: 1, Line: 1},
		{Text: "Nej", Conf: 90, X0: 450, X1: 500, Y0: 100, Y1: 120, Block: 3, Par: 1, Line: 1},
		{Text: "☒", Conf: 100, X0: 300, X1: 320, Y0: 100, Y1: 122, Block: -1, Par: 1, Line: 1},
		{Text: "☐", Conf: 100, X0: 420, X1: 440, Y0: 101, Y1: 122, Block: -1, Par: 1, Line: 2},
		{Text: "☐", Conf: 100, X0: 900, X1: 920, Y0: 300, Y1: 322, Block: -1, Par: 1, Line: 3},
		// After its label, nothing after it: joins the label.
		{Text: "Annat", Conf: 90, X0: 0, X1: 80, Y0: 500, Y1: 520, Block: 4, Par: 1, Line: 1},
		{Text: "☐", Conf: 100, X0: 90, X1: 110, Y0: 500, Y1: 521, Block: -1, Par: 1, Line: 4},
	}
	pdfOCRBoxLines(words)
	for k, want := range map[int]int{3: 2, 4: 3, 5: -1, 7: 4} {
		if got := words[k].Block; got != want {
			t.Errorf("word %d (%s at x %d): block %d, want %d", k, words[k].Text, words[k].X0, got, want)
		}
	}
}

func TestOCRWordGap(t *testing.T) {
	for _, c := range []struct {
		gap, wordGap, size float64
		want               bool
	}{
		{12, 8, 10, true},   // justified: a little wider than the line's other gaps
		{24, 8, 10, false},  // a column gap stands out
		{12, 0, 10, false},  // too few gaps to tell
		{30, 20, 10, false}, // wider than any word space
	} {
		if got := pdfOCRWordGap(c.gap, c.wordGap, c.size); got != c.want {
			t.Errorf("pdfOCRWordGap(%v, %v, %v) = %v, want %v", c.gap, c.wordGap, c.size, got, c.want)
		}
	}
}

func TestOCRRegroup(t *testing.T) {
	// Words are separated by " " (a word gap) and "   " (a column gap);
	// want lists the words after, "|" between them.
	for _, c := range []struct{ in, want string }{
		{"1344 000", "1 344|000"},
		{"Summa 1344 000       1344 000", "Summa|1 344|000|1 344|000"},
		{"123456 789 000", "123 456|789|000"},
		{"2000 000 kr", "2 000|000|kr"},
		{"2000 000", "2 000|000"},
		// Must not change: a year in a sentence, groups that are not
		// three digits, a number alone, a column gap, seven digits.
		{"under 2023 100 deltagare", "under|2023|100|deltagare"},
		{"1344 00", "1344|00"},
		{"1344", "1344"},
		{"1 344 000", "1|344|000"},
		{"1344       000", "1344|000"},
		{"1234567 000", "1234567|000"},
	} {
		ws := ocrLine(c.in)
		pdfOCRRegroup(ws)
		var got []string
		for _, w := range ws {
			got = append(got, w.Text)
		}
		if g := strings.Join(got, "|"); g != c.want {
			t.Errorf("%q: got %q, want %q", c.in, g, c.want)
		}
	}
}

func TestOCRPercent(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"100 Yo", "100|%"},
		{"tjänst 50 ho", "tjänst|50|%"},
		{"12,5 Vo", "12,5|%"},
		{"100 %", "100|%"},
		// Must not change: no number before, or a column away.
		{"Yo ho", "Yo|ho"},
		{"år Yo", "år|Yo"},
		{"100        Yo", "100|Yo"},
	} {
		ws := ocrLine(c.in)
		pdfOCRPercent(ws)
		var got []string
		for _, w := range ws {
			got = append(got, w.Text)
		}
		if g := strings.Join(got, "|"); g != c.want {
			t.Errorf("%q: got %q, want %q", c.in, g, c.want)
		}
	}
}

func TestOCRZeros(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Resor        o", "Resor|0"},
		{"o", "0"},
		{"Summa        92 000        o", "Summa|92|000|0"},
		{"1o0 000", "100|000"},
		{"2O0", "200"},
		// Must not change: a bullet, a word, an o inside a sentence.
		{"o        Delta i möten", "o|Delta|i|möten"},
		{"ok", "ok"},
		{"Ja o nej", "Ja|o|nej"},
		{"Olof", "Olof"},
		{"O2", "O2"},
	} {
		ws := ocrLine(c.in)
		pdfOCRZeros(ws)
		var got []string
		for _, w := range ws {
			got = append(got, w.Text)
		}
		if g := strings.Join(got, "|"); g != c.want {
			t.Errorf("%q: got %q, want %q", c.in, g, c.want)
		}
	}
}

// TestOCRLineDash: a dash read alone after a word of its line is the
// spaced en dash; anything else stays as read.
func TestOCRLineDash(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Vägen vidare — samordnat stöd", "Vägen|vidare|–|samordnat|stöd"},
		{"2025-03-01 — 2026-02-28", "2025-03-01|–|2026-02-28"},
		{"Vägen vidare ― samordnat", "Vägen|vidare|–|samordnat"},
		{"Vägen vidare – samordnat", "Vägen|vidare|–|samordnat"},
		{"vidare —", "vidare|–"}, // the line breaks after the dash
		// Left as read: a line of dialogue, a dash inside a word, a
		// hyphen (typed so by the applicant), a dash of two.
		{"— Kom hit, sa hon.", "—|Kom|hit,|sa|hon."},
		{"vidare—samordnat", "vidare—samordnat"},
		{"18-64 år", "18-64|år"},
		{"Vägen vidare - samordnat", "Vägen|vidare|-|samordnat"},
		{"Vägen vidare —— samordnat", "Vägen|vidare|——|samordnat"},
	} {
		var ws []scan.Word
		x := 0
		for _, f := range strings.Fields(c.in) {
			ws = append(ws, scan.Word{Text: f, Conf: 95, X0: x, Y0: 100, X1: x + 10*len([]rune(f)), Y1: 120, Block: 1, Par: 1, Line: 1})
			x += 10*len([]rune(f)) + 6
		}
		page, _ := pdfScanGlyphs(1, &scan.Page{Width: 2000, Height: 400, DPI: 150, Words: ws}, nil)
		var got []string
		for _, g := range page.glyphs {
			if !g.space {
				got = append(got, g.s)
			}
		}
		if strings.Join(got, "|") != c.want {
			t.Errorf("%q: %q, want %q", c.in, strings.Join(got, "|"), c.want)
		}
	}
}

// ocrLine makes the words of one OCR'd line from in: words 20 px high,
// 10 px a letter, a word gap of 6 px, and 10 px more for each extra
// space (several spaces make a column gap).
func ocrLine(in string) []*scan.Word {
	var ws []*scan.Word
	x := 0
	for _, f := range strings.Split(in, " ") {
		if f == "" {
			x += 10
			continue
		}
		ws = append(ws, &scan.Word{Text: f, Conf: 90, X0: x, X1: x + 10*len(f), Y0: 0, Y1: 20})
		x += 10*len(f) + 6
	}
	return ws
}

func TestOCRTypedBox(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"X] Ja", "[X]|Ja"},
		{"[X Nej", "[X]|Nej"},
		{"|X] Ja", "[X]|Ja"},
		{"(x) Ja", "[X]|Ja"},
		{"[X] Ja", "[X]|Ja"},
		// Must not change: a Roman numeral, an X alone, nothing after it.
		{"kapitel IX visar", "kapitel|IX|visar"},
		{"X Ja", "X|Ja"},
		{"Ja X]", "Ja|X]"},
		{"X]                Ja", "X]|Ja"},
	} {
		ws := ocrLine(c.in)
		pdfOCRTypedBox(ws)
		var got []string
		for _, w := range ws {
			got = append(got, w.Text)
		}
		if g := strings.Join(got, "|"); g != c.want {
			t.Errorf("%q: got %q, want %q", c.in, g, c.want)
		}
	}
}
