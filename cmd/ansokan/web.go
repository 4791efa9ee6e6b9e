package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/finsam/ansokan/account"
	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/queue"
	"github.com/finsam/ansokan/web"
)

// webOptions are the web inbox's flags, shared by serve and web.
type webOptions struct {
	HTTP         string
	InsecureHTTP bool
	Users        string
	Audit        string
	ProxyHeader  string
	Proxies      []string
}

const defaultHTTP = "127.0.0.1:8080"

// addWebFlags adds the web inbox's flags but the certificate (serve
// shares its --tls-cert/--tls-key with NATS; web has its own).
func addWebFlags(fs *pflag.FlagSet, o *webOptions) {
	fs.StringVar(&o.HTTP, "http", defaultHTTP, "`ADDRESS` of the officers' web inbox (\"\" or \"off\": none); beyond loopback it needs TLS or --insecure-http")
	fs.BoolVar(&o.InsecureHTTP, "insecure-http", false, "allow an --http address beyond loopback without TLS: passwords, session cookies and applications cross the network unencrypted")
	fs.StringVar(&o.Users, "users", "", "the web inbox's users `FILE` (default: STORE/users.json; add users with 'ansokan user add NAME')")
	fs.StringVar(&o.Audit, "audit", "", "the web inbox's audit log `FILE`, JSON lines appended (default: STORE/audit.jsonl)")
	fs.StringVar(&o.ProxyHeader, "trusted-proxy-header", "", "`HEADER` in which a reverse proxy doing single sign-on names the signed-in user (e.g. X-Remote-User); believed only from --trusted-proxy")
	fs.StringSliceVar(&o.Proxies, "trusted-proxy", nil, "`CIDR` or address of the reverse proxy whose --trusted-proxy-header is believed (repeatable)")
}

// off reports whether the web inbox is turned off.
func (o webOptions) off() bool { return o.HTTP == "" || o.HTTP == "off" }

// check names the first web flag out of order. tls says whether the
// inbox is served over TLS.
func (o webOptions) check(tls bool) error {
	if o.off() {
		return nil
	}
	host, _, err := net.SplitHostPort(o.HTTP)
	if err != nil {
		return fmt.Errorf("--http %q: want HOST:PORT (or \"off\")", o.HTTP)
	}
	if !queue.IsLoopback(host) && !tls && !o.InsecureHTTP {
		return fmt.Errorf("--http %s reaches beyond this machine: give --tls-cert and --tls-key (or --insecure-http to let passwords, cookies and applications cross the network unencrypted)", o.HTTP)
	}
	if o.ProxyHeader != "" && len(o.Proxies) == 0 {
		return fmt.Errorf("--trusted-proxy-header needs --trusted-proxy: the address of the proxy that sets it")
	}
	if _, err := o.proxies(); err != nil {
		return err
	}
	return nil
}

