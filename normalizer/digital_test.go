package normalizer

import (
	"testing"

	"github.com/finsam/ansokan/schema"
)

func TestSameName(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"Östen Åkerlund", "Akerlund Osten", true},
		{"Helena Norberg, arbetsmarknadschef", "Helena Norberg", true},
		{"Anna-Karin Ek", "Ek Anna-Karin", true},
		{"Anna Ek", "Anna Eklund", false},
		{"Anna", "Anna Ek", false},
		{"Ek", "ek", true},
		{"Johan Ekström", "Johan Andersson", false},
	} {
		if got := sameName(c.a, c.b); got != c.want {
			t.Errorf("sameName(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestMatchDigital(t *testing.T) {
	s := func(v string) *string { return &v }
	blocks := []schema.Signature{
		{Role: schema.RoleOwner, Organisation: s("Tierps kommun"), Name: s("Anna Ek"), Email: s("anna.ek@tierp.se")},
		{Role: schema.RolePartner, Organisation: s("Region Uppsala"), Name: s("Bo Lind")},
		{Role: schema.RolePartner, Organisation: s("Försäkringskassan"), Name: s("Cecilia Holm")},
	}
	digital := []schema.DigitalSignature{
		{Signer: s("Lind Bo"), Organisation: s("Region Uppsala")},
		{Timestamp: true, Signer: s("Cecilia Holm")},       // a timestamp is nobody's signature
		{Signer: s("A. Ek"), Email: s("ANNA.EK@tierp.se")}, // e-mail alone matches
		{Signer: s("Bo Lind")},                             // the same name twice: one block, one signature
	}
	matchDigital(blocks, digital)
	got := []int{-1, -1, -1}
	for i, b := range blocks {
		if b.Digital != nil {
			got[i] = *b.Digital
		}
	}
	if got[0] != 2 || got[1] != 0 || got[2] != -1 {
		t.Errorf("matched %v, want [2 0 -1]", got)
	}
}
