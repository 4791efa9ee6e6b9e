package normalizer

import (
	"reflect"
	"testing"

	"github.com/finsam/ansokan/schema"
)

func TestBudgetReconcileParties(t *testing.T) {
	tests := []struct {
		name    string
		parties []string
		summary []string
		named   []string
		want    []string
	}{
		{"broken name, named in the form", []string{"Skellefteå kommun", "Arbetsför medlinge"}, nil,
			[]string{"Skellefteå kommun", "Arbetsförmedlingen"}, []string{"Skellefteå kommun", "Arbetsförmedlingen"}},
		{"cut name, right in the summary", []string{"Mora kommun", "Region Västerbott"}, []string{"Mora kommun", "Region Västerbotten"},
			nil, []string{"Mora kommun", "Region Västerbotten"}},
		{"two candidates: kept", []string{"Region"}, nil, []string{"Region Uppsala", "Region Skåne"}, []string{"Region"}},
		{"no candidate: kept", []string{"Projektgruppen"}, nil, []string{"Uppsala kommun"}, []string{"Projektgruppen"}},
		{"known names untouched", []string{"Region Uppsala", "Uppsala kommun"}, nil, []string{"Region Skåne"}, []string{"Region Uppsala", "Uppsala kommun"}},
		{"a name with figures is kept", []string{"Region Uppsala 1"}, nil, []string{"Region Uppsala"}, []string{"Region Uppsala 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			amounts := map[string]int64{}
			for i, p := range tt.parties {
				amounts[p] = int64(1000 * (i + 1))
			}
			b := &schema.Budget{
				Parties:        append([]string(nil), tt.parties...),
				RequestedTotal: &schema.Total{Amounts: amounts},
			}
			for _, s := range tt.summary {
				b.Summary = append(b.Summary, schema.SummaryRow{Party: s})
			}
			last := tt.parties[len(tt.parties)-1]
			locs := map[string]BudgetLoc{"/requested_total/amounts/" + last: {File: "x.pdf", Page: 3}}
			budgetReconcileParties(b, locs, tt.named)
			if !reflect.DeepEqual(b.Parties, tt.want) {
				t.Errorf("parties %q, want %q", b.Parties, tt.want)
			}
			wl := tt.want[len(tt.want)-1]
			if got := b.RequestedTotal.Amounts[wl]; got != int64(1000*len(tt.parties)) {
				t.Errorf("amount of %q = %d, want %d (amounts %v)", wl, got, 1000*len(tt.parties), b.RequestedTotal.Amounts)
			}
			if _, ok := locs["/requested_total/amounts/"+wl]; !ok {
				t.Errorf("evidence pointer not renamed: %v", locs)
			}
		})
	}
}
