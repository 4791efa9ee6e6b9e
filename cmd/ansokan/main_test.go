package main

import (
	"os"
	"testing"

	"github.com/finsam/ansokan/isolate"
)

// The test binary is also the extraction child of the commands' pools,
// as the ansokan binary is.
func TestMain(m *testing.M) {
	isolate.Main()
	os.Exit(m.Run())
}
