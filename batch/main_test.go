package batch

import (
	"testing"

	"github.com/finsam/ansokan/internal/leakcheck"
	"github.com/finsam/ansokan/isolate"
)

// TestMain fails the package when goroutines outlive the tests (see
// leakcheck). The test binary is also the isolate pool's extraction child.
func TestMain(m *testing.M) {
	isolate.Main()
	leakcheck.Main(m)
}
