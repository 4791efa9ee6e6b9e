package batch

import (
	"reflect"
	"testing"
)

func TestStemKey(t *testing.T) {
	tests := []struct{ name, want string }{
		{"x.docx", "x"},
		{"x.pdf", "x"},
		{"x-budget.xlsx", "x"},
		{"x budget.xlsx", "x"},
		{"x_budget.xlsx", "x"},
		{"X_BUDGET.XLSX", "x"},
		{"dir/sub/x-budget.xlsx", "x"},
		{`C:\inkommet\x-budget.xlsx`, "x"},
		{"Ansökan Språngbrädan.docx", "sprangbradan"},
		{"Budget Språngbrädan.xlsx", "sprangbradan"},
		{"sprangbradan signerad.pdf", "sprangbradan"},
		{"Ansökan Arbetsstegen (signerad).pdf", "arbetsstegen"},
		{"Språngbrädan - budget 2024.xlsx", "sprangbradan"},
		{"Bilaga 2 Språngbrädan.pdf", "sprangbradan"},
		{"a-sprangbradan-budget.xlsx", "a-sprangbradan"},
		{"seed000-samordnat-stod.docx", "seed000-samordnat-stod"},
		// NFD (as macOS writes names) and NFC give the same key.
		{"Spr\u0061\u030angbr\u0061\u0308dan.docx", "sprangbradan"},
		// Affix words count only at the ends, and only whole.
		{"Budgetrådgivning.docx", "budgetradgivning"},
		{"Stöd i budget och ekonomi.docx", "stod-i-budget-och-ekonomi"},
		// A number stays unless it follows an affix.
		{"Insats 2.docx", "insats-2"},
		{"Insats 3 budget.xlsx", "insats-3"},
		// Only affixes: no application named.
		{"Ansökan.docx", ""},
		{"Budget.xlsx", ""},
		{"Underskriven ansökan.pdf", ""},
		{"Bilaga 1.pdf", ""},
	}
	for _, tt := range tests {
		if got := StemKey(tt.name); got != tt.want {
			t.Errorf("StemKey(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestGroup(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		g     Grouping
		want  [][]string
	}{
		{
			"stems in a folder of many applications",
			[]string{"x.pdf", "y.docx", "x.docx", "x-budget.xlsx", "Budget y.xlsx", "z.pdf"},
			GroupStem,
			[][]string{{"Budget y.xlsx", "y.docx"}, {"x-budget.xlsx", "x.docx", "x.pdf"}, {"z.pdf"}},
		},
		{
			"one application with generic names is the folder",
			[]string{"Ansökan.docx", "Budget.xlsx", "Underskriven ansökan.pdf"},
			GroupStem,
			[][]string{{"Ansökan.docx", "Budget.xlsx", "Underskriven ansökan.pdf"}},
		},
		{
			"one named application and generic attachments is the folder",
			[]string{"Projekt Y.docx", "Budget.xlsx", "Bilaga 1.pdf"},
			GroupStem,
			[][]string{{"Bilaga 1.pdf", "Budget.xlsx", "Projekt Y.docx"}},
		},
		{
			"generic names among several applications stand alone",
			[]string{"x.docx", "y.docx", "Budget.xlsx"},
			GroupStem,
			[][]string{{"Budget.xlsx"}, {"x.docx"}, {"y.docx"}},
		},
		{
			"folder",
			[]string{"x.docx", "y.docx"},
			GroupFolder,
			[][]string{{"x.docx", "y.docx"}},
		},
		{
			"file",
			[]string{"x.docx", "x-budget.xlsx"},
			GroupFile,
			[][]string{{"x-budget.xlsx"}, {"x.docx"}},
		},
		{"empty", nil, GroupStem, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Group(tt.files, tt.g); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Group(%q, %s) = %q, want %q", tt.files, tt.g, got, tt.want)
			}
		})
	}
}

func TestParseGrouping(t *testing.T) {
	for _, s := range []string{"stem", "folder", "file"} {
		if g, err := ParseGrouping(s); err != nil || string(g) != s {
			t.Errorf("ParseGrouping(%q) = %q, %v", s, g, err)
		}
	}
	if _, err := ParseGrouping("stems"); err == nil {
		t.Error("ParseGrouping(stems): no error")
	}
}
