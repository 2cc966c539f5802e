package models_test

import (
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// groupOrderInput is a group of three: the buyer's own place (their
// address) and two delegates with addresses of their own.
func groupOrderInput(t *testing.T, db *gorm.DB, ev *models.Event, tt *models.TicketType) models.PlaceOrderInput {
	in := orderInput(t, db, ev, tt, 3)
	in.Attendees[0].Email = "ANA@example.org " // the buyer's, typed differently
	return in
}

type mailRow struct{ Kind, To string }

func outboxRows(t *testing.T, db *gorm.DB) []mailRow {
	t.Helper()
	var ms []models.OutboxMessage
	if err := db.Order("id").Find(&ms).Error; err != nil {
		t.Fatal(err)
	}
	var out []mailRow
	for _, m := range ms {
		out = append(out, mailRow{m.Kind, m.To})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind+out[i].To < out[j].Kind+out[j].To })
	return out
}

func sameRows(t *testing.T, got []mailRow, want ...mailRow) {
	t.Helper()
	sort.Slice(want, func(i, j int) bool { return want[i].Kind+want[i].To < want[j].Kind+want[j].To })
	if len(got) != len(want) {
		t.Fatalf("outbox %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("outbox %v, want %v", got, want)
		}
	}
}

// A free group order mails the buyer the whole order and each delegate
// their own ticket, once per person however often it is queued.
func TestQueueConfirmationsOncePerPerson(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 5)
	o := place(t, db, groupOrderInput(t, db, ev, tt))
	want := []mailRow{{models.MailOrderConfirmation, "ana@example.org"},
		{models.MailAttendeeConfirmation, "p2@example.org"}, {models.MailAttendeeConfirmation, "p3@example.org"}}
	sameRows(t, outboxRows(t, db), want...)
	if err := models.QueueConfirmations(db, o.ID); err != nil {
		t.Fatal(err)
	}
	sameRows(t, outboxRows(t, db), want...)

	// A resend is new mail, once per suffix; a cancelled delegate gets none.
	if _, err := models.CancelAttendee(db, o.Attendees[2].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := models.ResendConfirmations(db, o.ID, "staff-1"); err != nil {
			t.Fatal(err)
		}
	}
	sameRows(t, outboxRows(t, db), append(want, mailRow{models.MailOrderConfirmation, "ana@example.org"},
		mailRow{models.MailAttendeeConfirmation, "p2@example.org"})...)
	if err := models.ResendConfirmations(db, o.ID, ""); err == nil {
		t.Fatal("a resend without a suffix was accepted")
	}
}

// A paid group order mails nobody while pending, and everyone once when
// the payment confirms it (twice confirmed: still once).
func TestConfirmOrderQueuesDelegates(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 2500, 5)
	o := place(t, db, groupOrderInput(t, db, ev, tt))
	if o.Status != models.OrderPending {
		t.Fatalf("status %s", o.Status)
	}
	sameRows(t, outboxRows(t, db))
	for i := 0; i < 2; i++ {
		if _, err := models.ConfirmOrder(db, o.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	sameRows(t, outboxRows(t, db), mailRow{models.MailOrderConfirmation, "ana@example.org"},
		mailRow{models.MailAttendeeConfirmation, "p2@example.org"}, mailRow{models.MailAttendeeConfirmation, "p3@example.org"})
}

// Each attendee has their own link; an order's secret is not one, and a
// link loads its attendee only.
func TestAttendeeByLink(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 5)
	o := place(t, db, groupOrderInput(t, db, ev, tt))
	seen := map[string]bool{}
	for _, a := range o.Attendees {
		if !models.LooksLikeSecret(a.LinkSecret) || seen[a.LinkSecret] || a.LinkSecret == o.Secret || a.LinkSecret == a.QRSecret {
			t.Fatalf("link secret %q", a.LinkSecret)
		}
		seen[a.LinkSecret] = true
	}
	at, err := models.AttendeeByLink(db, o.Attendees[1].LinkSecret)
	if err != nil || at.ID != o.Attendees[1].ID || at.Order.ID != o.ID || at.Order.Event.ID != ev.ID || len(at.Order.Attendees) != 0 {
		t.Fatalf("by link: %+v %v", at, err)
	}
	ls := o.Attendees[1].LinkSecret
	other := "A" // a different last character: one wrong letter
	if ls[42:] == "A" {
		other = "B"
	}
	for _, bad := range []string{o.Secret, o.Attendees[1].QRSecret, "short", ls[:42] + other} {
		if _, err := models.AttendeeByLink(db, bad); !errors.Is(err, gorm.ErrRecordNotFound) {
			t.Fatalf("%q: %v", bad, err)
		}
	}
}

// Migration 13's backfill gives every attendee without a link a distinct one.
func TestBackfillAttendeeLinkSecrets(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 5)
	place(t, db, groupOrderInput(t, db, ev, tt))
	place(t, db, orderInput(t, db, ev, tt, 2))
	for _, q := range []string{"DROP INDEX idx_attendees_link_secret", "UPDATE attendees SET link_secret = ''"} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Transaction(models.BackfillAttendeeLinkSecrets); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("CREATE UNIQUE INDEX idx_attendees_link_secret ON attendees (link_secret)").Error; err != nil {
		t.Fatalf("secrets not distinct: %v", err)
	}
	var ss []string
	db.Model(&models.Attendee{}).Pluck("link_secret", &ss)
	if len(ss) != 5 {
		t.Fatalf("%d attendees", len(ss))
	}
	for _, s := range ss {
		if !models.LooksLikeSecret(s) {
			t.Fatalf("secret %q", s)
		}
	}
}

