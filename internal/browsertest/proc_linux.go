package browsertest

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// killProcessesUsing kills (SIGKILL) the processes whose command line
// names dir, and returns how many it found. Chromium's children rewrite
// their title, so their command line is one string with spaces: dir is
// looked for as a substring. A process that has exited (a zombie) has
// none and is not counted.
func killProcessesUsing(dir string) int {
	pids := processesUsing(dir)
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	return len(pids)
}

// processesUsing returns the processes whose command line names dir.
func processesUsing(dir string) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	self := os.Getpid()
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err == nil && bytes.Contains(b, []byte(dir)) {
			out = append(out, pid)
		}
	}
	return out
}
