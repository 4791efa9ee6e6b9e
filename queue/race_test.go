//go:build race

package queue

import "time"

// Under the race detector a sample takes up to 100 ms in a child,
// bigdoc.DOCX(400_000) seven seconds.
func init() { slowTimeout = 2 * time.Second; raceDetector = true }
