package queue

import "syscall"

// diskFreeBytes is the space on the file system under dir that an
// unprivileged process may still use.
func diskFreeBytes(dir string) (int64, bool) {
	var s syscall.Statfs_t
	if err := syscall.Statfs(dir, &s); err != nil {
		return 0, false
	}
	return int64(s.Bavail) * s.Bsize, true
}
