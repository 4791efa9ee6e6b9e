package score

import "testing"

func TestCharErrors(t *testing.T) {
	tests := []struct {
		name, want, got        string
		errors, umlauts, uErrs int
	}{
		{"same", "Åsa Öberg i Gävle", "Åsa Öberg i Gävle", 0, 3, 0},
		{"line breaks are not errors", "två\nrader", "två rader", 0, 1, 0},
		{"ä read as a", "Gävle", "Gavle", 1, 1, 1},
		{"ö dropped", "Göteborg", "Gteborg", 1, 1, 1},
		{"an error elsewhere does not count for åäö", "Malmö stad", "Malmö stod", 1, 1, 0},
		{"an inserted ä is not a reference error", "Malmo", "Malmöo", 1, 0, 0},
		{"nothing read", "år", "", 2, 1, 1},
		{"text where the reference has none: insertions", "", "text", 4, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := CharErrors(tt.want, tt.got)
			if c.Errors != tt.errors || c.Umlauts != tt.umlauts || c.UmlautErrors != tt.uErrs {
				t.Errorf("CharErrors(%q, %q) = %+v, want errors %d, umlauts %d, umlaut errors %d", tt.want, tt.got, c, tt.errors, tt.umlauts, tt.uErrs)
			}
		})
	}
}

func TestCERRates(t *testing.T) {
	c := CER{Chars: 200, Errors: 3, Umlauts: 10, UmlautErrors: 1}
	if c.Rate() != 0.015 || c.UmlautRate() != 0.1 {
		t.Errorf("rates %v %v", c.Rate(), c.UmlautRate())
	}
	if (CER{}).Rate() != 0 || (CER{}).UmlautRate() != 0 {
		t.Error("empty CER must rate 0")
	}
}
