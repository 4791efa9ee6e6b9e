package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/finsam/ansokan/queue"
)

type statusOptions struct {
	Conn connOptions
	What string // a file path, a SHA-256 or a submission id
}

func runStatus(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var opts statusOptions
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addConnFlags(fs, &opts.Conn)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: ansokan status [--nats URL] FILE|SHA256|SUBMISSION")
		fmt.Fprintln(stderr, "Prints a file's status (received, processing, done, failed; with the history) as JSON,")
		fmt.Fprintln(stderr, "or, for a submission id (a record's submission_id), the status of each of its files, one a line.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	opts.What = fs.Arg(0)
	return statusRun(ctx, opts, stdout, stderr)
}

func statusRun(ctx context.Context, opts statusOptions, stdout, stderr io.Writer) int {
	sha := opts.What
	if f, err := os.Open(opts.What); err == nil {
		sha, err = fileSHA256(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "ansokan: status %s: %v\n", opts.What, err)
			return exitFailed
		}
	}
	nc, js, err := opts.Conn.connect(ctx, "ansokan status", false)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: status %s: %v\n", opts.What, err)
		return exitFailed
	}
	defer nc.Close()
	c, err := queue.Open(ctx, js)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: status %s: %v\n", opts.What, err)
		return exitFailed
	}
	sts, err := c.Find(ctx, sha)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: status %s: %v\n", opts.What, err)
		return exitFailed
	}
	if len(sts) == 0 {
		if sha != opts.What {
			fmt.Fprintf(stderr, "ansokan: status %s: never submitted (sha256 %s)\n", opts.What, sha)
		} else {
			fmt.Fprintf(stderr, "ansokan: status %s: never submitted (no file, SHA-256 or submission id)\n", opts.What)
		}
		return exitFailed
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, st := range sts {
		if err := enc.Encode(st); err != nil {
			fmt.Fprintf(stderr, "ansokan: writing output: %v\n", err)
			return exitFailed
		}
	}
	return exitOK
}
