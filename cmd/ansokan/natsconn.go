package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/pflag"

	"github.com/finsam/ansokan/queue"
)

// envNATSURL names the server (or cluster, comma-separated) the queue
// commands use when --nats is not given; envNATSURLCommon is the name the
// nats CLI and the NATS client libraries read, used when envNATSURL is
// not set.
const (
	envNATSURL       = "ANSOKAN_NATS_URL"
	envNATSURLCommon = "NATS_URL"
	fallbackNATSURL  = "nats://127.0.0.1:4222"
)

// natsURLHelp is the --nats flag's help, naming its one default.
const natsURLHelp = "NATS server `URL`s, comma-separated (default: $" + envNATSURL + ", else $" + envNATSURLCommon + ", else " + fallbackNATSURL + ")"

// defaultNATSURL is the one place the environment is read for it.
func defaultNATSURL() string {
	for _, name := range []string{envNATSURL, envNATSURLCommon} {
		if u := os.Getenv(name); u != "" {
			return u
		}
	}
	return fallbackNATSURL
}

// envStore names the store folder of serve and, for the other queue
// commands, the serve whose credentials they use, when --store is not
// given.
const (
	envStore      = "ANSOKAN_STORE"
	fallbackStore = "./ansokan-data"
)

// storeHelp is the --store flag's help of the client commands.
const storeHelp = "store `DIR` of the local 'ansokan serve' whose credentials (DIR/creds) to use when no --creds, --user or --token is given (default: $" + envStore + ", else " + fallbackStore + ")"

// defaultStore is the one place the environment is read for it.
func defaultStore() string {
	if s := os.Getenv(envStore); s != "" {
		return s
	}
	return fallbackStore
}

// connOptions are the flags that say how to reach NATS and as whom.
type connOptions struct {
	URL      string
	Store    string
	Creds    string
	User     string
	Password string
	Token    string
	TLSCA    string
	TLSCert  string
	TLSKey   string
}

// addConnFlags adds --nats and the authentication flags. The default of
// --nats is resolved when the command runs (resolveURL), so the help
// shows it once, as the environment variables and the fallback.
func addConnFlags(fs *pflag.FlagSet, o *connOptions) {
	fs.StringVar(&o.URL, "nats", "", natsURLHelp)
	addAuthFlags(fs, o)
}

// resolveURL fills in the URL from the environment when --nats was not
// given.
func (o *connOptions) resolveURL() {
	if o.URL == "" {
		o.URL = defaultNATSURL()
	}
}

// addAuthFlags adds the flags of addConnFlags but the URL: for a command
// that names the server under another flag (batch --via-nats).
func addAuthFlags(fs *pflag.FlagSet, o *connOptions) {
	fs.StringVar(&o.Store, "store", "", storeHelp)
	fs.StringVar(&o.Creds, "creds", "", "credentials `FILE`: an ansokan identity (STORE/creds/ROLE.json) or a NATS .creds file (JWT and NKey seed)")
	fs.StringVar(&o.User, "user", "", "NATS user name")
	fs.StringVar(&o.Password, "password", "", "NATS password")
	fs.StringVar(&o.Token, "token", "", "NATS token")
	fs.StringVar(&o.TLSCA, "tls-ca", "", "`FILE` of CA certificates to verify the server with")
	fs.StringVar(&o.TLSCert, "tls-cert", "", "client certificate `FILE` (with --tls-key)")
	fs.StringVar(&o.TLSKey, "tls-key", "", "client key `FILE` (with --tls-cert)")
}

// authGiven reports whether any flag of addAuthFlags was given.
func (o connOptions) authGiven() bool {
	return o.Store != "" || o.Creds != "" || o.User != "" || o.Password != "" || o.Token != "" || o.TLSCA != "" || o.TLSCert != "" || o.TLSKey != ""
}

// connectTimeout is how long a client command waits for the server to
// answer: one try, then it says it cannot reach it.
const connectTimeout = 2 * time.Second

// credentials are the options that authenticate: --creds (an ansokan
// identity or a NATS .creds file), --user/--password, --token, else the
// role's identity in the store of a local serve, else none (a server of
// one's own without authentication). who says which, for errors.
func (o connOptions) credentials(role queue.Role) (opts []nats.Option, who string, err error) {
	switch {
	case o.Creds != "" && queue.IsIdentityFile(o.Creds):
		id, err := queue.LoadIdentity(o.Creds)
		if err != nil {
			return nil, "", err
		}
		return id.Options(), "with the identity in " + o.Creds, nil
	case o.Creds != "":
		opts = append(opts, nats.UserCredentials(o.Creds))
		who = "with the credentials in " + o.Creds
	}
	if o.User != "" || o.Password != "" {
		opts = append(opts, nats.UserInfo(o.User, o.Password))
		who = "as user " + o.User
	}
	if o.Token != "" {
		opts = append(opts, nats.Token(o.Token))
		who = "with a token"
	}
	if who != "" {
		return opts, who, nil
	}
	store := o.Store
	if store == "" {
		store = defaultStore()
	}
	path := queue.CredsFile(store, role)
	id, err := queue.LoadIdentity(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "with no credentials (none given, and no " + path + "; give the --store of the serve, or --creds)", nil
	}
	if err != nil {
		return nil, "", err
	}
	return id.Options(), "with the identity in " + path, nil
}

// connect opens the connection as role (see credentials) and its
// JetStream context. Long-running commands (worker) reconnect forever;
// client commands try once, for connectTimeout. Permission violations
// (the server refusing an operation to this identity) go to stderr.
func (o connOptions) connect(ctx context.Context, name string, role queue.Role, forever bool, stderr io.Writer) (*nats.Conn, jetstream.JetStream, error) {
	opts := []nats.Option{nats.Name(name), nats.Timeout(connectTimeout)}
	if forever {
		opts = append(opts, nats.MaxReconnects(-1), nats.ReconnectWait(time.Second), nats.Timeout(5*time.Second))
	}
	opts = append(opts, nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		if errors.Is(err, nats.ErrPermissionViolation) {
			fmt.Fprintf(stderr, "ansokan: %s: the server refused: %v\n", name, err)
		}
	}))
	auth, who, err := o.credentials(role)
	if err != nil {
		return nil, nil, err
	}
	opts = append(opts, auth...)
	if o.TLSCA != "" {
		opts = append(opts, nats.RootCAs(o.TLSCA))
	}
	if o.TLSCert != "" || o.TLSKey != "" {
		if o.TLSCert == "" || o.TLSKey == "" {
			return nil, nil, fmt.Errorf("--tls-cert and --tls-key go together")
		}
		opts = append(opts, nats.ClientCert(o.TLSCert, o.TLSKey))
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	o.resolveURL()
	nc, err := nats.Connect(o.URL, opts...)
	if errors.Is(err, nats.ErrAuthorization) {
		return nil, nil, fmt.Errorf("connect to %s %s: %w", o.URL, who, err)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot reach NATS at %s: %w", o.URL, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("connect to %s: %w", o.URL, err)
	}
	return nc, js, nil
}
