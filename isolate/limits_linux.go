package isolate

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
)

// limitMemory caps the child's address space at what it has mapped now
// plus budget. A Go program reserves a large address range at start
// (over a gigabyte), so the cap is relative: the heap may grow by
// about budget, and then an allocation fails and the runtime exits
// with "out of memory", which the parent reports.
func limitMemory(budget int64) error {
	vm, err := vmSize()
	if err != nil {
		return err
	}
	lim := uint64(vm + budget + addressSlack)
	return syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: lim, Max: lim})
}

// addressSlack is address space beyond the budget for what is not heap:
// thread stacks and the runtime's own bookkeeping as the heap grows.
const addressSlack = 64 << 20

func vmSize() (int64, error) {
	kb, err := statusKB("VmSize:")
	return kb << 10, err
}

// statusKB reads a "Name:   123 kB" line of /proc/self/status.
func statusKB(field string) (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := bytes.CutPrefix(sc.Bytes(), []byte(field)); ok {
			return strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(v), []byte("kB")))), 10, 64)
		}
	}
	return 0, syscall.ENOENT
}

// limitCPU sets the soft CPU limit to the time used so far plus the
// document's budget (whole seconds, as the kernel counts). Past it the
// kernel sends SIGXCPU, and watchCPU ends the process.
func limitCPU(budgetMilli int64) error {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return err
	}
	used := ru.Utime.Sec + ru.Stime.Sec + 1 // rounded up
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_CPU, &lim); err != nil {
		return err
	}
	cur := uint64(used + (budgetMilli+999)/1000)
	if lim.Max != rlimInfinity && cur > lim.Max {
		cur = lim.Max
	}
	lim.Cur = cur
	return syscall.Setrlimit(syscall.RLIMIT_CPU, &lim)
}

func watchCPU(code int) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGXCPU)
	go func() {
		<-ch
		os.Stderr.WriteString("ansokan child: CPU time limit reached\n")
		os.Exit(code)
	}()
}

// maxRSSKB is the child's own peak resident set (VmHWM). Not getrusage's
// ru_maxrss: exec carries the parent's peak over into it, so every child
// of a large parent would report the parent's size.
func maxRSSKB() int64 {
	n, _ := statusKB("VmHWM:")
	return n
}

// dieWithParent makes the kernel kill the child when the parent dies, so
// no child outlives an ansokan that was killed itself.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

const rlimInfinity = ^uint64(0)
