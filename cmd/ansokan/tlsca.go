package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// trustConfig is a client TLS configuration that trusts the system's
// roots and the CA certificates (PEM) in path, for a mail server under a
// kommun's own CA (--imap-ca, --smtp-ca).
func trustConfig(flag, path string) (*tls.Config, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s %s: no PEM certificate in it", flag, path)
	}
	return &tls.Config{RootCAs: pool}, nil
}
