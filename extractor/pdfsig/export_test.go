package pdfsig

import (
	"testing"
	"time"
)

// Exported for the end-to-end test in package pdfsig_test, which reads
// a sample through the normalizer.

// SignBare signs pdf as the named person by an incremental update that
// adds only a signature field and dictionary.
func SignBare(t testing.TB, pdf []byte, field, cn, org, email string) []byte {
	now := time.Now()
	p := newSigner(t, cn, org, email, now.Add(-24*time.Hour), now.Add(24*time.Hour))
	out, _ := sign(t, pdf, signOpts{field: field, p: p, bare: true})
	return out
}

// AppendUpdate appends an incremental update defining the given objects.
var AppendUpdate = appendUpdate
