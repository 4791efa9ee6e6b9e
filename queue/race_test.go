//go:build race

package queue

import "time"

// Under the race detector a sample takes up to 100 ms in a child,
// longDOCX seven seconds.
func init() { slowTimeout = 2 * time.Second }
