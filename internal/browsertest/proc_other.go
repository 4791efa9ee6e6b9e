//go:build !linux

package browsertest

// killProcessesUsing finds nothing without /proc: the browser's own
// process is still killed by chromedp.
func killProcessesUsing(dir string) int { return 0 }

func processesUsing(dir string) []int { return nil }
