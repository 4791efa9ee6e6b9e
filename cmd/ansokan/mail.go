package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/finsam/ansokan/ingest"
	"github.com/finsam/ansokan/queue"
)

// Environment variables of the IMAP flags, read in resolveEnv.
const (
	envIMAPURL          = "ANSOKAN_IMAP_URL"
	envIMAPPasswordFile = "ANSOKAN_IMAP_PASSWORD_FILE"
	envIMAPTokenFile    = "ANSOKAN_IMAP_TOKEN_FILE"
	envIMAPCA           = "ANSOKAN_IMAP_CA"
	envIMAPProcessed    = "ANSOKAN_IMAP_PROCESSED"
)

// imapOptions are the flags of mail ingest (serve --imap, mail).
type imapOptions struct {
	URL          string
	PasswordFile string
	TokenFile    string
	Auth         string
	CA           string
	Processed    string
	Poll         time.Duration
	// PauseBeforeAck is a test hook: how long to wait between queueing a
	// message and marking it, so that a test can kill the process there.
	PauseBeforeAck time.Duration
}

func addIMAPFlags(fs *pflag.FlagSet, o *imapOptions) {
	fs.StringVar(&o.URL, "imap", "", "the förbund's mailbox `URL`: imaps://USER@HOST/FOLDER (TLS), imap://USER@HOST/FOLDER (STARTTLS); each new message there becomes one submission (default: $"+envIMAPURL+")")
	fs.StringVar(&o.PasswordFile, "imap-password-file", "", "`FILE` holding the mailbox's password (default: $"+envIMAPPasswordFile+")")
	fs.StringVar(&o.TokenFile, "imap-token-file", "", "`FILE` holding an OAuth2 access token (Microsoft 365, Google), read at every login so a helper can refresh it (default: $"+envIMAPTokenFile+")")
	fs.StringVar(&o.Auth, "imap-auth", "", "IMAP authentication: password, xoauth2 or oauthbearer (default: xoauth2 with --imap-token-file, else password)")
	fs.StringVar(&o.CA, "imap-ca", "", "`FILE` of CA certificates (PEM) to verify the IMAP server with, besides the system's (default: $"+envIMAPCA+")")
	fs.StringVar(&o.Processed, "imap-processed", "Behandlade", "`FOLDER` a processed message is moved to (made when missing); \"\" keeps it where it is, marked read and with the keyword "+ingest.Keyword+" ($"+envIMAPProcessed+" overrides)")
	fs.DurationVar(&o.Poll, "imap-poll", time.Minute, "how often the folder is searched again; new mail comes at once where the server has IDLE")
	fs.DurationVar(&o.PauseBeforeAck, "imap-pause-before-ack", 0, "")
	fs.MarkHidden("imap-pause-before-ack")
}

// resolveEnv is the one place the environment is read for the IMAP flags.
func (o *imapOptions) resolveEnv(fs *pflag.FlagSet) {
	for _, f := range []struct {
		v    *string
		flag string
		env  string
	}{
		{&o.URL, "imap", envIMAPURL}, {&o.PasswordFile, "imap-password-file", envIMAPPasswordFile},
		{&o.TokenFile, "imap-token-file", envIMAPTokenFile}, {&o.CA, "imap-ca", envIMAPCA},
		{&o.Processed, "imap-processed", envIMAPProcessed},
	} {
		if v, ok := os.LookupEnv(f.env); ok && !fs.Changed(f.flag) {
			*f.v = v
		}
	}
}

