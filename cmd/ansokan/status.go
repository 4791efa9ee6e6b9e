package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/finsam/ansokan/queue"
)

type statusOptions struct {
	Conn connOptions
	What string // a file path or a SHA-256
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

func newStatusCmd(ios *streams) *cobra.Command {
	var opts statusOptions
	cmd := &cobra.Command{
		Use:   "status [flags] FILE|SHA256",
		Short: "Print a file's status (received, processing, done, failed) as JSON",
		Long:  "Prints a file's status (received, processing, done, failed; with the history) as JSON.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef(cmd, "want one FILE or SHA256, got %d arguments", len(args))
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
	} else if !sha256Hex.MatchString(sha) {
		fmt.Fprintf(stderr, "ansokan: status %s: neither a file nor a SHA-256: %v\n", opts.What, err)
		return exitUsage
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
	st, err := c.Status(ctx, sha)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: status %s: %v\n", opts.What, err)
		return exitFailed
	}
	if st == nil {
		fmt.Fprintf(stderr, "ansokan: status %s: never submitted (sha256 %s)\n", opts.What, sha)
		return exitFailed
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(st); err != nil {
		fmt.Fprintf(stderr, "ansokan: writing output: %v\n", err)
		return exitFailed
	}
	return exitOK
}