func (o webOptions) proxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range o.Proxies {
		if pr, err := netip.ParsePrefix(p); err == nil {
			out = append(out, pr.Masked())
			continue
		}
		a, err := netip.ParseAddr(p)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxy %q: want an address or a CIDR", p)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// openVerifier opens the users file; nil when there is none yet (nobody
// can sign in with a password). The store re-reads the file when it
// changes, so users added or removed while serve runs take effect at
// once.
func openVerifier(path string) (web.Verifier, error) {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("users file %s: %w", path, err)
	}
	st, err := account.Open(path)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// startWeb starts the web inbox over js (the admin identity) when it is
// on and someone can sign in, and returns its stop. store is the
// default folder of the users file and the audit log.
func startWeb(ctx context.Context, js jetstream.JetStream, o webOptions, store, tlsCert, tlsKey string, limits normalizer.SubmissionLimits, log *slog.Logger) (stop func(), err error) {
	nothing := func() {}
	if o.off() {
		log.Info("web inbox off (--http off)")
		return nothing, nil
	}
	users := o.Users
	if users == "" {
		users = filepath.Join(store, "users.json")
	}
	audit := o.Audit
	if audit == "" {
		audit = filepath.Join(store, "audit.jsonl")
	}
	verifier, err := openVerifier(users)
	if err != nil {
		return nil, err
	}
	if verifier == nil && o.ProxyHeader == "" {
		log.Info("web inbox off: nobody can sign in; add a user with 'ansokan user add NAME', or give --trusted-proxy-header", "users", users)
		return nothing, nil
	}
	proxies, err := o.proxies()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(audit), 0o700); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	srv, err := web.New(web.Config{
		JS: js, Verifier: verifier, Logger: log, Limits: limits, Secure: tlsCert != "", AuditPath: audit,
		TrustedProxyHeader: o.ProxyHeader, TrustedProxies: proxies,
	})
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", o.HTTP)
	if err != nil {
		_ = srv.Close()
		return nil, fmt.Errorf("web inbox: cannot listen on %s: %w", o.HTTP, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	hs := &http.Server{
		Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		BaseContext: func(net.Listener) context.Context { return ctx },
		ErrorLog:    slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := srv.Run(ctx); err != nil {
			log.Error("web inbox index stopped", "err", err)
		}
	})
	scheme := "http"
	if tlsCert != "" {
		scheme = "https"
	}
	wg.Go(func() {
		var err error
		if tlsCert != "" {
			err = hs.ServeTLS(l, tlsCert, tlsKey)
		} else {
			err = hs.Serve(l)
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("web inbox stopped", "err", err)
		}
	})
	log.Info("web inbox listening", "url", scheme+"://"+l.Addr().String(), "audit", audit, "users", users, "sso_header", o.ProxyHeader)
	if host, _, _ := net.SplitHostPort(o.HTTP); !queue.IsLoopback(host) && tlsCert == "" {
		log.Warn("INSECURE: the web inbox listens beyond loopback without TLS (--insecure-http)", "http", o.HTTP)
	}
	return func() {
		cancel() // ends the event streams and the index
		sctx, done := context.WithTimeout(context.Background(), 5*time.Second)
		defer done()
		_ = hs.Shutdown(sctx)
		wg.Wait()
		_ = srv.Close()
		log.Info("web inbox stopped")
	}, nil
}

type webCmdOptions struct {
	Conn    connOptions
	Web     webOptions
	TLSCert string
	TLSKey  string
}

func newWebCmd(ios *streams) *cobra.Command {
	var opts webCmdOptions
	cmd := &cobra.Command{
		Use:   "web [flags]",
		Short: "Serve the officers' web inbox against a NATS server or cluster",
		Long: `Serves only the officers' web inbox (as 'ansokan serve' does beside its
server) against an external NATS server or cluster, as the admin identity
(--creds STORE/creds/admin.json): the inbox reads the files bucket and
reprocesses. --tls-cert and --tls-key are the inbox's HTTPS certificate;
the NATS client certificate is --nats-tls-cert and --nats-tls-key.
Officers sign in with the users file (--users) or through a reverse
proxy's single sign-on (--trusted-proxy-header, --trusted-proxy). See
README.md, "Web inbox".`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (opts.TLSCert == "") != (opts.TLSKey == "") {
				return usagef(cmd, "--tls-cert and --tls-key go together")
			}
			if opts.Web.off() {
				return usagef(cmd, "--http is off: nothing to serve")
			}
			if err := opts.Web.check(opts.TLSCert != ""); err != nil {
				return usagef(cmd, "%v", err)
			}
			opts.Conn.resolveURL()
			log := serviceLogger(ios.Err)
			if err := webRun(cmd.Context(), opts, log, ios); err != nil {
				fmt.Fprintf(ios.Err, "ansokan web: %s\n", oneLine(err))
				return exit(exitFailed)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	// The connection's flags, its client certificate renamed: --tls-cert
	// and --tls-key are the inbox's own.
	conn := pflag.NewFlagSet("conn", pflag.ContinueOnError)
	addConnFlags(conn, &opts.Conn)
	conn.VisitAll(func(f *pflag.Flag) {
		if f.Name == "tls-cert" || f.Name == "tls-key" {
			f.Name = "nats-" + f.Name
			f.Usage = strings.NewReplacer("client ", "NATS client ", "--tls-", "--nats-tls-").Replace(f.Usage)
		}
		fs.AddFlag(f)
	})
	addWebFlags(fs, &opts.Web)
	fs.StringVar(&opts.TLSCert, "tls-cert", "", "the inbox's HTTPS certificate `FILE` (PEM)")
	fs.StringVar(&opts.TLSKey, "tls-key", "", "the inbox's HTTPS key `FILE` (PEM), with --tls-cert")
	return cmd
}

func webRun(ctx context.Context, opts webCmdOptions, log *slog.Logger, ios *streams) error {
	nc, js, err := opts.Conn.connect(ctx, "ansokan web", queue.RoleAdmin, true, ios.Err)
	if err != nil {
		return err
	}
	defer nc.Close()
	store := opts.Conn.Store
	if store == "" {
		store = defaultStore()
	}
	stop, err := startWeb(ctx, js, opts.Web, store, opts.TLSCert, opts.TLSKey, normalizer.DefaultSubmissionLimits(), log.With("component", "web"))
	if err != nil {
		return err
	}
	<-ctx.Done()
	stop()
	return nil
}
