package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/finsam/ansokan/privacy"
)

// ServerConfig configures the embedded NATS server of ansokan serve.
type ServerConfig struct {
	// Listen is the client address, host:port (port 0: a random one);
	// "" listens on no port (in-process connections only).
	Listen string
	// StoreDir holds JetStream's files.
	StoreDir string
	// MaxStore caps JetStream's file store in bytes (max_file_store);
	// 0 leaves the server's default (most of the disk).
	MaxStore int64
	// Name is the server's name (default: the server id).
	Name   string
	Logger *slog.Logger
	// Identities are the users the server admits, each with its role's
	// permissions (see EnsureIdentities). Required: there is no open
	// server.
	Identities map[Role]*Identity
	// TLSCert and TLSKey are the server's certificate and key files; with
	// them clients must connect over TLS. A Listen address beyond
	// loopback requires them, unless InsecureListen.
	TLSCert, TLSKey string
	// InsecureListen lets a server listen beyond loopback without TLS:
	// the credentials are still required, but the records, files and
	// status cross the network in the clear.
	InsecureListen bool
}

// ErrInsecureListen: a listen address beyond loopback without TLS.
var ErrInsecureListen = errors.New("listening beyond loopback needs TLS (a certificate and key), or an explicit insecure opt-out")

// IsLoopback reports whether host (an IP or "localhost") is reachable
// only from this machine. "" and 0.0.0.0 are every interface, so not.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ServerOptions are the nats-server options of an embedded ansokan server:
// JetStream on, file store in StoreDir, every write synced to disk before
// it is acknowledged (sync_interval: always), no signal handlers (the
// caller owns the process's signals). Tests add cluster options to them.
func ServerOptions(cfg ServerConfig) (*server.Options, error) {
	if cfg.StoreDir == "" {
		return nil, errors.New("server: no store directory")
	}
	opts := &server.Options{
		ServerName:        cfg.Name,
		JetStream:         true,
		StoreDir:          cfg.StoreDir,
		SyncAlways:        true,
		JetStreamMaxStore: cfg.MaxStore,
		NoSigs:            true,
		DontListen:        cfg.Listen == "",
	}
	users, err := nkeyUsers(cfg.Identities)
	if err != nil {
		return nil, err
	}
	opts.Nkeys = users
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return nil, errors.New("server: a TLS certificate needs its key, and a key its certificate")
	}
	if cfg.TLSCert != "" {
		tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: cfg.TLSCert, KeyFile: cfg.TLSKey})
		if err != nil {
			return nil, fmt.Errorf("server: TLS: %w", err)
		}
		opts.TLSConfig, opts.TLS, opts.TLSTimeout = tc, true, 5
	}
	if cfg.Listen != "" {
		host, port, err := net.SplitHostPort(cfg.Listen)
		if err != nil {
			return nil, fmt.Errorf("server: listen address %q: %w", cfg.Listen, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil || p < 0 || p > 65535 {
			return nil, fmt.Errorf("server: listen address %q: bad port", cfg.Listen)
		}
		if p == 0 {
			p = server.RANDOM_PORT
		}
		if !IsLoopback(host) && cfg.TLSCert == "" && !cfg.InsecureListen {
			return nil, fmt.Errorf("server: listen address %q: %w", cfg.Listen, ErrInsecureListen)
		}
		opts.Host, opts.Port = host, p
	}
	return opts, nil
}

// StartServer starts a server with the options and waits until it takes
// connections. A server that cannot start (its port is taken, JetStream
// cannot use the store) is reported at once, with the server's reason.
// Stop it with Shutdown and WaitForShutdown.
func StartServer(opts *server.Options, log *slog.Logger) (*server.Server, error) {
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	var l *slog.Logger
	if log != nil {
		l = privacy.Logger(log)
	}
	sl := &serverLog{l: l, fatal: make(chan string, 1)}
	ns.SetLoggerV2(sl, false, false, false)
	go ns.Start()
	deadline := time.Now().Add(30 * time.Second)
	for !ns.ReadyForConnections(50 * time.Millisecond) {
		select {
		case msg := <-sl.fatal:
			ns.Shutdown()
			ns.WaitForShutdown()
			return nil, fmt.Errorf("server: %s", msg)
		default:
		}
		if time.Now().After(deadline) {
			ns.Shutdown()
			ns.WaitForShutdown()
			return nil, errors.New("server: not ready for connections after 30s")
		}
	}
	return ns, nil
}

// NewServer starts the embedded server of cfg.
func NewServer(cfg ServerConfig) (*server.Server, error) {
	opts, err := ServerOptions(cfg)
	if err != nil {
		return nil, err
	}
	return StartServer(opts, cfg.Logger)
}

// serverLog sends nats-server's log lines to slog (none when l is nil),
// and its first fatal error to fatal: the server logs why it could not
// start and stops, without returning an error.
type serverLog struct {
	l     *slog.Logger
	fatal chan string
}

var _ server.Logger = (*serverLog)(nil)

func (s *serverLog) log(level slog.Level, format string, v ...any) {
	if s.l != nil {
		s.l.Log(context.Background(), level, fmt.Sprintf(format, v...))
	}
}

func (s *serverLog) Noticef(format string, v ...any) { s.log(slog.LevelInfo, format, v...) }
func (s *serverLog) Warnf(format string, v ...any)   { s.log(slog.LevelWarn, format, v...) }
func (s *serverLog) Errorf(format string, v ...any)  { s.log(slog.LevelError, format, v...) }
func (s *serverLog) Debugf(format string, v ...any)  { s.log(slog.LevelDebug, format, v...) }
func (s *serverLog) Tracef(format string, v ...any)  { s.log(slog.LevelDebug, format, v...) }

func (s *serverLog) Fatalf(format string, v ...any) {
	s.log(slog.LevelError, format, v...)
	select {
	case s.fatal <- fatalReason(format, v):
	default: // the first one says why
	}
}

// fatalReason is the reason of a fatal error on one line: the error among
// its arguments when there is one ("listen tcp 127.0.0.1:4222: bind:
// address already in use"), else the whole message.
func fatalReason(format string, v []any) string {
	for _, a := range v {
		if err, ok := a.(error); ok {
			return err.Error()
		}
	}
	return fmt.Sprintf(format, v...)
}
