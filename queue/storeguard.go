package queue

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/privacy"
)

// GuardConfig configures a StoreGuard.
type GuardConfig struct {
	// Dir is the server's store directory, when the server runs here
	// (serve): the free space of the disk under it is watched (on Linux).
	// "" for a server elsewhere.
	Dir string
	// MaxStore is the server's JetStream file store limit
	// (ServerConfig.MaxStore); 0 when none is set or known.
	MaxStore int64
	// MaxFileBytes is the operator's own quota of the files bucket
	// (Settings.FilesMaxBytes; 0: none). The guard never sets a larger one.
	MaxFileBytes int64
	// Reserve is the room kept for everything but file bodies: jobs,
	// status, records, alerts, dead letters. Default a quarter of
	// MaxStore, at most 256 MB; 64 MB of disk without MaxStore.
	Reserve int64
	// Interval is how often Run checks. Default 2s.
	Interval time.Duration
	Logger   *slog.Logger
}

// StoreGuard keeps room for the records of the jobs the queue accepted.
// File bodies are by far the largest thing stored, and the only thing
// stored before a job is accepted, so the guard bounds them: it sets
// the files bucket's quota (its stream's MaxBytes, with DiscardNew) to
// what it holds plus the room left beyond the reserve, in the server's
// store limit and on the disk under the store. A full store then refuses
// an upload at once with ErrStoreFull ("store is full"), while the
// reserve takes the records, status and dead letters of the jobs already
// accepted; when room comes back (files deleted, the disk cleared) the
// next check raises the quota again: no restart.
//
// Without it a full disk under the server is a write error inside
// JetStream, which marks the stream that hit it as failed until the
// server restarts: uploads wait out their timeout, status writes and
// records fail, and freeing space changes nothing (nats-server 2.15).
type StoreGuard struct {
	js  jetstream.JetStream
	cfg GuardConfig
	log *slog.Logger
	// full is whether the last check found no room (for logging changes).
	full bool
}

// NewStoreGuard returns a guard of the files bucket on js.
func NewStoreGuard(js jetstream.JetStream, cfg GuardConfig) *StoreGuard {
	if cfg.Reserve <= 0 {
		cfg.Reserve = 64 << 20
		if cfg.MaxStore > 0 {
			cfg.Reserve = min(cfg.MaxStore/4, 256<<20)
		}
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 2 * time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &StoreGuard{js: js, cfg: cfg, log: privacy.Logger(log)}
}

// Run checks at once and then every Interval until ctx is cancelled. A
// check that fails (the server away) is logged and tried again.
func (g *StoreGuard) Run(ctx context.Context) {
	t := time.NewTicker(g.cfg.Interval)
	defer t.Stop()
	for {
		if _, err := g.Check(ctx); err != nil && ctx.Err() == nil {
			g.log.Warn("store guard: check failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Check looks at the room once and sets the files bucket's quota; it
// returns the quota (-1: none).
func (g *StoreGuard) Check(ctx context.Context) (quota int64, err error) {
	room := int64(math.MaxInt64)
	if g.cfg.MaxStore > 0 {
		info, err := g.js.AccountInfo(ctx)
		if err != nil {
			return 0, fmt.Errorf("store guard: account info: %w", err)
		}
		room = g.cfg.MaxStore - int64(info.Store) - g.cfg.Reserve
	}
	diskFree := int64(-1)
	if g.cfg.Dir != "" {
		if free, ok := diskFreeBytes(g.cfg.Dir); ok {
			diskFree = free
			room = min(room, free-g.cfg.Reserve)
		}
	}
	s, err := g.js.Stream(ctx, "OBJ_"+BucketFiles)
	if err != nil {
		return 0, fmt.Errorf("store guard: %w", notSetUp(err))
	}
	info := s.CachedInfo()
	used := int64(info.State.Bytes)
	quota = -1
	if room != math.MaxInt64 {
		quota = used + max(room, 0)
	}
	if g.cfg.MaxFileBytes > 0 && (quota < 0 || quota > g.cfg.MaxFileBytes) {
		quota = g.cfg.MaxFileBytes
	}
	if quota == 0 {
		quota = 1 // 0 would mean no limit
	}
	full := room <= 0
	if full != g.full {
		if full {
			g.log.Error("store is full: file uploads are refused until there is room; jobs already accepted go on in the reserve",
				"reserve_bytes", g.cfg.Reserve, "files_bytes", used, "disk_free_bytes", diskFree, "max_store", g.cfg.MaxStore)
		} else {
			g.log.Info("store has room again: file uploads are accepted", "files_quota", quota, "disk_free_bytes", diskFree)
		}
		g.full = full
	}
	cur := info.Config.MaxBytes
	// Lower at once; raise when it makes a difference (a megabyte, or
	// out of a full store), so a store that takes a record at a time is
	// not reconfigured on every check.
	change := quota != cur && (cur <= 0 || quota < 0 || quota < cur || quota-cur >= 1<<20 || cur <= used)
	if !change {
		return cur, nil
	}
	cfg := info.Config
	cfg.MaxBytes = quota
	if _, err := g.js.UpdateStream(ctx, cfg); err != nil {
		return cur, fmt.Errorf("store guard: set the quota of %s to %d bytes: %w", BucketFiles, quota, err)
	}
	g.log.Debug("store guard: files quota set", "quota", quota, "files_bytes", used, "room", room)
	return quota, nil
}
