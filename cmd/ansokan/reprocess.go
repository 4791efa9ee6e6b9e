package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
)

type reprocessOptions struct {
	Conn  connOptions
	Since string
}

func newReprocessCmd(ios *streams) *cobra.Command {
	var opts reprocessOptions
	cmd := &cobra.Command{
		Use:   "reprocess [flags]",
		Short: "Queue the stored files again through this version",
		Long: fmt.Sprintf(`Queues the stored files again through this extractor (%s): by default the jobs whose
record an older version made. The workers publish new records. Prints one JSON receipt per job.`, normalizer.Version),
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Conn.resolveURL()
			return exit(reprocessRun(cmd.Context(), opts, ios.Out, ios.Err))
		},
	}
	fs := cmd.Flags()
	addConnFlags(fs, &opts.Conn)
	fs.StringVar(&opts.Since, "since", "", "re-run the jobs whose record `VERSION` is this one or later, the current one included (\"0\": all)")
	return cmd
}

func reprocessRun(ctx context.Context, opts reprocessOptions, stdout, stderr io.Writer) int {
	nc, js, err := opts.Conn.connect(ctx, "ansokan reprocess", queue.RoleAdmin, false, stderr)
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
