package main

import (
	"os"
	"testing"

	"github.com/finsam/ansokan/internal/browsertest"
	"github.com/finsam/ansokan/isolate"
)

// envAsMain makes the test binary run as ansokan itself, with its
// arguments: tests start it so, to kill a command with SIGKILL.
const envAsMain = "ANSOKAN_TEST_AS_MAIN"

// The test binary is also the extraction child of the commands' pools,
// as the ansokan binary is, and ansokan itself when envAsMain is set.
// Its browser tests share one headless Chromium.
func TestMain(m *testing.M) {
	isolate.Main()
	if os.Getenv(envAsMain) == "1" {
		main()
	}
	browsertest.Main(m) // the browser tests share one Chromium

}
