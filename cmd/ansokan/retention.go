package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/pflag"

	"github.com/finsam/ansokan/queue"
)

// envRetention is the default of --retention-months.
const envRetention = "ANSOKAN_RETENTION_MONTHS"

const retentionHelp = "remove files, records, alerts, dead letters and statuses `N` months after the file was first received (GDPR; 0: keep forever; default: $" + envRetention + ", else 0)"

// addRetentionFlag adds --retention-months.
func addRetentionFlag(fs *pflag.FlagSet, months *int) {
	fs.IntVar(months, "retention-months", 0, retentionHelp)
}

// resolveRetention reads $ANSOKAN_RETENTION_MONTHS when the flag was not
// given: the one place the environment is read for it.
func resolveRetention(fs *pflag.FlagSet, months *int) error {
	if !fs.Changed("retention-months") {
		if v := os.Getenv(envRetention); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("$%s=%q: want a number of months", envRetention, v)
			}
			*months = n
		}
	}
	if *months < 0 || *months > 1200 {
		return fmt.Errorf("--retention-months must be from 0 (keep forever) to 1200")
	}
	return nil
}

// startRetention runs the retention sweeper on js (which must be allowed
// to delete: the admin identity) until ctx ends or stop is called. No
// sweeper for 0 months.
func startRetention(ctx context.Context, js jetstream.JetStream, months int, log *slog.Logger) (stop func(), err error) {
	if months <= 0 {
		log.Info("retention: none; files and records are kept until removed by hand")
		return func() {}, nil
	}
	sw, err := queue.NewSweeper(js, queue.RetentionConfig{Months: months, Logger: log})
	if err != nil {
		return nil, err
	}
	log.Info("retention: files and what was made of them are removed after their receipt", "months", months)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { sw.Run(ctx) })
	return func() { cancel(); wg.Wait() }, nil
}
