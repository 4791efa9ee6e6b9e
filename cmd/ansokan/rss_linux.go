package main

import "syscall"

// selfMaxRSSKB is this process's peak resident set in KB.
func selfMaxRSSKB() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Maxrss
}
