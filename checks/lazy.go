package checks

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles a regular expression on its first use, not when
// the package is initialised: every process that links this package —
// each reading child, each `ansokan` command — would otherwise pay for
// every expression at start, whether it uses it or not.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
