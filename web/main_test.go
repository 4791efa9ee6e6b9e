package web

import (
	"testing"

	"github.com/finsam/ansokan/internal/leakcheck"
)

// TestMain fails the package when goroutines outlive the tests: every
// server, worker, index and event stream a test starts must stop.
func TestMain(m *testing.M) { leakcheck.Main(m) }
