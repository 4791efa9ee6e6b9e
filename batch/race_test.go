//go:build race

package batch

import "time"

// The race detector slows the extractor about tenfold; TestTree uses a
// smaller tree under it (the same shapes, fewer copies).
func init() { treeSize = 40 }

func init() { natsTreeSize = 12 }

// Under the race detector a sample takes up to 100 ms in a child, the
// slow file half a minute.
func init() { slowTimeout = 3 * time.Second }
