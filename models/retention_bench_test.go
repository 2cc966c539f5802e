package models_test

import (
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// retentionBenchPeople is the size of the event a retention run erases.
const retentionBenchPeople = 2000

// BenchmarkRetention2000 is the removal of the personal data of an event of
// 2,000 people (bigRetentionEvent: answers, needs, meetings profiles, a
// message to all, a waiting list). Each round builds a new event with the
// timer stopped. "sweep" is one pass of the retention job
// (models.RetentionSweep with the job's 50 batches per pass): it finds the
// event due, writes its run and works it to the end (10 batches of 200
// people, then what the mail log still holds, 200 mails a batch).
// "batch_by_batch" is the same run one batch per call
// (models.ProcessRetentionRun with maxBatches 1, so each call also claims
// and releases the run), each batch timed: ms/batch is the mean,
// ms/batch-max the slowest, ms/people-batch the mean of the first 10 (the
// ones that erase people; the rest erase the remaining mails).
//
//	go test -run '^$' -bench Retention2000 -benchtime 3x -benchmem ./models/
func BenchmarkRetention2000(b *testing.B) {
	db, _ := modeltest.NewDB(b)
	b.Run("sweep", func(b *testing.B) {
		b.ReportAllocs()
		var total time.Duration // the run alone, without checking it
		for range b.N {
			b.StopTimer()
			t0 := time.Now()
			ev := bigRetentionEvent(b, db, retentionBenchPeople)
			var mails int64
			db.Model(&models.OutboxMessage{}).Where("to_addr <> ''").Count(&mails) // earlier rounds' are erased
			b.Logf("%s: built an event of %d people (%d mails in the log) in %s", modeltest.Engine(), retentionBenchPeople, mails, time.Since(t0).Round(time.Millisecond))
			now := time.Now()
			b.StartTimer()
			t1 := time.Now()
			finished, err := models.RetentionSweep(db, "bench", now, 50)
			total += time.Since(t1)
			if err != nil || finished != 1 {
				b.Fatalf("%d runs finished, %v", finished, err)
			}
			b.StopTimer()
			checkRetentionDone(b, db, ev, retentionBenchPeople)
			b.StartTimer()
		}
		b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/run")
	})
	b.Run("batch_by_batch", func(b *testing.B) {
		b.ReportAllocs()
		var sum, slowest, people time.Duration
		calls, peopleCalls := 0, 0
		peopleBatches := retentionBenchPeople / models.RetentionBatch
		for range b.N {
			b.StopTimer()
			ev := bigRetentionEvent(b, db, retentionBenchPeople)
			now := time.Now()
			run, err := models.StartRetentionRun(db, *ev, models.ScheduledRetentionKey, models.AuditEntry{}, now)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			for k, done := 0, false; !done; k++ {
				t0 := time.Now()
				done, err = models.ProcessRetentionRun(db, run.ID, "bench", now, 1)
				d := time.Since(t0)
				if err != nil {
					b.Fatal(err)
				}
				sum, slowest, calls = sum+d, max(slowest, d), calls+1
				if k < peopleBatches {
					people, peopleCalls = people+d, peopleCalls+1
				}
				if calls > b.N*50 {
					b.Fatalf("run %d not finished after %d batches", run.ID, calls)
				}
			}
			b.StopTimer()
			checkRetentionDone(b, db, ev, retentionBenchPeople)
			b.StartTimer()
		}
		b.ReportMetric(float64(calls)/float64(b.N), "batches")
		b.ReportMetric(float64(sum.Microseconds())/1000/float64(calls), "ms/batch")
		b.ReportMetric(float64(slowest.Microseconds())/1000, "ms/batch-max")
		// The first 10 batches erase the people; the rest only the mail log.
		b.ReportMetric(float64(people.Microseconds())/1000/float64(peopleCalls), "ms/people-batch")
	})
}
