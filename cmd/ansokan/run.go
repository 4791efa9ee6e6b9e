package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/finsam/ansokan/normalizer"
)

const usage = `ansokan turns Finsam funding applications (.docx, .pdf, .xlsx) into checked records.

Usage:
  ansokan extract [--pretty] [--submission] [--profile FILE] FILE...
  ansokan batch --out FILE [--resume] [--xlsx FILE] [--jobs N] [--group stem|folder|file] PATH...
  ansokan version

Run 'ansokan COMMAND -h' for a command's flags.
`

// Exit statuses.
const (
	exitOK         = 0
	exitUnreadable = 1 // some file could not be read; its record says why
	exitUsage      = 2
)

// run is the whole program behind main, so tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	switch args[0] {
	case "extract":
		return runExtract(ctx, args[1:], stdout, stderr, log)
	case "batch":
		return runBatch(ctx, args[1:], stderr)
	case "version":
		fmt.Fprintf(stdout, "ansokan %s\n", normalizer.Version)
		return exitOK
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "ansokan: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
