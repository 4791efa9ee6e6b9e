package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/queue"
)

type listOptions struct {
	Conn   connOptions
	Follow bool
	Latest bool
}

// listings are the commands that print a stream: records, alerts, dead.
var listings = map[string]struct{ stream, what, none string }{
	"records": {queue.StreamRecords, "every record (ansokan.records.complete and .incomplete)", "no records"},
	"alerts":  {queue.StreamAlerts, "the records with error findings (ansokan.alerts)", "no alerts"},
	"dead":    {queue.StreamDead, "the jobs that exhausted their deliveries, with the reason (ansokan.dead)", "no dead letters"},
}

func runList(ctx context.Context, name string, args []string, stdout, stderr io.Writer) int {
	l := listings[name]
	var opts listOptions
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	addConnFlags(fs, &opts.Conn)
	fs.BoolVar(&opts.Follow, "follow", false, "then wait for new ones until interrupted")
	usage := "[--nats URL] [--follow]"
	if name != "dead" {
		fs.BoolVar(&opts.Latest, "latest", false, "only the newest record of each submission (its submission_id, else its files' SHA-256s); not with --follow")
		usage = "[--nats URL] [--follow | --latest]"
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: ansokan %s %s\n", name, usage)
		fmt.Fprintf(stderr, "Prints %s stored so far as JSON Lines, oldest first, then exits.\n", l.what)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || opts.Latest && opts.Follow {
		if err == nil {
			fs.Usage()
		}
		return exitUsage
	}
	nc, js, err := opts.Conn.connect(ctx, "ansokan "+name, opts.Follow)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: %s: %v\n", name, err)
		return exitFailed
	}
	defer nc.Close()
	n := 0
	emit := func(m jetstream.Msg) error {
		n++
		_, err := fmt.Fprintf(stdout, "%s\n", m.Data())
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
