package xlsx

import "flag"

// -update is accepted by every package's tests so that
// "go test ./... -update" runs; the golden files it rewrites are the
// samples' (samples/golden_test.go).
var _ = flag.Bool("update", false, "rewrite golden files (see samples/golden_test.go)")
