//go:build race

package batch

// The race detector slows the extractor about tenfold; TestTree uses a
// smaller tree under it (the same shapes, fewer copies).
func init() { treeSize = 40 }

func init() { natsTreeSize = 12 }
