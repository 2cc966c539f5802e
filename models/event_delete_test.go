package models_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// deletableEvent is a networking event with four people in one order, a
// second order by another buyer (one address written in capitals), a
// person waiting, a meeting booked and a request open.
func deletableEvent(t *testing.T, db *gorm.DB) *netEvent {
	t.Helper()
	n := newNetEvent(t, db, 4, 2, 1, models.NetworkingSetting{})
	tt, _ := models.TicketTypesOf(db, n.ev.ID)
	in := orderInput(t, db, n.ev, &tt[0], 2)
	in.BuyerEmail, in.Attendees[0].Email, in.Attendees[1].Email = "carl@example.org", "P1@EXAMPLE.ORG", "p2@example.org"
	place(t, db, in)
	if err := db.Create(&models.WaitlistEntry{EventID: n.ev.ID, Name: "Dave", Email: "dave@example.org", Language: "es", Status: models.WaitlistWaiting}).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := models.OrganizerBookMeeting(db, models.OrganizerBookInput{EventID: n.ev.ID, SlotID: n.slots[0].ID, A: n.people[0].ID, B: n.people[1].ID, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	n.request(t, db, 2, 3, 1)
	return n
}

func TestDeleteEventCancelsEverythingAndTellsEachPersonOnce(t *testing.T) {
	db, _ := meetDB(t)
	n := deletableEvent(t, db)
	other := openEvent(t, db, 0) // untouched neighbour
	sum, err := models.EventDeletionPreview(db, n.ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	// ana (buyer), p1..p4, carl, dave: p1 twice (case differs) counts once.
	if sum.Paid || sum.LiveOrders != 2 || sum.People != 7 {
		t.Fatalf("preview: %+v", sum)
	}
	if err := models.DeleteEvent(db, n.ev.ID, time.Now()); err != nil {
		t.Fatalf("DeleteEvent: %v", err)
	}
	var e models.Event
	db.Take(&e, n.ev.ID)
	if e.Status != models.StatusDeleted || e.Slug == n.ev.Slug || !models.ValidSlug(e.Slug) || e.PlacesTaken != 0 {
		t.Fatalf("deleted event: status %s slug %s places %d", e.Status, e.Slug, e.PlacesTaken)
	}
	var live, activeAtt, waiting, meetings, pending, listed int64
	db.Model(&models.Order{}).Where("event_id = ? AND status IN ?", n.ev.ID, []string{models.OrderPending, models.OrderConfirmed}).Count(&live)
	db.Model(&models.Attendee{}).Where("event_id = ? AND status = ?", n.ev.ID, models.AttendeeActive).Count(&activeAtt)
	db.Model(&models.WaitlistEntry{}).Where("event_id = ? AND status = ?", n.ev.ID, models.WaitlistWaiting).Count(&waiting)
	db.Model(&models.Meeting{}).Where("event_id = ? AND status = ?", n.ev.ID, models.MeetingActive).Count(&meetings)
	db.Model(&models.MeetingRequest{}).Where("event_id = ? AND status = ?", n.ev.ID, models.RequestPending).Count(&pending)
	db.Model(&models.MeetingParticipant{}).Where("event_id = ? AND active = ?", n.ev.ID, true).Count(&listed)
	if live+activeAtt+waiting+meetings+pending+listed != 0 {
		t.Fatalf("left live: orders %d attendees %d waiting %d meetings %d requests %d listed %d", live, activeAtt, waiting, meetings, pending, listed)
	}
	var to []string
	db.Model(&models.OutboxMessage{}).Where("kind = ?", models.MailEventDeleted).Order("to_addr").Pluck("to_addr", &to)
	if len(to) != 7 {
		t.Fatalf("deletion notices: %v", to)
	}
	if outboxCount(t, db, models.MailOrderCancelled) != 0 {
		t.Fatal("a per-order cancellation mail was queued as well")
	}
	var lang string
	db.Model(&models.OutboxMessage{}).Where("kind = ? AND to_addr = ?", models.MailEventDeleted, "dave@example.org").Pluck("language", &lang)
	if lang != "es" {
		t.Fatalf("dave's notice in %q", lang)
	}

	// Gone for the organizers, its slug free, and deleting again is not found.
	if _, err := models.EventForOrgs(db, n.ev.ID, []uint{n.ev.OrganizationID}); !errors.Is(err, gorm.ErrRecordNotFound) {
		t.Fatalf("deleted event still opens: %v", err)
	}
	es, _ := models.EventsForOrgs(db, []uint{n.ev.OrganizationID})
	for _, x := range es {
		if x.ID == n.ev.ID {
			t.Fatal("deleted event listed")
		}
	}
	if err := models.DeleteEvent(db, n.ev.ID, time.Now()); !errors.Is(err, gorm.ErrRecordNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	modeltest.Event(t, db, n.ev.OrganizationID, n.ev.Slug, models.StatusDraft)
	var otherOrders int64
	db.Model(&models.Order{}).Where("event_id = ?", other.ID).Count(&otherOrders)
	var o models.Event
	db.Take(&o, other.ID)
	if o.Status != models.StatusPublished {
		t.Fatalf("neighbour touched: %s", o.Status)
	}
}

func TestDeleteEventRefusesAnEventWithAPayment(t *testing.T) {
	for _, state := range []string{models.PaymentPaid, models.PaymentRefunded, models.PaymentPartiallyRefunded, models.PaymentProcessing} {
		t.Run(state, func(t *testing.T) {
			db, _ := regDB(t)
			ev := openEvent(t, db, 0)
			tt := ticketType(t, db, ev.ID, 0, 0, 2)
			o := place(t, db, orderInput(t, db, ev, tt, 1))
			if err := db.Create(&models.Payment{OrderID: o.ID, Provider: models.ProviderStripe, State: state, Amount: 1000, Currency: "EUR"}).Error; err != nil {
				t.Fatal(err)
			}
			if sum, _ := models.EventDeletionPreview(db, ev.ID); !sum.Paid {
				t.Fatal("preview does not see the payment")
			}
			if err := models.DeleteEvent(db, ev.ID, time.Now()); !errors.Is(err, models.ErrEventHasPayments) {
				t.Fatalf("DeleteEvent: %v", err)
			}
			var e models.Event
			db.Take(&e, ev.ID)
			var got models.Order
			db.Take(&got, o.ID)
			if e.Status != models.StatusPublished || e.Slug != ev.Slug || got.Status != models.OrderConfirmed || outboxCount(t, db, models.MailEventDeleted) != 0 {
				t.Fatalf("refused delete changed things: event %s %s, order %s", e.Status, e.Slug, got.Status)
			}
		})
	}
}

// Two organizers deleting at once (two instances): one wins, each person
// is told once, counters stay right.
func TestDeleteEventRacedDeletesOnce(t *testing.T) {
	db, dsn := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 3)
	place(t, db, orderInput(t, db, ev, tt, 3))
	pools := append(extraPools(t, dsn, 2), db)
	var wg sync.WaitGroup
	errs := make([]error, len(pools))
	for i, p := range pools {
		wg.Add(1)
		go func(i int, p *gorm.DB) {
			defer wg.Done()
			errs[i] = models.DeleteEvent(p, ev.ID, time.Now())
		}(i, p)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, gorm.ErrRecordNotFound):
		default:
			t.Fatalf("delete: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d deletes succeeded: %v", ok, errs)
	}
	if n := outboxCount(t, db, models.MailEventDeleted); n != 4 { // ana + p1..p3
		t.Fatalf("%d notices", n)
	}
}
