package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/normalizer"
)

// Reprocess queues again, through the current extractor, the jobs whose
// files are done and still in the files bucket:
//
//   - since == "": jobs whose record was made by a producer version older
//     than the current one (normalizer.Version);
//   - since == V: jobs whose record was made by version V or later, the
//     current one included (after fixing a bug that V introduced;
//     "0" takes every job).
//
// Each queued job publishes a new record, also when the version did not
// change. Failed jobs are not taken (submit their files again). Jobs
// whose objects are gone are skipped and counted in skipped.
func (c *Client) Reprocess(ctx context.Context, since string) (queued []Receipt, skipped int, err error) {
	keys, err := c.status.Keys(ctx)
	if err != nil {
		if errors.Is(err, jetstream.ErrNoKeysFound) {
			return nil, 0, nil
		}
		return nil, 0, fmt.Errorf("reprocess: list %s: %w", BucketStatus, err)
	}
	run := time.Now().UTC().Format("20060102T150405.000000000Z")
	seen := map[string]bool{}
	for _, key := range keys {
		st, _, err := getStatus(ctx, c.status, key)
		if err != nil {
			return queued, skipped, fmt.Errorf("reprocess: %w", err)
		}
		if st == nil || st.State != StateDone || st.Job == nil || st.Record == nil || seen[st.Job.ID] {
			continue
		}
		seen[st.Job.ID] = true
		v := st.Record.Version
		if since == "" && compareVersions(v, normalizer.Version) >= 0 || since != "" && compareVersions(v, since) < 0 {
			continue
		}
		r, err := c.requeue(ctx, st.Job, run)
		if errors.Is(err, errObjectsGone) {
			skipped++
			continue
		}
		if err != nil {
			return queued, skipped, err
		}
		queued = append(queued, r)
	}
	return queued, skipped, nil
}

// ReprocessJob queues again, through the current extractor, the job
// the file sha was last part of (whatever version made its record): the
// web inbox's Omkör of one application. The job must be done (a failed
// one is submitted again instead) and its files still stored.
func (c *Client) ReprocessJob(ctx context.Context, sha string) (Receipt, error) {
	st, _, err := getStatus(ctx, c.status, sha)
	if err != nil {
		return Receipt{}, fmt.Errorf("reprocess: %w", err)
	}
	if st == nil || st.Job == nil {
		return Receipt{}, fmt.Errorf("reprocess %s: never submitted", sha)
	}
	if st.State != StateDone {
		return Receipt{}, fmt.Errorf("reprocess %s (%s): the job is %s, not done", st.Name, sha, st.State)
	}
	r, err := c.requeue(ctx, st.Job, time.Now().UTC().Format("20060102T150405.000000000Z"))
	if err != nil {
		return Receipt{}, fmt.Errorf("reprocess %s: %w", st.Name, err)
	}
	return r, nil
}

// errObjectsGone: a job's files are no longer in the files bucket.
var errObjectsGone = errors.New("the job's files are no longer stored")

// requeue queues the job again as reprocess run run.
func (c *Client) requeue(ctx context.Context, prev *Job, run string) (Receipt, error) {
	job := *prev
	job.Reprocess, job.Attempt, job.Received = run, 0, time.Now().UTC()
	if !c.haveObjects(ctx, &job) {
		return Receipt{}, errObjectsGone
	}
	if err := setStatus(ctx, c.status, &job, StateReceived, func(s *Status) { s.LastError, s.RetryAt = "", nil }); err != nil {
		return Receipt{}, fmt.Errorf("reprocess: %w", err)
	}
	body, err := json.Marshal(&job)
	if err != nil {
		return Receipt{}, fmt.Errorf("reprocess job %s: %w", job.ID, err)
	}
	ack, err := c.js.Publish(ctx, SubjectJobs, body, jetstream.WithMsgID(job.msgID()))
	if err != nil {
		return Receipt{}, fmt.Errorf("reprocess job %s: %w", job.ID, explainStore(err))
	}
	return Receipt{Job: &job, Duplicate: ack.Duplicate, State: StateReceived, Seq: ack.Sequence}, nil
}

func (c *Client) haveObjects(ctx context.Context, j *Job) bool {
	for _, f := range j.Files {
		info, err := c.files.GetInfo(ctx, f.Object)
		if err != nil || info.Deleted {
			return false
		}
	}
	return true
}

// compareVersions compares dotted versions ("0.2.0", "v1.10") part by
// part, numerically where both parts are numbers.
func compareVersions(a, b string) int {
	as := strings.Split(strings.TrimPrefix(a, "v"), ".")
	bs := strings.Split(strings.TrimPrefix(b, "v"), ".")
	for i := range max(len(as), len(bs)) {
		x, y := "0", "0"
		if i < len(as) {
			x = as[i]
		}
		if i < len(bs) {
			y = bs[i]
		}
		xn, xerr := strconv.Atoi(x)
		yn, yerr := strconv.Atoi(y)
		switch {
		case xerr == nil && yerr == nil && xn != yn:
			if xn < yn {
				return -1
			}
			return 1
		case (xerr != nil || yerr != nil) && x != y:
			return strings.Compare(x, y)
		}
	}
	return 0
}
