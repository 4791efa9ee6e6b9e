package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/finsam/ansokan/queue"
)

type statusOptions struct {
	Conn connOptions
	What string // a file path, a SHA-256 or a submission id
}

func newStatusCmd(ios *streams) *cobra.Command {
	var opts statusOptions
	cmd := &cobra.Command{
		Use:   "status [flags] FILE|SHA256|SUBMISSION",
		Short: "Print the status of a file or a submission (received, processing, done, failed) as JSON",
		Long:  "Prints a file's status (received, processing, done, failed; with the history and the alert\ndeliveries of its records, \"alerts\") as JSON, or, for a submission id (a record's\nsubmission_id), the status of each of its files, one a line.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef(cmd, "want one FILE, SHA256 or submission id, got %d arguments", len(args))
			}
			opts.What = args[0]
			opts.Conn.resolveURL()
			return exit(statusRun(cmd.Context(), opts, ios.Out, ios.Err))
		},
	}
	addConnFlags(cmd.Flags(), &opts.Conn)
	return cmd
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
	nc, js, err := opts.Conn.connect(ctx, "ansokan status", queue.RoleClient, false, stderr)
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
	// The alert deliveries of the files' records, from their own bucket.
	ds, err := c.DeliveriesFor(ctx, sts...)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: status %s: %v\n", opts.What, err)
		return exitFailed
	}
	// The retention in force, and when each file goes under it.
	months, err := queue.RetentionInForce(ctx, js)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: status %s: %v\n", opts.What, err)
		return exitFailed
	}
	if months > 0 {
		fmt.Fprintf(stderr, "ansokan: retention: files and what was made of them are removed %d months after receipt\n", months)
	} else {
		fmt.Fprintf(stderr, "ansokan: retention: none (kept until removed by hand; see serve --retention-months)\n")
	}
	for _, st := range sts {
		if months > 0 {
			exp := queue.Expiry(st.Received(), months)
			st.Expires = &exp
		}
		for _, d := range ds {
			if st.Delivered(d) {
				st.Alerts = append(st.Alerts, d)
			}
		}
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
