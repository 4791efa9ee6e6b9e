package extractor

import (
	"reflect"
	"testing"
)

func TestPlainBytes(t *testing.T) {
	for n, want := range map[int64]string{100: "100 bytes", 1 << 10: "1 KB", 68979: "67.4 KB", 64 << 20: "64 MB", 3 << 19: "1.5 MB"} {
		if got := PlainBytes(n); got != want {
			t.Errorf("PlainBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestLimitsWithDefaults(t *testing.T) {
	got := Limits{MaxPDFPages: 7}.WithDefaults()
	want := DefaultLimits()
	want.MaxPDFPages = 7
	if !reflect.DeepEqual(got, want) {
		t.Errorf("WithDefaults = %+v, want %+v", got, want)
	}
	if !reflect.DeepEqual((Limits{}).WithDefaults(), DefaultLimits()) {
		t.Error("zero Limits is not the defaults")
	}
}
