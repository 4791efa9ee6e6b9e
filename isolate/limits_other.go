//go:build !linux

package isolate

import "os/exec"

// Outside Linux the child has no address-space or CPU limit of its own:
// the time limit (the parent kills the child) and the extractor's
// Limits still hold.
func limitMemory(int64) error { return nil }
func limitCPU(int64) error    { return nil }
func watchCPU(int)            {}
func maxRSSKB() int64         { return 0 }
func dieWithParent(*exec.Cmd) {}
