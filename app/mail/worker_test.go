package mail_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func newWorker(t *testing.T, db *gorm.DB, id string, s mail.Sender) *mail.Worker {
	t.Helper()
	r, err := mail.NewRenderer(db, "https://agora.example.org")
	if err != nil {
		t.Fatal(err)
	}
	return &mail.Worker{DB: db, Sender: s, Renderer: r, InstanceID: id, Batch: 5, Log: slog.New(slog.DiscardHandler)}
}

func TestEnqueueIsDedupedAndTransactional(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	now := time.Now().UTC()
	enqueuePlain(t, db, 3, now)
	enqueuePlain(t, db, 3, now) // the same keys again: no-op
	var n int64
	db.Model(&models.OutboxMessage{}).Count(&n)
	if n != 3 {
		t.Fatalf("messages = %d, want 3", n)
	}
	// A rolled-back change leaves no mail behind.
	_ = db.Transaction(func(tx *gorm.DB) error {
		_ = models.Enqueue(tx, &models.OutboxMessage{To: "y@example.org", Subject: "s", DedupeKey: "rolled-back",
			Attachments: []models.OutboxAttachment{{Filename: "a.txt", ContentType: "text/plain", Content: []byte("x")}}})
		return context.Canceled
	})
	db.Model(&models.OutboxMessage{}).Where("dedupe_key = ?", "rolled-back").Count(&n)
	if n != 0 {
		t.Fatal("mail of a rolled-back change was kept")
	}
}

func TestTwoWorkersDeliverEachMessageOnce(t *testing.T) {
	db, dsn := modeltest.NewDB(t)
	now := time.Now().UTC()
	enqueuePlain(t, db, 60, now.Add(-time.Second))
	other, err := models.Open(dsn, models.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s, err := other.DB(); err == nil {
			s.Close()
		}
	})
	rec := &recorder{}
	workers := []*mail.Worker{newWorker(t, db, "instance-a", rec), newWorker(t, other, "instance-b", rec)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, w := range workers {
		w.Interval = 10 * time.Millisecond
		wg.Add(1)
		go func(w *mail.Worker) { defer wg.Done(); w.Run(ctx) }(w)
	}
	for rec.count() < 60 && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // time for a duplicate to show up, if there were one
	cancel()
	wg.Wait()
	if rec.count() != 60 {
		t.Fatalf("sent %d, want exactly 60", rec.count())
	}
	var pending, claimedBy int64
	db.Model(&models.OutboxMessage{}).Where("status <> ?", models.OutboxSent).Count(&pending)
	db.Model(&models.OutboxMessage{}).Distinct("claimed_by").Count(&claimedBy)
	if pending != 0 {
		t.Fatalf("%d messages not marked sent", pending)
	}
	t.Logf("claimed by %d instances", claimedBy)
}

func TestExpiredLeaseIsClaimedAgain(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	now := time.Now().UTC()
	enqueuePlain(t, db, 1, now)
	got, err := models.ClaimDue(db, "crashed", now, time.Minute, 10)
	if err != nil || len(got) != 1 {
		t.Fatalf("first claim: %v %v", got, err)
	}
	// The first instance "crashes": it never marks the message.
	if again, _ := models.ClaimDue(db, "other", now.Add(30*time.Second), time.Minute, 10); len(again) != 0 {
		t.Fatal("a live lease was claimed twice")
	}
	again, err := models.ClaimDue(db, "other", now.Add(61*time.Second), time.Minute, 10)
	if err != nil || len(again) != 1 || again[0].ClaimedBy != "other" || again[0].Attempts != 2 {
		t.Fatalf("after lease: %+v %v", again, err)
	}
}

func TestFailedSendsRetryWithBackoff(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	now := time.Now().UTC()
	enqueuePlain(t, db, 1, now)
	rec := &recorder{fail: errDown}
	w := newWorker(t, db, "a", rec)
	clock := now
	w.Now = func() time.Time { return clock }
	ctx := context.Background()
	if n, _ := w.RunOnce(ctx); n != 1 {
		t.Fatal("not claimed")
	}
	var m models.OutboxMessage
	db.Take(&m)
	if d := m.NextAttemptAt.Sub(now); m.Status != models.OutboxPending || m.Attempts != 1 ||
		!strings.Contains(m.LastError, "server down") || d < 29*time.Second || d > 31*time.Second {
		t.Fatalf("after failure: %+v", m)
	}
	clock = now.Add(10 * time.Second)
	if n, _ := w.RunOnce(ctx); n != 0 {
		t.Fatal("retried before the backoff")
	}
	clock = now.Add(31 * time.Second)
	if n, _ := w.RunOnce(ctx); n != 1 {
		t.Fatal("not retried after the backoff")
	}
	db.Take(&m)
	if d := m.NextAttemptAt.Sub(clock); d < 59*time.Second || d > 61*time.Second {
		t.Fatalf("second backoff %v, want 60s", d)
	}
	// Keep failing until the last attempt: then it is failed for good.
	for i := 0; i < models.OutboxMaxAttempts; i++ {
		clock = clock.Add(models.OutboxMaxBackoff + time.Second)
		w.RunOnce(ctx)
	}
	db.Take(&m)
	if m.Status != models.OutboxFailed || m.Attempts != models.OutboxMaxAttempts {
		t.Fatalf("after max attempts: status %s attempts %d", m.Status, m.Attempts)
	}
	// The server comes back: a fresh message goes out and is marked sent.
	rec.fail = nil
	enqueueKeyed(t, db, "later-", 2, clock)
	w.RunOnce(ctx)
	if rec.count() != 2 {
		t.Fatalf("sent %d after recovery, want 2", rec.count())
	}
	var later models.OutboxMessage
	db.Where("dedupe_key = ?", "later-aa").Take(&later)
	if got := status(t, db, later.ID); got.Status != models.OutboxSent || got.SentAt == nil {
		t.Fatalf("recovered message: %+v", got)
	}
}

