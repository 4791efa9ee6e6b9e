package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/finsam/ansokan/ingest"
	"github.com/finsam/ansokan/isolate"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/notify"
	"github.com/finsam/ansokan/profile"
	"github.com/finsam/ansokan/queue"
)

type serveOptions struct {
	Listen         string
	TLSCert        string
	TLSKey         string
	InsecureListen bool
	Store          string
	Workers        int
	MaxStore       int64
	FilesMaxBytes  int64
	StoreReserve   int64
	Profile        string
	Grace          time.Duration
	Verbose        bool
	Isolation      isolation
	Alerts         alertOptions
	IMAP           imapOptions
	Retention      int // months; 0 keeps forever
	Web            webOptions
}

func newServeCmd(ios *streams) *cobra.Command {
	var opts serveOptions
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Run an embedded NATS server with JetStream and the workers",
		Long: `Runs an embedded NATS server with JetStream and the workers, until SIGINT or
SIGTERM. One serve at a time may use a --store: it holds a lock on the file
ansokan.lock there, which names its process. The NATS server's own log shows
with --verbose.

The server admits only its three identities, made on first start in
STORE/creds (worker.json, client.json, admin.json, mode 0600): the embedded
workers use worker; submit, records, alerts and status use client; dead and
reprocess use admin. Delete STORE/creds and restart to rotate them. A
--listen address beyond loopback needs --tls-cert and --tls-key (or
--insecure-listen).

It also serves the officers' web inbox on --http (default ` + defaultHTTP + `),
when someone can sign in: users in --users (STORE/users.json, 'ansokan
user add NAME'), or a reverse proxy's single sign-on
(--trusted-proxy-header). --tls-cert and --tls-key are the certificate of
both NATS and the inbox (HTTPS). An --http address beyond loopback needs
them (or --insecure-http). See README.md, "Web inbox".`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Store == "" {
				opts.Store = defaultStore()
			}
			if err := opts.check(); err != nil {
				return usagef(cmd, "%v", err)
			}
			if err := resolveRetention(cmd.Flags(), &opts.Retention); err != nil {
				return usagef(cmd, "%v", err)
			}
			prof, err := loadProfile(opts.Profile)
			if err != nil {
				return usagef(cmd, "%v", err)
			}
			log := serviceLogger(ios.Err)
			opts.Alerts.resolveEnv()
			alerts, err := opts.Alerts.config(log.With("component", "alerts"))
			if err != nil {
				return usagef(cmd, "%v", err)
			}
			opts.IMAP.resolveEnv(cmd.Flags())
			mail, withMail, err := opts.IMAP.config()
			if err != nil {
				return usagef(cmd, "%v", err)
			}
			if !withMail {
				mail = ingest.Config{}
			}
			err = serveRun(cmd.Context(), opts, prof, alerts, mail, log)
			if err != nil && cmd.Context().Err() != nil {
				// Stopped while starting: a stop, not a failure.
				return nil
			}
			if err != nil {
				fmt.Fprintf(ios.Err, "ansokan serve: %s\n", oneLine(err))
				return exit(exitFailed)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.Listen, "listen", "127.0.0.1:4222", "client `address` of the embedded NATS server (port 0: any free port)")
	fs.StringVar(&opts.TLSCert, "tls-cert", "", "server certificate `FILE` (PEM) of NATS and the web inbox: clients must connect over TLS, browsers over HTTPS")
	fs.StringVar(&opts.TLSKey, "tls-key", "", "server key `FILE` (PEM), with --tls-cert")
	fs.BoolVar(&opts.InsecureListen, "insecure-listen", false, "allow a --listen address beyond loopback without TLS: credentials are still required, but files and records cross the network unencrypted")
	fs.StringVar(&opts.Store, "store", "", "store `DIR`: JetStream's files (files, jobs, records, status) and the credentials, DIR/creds (default: $"+envStore+", else "+fallbackStore+")")
	fs.IntVar(&opts.Workers, "workers", 2, "jobs processed at a time (0: none, only the server; run 'ansokan worker' elsewhere)")
	fs.Int64Var(&opts.MaxStore, "max-store", 0, "JetStream max_file_store in `BYTES` (0: the server's default, most of the disk)")
	fs.Int64Var(&opts.FilesMaxBytes, "max-file-bytes", 0, "quota of the files bucket in `BYTES`, below --max-store so records keep room (0: none)")
	fs.Int64Var(&opts.StoreReserve, "store-reserve", 0, "room in `BYTES` kept for jobs, status, records and dead letters: uploads are refused (\"store is full\") when the store or the disk under it has no more (0: a quarter of --max-store, at most 256 MB; 64 MB of disk without it)")
	fs.StringVar(&opts.Profile, "profile", "", "förbund profile `FILE` (JSON); default: the built-in Uppsala 2019 profile")
	fs.DurationVar(&opts.Grace, "grace", 30*time.Second, "on SIGINT/SIGTERM, how long jobs in hand may finish before they are returned to the queue")
	fs.BoolVar(&opts.Verbose, "verbose", false, "log what the NATS server says (its banner, connections, JetStream)")
	addIsolationFlags(fs, &opts.Isolation)
	addAlertFlags(fs, &opts.Alerts)
	addIMAPFlags(fs, &opts.IMAP)
	addRetentionFlag(fs, &opts.Retention)
	addWebFlags(fs, &opts.Web)
	return cmd
}

