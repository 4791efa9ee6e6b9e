package planted

import (
	"testing"

	"github.com/finsam/ansokan/privacy"
)

func TestNumbersValid(t *testing.T) {
	seen := map[string]bool{}
	for i := range 40 {
		n := Number(i)
		if r := privacy.Find("nr " + n + "."); len(r) != 1 || r[0] != [2]int{3, 3 + len(n)} {
			t.Errorf("Number(%d) = %s is not found as a personnummer", i, n)
		}
		for _, f := range Forms(n)[1:] {
			if seen[f] {
				t.Errorf("Number(%d) = %s is not distinct", i, n)
			}
			seen[f] = true
		}
	}
}

func TestBuild(t *testing.T) {
	s, err := Build()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Files) != 3 || len(s.Plants) < 18 {
		t.Fatalf("%d files, %d plants", len(s.Files), len(s.Plants))
	}
	var all []byte
	for _, f := range s.Files {
		all = append(all, f.Name...)
	}
	if got := Leaks(string(all), s.Plants); len(got) != 3 {
		t.Errorf("file names hold %d numbers, want 3", len(got))
	}
}
