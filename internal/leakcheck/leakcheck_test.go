package leakcheck

import (
	"strings"
	"testing"
)

func TestLeaked(t *testing.T) {
	dump := "goroutine 1 [chan receive]:\ntesting.(*M).Run(...)\n\n" +
		"goroutine 7 [select]:\nmain.worker()\n\n" +
		"goroutine 9 [running]:\nmain.TestMain(...)"
	got := Leaked(dump)
	if got != "goroutine 7 [select]:\nmain.worker()" || strings.Contains(got, "TestMain") {
		t.Errorf("Leaked = %q", got)
	}
}
