// Package queue runs ansokan as a service on NATS JetStream: file bodies in
// an Object Store bucket, jobs on a work-queue stream shared by every
// worker, records, alerts and dead letters on their own streams, and a
// status per file in a Key-Value bucket. It wraps the pure
// bytes-to-record core (normalizer.ReadInput, normalizer.Normalize); nothing
// in the core imports it.
//
// A job names its files by object (the file's SHA-256), so payloads stay
// small. One job is one record: a plain submission has one job per file; a
// submission with an id (submit --submission ID) has one job listing all
// of its files.
//
// The embedded server admits only its identities (worker, client, admin;
// see Identity and Permissions): there is no open server. A record larger
// than a message is an object in BucketRecords (HeaderRecordObject), read
// back with RecordData.
//
// See "The pipeline" in README.md at the module root for the subjects,
// streams, buckets and consumer settings.
package queue
