package models_test

import (
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// retentionBenchPeople is the size of the event a retention run erases.
const retentionBenchPeople = 2000

// BenchmarkRetention2000 is the removal of the personal data of an event of
// 2,000 people (bigRetentionEvent: answers, needs, meetings profiles, a
// message to all, a waiting list). Each round builds a new event with the
// timer stopped; each sub-benchmark has a database of its own, since the
// cost of a batch grows with the rest of the site.
//
// "sweep" is one pass of the retention job (models.RetentionSweep with the
// job's 50 batches per pass): it finds the event due, writes its run and
// works it to the end (10 batches of 200 people, then what the mail log
// still holds, 200 mails a batch). "sweep_site_with_100k_mails" is the same
// on a site whose mail log already holds 100,000 mails of other events.
// "batch_by_batch" is the same run one batch per call
// (models.ProcessRetentionRun with maxBatches 1, so each call also claims
// and releases the run), each batch timed: ms/batch is the mean,
// ms/batch-max the slowest, ms/people-batch the mean of the first 10 (the
// ones that erase people; the rest erase the remaining mails).
// "owner_now_10_batches" is what an owner's "anonymise now" does in the
// request (models.AnonymiseEventNow with the page's 10 batches); the rest
// of the run is finished afterwards, untimed, as the job would.
//
//	go test -run '^$' -bench Retention2000 -benchtime 3x -benchmem ./models/
func BenchmarkRetention2000(b *testing.B) {
	b.Run("sweep", func(b *testing.B) {
		db, _ := modeltest.NewDB(b)
		benchRetentionSweep(b, db)
	})
	b.Run("sweep_site_with_100k_mails", func(b *testing.B) {
		db, _ := modeltest.NewDB(b)
		seedOtherMails(b, db, 100_000)
		b.ResetTimer()
		benchRetentionSweep(b, db)
	})
	b.Run("batch_by_batch", func(b *testing.B) {
		db, _ := modeltest.NewDB(b)
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
		b.ReportMetric(float64(people.Microseconds())/1000/float64(peopleCalls), "ms/people-batch")
	})
	b.Run("owner_now_10_batches", func(b *testing.B) {
		db, _ := modeltest.NewDB(b)
		b.ReportAllocs()
		uid := uint(1)
		by := models.AuditEntry{ActorUserID: &uid, ActorEmail: "owner@retention.example", IP: "192.0.2.1"}
		for range b.N {
			b.StopTimer()
			ev := bigRetentionEvent(b, db, retentionBenchPeople)
			now := time.Now()
			b.StartTimer()
			run, _, err := models.AnonymiseEventNow(db, *ev, by, "bench-request", now, 10)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			var left int64
			db.Model(&models.Attendee{}).Where("event_id = ? AND anonymised_at IS NULL", ev.ID).Count(&left)
			if left != 0 {
				b.Fatalf("%d people left after 10 batches", left)
			}
			if _, err := models.ProcessRetentionRun(db, run.ID, "bench-job", now, 50); err != nil {
				b.Fatal(err)
			}
			checkRetentionDone(b, db, ev, retentionBenchPeople)
			b.StartTimer()
		}
	})
}

// benchRetentionSweep times one job pass over a new event per round.
func benchRetentionSweep(b *testing.B, db *gorm.DB) {
	b.ReportAllocs()
	var total time.Duration // the run alone, without checking it
	for range b.N {
		b.StopTimer()
		t0 := time.Now()
		ev := bigRetentionEvent(b, db, retentionBenchPeople)
		var mails int64
		db.Model(&models.OutboxMessage{}).Where("to_addr <> ''").Count(&mails) // earlier rounds' are erased
		b.Logf("%s: built an event of %d people (%d unerased mails in the log) in %s", modeltest.Engine(), retentionBenchPeople, mails, time.Since(t0).Round(time.Millisecond))
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
}

// seedOtherMails writes n sent mails of other events' orders into the mail
// log, as a site with many events has.
func seedOtherMails(b *testing.B, db *gorm.DB, n int) {
	b.Helper()
	sent := time.Now().UTC()
	rows := make([]models.OutboxMessage, 0, 1000)
	for lo := 0; lo < n; lo += 1000 {
		rows = rows[:0]
		for i := lo; i < min(lo+1000, n); i++ {
			rows = append(rows, models.OutboxMessage{To: fmt.Sprintf("other%d@example.org", i), Subject: "Your registration", TextBody: "Dear someone",
				Language: "en", Kind: models.MailOrderConfirmation, RefID: uint(1_000_000 + i), DedupeKey: fmt.Sprintf("bench-other:%d", i),
				Status: models.OutboxSent, NextAttemptAt: sent, SentAt: &sent})
		}
		if err := db.CreateInBatches(rows, 500).Error; err != nil {
			b.Fatal(err)
		}
	}
}
