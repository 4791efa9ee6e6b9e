package scan

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// CacheEnv names the folder of the OCR cache: when set, every tesseract
// run's output is kept there under the SHA-256 of what went in — the
// program, its version, its arguments and the exact image bytes on its
// stdin — and a run with the same input takes the kept output instead of
// running again. Re-reading an archive (reprocess after a new producer
// version) then costs no OCR for pages whose image did not change, and
// the test suite, which reads the scanned samples in several packages,
// runs Tesseract once per page. Only Tesseract's own output is kept:
// everything ansokan does with it (rules, ink, deskew decisions on the
// image it passes) runs every time, and a change there that changes the
// image passed to Tesseract changes the key. Tesseract is deterministic
// on the same input (one thread), so a kept output is what a run would
// give. Entries are written to a temporary file and renamed, so parallel
// readers never see half an entry.
//
// In a test binary (testing.Testing) the cache defaults to
// $TMPDIR/ansokan-test-ocr-cache for the tesseract installed on PATH: the
// suite reads the scanned samples in many packages, each its own
// process, and would otherwise run Tesseract on every page of them
// several times. Fake engines (ANSOKAN_TESSERACT, an Engine a test
// builds) are not cached by default: their tests count runs and make
// pages hang. CacheEnv set to "off" turns the cache off.
const CacheEnv = "ANSOKAN_OCR_CACHE"

// cacheDir is the engine's cache folder, "" for none.
func (e *Engine) cacheDir() string {
	switch dir := os.Getenv(CacheEnv); {
	case dir == "off":
		return ""
	case dir != "":
		return dir
	case testing.Testing() && e.installed:
		return filepath.Join(os.TempDir(), "ansokan-test-ocr-cache")
	}
	return ""
}

// run runs tesseract through the cache (see CacheEnv).
func (e *Engine) run(ctx context.Context, name string, stdin []byte, args ...string) ([]byte, error) {
	dir := e.cacheDir()
	if dir == "" {
		return runLimited(ctx, name, e.Path, e.limits(), bytes.NewReader(stdin), args...)
	}
	h := sha256.New()
	h.Write([]byte(e.Path + "\x00" + e.Version + "\x00" + strings.Join(args, "\x00") + "\x00"))
	h.Write(stdin)
	key := hex.EncodeToString(h.Sum(nil))
	file := filepath.Join(dir, key[:2], key)
	if b, err := os.ReadFile(file); err == nil {
		return b, nil
	}
	out, err := runLimited(ctx, name, e.Path, e.limits(), bytes.NewReader(stdin), args...)
	if err != nil {
		return nil, err // failures are not kept: a timeout under load is no property of the page
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err == nil {
		if tmp, err := os.CreateTemp(filepath.Dir(file), key+".*"); err == nil {
			_, werr := tmp.Write(out)
			cerr := tmp.Close()
			if werr == nil && cerr == nil {
				_ = os.Rename(tmp.Name(), file)
			}
			_ = os.Remove(tmp.Name())
		}
	}
	return out, nil
}
