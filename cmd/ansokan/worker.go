package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/finsam/ansokan/isolate"
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
}

func runWorker(ctx context.Context, args []string, stderr io.Writer, log *slog.Logger) int {
	var opts workerOptions
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addConnFlags(fs, &opts.Conn)
	fs.IntVar(&opts.Workers, "workers", 2, "jobs processed at a time")
	fs.StringVar(&opts.Profile, "profile", "", "förbund profile `FILE` (JSON); default: the built-in Uppsala 2019 profile")
	fs.DurationVar(&opts.Grace, "grace", 30*time.Second, "on SIGINT/SIGTERM, how long jobs in hand may finish before they are returned to the queue")
	fs.BoolVar(&opts.Setup, "setup", false, "create or update the streams, buckets and consumer with --replicas and --max-file-bytes even if they exist (they are created when missing)")
	fs.IntVar(&opts.Replicas, "replicas", 1, "replicas of every stream and bucket, when the worker creates them (3 for a three-node cluster)")
	fs.Int64Var(&opts.FilesMaxBytes, "max-file-bytes", 0, "quota of the files bucket in `BYTES`, when the worker creates it (0: none)")
	addIsolationFlags(fs, &opts.Isolation)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: ansokan worker [--nats URL] [--creds FILE | --user U --password P | --token T] [--tls-ca FILE] [--tls-cert FILE --tls-key FILE] [--workers N]")
		fmt.Fprintln(stderr, "Processes jobs from an existing NATS server or cluster until SIGINT or SIGTERM.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		if err == nil {
			fs.Usage()
		}
		return exitUsage
	}
	if err := opts.Isolation.check(); err != nil {
		fmt.Fprintf(stderr, "ansokan: %v\n", err)
		return exitUsage
	}
	prof, err := loadProfile(opts.Profile)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: %v\n", err)
		return exitUsage
	}
	nc, js, err := opts.Conn.connect(ctx, "ansokan worker", true)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: %v\n", err)
		return exitFailed
	}
	defer nc.Close()
	settings := queue.Settings{Replicas: opts.Replicas, FilesMaxBytes: opts.FilesMaxBytes}
	r, closeReader, err := opts.Isolation.reader(opts.Workers, log.With("component", "isolate"))
	if err != nil {
		fmt.Fprintf(stderr, "ansokan: %v\n", err)
		return exitFailed
	}
	defer closeReader()
	cfg := queue.WorkerConfig{
		Reader: r, IsRetryable: isolate.Retryable,
		Profile: prof, Concurrency: opts.Workers, ShutdownGrace: opts.Grace, Logger: log,
	}
	if opts.Setup {
		if err := queue.Setup(ctx, js, settings); err != nil {
			fmt.Fprintf(stderr, "ansokan: %v\n", err)
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
		fmt.Fprintf(stderr, "ansokan: %v\n", err)
		return exitFailed
	}
	log.Info("worker started", "url", nc.ConnectedUrlRedacted(), "workers", opts.Workers)
	err = w.Run(ctx)
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
