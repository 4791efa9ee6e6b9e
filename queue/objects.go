package queue

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// errObjectChanged: the object's chunks do not add up to what its info
// says (it was replaced or deleted while being read, or is damaged).
var errObjectChanged = errors.New("object changed or damaged while being read")

// readObject returns a stored file's bytes. It reads the object store's
// stream itself, one chunk per request (the next message on the object's
// chunk subject), and checks size and digest against the object's info.
//
// jetstream.ObjectStore.Get is not used: it delivers chunks through a
// subscription into a pipe, and when the connection drops mid-object (a
// server restart, a cluster node going away) that delivery goroutine can
// stay blocked on the pipe for good (nats.go v1.55.0; the leak check in
// TestMain caught it). Plain requests leave nothing behind and every
// wait here ends with ctx.
func readObject(ctx context.Context, js jetstream.JetStream, store jetstream.ObjectStore, bucket, name string) ([]byte, error) {
	info, err := store.GetInfo(ctx, name)
	if err != nil {
		return nil, err
	}
	if info.NUID == "" || info.Opts != nil && info.Opts.Link != nil {
		return nil, fmt.Errorf("object %s: not a stored file (a link or bad metadata)", name)
	}
	want, err := jetstream.DecodeObjectDigest(info.Digest)
	if err != nil {
		return nil, fmt.Errorf("object %s: %w", name, err)
	}
	stream, err := js.Stream(ctx, "OBJ_"+bucket)
	if err != nil {
		return nil, err
	}
	subject := "$O." + bucket + ".C." + info.NUID
	buf := bytes.NewBuffer(make([]byte, 0, info.Size))
	h := sha256.New()
	seq := uint64(1)
	for i := range info.Chunks {
		m, err := stream.GetMsg(ctx, seq, jetstream.WithGetMsgSubject(subject))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return nil, fmt.Errorf("object %s: %d of %d chunks: %w", name, i, info.Chunks, errObjectChanged)
		}
		if err != nil {
			return nil, fmt.Errorf("object %s: chunk after sequence %d: %w", name, seq, err)
		}
		if uint64(buf.Len()+len(m.Data)) > info.Size {
			return nil, fmt.Errorf("object %s: more than its %d bytes: %w", name, info.Size, errObjectChanged)
		}
		buf.Write(m.Data)
		h.Write(m.Data)
		seq = m.Sequence + 1
	}
	if uint64(buf.Len()) != info.Size || !bytes.Equal(h.Sum(nil), want) {
		return nil, fmt.Errorf("object %s: %w", name, errObjectChanged)
	}
	return buf.Bytes(), nil
}

// FileData returns the body of a stored file (its object in
// BucketFiles, named by SHA-256), read as readObject reads: chunk by
// chunk, checked against the object's size and digest. Only an identity
// that may read the files bucket (admin, worker) can: the web inbox's
// downloads and its retry of a dead letter use it.
func FileData(ctx context.Context, js jetstream.JetStream, object string) ([]byte, error) {
	store, err := js.ObjectStore(ctx, BucketFiles)
	if err != nil {
		return nil, fmt.Errorf("file %s: %w", object, notSetUp(err))
	}
	b, err := readObject(ctx, js, store, BucketFiles, object)
	if err != nil {
		return nil, fmt.Errorf("file %s: %w", object, err)
	}
	return b, nil
}