// check names the first flag out of range.
func (o serveOptions) check() error {
	switch {
	case o.Workers < 0:
		return fmt.Errorf("--workers must be 0 or more")
	case o.MaxStore < 0:
		return fmt.Errorf("--max-store must not be negative")
	case o.FilesMaxBytes < 0:
		return fmt.Errorf("--max-file-bytes must not be negative")
	case o.StoreReserve < 0:
		return fmt.Errorf("--store-reserve must not be negative")
	case o.Grace < 0:
		return fmt.Errorf("--grace must not be negative")
	case o.Store == "":
		return fmt.Errorf("--store must name a folder")
	}
	host, _, err := net.SplitHostPort(o.Listen)
	if err != nil {
		return fmt.Errorf("--listen %q: want HOST:PORT", o.Listen)
	}
	switch {
	case (o.TLSCert == "") != (o.TLSKey == ""):
		return fmt.Errorf("--tls-cert and --tls-key go together")
	case !queue.IsLoopback(host) && o.TLSCert == "" && !o.InsecureListen:
		return fmt.Errorf("--listen %s reaches beyond this machine: give --tls-cert and --tls-key (or --insecure-listen to accept files and records crossing the network unencrypted)", o.Listen)
	}
	if err := o.Web.check(o.TLSCert != ""); err != nil {
		return err
	}
	return o.Isolation.check()
}