// The lost-link form sends a delegate their own link, and the buyer the
// order's (a buyer who is also an attendee gets only the order's).
func TestResendLinksReachDelegates(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 5)
	place(t, db, groupOrderInput(t, db, ev, tt))
	db.Where("1 = 1").Delete(&models.OutboxMessage{})
	now := time.Now()
	for _, e := range []string{"P2@example.org", "ana@example.org", "nobody@example.org"} {
		if err := models.ResendOrderLinks(db, ev.ID, e, now); err != nil {
			t.Fatal(err)
		}
	}
	sameRows(t, outboxRows(t, db), mailRow{models.MailAttendeeLink, "p2@example.org"}, mailRow{models.MailOrderLink, "ana@example.org"})
}

// Details change with the registration form's checks; only active people.
func TestUpdateAttendeeDetails(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 5)
	o := place(t, db, groupOrderInput(t, db, ev, tt))
	id := o.Attendees[1].ID
	long := make([]byte, models.MaxNameLen+1)
	for i := range long {
		long[i] = 'x'
	}
	var ve *models.ValidationError
	err := models.UpdateAttendeeDetails(db, id, models.AttendeeDetails{Name: "  ", Organization: string(long), Needs: models.AccessNeeds{Dietary: string(long) + string(long) + string(long)}}, time.Now())
	if !errors.As(err, &ve) {
		t.Fatalf("err %v", err)
	}
	got := map[string]string{}
	for _, p := range ve.Problems {
		got[p.Field] = p.Code
	}
	if got["name"] != models.ProblemRequired || got["organization"] != models.ProblemTooLong || got["needs.dietary"] != models.ProblemTooLong || len(got) != 3 {
		t.Fatalf("problems %v", got)
	}
	if err := models.UpdateAttendeeDetails(db, id, models.AttendeeDetails{Name: " Lucía Gómez ", Organization: "Hospital", Needs: models.AccessNeeds{StepFree: true}, NeedsNote: "Guide dog"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	var a models.Attendee
	db.Take(&a, id)
	if a.Name != "Lucía Gómez" || a.Organization != "Hospital" || !a.Needs.StepFree || a.NeedsNote != "Guide dog" || a.Email != "p2@example.org" {
		t.Fatalf("saved %+v", a)
	}
	if _, err := models.CancelAttendee(db, id, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := models.UpdateAttendeeDetails(db, id, models.AttendeeDetails{Name: "X"}, time.Now()); !errors.Is(err, models.ErrAttendeeNotActive) {
		t.Fatalf("cancelled: %v", err)
	}
}

// The buyer cancels the whole order while a delegate cancels themselves,
// from several instances at once: each place is freed once, the counters
// agree with the rows, and the order ends cancelled.
func TestRaceBuyerCancelsWhileDelegateCancels(t *testing.T) {
	db, dsn := regDB(t)
	ev := openEvent(t, db, 20)
	tt := ticketType(t, db, ev.ID, 20, 0, 5)
	s := signupSession(t, db, ev.ID, 20)
	pools := append([]*gorm.DB{db}, extraPools(t, dsn, 2)...)
	for round := 0; round < 8; round++ {
		o := place(t, db, orderInput(t, db, ev, tt, 3, s.ID))
		var wg sync.WaitGroup
		errs := make([]error, 3)
		start := make(chan struct{})
		for i := 0; i < 3; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				p := pools[i%len(pools)]
				if i == 0 {
					_, errs[i] = models.CancelOrder(p, o.ID, time.Now())
				} else {
					_, errs[i] = models.CancelOwnPlace(p, o.Attendees[i].ID, time.Now())
				}
			}(i)
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if err := models.CheckCounters(db); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		var got models.Order
		db.Take(&got, o.ID)
		if got.Status != models.OrderCancelled {
			t.Fatalf("round %d: order %s", round, got.Status)
		}
		for _, table := range []string{"events", "ticket_types", "sessions"} {
			id := map[string]uint{"events": ev.ID, "ticket_types": tt.ID, "sessions": s.ID}[table]
			if n := placesTaken(t, db, table, id); n != 0 {
				t.Fatalf("round %d: %s places_taken %d", round, table, n)
			}
		}
	}
}

// A delegate cancelling their own place is told once; the buyer's own
// place (their address) gets no separate mail.
func TestCancelOwnPlaceTellsTheDelegate(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 5)
	o := place(t, db, groupOrderInput(t, db, ev, tt))
	db.Where("1 = 1").Delete(&models.OutboxMessage{})
	for i := 0; i < 2; i++ {
		done, err := models.CancelOwnPlace(db, o.Attendees[1].ID, time.Now())
		if err != nil || done != (i == 0) {
			t.Fatalf("cancel %d: %v %v", i, done, err)
		}
	}
	if done, err := models.CancelOwnPlace(db, o.Attendees[0].ID, time.Now()); err != nil || !done {
		t.Fatalf("buyer's place: %v %v", done, err)
	}
	sameRows(t, outboxRows(t, db), mailRow{models.MailAttendeeCancelled, "p2@example.org"})
	var got models.Order
	db.Take(&got, o.ID)
	if got.Status != models.OrderConfirmed {
		t.Fatalf("order %s with one person left", got.Status)
	}
}
