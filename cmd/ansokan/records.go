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
}

// listings are the commands that print a stream: records, alerts, dead.
var listings = map[string]struct{ stream, what string }{
	"records": {queue.StreamRecords, "every record (ansokan.records.complete and .incomplete)"},
	"alerts":  {queue.StreamAlerts, "the records with error findings (ansokan.alerts)"},
	"dead":    {queue.StreamDead, "the jobs that exhausted their deliveries, with the reason (ansokan.dead)"},
}

func runList(ctx context.Context, name string, args []string, stdout, stderr io.Writer) int {
	l := listings[name]
	var opts listOptions
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	addConnFlags(fs, &opts.Conn)
	fs.BoolVar(&opts.Follow, "follow", false, "then wait for new ones until interrupted")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: ansokan %s [--nats URL] [--follow]\n", name)
		fmt.Fprintf(stderr, "Prints %s stored so far as JSON Lines, oldest first, then exits.\n", l.what)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
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
	err = queue.List(ctx, js, l.stream, opts.Follow, func(m jetstream.Msg) error {
		_, err := fmt.Fprintf(stdout, "%s\n", m.Data())
		return err
	})
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: %s: %v\n", name, err)
		return exitFailed
	}
	return exitOK
}
