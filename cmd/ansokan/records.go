package main

import (
	"context"
	"fmt"
	"io"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/finsam/ansokan/queue"
)

type listOptions struct {
	Conn   connOptions
	Follow bool
	Latest bool
}

// listings are the commands that print a stream: records, alerts, dead.
// Records and alerts are the client's to read; dead letters (they hold
// the reason a file failed) the admin's.
var listings = map[string]struct {
	stream, what, none string
	role               queue.Role
}{
	"records": {queue.StreamRecords, "every record (ansokan.records.complete and .incomplete)", "no records", queue.RoleClient},
	"alerts":  {queue.StreamAlerts, "the records with error findings (ansokan.alerts)", "no alerts", queue.RoleClient},
	"dead":    {queue.StreamDead, "the jobs that exhausted their deliveries, with the reason (ansokan.dead)", "no dead letters", queue.RoleAdmin},
}

func newListCmd(ios *streams, name string) *cobra.Command {
	l := listings[name]
	var opts listOptions
	cmd := &cobra.Command{
		Use:   name + " [flags]",
		Short: "Print " + l.what,
		Long:  fmt.Sprintf("Prints %s stored so far as JSON Lines, oldest first, then exits\n(with --follow: waits for new ones until interrupted).", l.what),
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Latest && opts.Follow {
				return usagef(cmd, "--latest and --follow cannot be used together")
			}
			opts.Conn.resolveURL()
			return exit(listRun(cmd.Context(), name, opts, ios.Out, ios.Err))
		},
	}
	fs := cmd.Flags()
	addConnFlags(fs, &opts.Conn)
	fs.BoolVar(&opts.Follow, "follow", false, "then wait for new ones until interrupted")
	if name != "dead" {
		fs.BoolVar(&opts.Latest, "latest", false, "only the newest record of each submission (its submission_id, else its files' SHA-256s); not with --follow")
	}
	return cmd
}

func listRun(ctx context.Context, name string, opts listOptions, stdout, stderr io.Writer) int {
	l := listings[name]
	nc, js, err := opts.Conn.connect(ctx, "ansokan "+name, l.role, opts.Follow, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: %s: %v\n", name, err)
		return exitFailed
	}
	defer nc.Close()
	n := 0
	emit := func(m jetstream.Msg) error {
		n++
		data := m.Data()
		if name != "dead" {
			// A record larger than a message is in an object (queue.HeaderRecordObject).
			var err error
			if data, err = queue.RecordData(ctx, js, m.Headers(), data); err != nil {
				return err
			}
		}
		_, err := fmt.Fprintf(stdout, "%s\n", data)
		return err
	}
	if opts.Latest {
		err = queue.ListLatest(ctx, js, l.stream, emit)
	} else {
		err = queue.List(ctx, js, l.stream, opts.Follow, emit)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: %s: %v\n", name, err)
		return exitFailed
	}
	if n == 0 && !opts.Follow {
		fmt.Fprintf(stderr, "ansokan: %s: %s\n", name, l.none)
	}
	return exitOK
}
