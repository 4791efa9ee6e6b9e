package main

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/finsam/ansokan/isolate"
)

// envTestMainArgs makes the test binary run as ansokan with these
// arguments (a JSON array): tests that need ansokan in processes of its
// own (two 'user add' at once) start it so.
const envTestMainArgs = "ANSOKAN_TEST_MAIN_ARGS"

// The test binary is also the extraction child of the commands' pools,
// as the ansokan binary is.
func TestMain(m *testing.M) {
	isolate.Main()
	if a := os.Getenv(envTestMainArgs); a != "" {
		var args []string
		if err := json.Unmarshal([]byte(a), &args); err != nil {
			panic(err)
		}
		os.Exit(run(context.Background(), args, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
