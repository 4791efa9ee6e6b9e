package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/privacy"
)

const usage = `ansokan turns Finsam funding applications (.docx, .pdf, .xlsx) into checked records.

Usage:
  ansokan extract [--pretty] [--submission] [--profile FILE] FILE...
  ansokan batch --out FILE [--resume] [--xlsx FILE] [--jobs N] [--group stem|folder|file] [--via-nats URL] PATH...
  ansokan version

As a service on NATS JetStream (see README.md, "The pipeline"):
  ansokan serve [--listen 127.0.0.1:4222] [--store ./ansokan-data] [--workers N]
  ansokan worker [--nats URL] [--creds FILE | --user U --password P | --token T] [--tls-ca FILE ...] [--workers N]
  ansokan submit [--wait] [--submission ID] FILE...
  ansokan records [--follow]
  ansokan alerts [--follow]
  ansokan dead [--follow]
  ansokan status FILE|SHA256
  ansokan reprocess [--since VERSION]

The queue commands take --nats URL (default: $ANSOKAN_NATS_URL, else nats://127.0.0.1:4222).

extract, batch, serve and worker read every file in a child process with
memory, CPU and time limits (--doc-memory, --doc-cpu, --doc-timeout);
--in-process reads in the command's own process instead.

Run 'ansokan COMMAND -h' for a command's flags.
`

// Exit statuses.
const (
	exitOK         = 0
	exitUnreadable = 1 // some file could not be read; its record says why
	exitUsage      = 2
	exitFailed     = 1 // a queue command could not do its work; stderr says why
)

// run is the whole program behind main, so tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	// What goes to people is masked: no personnummer in a log line or an
	// error message (package privacy).
	stderr = privacy.NewWriter(stderr)
	log := slog.New(privacy.NewHandler(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	switch args[0] {
	case "extract":
		return runExtract(ctx, args[1:], stdout, stderr, log)
	case "serve":
		return runServe(ctx, args[1:], stderr, serviceLogger(stderr))
	case "worker":
		return runWorker(ctx, args[1:], stderr, serviceLogger(stderr))
	case "submit":
		return runSubmit(ctx, args[1:], stdout, stderr)
	case "records", "alerts", "dead":
		return runList(ctx, args[0], args[1:], stdout, stderr)
	case "status":
		return runStatus(ctx, args[1:], stdout, stderr)
	case "reprocess":
		return runReprocess(ctx, args[1:], stdout, stderr)
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

// serviceLogger is the log of the long-running commands: what they do,
// at info level, to stderr.
func serviceLogger(stderr io.Writer) *slog.Logger {
	return slog.New(privacy.NewHandler(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
}