// config checks the flags and builds ingest's configuration; ok is false
// when no --imap is given.
func (o imapOptions) config() (cfg ingest.Config, ok bool, err error) {
	if o.URL == "" {
		if o.PasswordFile != "" || o.TokenFile != "" {
			return cfg, false, fmt.Errorf("--imap-password-file and --imap-token-file need --imap")
		}
		return cfg, false, nil
	}
	cfg, err = ingest.ParseURL(o.URL)
	if err != nil {
		return cfg, false, err
	}
	switch {
	case o.PasswordFile != "" && o.TokenFile != "":
		return cfg, false, fmt.Errorf("give --imap-password-file or --imap-token-file, not both")
	case o.Auth == "" && o.TokenFile != "":
		cfg.Auth = ingest.AuthXOAUTH2
	case o.Auth == "":
		cfg.Auth = ingest.AuthPassword
	default:
		cfg.Auth = strings.ToLower(o.Auth)
	}
	if o.PasswordFile != "" {
		b, err := os.ReadFile(o.PasswordFile)
		if err != nil {
			return cfg, false, fmt.Errorf("--imap-password-file: %w", err)
		}
		cfg.Password = strings.TrimRight(string(b), "\r\n")
	}
	cfg.TokenFile = o.TokenFile
	if cfg.Auth == ingest.AuthPassword && cfg.Password == "" {
		return cfg, false, fmt.Errorf("--imap needs --imap-password-file or --imap-token-file")
	}
	if cfg.Auth != ingest.AuthPassword && cfg.TokenFile == "" {
		return cfg, false, fmt.Errorf("--imap-auth %s needs --imap-token-file", cfg.Auth)
	}
	if o.CA != "" {
		if cfg.TLS, err = trustConfig("--imap-ca", o.CA); err != nil {
			return cfg, false, err
		}
	}
	if o.Poll <= 0 {
		return cfg, false, fmt.Errorf("--imap-poll must be positive")
	}
	cfg.Processed, cfg.Poll = o.Processed, o.Poll
	return cfg, true, nil
}

// startIngest runs mail ingest as the client identity until ctx ends;
// wait returns once it has stopped, with its error (a login refused, a
// folder missing: what connecting again cannot mend).
func startIngest(ctx context.Context, js jetstream.JetStream, cfg ingest.Config, pause time.Duration, log *slog.Logger) (wait func() error, err error) {
	c, err := queue.Open(ctx, js)
	if err != nil {
		return nil, err
	}
	in, err := ingest.New(cfg, c, log)
	if err != nil {
		return nil, err
	}
	if pause > 0 {
		in.BeforeAck = func(ctx context.Context) {
			log.Warn("pausing before marking the message processed (test hook)", "for", pause)
			select {
			case <-ctx.Done():
			case <-time.After(pause):
			}
		}
	}
	var wg sync.WaitGroup
	var runErr error
	wg.Go(func() {
		if runErr = in.Run(ctx); runErr != nil {
			log.Error("mail ingest stopped", "err", runErr)
		}
	})
	return func() error { wg.Wait(); return runErr }, nil
}

type mailOptions struct {
	Conn connOptions
	IMAP imapOptions
}

func newMailCmd(ios *streams) *cobra.Command {
	var opts mailOptions
	cmd := &cobra.Command{
		Use:   "mail --imap URL [flags]",
		Short: "Read the förbund's mailbox: each new message becomes one submission",
		Long: `Reads a mailbox over IMAP until SIGINT or SIGTERM, and submits each new message
in its folder as one submission to the NATS server (as the client identity):
the workers read the .docx, .pdf and .xlsx attached (also in zip archives and
forwarded messages), and the record carries the sender, subject and date in
source.message. A message is moved to --imap-processed (or marked) once the
queue has it; read again after a crash, it is the same job, and gets no second
record. A message without application files gets a record saying so (and,
with alert delivery's --reply-to-applicant, a reply).

'ansokan serve --imap URL' does the same inside the server. See README.md,
"Reading the förbund's mailbox".`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IMAP.resolveEnv(cmd.Flags())
			cfg, ok, err := opts.IMAP.config()
			if err != nil {
				return usagef(cmd, "%v", err)
			}
			if !ok {
				return usagef(cmd, "--imap is required (or $%s)", envIMAPURL)
			}
			opts.Conn.resolveURL()
			log := serviceLogger(ios.Err)
			return exit(mailRun(cmd.Context(), opts, cfg, ios.Err, log))
		},
	}
	fs := cmd.Flags()
	addConnFlags(fs, &opts.Conn)
	addIMAPFlags(fs, &opts.IMAP)
	return cmd
}

func mailRun(ctx context.Context, opts mailOptions, cfg ingest.Config, stderr io.Writer, log *slog.Logger) int {
	nc, js, err := opts.Conn.connect(ctx, "ansokan mail", queue.RoleClient, true, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "ansokan mail: %v\n", err)
		return exitFailed
	}
	defer nc.Close()
	wait, err := startIngest(ctx, js, cfg, opts.IMAP.PauseBeforeAck, log.With("component", "mail"))
	if err != nil {
		fmt.Fprintf(stderr, "ansokan mail: %v\n", err)
		return exitFailed
	}
	if err := wait(); err != nil {
		fmt.Fprintf(stderr, "ansokan mail: %s\n", oneLine(err))
		return exitFailed
	}
	return exitOK
}
