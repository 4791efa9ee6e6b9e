package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/isolate"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/queue"
)

type serveOptions struct {
	Listen        string
	Store         string
	Workers       int
	MaxStore      int64
	FilesMaxBytes int64
	Profile       string
	Grace         time.Duration
	Isolation     isolation
}

func runServe(ctx context.Context, args []string, stderr io.Writer, log *slog.Logger) int {
	var opts serveOptions
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.Listen, "listen", "127.0.0.1:4222", "client `address` of the embedded NATS server (port 0: any free port)")
	fs.StringVar(&opts.Store, "store", "./ansokan-data", "JetStream store `DIR` (files, jobs, records, status)")
	fs.IntVar(&opts.Workers, "workers", 2, "jobs processed at a time (0: none, only the server; run 'ansokan worker' elsewhere)")
	fs.Int64Var(&opts.MaxStore, "max-store", 0, "JetStream max_file_store in `BYTES` (0: the server's default, most of the disk)")
	fs.Int64Var(&opts.FilesMaxBytes, "max-file-bytes", 0, "quota of the files bucket in `BYTES`, below --max-store so records keep room (0: none)")
	fs.StringVar(&opts.Profile, "profile", "", "förbund profile `FILE` (JSON); default: the built-in Uppsala 2019 profile")
	fs.DurationVar(&opts.Grace, "grace", 30*time.Second, "on SIGINT/SIGTERM, how long jobs in hand may finish before they are returned to the queue")
	addIsolationFlags(fs, &opts.Isolation)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: ansokan serve [--listen ADDR] [--store DIR] [--workers N]")
		fmt.Fprintln(stderr, "Runs an embedded NATS server with JetStream and the workers, until SIGINT or SIGTERM.")
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
	if err := serveRun(ctx, opts, prof, log); err != nil {
		log.Error("serve", "err", err)
		return exitFailed
	}
	return exitOK
}

func serveRun(ctx context.Context, opts serveOptions, prof *profile.Profile, log *slog.Logger) error {
	ns, err := queue.NewServer(queue.ServerConfig{
		Listen: opts.Listen, StoreDir: opts.Store, MaxStore: opts.MaxStore, Logger: log.With("component", "nats-server"),
	})
	if err != nil {
		return err
	}
	defer func() {
		ns.Shutdown()
		ns.WaitForShutdown()
		log.Info("server stopped")
	}()
	log.Info("listening", "url", ns.ClientURL(), "store", opts.Store)

	nc, err := nats.Connect("", nats.InProcessServer(ns), nats.Name("ansokan serve"))
	if err != nil {
		return fmt.Errorf("connect in process: %w", err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	if err := queue.Setup(ctx, js, queue.Settings{FilesMaxBytes: opts.FilesMaxBytes}); err != nil {
		return err
	}
	if opts.Workers <= 0 {
		log.Info("no workers; serving until stopped")
		<-ctx.Done()
		return nil
	}
	r, closeReader, err := opts.Isolation.reader(opts.Workers, log.With("component", "isolate"))
	if err != nil {
		return err
	}
	defer closeReader()
	w, err := queue.NewWorker(ctx, js, queue.WorkerConfig{
		Reader: r, IsRetryable: isolate.Retryable,
		Profile: prof, Concurrency: opts.Workers, ShutdownGrace: opts.Grace, Logger: log.With("component", "worker"),
	})
	if err != nil {
		return err
	}
	log.Info("workers started", "workers", opts.Workers)
	err = w.Run(ctx)
	log.Info("workers stopped")
	// Naks of returned jobs are plain publishes: send them before closing.
	if ferr := nc.FlushTimeout(5 * time.Second); ferr != nil && err == nil {
		err = fmt.Errorf("flush: %w", ferr)
	}
	return err
}

// loadProfile returns the profile in path, or the built-in one.
func loadProfile(path string) (*profile.Profile, error) {
	if path == "" {
		return profile.Default(), nil
	}
	return profile.Load(path)
}
