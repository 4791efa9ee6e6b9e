package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/pflag"
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

// connOptions are the flags that say how to reach NATS.
type connOptions struct {
	URL      string
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
	fs.StringVar(&o.Creds, "creds", "", "NATS credentials `FILE` (JWT and NKey seed)")
	fs.StringVar(&o.User, "user", "", "NATS user name")
	fs.StringVar(&o.Password, "password", "", "NATS password")
	fs.StringVar(&o.Token, "token", "", "NATS token")
	fs.StringVar(&o.TLSCA, "tls-ca", "", "`FILE` of CA certificates to verify the server with")
	fs.StringVar(&o.TLSCert, "tls-cert", "", "client certificate `FILE` (with --tls-key)")
	fs.StringVar(&o.TLSKey, "tls-key", "", "client key `FILE` (with --tls-cert)")
}

// authGiven reports whether any flag of addAuthFlags was given.
func (o connOptions) authGiven() bool {
	return o.Creds != "" || o.User != "" || o.Password != "" || o.Token != "" || o.TLSCA != "" || o.TLSCert != "" || o.TLSKey != ""
}

// connect opens the connection and its JetStream context. Long-running
// commands (worker) reconnect forever; client commands give up sooner.
func (o connOptions) connect(ctx context.Context, name string, forever bool) (*nats.Conn, jetstream.JetStream, error) {
	opts := []nats.Option{nats.Name(name), nats.Timeout(5 * time.Second)}
	if forever {
		opts = append(opts, nats.MaxReconnects(-1), nats.ReconnectWait(time.Second))
	}
	if o.Creds != "" {
		opts = append(opts, nats.UserCredentials(o.Creds))
	}
	if o.User != "" || o.Password != "" {
		opts = append(opts, nats.UserInfo(o.User, o.Password))
	}
	if o.Token != "" {
		opts = append(opts, nats.Token(o.Token))
	}
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
	if err != nil {
		return nil, nil, fmt.Errorf("connect to %s: %w", o.URL, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("connect to %s: %w", o.URL, err)
	}
	return nc, js, nil
}
