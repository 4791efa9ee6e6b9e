package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/schema"
)

// signedSample is signed by its four parties with certificates of the
// test CA whose certificate is samples/gensig/testca.pem.
const signedSample = "../../samples/a-sprangbradan-esign.pdf"

// strangerCA writes the certificate of a CA that issued none of the
// sample's certificates to a folder of its own and returns the folder.
func strangerCA(t *testing.T) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Ansokan Test CA"},
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "annan.crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// trustedOf runs extract with args on the signed sample and returns
// each digital signature's trusted and the record's findings.
func trustedOf(t *testing.T, args ...string) ([]*bool, []schema.Finding) {
	t.Helper()
	code, out, errs := runCmd(t, append(append([]string{"extract"}, args...), signedSample)...)
	if code != exitOK {
		t.Fatalf("extract %v: exit %d: %s", args, code, errs)
	}
	var r schema.Record
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.DigitalSignatures) != 4 {
		t.Fatalf("got %d digital signatures, want the sample's 4", len(r.DigitalSignatures))
	}
	var got []*bool
	for _, d := range r.DigitalSignatures {
		got = append(got, d.Trusted)
	}
	return got, r.Findings
}

func untrustedFindings(fs []schema.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Code == schema.CodeSignatureDigitalInvalid && strings.Contains(f.Message, "betrodda utfärdare") {
			n++
		}
	}
	return n
}

// TestTrustDir: --trust-dir reaches the reading processes. The sample's
// CA as the trust list: every signature trusted. Another CA (of the same
// name): none, each with a warning. No trust list: trusted is null.
func TestTrustDir(t *testing.T) {
	t.Setenv(envTrustDir, "")
	for _, mode := range [][]string{nil, {"--in-process"}} {
		got, fs := trustedOf(t, append(mode, "--trust-dir", "../../samples/gensig")...)
		for i, g := range got {
			if g == nil || !*g {
				t.Errorf("%v, the sample's CA: signature %d trusted %v, want true", mode, i, g)
			}
		}
		if n := untrustedFindings(fs); n != 0 {
			t.Errorf("%v, the sample's CA: %d untrusted findings", mode, n)
		}
		got, fs = trustedOf(t, append(mode, "--trust-dir", strangerCA(t))...)
		for i, g := range got {
			if g == nil || *g {
				t.Errorf("%v, another CA: signature %d trusted %v, want false", mode, i, g)
			}
		}
		if n := untrustedFindings(fs); n != 4 {
			t.Errorf("%v, another CA: %d untrusted findings, want 4", mode, n)
		}
		got, _ = trustedOf(t, mode...)
		for i, g := range got {
			if g != nil {
				t.Errorf("%v, no trust list: signature %d trusted %v, want null", mode, i, *g)
			}
		}
	}
}

// TestTrustDirFromEnv: $ANSOKAN_TRUST_DIR is --trust-dir's default.
func TestTrustDirFromEnv(t *testing.T) {
	t.Setenv(envTrustDir, strangerCA(t))
	got, _ := trustedOf(t, "--in-process")
	if got[0] == nil || *got[0] {
		t.Errorf("trusted %v with $%s naming another CA, want false", got[0], envTrustDir)
	}
}

// TestTrustDirBad: a folder that is missing or holds no certificate
// stops every reading command before it reads (serve and worker
// before they start or connect), naming the folder.
func TestTrustDirBad(t *testing.T) {
	t.Setenv(envTrustDir, "")
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "readme.pem"), []byte("no certificate here\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "saknas")
	for _, dir := range []string{missing, empty} {
		for _, cmd := range [][]string{
			{"extract", "--trust-dir", dir, signedSample},
			{"batch", "--trust-dir", dir, "--out", filepath.Join(t.TempDir(), "out.jsonl"), signedSample},
			{"eval", "--trust-dir", dir, "--gold", "../../samples/gold", signedSample},
			// Before they start a server or connect to one.
			{"serve", "--trust-dir", dir, "--listen", "127.0.0.1:0", "--store", t.TempDir()},
			{"worker", "--trust-dir", dir, "--nats", "nats://127.0.0.1:1"},
		} {
			code, out, errs := runCmd(t, cmd...)
			if code == exitOK || out != "" || !strings.Contains(errs, "--trust-dir") || !strings.Contains(errs, dir) {
				t.Errorf("%s with a bad trust dir: exit %d, stdout %q, stderr %q", cmd[0], code, out, errs)
			}
		}
	}
}