func TestConfirmationRendersInBothLanguages(t *testing.T) {
	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			db, _ := modeltest.NewDB(t)
			o := registration(t, db, lang)
			rec := &recorder{}
			w := newWorker(t, db, "a", rec)
			w.RunOnce(context.Background())
			if rec.count() != 1 {
				t.Fatalf("sent %d mails, want 1", rec.count())
			}
			m := rec.sent[0]
			wantSubject := map[string]string{"en": "You are registered: ", "es": "Inscripción confirmada: "}[lang]
			if m.To != o.BuyerEmail || !strings.HasPrefix(m.Subject, wantSubject) {
				t.Fatalf("to %q subject %q", m.To, m.Subject)
			}
			link := "https://agora.example.org/orders/" + o.Secret
			for _, body := range []string{m.Text, m.HTML} {
				for _, want := range []string{link, o.Code + "-1", o.Code + "-2", "Agora on home care"} {
					if !strings.Contains(body, want) {
						t.Fatalf("body lacks %q:\n%s", want, body)
					}
				}
			}
			if strings.Contains(m.HTML, "<b>Pérez</b>") || !strings.Contains(m.HTML, "&lt;b&gt;P") {
				t.Fatal("attendee name not escaped in HTML")
			}
			var pngs, ics int
			for _, a := range m.Attachments {
				switch {
				case a.ContentType == "image/png" && a.ContentID != "" && strings.HasPrefix(string(a.Data), "\x89PNG"):
					pngs++
					if !strings.Contains(m.HTML, "cid:"+a.ContentID) {
						t.Fatalf("QR %s not shown in the HTML", a.ContentID)
					}
				case a.ContentType == "text/calendar" && strings.HasSuffix(a.Filename, ".ics"):
					ics++
					if !strings.Contains(string(a.Data), "BEGIN:VEVENT") || strings.Count(string(a.Data), "BEGIN:VEVENT") != 2 {
						t.Fatalf("ics: %s", a.Data)
					}
				}
			}
			if pngs != 2 || ics != 1 {
				t.Fatalf("attachments: %d QR PNGs, %d ics; want 2 and 1", pngs, ics)
			}
		})
	}
}

func TestOfferLinkAndCancelMailsRender(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	o := registration(t, db, "es")
	now := time.Now().UTC()
	if _, err := models.JoinWaitlist(db, models.JoinWaitlistInput{EventID: o.EventID, Name: "Wendy", Email: "wendy@example.org", Language: "en", Now: now}); err != nil {
		t.Fatal(err)
	}
	// An event without capacity offers at once; a link resend and a cancel follow.
	if err := models.ResendOrderLinks(db, o.EventID, "ANA-ES@example.org ", now); err != nil {
		t.Fatal(err)
	}
	if err := models.ResendOrderLinks(db, o.EventID, "ana-es@example.org", now); err != nil { // same 10 minutes: once
		t.Fatal(err)
	}
	if err := models.ResendOrderLinks(db, o.EventID, "nobody@example.org", now); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	w := newWorker(t, db, "a", rec)
	w.RunOnce(context.Background())
	subjects := map[string]mail.Message{}
	for _, m := range rec.sent {
		subjects[m.Subject] = m
	}
	offer, ok := subjects["A place is free for you: Event forum-es"]
	if !ok || offer.To != "wendy@example.org" || !strings.Contains(offer.Text, "https://agora.example.org/waitlist/") {
		t.Fatalf("offer mail missing or wrong; got subjects %v", keysOf(subjects))
	}
	link, ok := subjects["El enlace de su inscripción: Event forum-es"]
	if !ok || !strings.Contains(link.Text, o.Secret) {
		t.Fatalf("link mail missing; got %v", keysOf(subjects))
	}
	if len(rec.sent) != 3 {
		t.Fatalf("sent %d mails, want confirmation, offer, link", len(rec.sent))
	}
	if _, err := models.CancelOrder(db, o.ID, now); err != nil {
		t.Fatal(err)
	}
	w.RunOnce(context.Background())
	if _, ok := lastBySubject(rec, "Inscripción cancelada: Event forum-es"); !ok {
		t.Fatal("no cancel mail")
	}
}

func keysOf(m map[string]mail.Message) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func lastBySubject(r *recorder, s string) (mail.Message, bool) {
	for i := len(r.sent) - 1; i >= 0; i-- {
		if r.sent[i].Subject == s {
			return r.sent[i], true
		}
	}
	return mail.Message{}, false
}