// serveRun runs the server; mail ingest too when mail has an Addr.
func serveRun(ctx context.Context, opts serveOptions, prof *profile.Profile, alerts notify.Config, mail ingest.Config, log *slog.Logger) error {
	// The store first: two servers on one store would corrupt it.
	unlock, err := lockStore(opts.Store)
	if err != nil {
		return err
	}
	defer unlock()
	// A busy port is said at once, with its cause.
	if err := canListen(opts.Listen); err != nil {
		return err
	}
	natsLog := log.With("component", "nats-server")
	if !opts.Verbose {
		natsLog = slog.New(levelFloor{log.Handler(), slog.LevelWarn}).With("component", "nats-server")
	}
	ids, err := queue.EnsureIdentities(queue.CredsDir(opts.Store))
	if err != nil {
		return err
	}
	ns, err := queue.NewServer(queue.ServerConfig{
		Listen: opts.Listen, StoreDir: opts.Store, MaxStore: opts.MaxStore, Logger: natsLog,
		Identities: ids, TLSCert: opts.TLSCert, TLSKey: opts.TLSKey, InsecureListen: opts.InsecureListen,
	})
	if err != nil {
		return err
	}
	defer func() {
		ns.Shutdown()
		ns.WaitForShutdown()
		log.Info("server stopped")
	}()
	log.Info("listening", "url", ns.ClientURL(), "store", opts.Store, "tls", opts.TLSCert != "", "credentials", queue.CredsDir(opts.Store))
	if host, _, _ := net.SplitHostPort(opts.Listen); !queue.IsLoopback(host) && opts.TLSCert == "" {
		log.Warn("INSECURE: listening beyond loopback without TLS (--insecure-listen): files with personnummer, records and credentials' challenges cross the network unencrypted", "listen", opts.Listen)
	}

	// Setting up is the admin's; the workers run as worker.
	anc, ajs, err := connectInProcess(ns, "ansokan serve (setup)", ids[queue.RoleAdmin])
	if err != nil {
		return err
	}
	// The admin's connection stays open for the store guard, which sets
	// the files bucket's quota.
	defer anc.Close()
	if err := queue.Setup(ctx, ajs, queue.Settings{FilesMaxBytes: opts.FilesMaxBytes, RetentionMonths: opts.Retention}); err != nil {
		return err
	}
	// The retention sweep deletes: the admin's connection.
	stopRetention, err := startRetention(ctx, ajs, opts.Retention, log.With("component", "retention"))
	if err != nil {
		return err
	}
	defer stopRetention()
	// The web inbox reads files and reprocesses: the admin's too. It
	// stops before the server does.
	stopWeb, err := startWeb(ctx, ajs, opts.Web, opts.Store, opts.TLSCert, opts.TLSKey, normalizer.DefaultSubmissionLimits(), log.With("component", "web"))
	if err != nil {
		return err
	}
	defer stopWeb()
	nc, js, err := connectInProcess(ns, "ansokan serve", ids[queue.RoleWorker])
	if err != nil {
		return err
	}
	defer nc.Close()
	// The guard keeps room for the records of accepted jobs: uploads are
	// refused while the store, or the disk under it, has no more than the
	// reserve, and accepted again once it has.
	maxStore := opts.MaxStore
	if jc := ns.JetStreamConfig(); jc != nil {
		maxStore = jc.MaxStore // without --max-store, the server's own, set from the disk at start
	}
	guard := queue.NewStoreGuard(ajs, queue.GuardConfig{
		Dir: opts.Store, MaxStore: maxStore, MaxFileBytes: opts.FilesMaxBytes, Reserve: opts.StoreReserve,
		Logger: log.With("component", "store-guard"),
	})
	if _, err := guard.Check(ctx); err != nil {
		return err
	}
	guardCtx, stopGuard := context.WithCancel(ctx)
	var guarding sync.WaitGroup
	guarding.Go(func() { guard.Run(guardCtx) })
	defer func() { stopGuard(); guarding.Wait() }()
	// Alerts run as worker too, until the server stops.
	alertCtx, stopAlerts := context.WithCancel(ctx)
	waitAlerts, err := startAlerts(alertCtx, js, alerts)
	if err != nil {
		stopAlerts()
		return err
	}
	defer func() { stopAlerts(); waitAlerts() }()
	// Mail ingest submits as client, as 'ansokan mail' does.
	if mail.Addr != "" {
		cnc, cjs, err := connectInProcess(ns, "ansokan serve (mail)", ids[queue.RoleClient])
		if err != nil {
			return err
		}
		defer cnc.Close()
		mailCtx, stopMail := context.WithCancel(ctx)
		waitMail, err := startIngest(mailCtx, cjs, mail, opts.IMAP.PauseBeforeAck, log.With("component", "mail"))
		if err != nil {
			stopMail()
			return err
		}
		defer func() { stopMail(); waitMail() }()
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

// connectInProcess connects to the embedded server as id.
func connectInProcess(ns *server.Server, name string, id *queue.Identity) (*nats.Conn, jetstream.JetStream, error) {
	nc, err := nats.Connect("", append([]nats.Option{nats.InProcessServer(ns), nats.Name(name)}, id.Options()...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("connect in process as %s: %w", id.Role, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	return nc, js, nil
}

// canListen tries the address, so a port in use is reported with its
// cause before the server starts. (The server reports it too, if another
// process takes the port in between.)
func canListen(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		var se *os.SyscallError
		if errors.As(err, &se) {
			err = se.Err
		}
		return fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	return l.Close()
}

// levelFloor passes on the records at or above a level: the NATS server's
// notices (its banner) are kept out of the log unless --verbose.
type levelFloor struct {
	slog.Handler
	floor slog.Level
}

func (h levelFloor) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.floor && h.Handler.Enabled(ctx, l)
}

func (h levelFloor) WithAttrs(as []slog.Attr) slog.Handler {
	return levelFloor{h.Handler.WithAttrs(as), h.floor}
}

func (h levelFloor) WithGroup(name string) slog.Handler {
	return levelFloor{h.Handler.WithGroup(name), h.floor}
}

// loadProfile returns the profile in path, or the built-in one.
func loadProfile(path string) (*profile.Profile, error) {
	if path == "" {
		return profile.Default(), nil
	}
	return profile.Load(path)
}
