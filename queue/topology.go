package queue

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Subjects, streams, buckets and consumers. They are part of the
// interface: operators inspect them with the nats CLI.
const (
	SubjectJobs       = "ansokan.jobs"
	SubjectComplete   = "ansokan.records.complete"
	SubjectIncomplete = "ansokan.records.incomplete"
	SubjectAlerts     = "ansokan.alerts"
	SubjectDead       = "ansokan.dead"

	StreamJobs       = "ANSOKAN_JOBS"       // work queue: a job is removed when acknowledged
	StreamRecords    = "ANSOKAN_RECORDS"    // ansokan.records.>
	StreamAlerts     = "ANSOKAN_ALERTS"     // ansokan.alerts
	StreamDead       = "ANSOKAN_DEAD"       // ansokan.dead
	StreamAdvisories = "ANSOKAN_ADVISORIES" // MAX_DELIVERIES advisories of the workers' consumer

	BucketFiles  = "ANSOKAN_FILES"  // object store: file bodies, named by SHA-256
	BucketStatus = "ANSOKAN_STATUS" // key-value: per-file status, keyed by SHA-256
	// BucketRecords holds the records too large for one message (see
	// HeaderRecordObject), named by the SHA-256 of their JSON.
	BucketRecords = "ANSOKAN_RECORD_BODIES"

	ConsumerWorkers    = "workers"    // durable pull consumer on ANSOKAN_JOBS, shared by all workers
	ConsumerDeadLetter = "deadletter" // durable pull consumer on ANSOKAN_ADVISORIES
	// ConsumerNotify is the durable pull consumer on ANSOKAN_RECORDS of
	// the alert delivery (package notify): it starts with the records
	// published after it was made (DeliverNew), so a store that existed
	// before it does not alert again for its old records.
	ConsumerNotify = "notify"
	// BucketDeliveries is the key-value bucket of alert deliveries, one
	// key per record and target (see Delivery): what was sent is never
	// sent again.
	BucketDeliveries = "ANSOKAN_DELIVERIES"

	// subjectMaxDeliveries is the advisory the server publishes when a job
	// has been delivered MaxDeliver times without an ack or a term.
	subjectMaxDeliveries = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + StreamJobs + "." + ConsumerWorkers
)

// Settings are the durability and retry settings of the streams, buckets
// and the workers' consumer. The zero value gives the defaults.
type Settings struct {
	// Replicas of every stream and bucket: 1 for a single server, 3 for a
	// three-node cluster.
	Replicas int
	// Duplicates is the de-duplication window of the jobs and records
	// streams (Nats-Msg-Id). Re-uploads after it are still recognised
	// through the status bucket. Default 1h.
	Duplicates time.Duration
	// MaxDeliver is how often a job is delivered before it is dead-lettered.
	// Default 5.
	MaxDeliver int
	// BackOff is the ack wait of each delivery (the server uses BackOff[0]
	// as AckWait) and the delay before a failed job is retried. Workers
	// signal progress at a third of the shortest. Default 30s, 1m, 2m, 5m.
	BackOff []time.Duration
	// FilesMaxBytes caps the files bucket (0: no cap). Keep it below the
	// server's store limit so uploads are refused before records, status
	// and dead letters run out of room.
	FilesMaxBytes int64
	// RetentionMonths, when above 0, makes the server remove what was
	// stored more than that many months ago (MaxAge of the records,
	// alerts and dead-letter streams and of the buckets): the backstop of
	// the retention sweep (see Sweeper), which ages everything from the
	// file's receipt. It is written into the records stream's metadata,
	// where RetentionInForce reads it. 0 keeps everything.
	RetentionMonths int
}

func (s Settings) withDefaults() Settings {
	if s.Replicas <= 0 {
		s.Replicas = 1
	}
	if s.Duplicates <= 0 {
		s.Duplicates = time.Hour
	}
	if s.MaxDeliver <= 0 {
		s.MaxDeliver = 5
	}
	if len(s.BackOff) == 0 {
		s.BackOff = []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute}
	}
	if len(s.BackOff) > s.MaxDeliver {
		s.BackOff = s.BackOff[:s.MaxDeliver]
	}
	return s
}

