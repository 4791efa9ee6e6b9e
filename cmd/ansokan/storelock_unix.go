//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// storeLockName is the lock file in a serve's --store.
const storeLockName = "ansokan.lock"

// lockStore takes an exclusive lock on the store folder (flock on
// DIR/ansokan.lock, which then holds this process's id), creating the
// folder when missing. Another serve on the same store is refused with
// the id of the process that holds it. The lock goes with the process,
// however it ends; the returned function releases it earlier.
func lockStore(dir string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store %s: %w", dir, err)
	}
	path := filepath.Join(dir, storeLockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			b, _ := os.ReadFile(path)
			holder := "another process"
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				holder = fmt.Sprintf("process %d", pid)
			}
			return nil, fmt.Errorf("store %s is in use by %s (another 'ansokan serve'; the lock is %s)", dir, holder, path)
		}
		return nil, fmt.Errorf("store %s: lock %s: %w", dir, path, err)
	}
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("store %s: lock %s: %w", dir, path, err)
	}
	return func() {
		f.Truncate(0)
		f.Close() // releases the lock
	}, nil
}
