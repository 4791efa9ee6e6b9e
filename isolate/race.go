//go:build race

package isolate

// raceBuild: the race detector maps terabytes of shadow memory, which an
// address-space limit cannot allow; children of a race build run
// without it (the Go memory limit still applies).
const raceBuild = true
