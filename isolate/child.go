package isolate

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/finsam/ansokan/extractor"
	"github.com/finsam/ansokan/extractor/anyformat"
)

// childEnv marks a process started by a Pool as an extraction child.
const childEnv = "ANSOKAN_ISOLATE_CHILD"

// Exit codes of a child, read by the parent.
const (
	exitDone     = 0 // stdin closed: no more work
	exitProtocol = 4 // the parent spoke nonsense
	exitCPU      = 5 // the document's CPU time ran out (SIGXCPU)
)

// Main makes this process an extraction child when a Pool started it as
// one, and then never returns. Call it first in main, before anything
// else runs, and in TestMain of any test binary that starts a Pool with
// the default command (the test binary is the child then).
func Main() {
	if os.Getenv(childEnv) != "1" {
		return
	}
	out := os.Stdout
	os.Stdout = os.Stderr // nothing but frames may reach the parent's pipe
	os.Exit(serve(os.Stdin, out))
}

// read is what a child does with one file. A variable so that the
// package's own tests can make a child misbehave on purpose.
var read = func(name string, data []byte, lim extractor.Limits) (*extractor.Document, error) {
	return anyformat.ReadLimited(bytes.NewReader(data), int64(len(data)), name, lim)
}

// serve is the child's loop: the hello, then one document per request
// until stdin closes.
func serve(in io.Reader, out io.Writer) int {
	var h hello
	if err := readJSON(in, &h); err != nil {
		fmt.Fprintf(os.Stderr, "ansokan child: hello: %v\n", err)
		return exitProtocol
	}
	if h.MaxStack > 0 {
		debug.SetMaxStack(int(h.MaxStack))
	}
	if h.Memory > 0 {
		// The collector works hard before the address-space limit
		// makes an allocation fail.
		debug.SetMemoryLimit(h.Memory)
		if raceBuild {
			// no address-space limit: see raceBuild
		} else if err := limitMemory(h.Memory); err != nil {
			fmt.Fprintf(os.Stderr, "ansokan child: memory limit: %v\n", err)
		}
	}
	watchCPU(exitCPU)
	if err := writeJSON(out, ready{PID: os.Getpid()}); err != nil {
		return exitProtocol
	}
	for {
		var req request
		if err := readJSON(in, &req); err != nil {
			if err == io.EOF {
				return exitDone
			}
			fmt.Fprintf(os.Stderr, "ansokan child: request: %v\n", err)
			return exitProtocol
		}
		data, err := readFrame(in)
		if err != nil {
			fmt.Fprintf(os.Stderr, "ansokan child: request body: %v\n", err)
			return exitProtocol
		}
		if h.CPUMilli > 0 {
			if err := limitCPU(h.CPUMilli); err != nil {
				fmt.Fprintf(os.Stderr, "ansokan child: CPU limit: %v\n", err)
			}
		}
		lim := req.Limits
		lim.Progress = func(done, total int) {
			// Called from the reader's OCR workers one at a time, and
			// never after read returns; the parent needs no answer.
			writeFrame(out, encodeProgress(progress{done, total}))
		}
		doc, err := safeRead(req.Name, data, lim)
		data = nil
		resp := response{Doc: doc, MaxRSSKB: maxRSSKB()}
		if err != nil {
			resp.Err = encodeError(err)
		}
		payload, err := encodeResponse(&resp)
		if max := responseLimit(req.Limits); err == nil && int64(len(payload)) > max {
			err = extractor.LimitErr("MaxDocumentTextBytes", "the document's answer would be %s, more than the %s its text and items allow", extractor.PlainBytes(int64(len(payload))), extractor.PlainBytes(max))
		}
		if err != nil {
			// A document the parent would refuse: its error instead.
			resp = response{Err: encodeError(&extractor.Error{File: req.Name, Err: err}), MaxRSSKB: resp.MaxRSSKB}
			payload, err = encodeResponse(&resp)
		}
		if err == nil {
			err = writeFrame(out, payload)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "ansokan child: response: %v\n", err)
			return exitProtocol
		}
	}
}

// safeRead reads one file; a panic in ansokan's own code is an error
// for that file, and the child lives on.
func safeRead(name string, data []byte, lim extractor.Limits) (doc *extractor.Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, &extractor.Error{File: name, Err: fmt.Errorf("internal error: %v", r)}
		}
	}()
	return read(name, data, lim)
}
