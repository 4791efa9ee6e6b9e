package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
)

type reprocessOptions struct {
	Conn  connOptions
	Since string
}

func runReprocess(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var opts reprocessOptions
	fs := flag.NewFlagSet("reprocess", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addConnFlags(fs, &opts.Conn)
	fs.StringVar(&opts.Since, "since", "", "re-run the jobs whose record `VERSION` is this one or later, the current one included (\"0\": all)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: ansokan reprocess [--nats URL] [--since VERSION]")
		fmt.Fprintf(stderr, "Queues the stored files again through this extractor (%s): by default the jobs whose record\n", normalizer.Version)
		fmt.Fprintln(stderr, "an older version made. The workers publish new records. Prints one JSON receipt per job.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		if err == nil {
			fs.Usage()
		}
		return exitUsage
	}
	nc, js, err := opts.Conn.connect(ctx, "ansokan reprocess", false)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: reprocess: %v\n", err)
		return exitFailed
	}
	defer nc.Close()
	c, err := queue.Open(ctx, js)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: reprocess: %v\n", err)
		return exitFailed
	}
	queued, skipped, err := c.Reprocess(ctx, opts.Since)
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, r := range queued {
		if eerr := enc.Encode(r); eerr != nil {
			fmt.Fprintf(stderr, "ansokan: writing output: %v\n", eerr)
			return exitFailed
		}
	}
	fmt.Fprintf(stderr, "ansokan: reprocess: %d jobs queued, %d skipped (files no longer stored)\n", len(queued), skipped)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: %v\n", err)
		return exitFailed
	}
	return exitOK
}
