package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/finsam/ansokan/isolate"
	"github.com/finsam/ansokan/notify"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/queue"
)

type workerOptions struct {
	Conn          connOptions
	Workers       int
	Profile       string
	Grace         time.Duration
	Setup         bool
	Replicas      int
	FilesMaxBytes int64
	Isolation     isolation
	Alerts        alertOptions
	Retention     int // months; 0 keeps forever
}

func newWorkerCmd(ios *streams) *cobra.Command {
	var opts workerOptions
	cmd := &cobra.Command{
		Use:   "worker [flags]",
		Short: "Process jobs from an existing NATS server or cluster",
		Long:  "Processes jobs from an existing NATS server or cluster until SIGINT or SIGTERM.",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.check(); err != nil {
				return usagef(cmd, "%v", err)
			}
			prof, err := loadProfile(opts.Profile)
			if err != nil {
				return usagef(cmd, "%v", err)
			}
			if err := resolveRetention(cmd.Flags(), &opts.Retention); err != nil {
				return usagef(cmd, "%v", err)
			}
			opts.Conn.resolveURL()
			log := serviceLogger(ios.Err)
			opts.Alerts.resolveEnv()
			alerts, err := opts.Alerts.config(log.With("component", "alerts"))
			if err != nil {
				return usagef(cmd, "%v", err)
			}
			return exit(workerRun(cmd.Context(), opts, prof, alerts, ios.Err, log))
		},
	}
	fs := cmd.Flags()
	addConnFlags(fs, &opts.Conn)
	fs.IntVar(&opts.Workers, "workers", 2, "jobs processed at a time")
	fs.StringVar(&opts.Profile, "profile", "", "förbund profile `FILE` (JSON); default: the built-in Uppsala 2019 profile")
	fs.DurationVar(&opts.Grace, "grace", 30*time.Second, "on SIGINT/SIGTERM, how long jobs in hand may finish before they are returned to the queue")
	fs.BoolVar(&opts.Setup, "setup", false, "create or update the streams, buckets and consumer with --replicas and --max-file-bytes even if they exist (they are created when missing)")
	fs.IntVar(&opts.Replicas, "replicas", 1, "replicas of every stream and bucket, when the worker creates them (3 for a three-node cluster)")
	fs.Int64Var(&opts.FilesMaxBytes, "max-file-bytes", 0, "quota of the files bucket in `BYTES`, when the worker creates it (0: none)")
	addIsolationFlags(fs, &opts.Isolation)
	addAlertFlags(fs, &opts.Alerts)
	addRetentionFlag(fs, &opts.Retention)
	return cmd
}

// check names the first flag out of range.
func (o workerOptions) check() error {
	switch {
	case o.Workers < 1:
		return fmt.Errorf("--workers must be at least 1")
	case o.Replicas < 1 || o.Replicas > 5:
		return fmt.Errorf("--replicas must be from 1 to 5")
	case o.FilesMaxBytes < 0:
		return fmt.Errorf("--max-file-bytes must not be negative")
	case o.Grace < 0:
		return fmt.Errorf("--grace must not be negative")
	}
	return o.Isolation.check()
}

func workerRun(ctx context.Context, opts workerOptions, prof *profile.Profile, alerts notify.Config, stderr io.Writer, log *slog.Logger) int {
	nc, js, err := opts.Conn.connect(ctx, "ansokan worker", queue.RoleWorker, true, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan worker: %v\n", err)
		return exitFailed
	}
	defer nc.Close()
	settings := queue.Settings{Replicas: opts.Replicas, FilesMaxBytes: opts.FilesMaxBytes, RetentionMonths: opts.Retention}
	r, closeReader, err := opts.Isolation.reader(opts.Workers, log.With("component", "isolate"))
	if err != nil {
		fmt.Fprintf(stderr, "ansokan worker: %v\n", err)
		return exitFailed
	}
	defer closeReader()
	cfg := queue.WorkerConfig{
		Reader: r, IsRetryable: isolate.Retryable,
		Profile: prof, Concurrency: opts.Workers, ShutdownGrace: opts.Grace, Logger: log,
	}
	if opts.Setup {
		if err := queue.Setup(ctx, js, settings); err != nil {
			fmt.Fprintf(stderr, "ansokan worker: %v\n", err)
			return exitFailed
		}
	}
	w, err := queue.NewWorker(ctx, js, cfg)
	if errors.Is(err, queue.ErrNotSetUp) {
		log.Info("setting up streams and buckets", "replicas", opts.Replicas)
		if err = queue.Setup(ctx, js, settings); err == nil {
			w, err = queue.NewWorker(ctx, js, cfg)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "ansokan worker: %v\n", err)
		return exitFailed
	}
	alertCtx, stopAlerts := context.WithCancel(ctx)
	waitAlerts, err := startAlerts(alertCtx, js, alerts)
	if errors.Is(err, queue.ErrNotSetUp) {
		// Set up by an ansokan without alert delivery: add its consumer and bucket.
		log.Info("setting up alert delivery's consumer and bucket", "replicas", opts.Replicas)
		if err = queue.Setup(ctx, js, settings); err == nil {
			waitAlerts, err = startAlerts(alertCtx, js, alerts)
		}
	}
	if err != nil {
		stopAlerts()
		fmt.Fprintf(stderr, "ansokan worker: %v\n", err)
		return exitFailed
	}
	// The retention sweep deletes: it connects as admin (with the store's
	// credentials; --creds, --user or --token must allow deleting).
	stopRetention := func() {}
	if opts.Retention > 0 {
		anc, ajs, err := opts.Conn.connect(ctx, "ansokan worker (retention)", queue.RoleAdmin, true, stderr)
		if err == nil {
			defer anc.Close()
			stopRetention, err = startRetention(ctx, ajs, opts.Retention, log.With("component", "retention"))
		}
		if err != nil {
			stopAlerts()
			waitAlerts()
			fmt.Fprintf(stderr, "ansokan worker: retention: %v\n", err)
			return exitFailed
		}
	}
	log.Info("worker started", "url", nc.ConnectedUrlRedacted(), "workers", opts.Workers)
	err = w.Run(ctx)
	stopRetention()
	stopAlerts()
	waitAlerts()
	if ferr := nc.FlushTimeout(5 * time.Second); ferr != nil && err == nil {
		err = ferr
	}
	if err != nil {
		log.Error("worker", "err", err)
		return exitFailed
	}
	log.Info("worker stopped")
	return exitOK
}
