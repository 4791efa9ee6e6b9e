package queue

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/finsam/ansokan/normalizer"
)

// A real full disk, on a small tmpfs: with ANSOKAN_TEST_TMPFS=1, as root
// (it mounts one under the test's temporary folder, and unmounts it).
// The guard watches the disk under the store: uploads are refused at
// once (store is full) before JetStream's writes fail, every accepted job
// gets its record, and once the disk has room again uploads go through,
// on the same server.
func TestStoreGuardFullDisk(t *testing.T) {
	if os.Getenv("ANSOKAN_TEST_TMPFS") != "1" {
		t.Skip("set ANSOKAN_TEST_TMPFS=1 (as root) to run on a real 8 MB tmpfs")
	}
	mnt := filepath.Join(t.TempDir(), "disk")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	e := &env{t: t, dir: filepath.Join(mnt, "store"), ids: testIdentities(t)}
	e.start(0)
	t.Cleanup(e.stop)
	_, e.js = connect(t, e.url, e.ids[RoleAdmin])
	ctx := ctxGuard(t)
	if err := Setup(ctx, e.js, testSettings()); err != nil {
		t.Fatal(err)
	}
	c, err := Open(ctx, e.js)
	if err != nil {
		t.Fatal(err)
	}
	startWorker(t, e.js, WorkerConfig{Logger: testLogger(t)})
	// The server's own store limit, set from the disk when it started.
	g := NewStoreGuard(e.js, GuardConfig{Dir: e.dir, MaxStore: e.ns.JetStreamConfig().MaxStore, Reserve: 1 << 20, Logger: testLogger(t)})

	// Something else takes the disk but 3 MB.
	free, _ := diskFreeBytes(mnt)
	filler := filepath.Join(mnt, "filler")
	if err := os.WriteFile(filler, make([]byte, free-3<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	var accepted []Receipt
	var refused error
	for _, f := range variants(t, 200) {
		if _, err := g.Check(ctx); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		r, err := c.Submit(ctx, []normalizer.File{f}, "")
		if err != nil {
			refused = err
			t.Logf("%d accepted; refused after %v: %v", len(accepted), time.Since(start), err)
			if !errors.Is(err, ErrStoreFull) || !strings.Contains(err.Error(), f.Name) {
				t.Fatalf("submit error %q: want ErrStoreFull naming %s", err, f.Name)
			}
			break
		}
		accepted = append(accepted, r)
	}
	if refused == nil {
		t.Fatal("200 files fitted in 3 MB")
	}
	for _, r := range accepted {
		if _, _, err := c.Wait(ctx, r); err != nil {
			t.Errorf("accepted job %s: %v", r.Job.Files[0].Name, err)
		}
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Check(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := c.Submit(ctx, []normalizer.File{variants(t, 201)[200]}, "")
	if err != nil {
		t.Fatalf("submit once the disk has room: %v", err)
	}
	if _, _, err := c.Wait(ctx, r); err != nil {
		t.Errorf("the job submitted once the disk had room: %v", err)
	}
}
