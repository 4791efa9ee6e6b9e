package queue

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/finsam/ansokan/normalizer"
)

// BenchmarkDirect is the baseline: normalizer.Process of every sample, one
// after the other, in this goroutine.
func BenchmarkDirect(b *testing.B) {
	files := sampleFiles(b)
	ctx := context.Background()
	for b.Loop() {
		for _, f := range files {
			normalizer.Process(ctx, []normalizer.File{f}, normalizer.InProcess{}, nil)
		}
	}
	b.ReportMetric(float64(b.N*len(files))/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkPipeline measures jobs to records through an embedded server
// (TCP on loopback, file store, SyncAlways) with 1, 2 and 4 workers, each
// on its own connection. Each iteration queues every sample batch times
// (as reprocess jobs, so the stored objects are reused and nothing is
// de-duplicated) and waits for all the records. Uploads are not in it;
// BenchmarkSubmit has them.
func BenchmarkPipeline(b *testing.B) {
	const batch = 4
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", n), func(b *testing.B) {
			e := newEnv(b, Settings{Duplicates: time.Minute}, 0)
			for range n {
				_, js := connect(b, e.url, e.ids[RoleWorker])
				startWorker(b, js, WorkerConfig{})
			}
			var jobs []*Job
			for _, f := range sampleFiles(b) {
				r := submit(b, e.client, f)
				if _, _, err := e.client.Wait(ctxGuard(b), r); err != nil {
					b.Fatal(err)
				}
				jobs = append(jobs, r.Job)
			}
			nc, _ := connect(b, e.url, e.ids[RoleAdmin])
			got := make(chan struct{}, 1024)
			sub, err := nc.Subscribe("ansokan.records.>", func(*nats.Msg) { got <- struct{}{} })
			if err != nil {
				b.Fatal(err)
			}
			defer sub.Unsubscribe()
			ctx := ctxGuard(b)
			run := 0
			for b.Loop() {
				run++
				for k := range batch {
					for _, j := range jobs {
						rj := *j
						rj.Reprocess = fmt.Sprintf("bench-%d-%d", run, k)
						body, _ := json.Marshal(&rj)
						if _, err := e.js.Publish(ctx, SubjectJobs, body, jetstream.WithMsgID(rj.msgID())); err != nil {
							b.Fatal(err)
						}
					}
				}
				for range batch * len(jobs) {
					select {
					case <-got:
					case <-ctx.Done():
						b.Fatal("records did not arrive")
					}
				}
			}
			b.ReportMetric(float64(b.N*batch*len(jobs))/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkSubmit measures what a client pays per file: upload (60 KB,
// the size of a sample PDF), status, job.
func BenchmarkSubmit(b *testing.B) {
	e := newEnv(b, Settings{Duplicates: time.Minute}, 0)
	ctx := ctxGuard(b)
	data := make([]byte, 60<<10)
	for b.Loop() {
		rand.Read(data)
		if _, err := e.client.Submit(ctx, []normalizer.File{{Name: "x.pdf", Data: data}}, ""); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
