// Command ansokan turns funding applications sent to a samordningsförbund
// into checked records. See README.md.
//
// Certificates with a negative serial number (refused by crypto/x509
// since Go 1.23) are accepted in digital signatures: e-signature
// services and the DSS test suite still issue them, and refusing one
// calls an intact signature broken.
//
//go:debug x509negativeserial=1
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/finsam/ansokan/isolate"
)

func main() {
	isolate.Main() // when started as an extraction child, serve as one and exit
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