// Setup creates or updates every stream, bucket and consumer ansokan uses.
// It is idempotent; serve and worker call it at start.
func Setup(ctx context.Context, js jetstream.JetStream, s Settings) error {
	s = s.withDefaults()
	streams := []jetstream.StreamConfig{
		{
			Name: StreamJobs, Subjects: []string{SubjectJobs},
			Description: "ansokan jobs: one per record to make; removed when a worker acknowledges it",
			Retention:   jetstream.WorkQueuePolicy, Duplicates: s.Duplicates,
		},
		{
			Name: StreamRecords, Subjects: []string{"ansokan.records.>"},
			Description: "ansokan records by outcome (complete, incomplete)",
			Retention:   jetstream.LimitsPolicy, Duplicates: s.Duplicates,
		},
		{
			Name: StreamAlerts, Subjects: []string{SubjectAlerts},
			Description: "ansokan records with error findings",
			Retention:   jetstream.LimitsPolicy, Duplicates: s.Duplicates,
		},
		{
			Name: StreamDead, Subjects: []string{SubjectDead},
			Description: "ansokan jobs that exhausted their deliveries, with the reason",
			Retention:   jetstream.LimitsPolicy, Duplicates: s.Duplicates,
		},
		{
			Name: StreamAdvisories, Subjects: []string{subjectMaxDeliveries},
			Description: "max-deliveries advisories of the workers' consumer, moved to ansokan.dead",
			Retention:   jetstream.WorkQueuePolicy, MaxAge: 30 * 24 * time.Hour,
		},
	}
	maxAge := s.retentionMaxAge()
	for _, cfg := range streams {
		cfg.Storage = jetstream.FileStorage
		cfg.Replicas = s.Replicas
		if cfg.Name != StreamJobs && cfg.Name != StreamAdvisories {
			cfg.MaxAge = maxAge
		}
		if cfg.Name == StreamRecords {
			cfg.Metadata = map[string]string{metaRetentionMonths: strconv.Itoa(max(s.RetentionMonths, 0))}
		}
		if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("setup stream %s: %w", cfg.Name, err)
		}
	}
	if _, err := js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket: BucketFiles, Description: "ansokan file bodies, named by SHA-256",
		Storage: jetstream.FileStorage, Replicas: s.Replicas, MaxBytes: s.FilesMaxBytes, TTL: maxAge,
	}); err != nil {
		return fmt.Errorf("setup object store %s: %w", BucketFiles, err)
	}
	if _, err := js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket: BucketRecords, Description: "ansokan records larger than a message, named by SHA-256",
		Storage: jetstream.FileStorage, Replicas: s.Replicas, TTL: maxAge,
	}); err != nil {
		return fmt.Errorf("setup object store %s: %w", BucketRecords, err)
	}
	if _, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: BucketStatus, Description: "ansokan status per file, keyed by SHA-256",
		History: 16, Storage: jetstream.FileStorage, Replicas: s.Replicas, TTL: maxAge,
	}); err != nil {
		return fmt.Errorf("setup key-value bucket %s: %w", BucketStatus, err)
	}
	if _, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: BucketDeliveries, Description: "ansokan alert deliveries, one key per record and target",
		History: 8, Storage: jetstream.FileStorage, Replicas: s.Replicas, TTL: maxAge,
	}); err != nil {
		return fmt.Errorf("setup key-value bucket %s: %w", BucketDeliveries, err)
	}
	if _, err := js.CreateOrUpdateConsumer(ctx, StreamRecords, jetstream.ConsumerConfig{
		Durable:       ConsumerNotify,
		Description:   "ansokan alert delivery (e-mail, webhook)",
		DeliverPolicy: jetstream.DeliverNewPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       s.BackOff[0],
		BackOff:       s.BackOff,
		MaxDeliver:    s.MaxDeliver,
		Replicas:      s.Replicas,
	}); err != nil {
		return fmt.Errorf("setup consumer %s on %s: %w", ConsumerNotify, StreamRecords, err)
	}
	if _, err := js.CreateOrUpdateConsumer(ctx, StreamJobs, jetstream.ConsumerConfig{
		Durable:     ConsumerWorkers,
		Description: "ansokan workers",
		AckPolicy:   jetstream.AckExplicitPolicy,
		AckWait:     s.BackOff[0],
		BackOff:     s.BackOff,
		MaxDeliver:  s.MaxDeliver,
		Replicas:    s.Replicas,
	}); err != nil {
		return fmt.Errorf("setup consumer %s on %s: %w", ConsumerWorkers, StreamJobs, err)
	}
	if _, err := js.CreateOrUpdateConsumer(ctx, StreamAdvisories, jetstream.ConsumerConfig{
		Durable:     ConsumerDeadLetter,
		Description: "moves jobs that exhausted their deliveries to ansokan.dead",
		AckPolicy:   jetstream.AckExplicitPolicy,
		AckWait:     30 * time.Second,
		Replicas:    s.Replicas,
	}); err != nil {
		return fmt.Errorf("setup consumer %s on %s: %w", ConsumerDeadLetter, StreamAdvisories, err)
	}
	return nil
}

// ErrNotSetUp means the server has no ansokan streams: nobody ran serve or
// worker against it yet.
var ErrNotSetUp = errors.New("ansokan's streams and buckets are not set up on this server (start 'ansokan serve' or 'ansokan worker')")

func notSetUp(err error) error {
	if errors.Is(err, jetstream.ErrStreamNotFound) || errors.Is(err, jetstream.ErrBucketNotFound) ||
		errors.Is(err, jetstream.ErrConsumerNotFound) {
		return fmt.Errorf("%w: %w", ErrNotSetUp, err)
	}
	return err
}
