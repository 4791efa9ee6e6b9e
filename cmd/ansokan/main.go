// Command ansokan turns funding applications sent to a samordningsförbund
// into checked records. See README.md.
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
