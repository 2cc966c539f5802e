package models_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

func TestAddMonthsClampsToTheMonthEndInTheEventZone(t *testing.T) {
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Skip("no time zone data")
	}
	at := func(y int, m time.Month, d, h, min int, loc *time.Location) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, loc)
	}
	cases := []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"31 January + 1 is the end of February", at(2025, 1, 31, 18, 0, madrid), 1, at(2025, 2, 28, 18, 0, madrid)},
		{"in a leap year", at(2024, 1, 31, 18, 0, madrid), 1, at(2024, 2, 29, 18, 0, madrid)},
		{"31 March + 1 is 30 April", at(2025, 3, 31, 9, 0, madrid), 1, at(2025, 4, 30, 9, 0, madrid)},
		{"across the year", at(2025, 12, 31, 9, 0, madrid), 2, at(2026, 2, 28, 9, 0, madrid)},
		{"12 months from 29 February", at(2024, 2, 29, 9, 0, madrid), 12, at(2025, 2, 28, 9, 0, madrid)},
		{"120 months", at(2025, 6, 15, 9, 0, madrid), 120, at(2035, 6, 15, 9, 0, madrid)},
		// The wall clock is kept across a change of summer time.
		{"across summer time", at(2025, 10, 31, 12, 0, madrid), 6, at(2026, 4, 30, 12, 0, madrid)},
	}
	for _, c := range cases {
		if got := models.AddMonths(c.from.UTC(), c.n, madrid); !got.Equal(c.want) {
			t.Errorf("%s: %s, want %s", c.name, got.In(madrid), c.want)
		}
	}
	// The month is the event's: 31 March 01:30 in Madrid is still 30 March
	// in UTC, whose "+1 month" would be a day later.
	ev := models.Event{TimeZone: "Europe/Madrid", EndsAt: at(2025, 3, 30, 23, 30, time.UTC)}
	if got, want := models.RemovalDate(ev, 1), at(2025, 4, 29, 23, 30, time.UTC); !got.Equal(want) {
		t.Errorf("removal date %s, want %s", got, want)
	}
	// The event's own period, else the organization's, else 12 months.
	six, bad := 6, 0
	for _, c := range []struct {
		ev   *int
		org  int
		want int
	}{{&six, 24, 6}, {nil, 24, 24}, {nil, 0, 12}, {&bad, 0, 12}} {
		if got := models.EffectiveRetentionMonths(models.Event{RetentionMonths: c.ev}, models.Organization{RetentionMonths: c.org}); got != c.want {
			t.Errorf("event %v org %d: %d months, want %d", c.ev, c.org, got, c.want)
		}
	}
}

// retentionWorld is a networking event with people, answers, needs, a
// meeting request, a waiting list entry and a paid order, ended long ago.
type retentionWorld struct {
	ev        *models.Event
	people    int
	paidOrder uint
}

const (
	secretAnswer = "SECRET-ANSWER"
	secretNeed   = "SECRET-NEED"
)

func newRetentionWorld(t *testing.T, db *gorm.DB, people int) *retentionWorld {
	t.Helper()
	n := newNetEvent(t, db, people, 2, 1, models.NetworkingSetting{})
	w := &retentionWorld{ev: n.ev, people: people}
	n.request(t, db, 0, 1, 0)
	q := &models.Question{EventID: n.ev.ID, Kind: "text", Label: "Diet"}
	if err := db.Create(q).Error; err != nil {
		t.Fatal(err)
	}
	var ids []uint
	db.Model(&models.Attendee{}).Where("event_id = ?", n.ev.ID).Order("id").Pluck("id", &ids)
	for _, id := range ids[:min(3, len(ids))] {
		if err := db.Create(&models.Answer{AttendeeID: id, QuestionID: q.ID, Value: secretAnswer}).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Model(&models.Attendee{}).Where("id = ?", id).
			Updates(map[string]any{"needs_note": secretNeed, "need_dietary": secretNeed, "need_step_free": true}).Error; err != nil {
			t.Fatal(err)
		}
	}
	// One order is paid: its receipt must keep the buyer's name.
	var o models.Order
	db.Where("event_id = ?", n.ev.ID).Order("id").Take(&o)
	w.paidOrder = o.ID
	db.Model(&o).Updates(map[string]any{"buyer_name": "Paula Payer", "buyer_email": "paula@example.org", "total": 5000})
	if err := db.Create(&models.Payment{OrderID: o.ID, Provider: models.ProviderStripe, State: models.PaymentPaid, Amount: 5000, Currency: "EUR"}).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&models.WaitlistEntry{EventID: n.ev.ID, Name: "Wanda Waiting", Email: "wanda@example.org", Status: models.WaitlistWaiting}).Error; err != nil {
		t.Fatal(err)
	}
	// A message, an invitee import, a staff key and a change record, each
	// naming someone.
	var second models.Attendee
	must(t, db.Where("event_id = ?", n.ev.ID).Order("id DESC").Take(&second).Error)
	msg := &models.Message{EventID: n.ev.ID, Language: "en", Subject: "Hi", Body: "Hi", Audience: "{}", State: "sent",
		SendKey: fmt.Sprintf("k%d", n.ev.ID), SentByID: 1, SentByName: "Staff", SentByEmail: "staff@org.test"}
	must(t, db.Create(msg).Error)
	rec := &models.MessageRecipient{MessageID: msg.ID, Email: second.Email, Name: second.Name, Language: "en", AttendeeID: &second.ID}
	must(t, db.Create(rec).Error)
	must(t, db.Create(&models.MessageRecipient{MessageID: msg.ID, Email: "ana@example.org", Name: "Ana Buyer", Language: "en", OrderID: &second.OrderID}).Error)
	must(t, models.Enqueue(db, &models.OutboxMessage{To: second.Email, Kind: models.MailEventMessage, RefID: rec.ID, DedupeKey: "m:" + second.Email}))
	imp := &models.RegistrationImport{EventID: n.ev.ID, Status: models.ImportDone}
	must(t, db.Create(imp).Error)
	must(t, db.Create(&models.ImportRow{ImportID: imp.ID, Line: 2, Name: second.Name, Email: second.Email, Organization: "Org Person X", State: "created"}).Error)
	key := second.Email
	must(t, db.Create(&models.StaffOrder{OrderID: second.OrderID, EventID: n.ev.ID, Kind: models.StaffComplimentary, ImportID: &imp.ID, ImportEmail: &key}).Error)
	must(t, db.Create(&models.RegistrationChange{EventID: n.ev.ID, OrderID: second.OrderID, AttendeeID: &second.ID, Action: "edited",
		Details: `[{"f":"name","o":"Person old","n":"` + second.Name + `"}]`}).Error)
	endedMonthsAgo(t, db, n.ev, 13)
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// endedMonthsAgo moves the event's end m months into the past.
func endedMonthsAgo(t *testing.T, db *gorm.DB, ev *models.Event, m int) {
	t.Helper()
	end := time.Now().UTC().AddDate(0, -m, 0)
	ev.StartsAt, ev.EndsAt = end.Add(-48*time.Hour), end
	if err := db.Model(&models.Event{}).Where("id = ?", ev.ID).Updates(map[string]any{"starts_at": ev.StartsAt, "ends_at": ev.EndsAt}).Error; err != nil {
		t.Fatal(err)
	}
}

// personalLeft lists every value of the event's rows that still names a
// person: names, e-mails, organizations, answers, needs, messages.
func personalLeft(t *testing.T, db *gorm.DB, eventID uint) []string {
	t.Helper()
	markers := []string{"Person ", "@example.org", "Org Person", secretAnswer, secretNeed, "Hello", "Wanda", "Ana Buyer"}
	queries := map[string]*gorm.DB{
		"attendees":            db.Table("attendees").Where("event_id = ?", eventID),
		"orders":               db.Table("orders").Where("event_id = ?", eventID),
		"answers":              db.Table("answers").Where("attendee_id IN (?)", db.Table("attendees").Select("id").Where("event_id = ?", eventID)),
		"waitlist_entries":     db.Table("waitlist_entries").Where("event_id = ?", eventID),
		"meeting_participants": db.Table("meeting_participants").Where("event_id = ?", eventID),
		"meeting_requests":     db.Table("meeting_requests").Where("event_id = ?", eventID),
		"registration_changes": db.Table("registration_changes").Where("event_id = ?", eventID),
		"audit_entries":        db.Table("audit_entries").Where("event_id = ?", eventID),
		// The mail log: the confirmations, the networking mails, the messages.
		"outbox_messages": db.Table("outbox_messages").Where("(kind = ? AND ref_id IN (?)) OR (kind = ? AND ref_id IN (?)) OR (kind = ? AND ref_id IN (?))",
			models.MailOrderConfirmation, db.Table("orders").Select("id").Where("event_id = ?", eventID),
			models.MailMeetingNotice, db.Table("meeting_notices").Select("id").Where("participant_id IN (?)",
				db.Table("meeting_participants").Select("id").Where("event_id = ?", eventID)),
			models.MailEventMessage, db.Table("message_recipients").Select("id").Where("message_id IN (?)", db.Table("messages").Select("id").Where("event_id = ?", eventID))),
		"message_recipients": db.Table("message_recipients").Where("message_id IN (?)", db.Table("messages").Select("id").Where("event_id = ?", eventID)),
		"registration_import_rows": db.Table("registration_import_rows").Where("import_id IN (?)",
			db.Table("registration_imports").Select("id").Where("event_id = ?", eventID)),
		"staff_orders": db.Table("staff_orders").Where("event_id = ?", eventID),
	}
	var left []string
	for table, q := range queries {
		var rows []map[string]any
		if err := q.Find(&rows).Error; err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		for _, r := range rows {
			for col, v := range r {
				if col == "actor_email" {
					continue // the organizer who acted, not an attendee
				}
				s := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					s = string(b)
				}
				for _, m := range markers {
					if strings.Contains(s, m) {
						left = append(left, fmt.Sprintf("%s.%s = %q", table, col, s))
					}
				}
				if col == "need_step_free" && fmt.Sprint(v) != "false" && fmt.Sprint(v) != "0" {
					left = append(left, table+".need_step_free")
				}
			}
		}
	}
	return left
}

func TestRetentionErasesPastEventsOnlyAndKeepsCountsAndReceipts(t *testing.T) {
	db, _ := meetDB(t)
	w := newRetentionWorld(t, db, 5)
	// An event that ended two months ago is not due under 12 months, nor
	// is one to come.
	recent := newNetEvent(t, db, 2, 1, 1, models.NetworkingSetting{})
	endedMonthsAgo(t, db, recent.ev, 2)
	upcoming := newNetEvent(t, db, 2, 1, 1, models.NetworkingSetting{})

	var attendeesBefore, paymentsBefore int64
	db.Model(&models.Attendee{}).Where("event_id = ?", w.ev.ID).Count(&attendeesBefore)
	db.Model(&models.Payment{}).Count(&paymentsBefore)
	var placesBefore int
	db.Model(&models.Event{}).Where("id = ?", w.ev.ID).Select("places_taken").Scan(&placesBefore)

	var mailsBefore int64
	db.Model(&models.OutboxMessage{}).Where("kind IN ?", []string{models.MailOrderConfirmation, models.MailMeetingNotice}).Count(&mailsBefore)
	if mailsBefore == 0 {
		t.Fatal("the world has no mails to erase")
	}
	now := time.Now()
	plan, err := models.PlanRetention(db, *w.ev, now)
	if err != nil || !plan.Due || plan.People != int64(w.people) || plan.Months != 12 || plan.Waitlist != 1 {
		t.Fatalf("plan %+v, %v", plan, err)
	}
	if _, err := models.RetentionSweep(db, "test", now, 10); err != nil {
		t.Fatal(err)
	}
	if left := personalLeft(t, db, w.ev.ID); len(left) > 0 {
		t.Fatalf("personal data left:\n%s", strings.Join(left, "\n"))
	}
	for _, other := range []*models.Event{recent.ev, upcoming.ev} {
		var kept int64
		db.Model(&models.Attendee{}).Where("event_id = ? AND anonymised_at IS NULL AND name LIKE 'Person %'", other.ID).Count(&kept)
		if kept != 2 {
			t.Errorf("event %s: %d people kept, want 2 (not due)", other.Slug, kept)
		}
	}
	var paid models.Order
	db.Take(&paid, w.paidOrder)
	if paid.BuyerName != "Paula Payer" || paid.BuyerEmail != "" || paid.Total != 5000 {
		t.Errorf("paid order buyer %q <%s> total %d: want the name kept for the receipt, the e-mail gone", paid.BuyerName, paid.BuyerEmail, paid.Total)
	}
	var attendeesAfter, paymentsAfter int64
	db.Model(&models.Attendee{}).Where("event_id = ? AND anonymised_at IS NOT NULL", w.ev.ID).Count(&attendeesAfter)
	db.Model(&models.Payment{}).Where("amount = 5000 AND state = ?", models.PaymentPaid).Count(&paymentsAfter)
	var placesAfter int
	db.Model(&models.Event{}).Where("id = ?", w.ev.ID).Select("places_taken").Scan(&placesAfter)
	if attendeesAfter != attendeesBefore || paymentsAfter != 1 || placesAfter != placesBefore {
		t.Errorf("attendees %d→%d, paid payments %d, places %d→%d", attendeesBefore, attendeesAfter, paymentsAfter, placesBefore, placesAfter)
	}
	var mailsAfter int64
	db.Model(&models.OutboxMessage{}).Where("kind IN ?", []string{models.MailOrderConfirmation, models.MailMeetingNotice}).Count(&mailsAfter)
	if mailsAfter != mailsBefore {
		t.Errorf("%d mails in the log, want %d (kept without addresses)", mailsAfter, mailsBefore)
	}
	var ev models.Event
	db.Take(&ev, w.ev.ID)
	if ev.PersonalDataRemovedAt == nil {
		t.Error("the event is not marked as removed")
	}
	var entries []models.AuditEntry
	db.Where("event_id = ? AND action = ?", w.ev.ID, models.AuditRetentionRun).Find(&entries)
	if len(entries) != 1 || entries[0].ActorUserID != nil || !strings.Contains(entries[0].Detail, "5 people") {
		t.Fatalf("audit entries %+v, want one by the system naming 5 people", entries)
	}
	// Again: nothing more to do, no second entry.
	if _, err := models.RetentionSweep(db, "test", now.Add(time.Hour), 10); err != nil {
		t.Fatal(err)
	}
	var n int64
	db.Model(&models.AuditEntry{}).Where("action = ?", models.AuditRetentionRun).Count(&n)
	if n != 1 {
		t.Errorf("%d audit entries after a second sweep, want 1", n)
	}
}

// Two instances sweep at the same moment, again and again, an event with
// more people than one batch: each person is erased once, the run counts
// each once, and one audit entry records it.
func TestRetentionRacedByTwoInstancesErasesEachPersonOnce(t *testing.T) {
	db, dsn := meetDB(t)
	people := models.RetentionBatch + 30
	w := newRetentionWorld(t, db, people)
	pools := append([]*gorm.DB{db}, extraPools(t, dsn, 1)...)
	now := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i, pool := range pools {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; round < 3; round++ {
				if _, err := models.RetentionSweep(pool, fmt.Sprintf("instance-%d", i), now.Add(time.Duration(round)*time.Second), 1); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// Whatever is left after the race (a lease still held, a batch to go)
	// is finished by later passes.
	for i := 0; i < 5; i++ {
		if _, err := models.RetentionSweep(db, "after", now.Add(time.Hour), 10); err != nil {
			t.Fatal(err)
		}
	}
	var runs []models.RetentionRun
	db.Where("event_id = ?", w.ev.ID).Find(&runs)
	if len(runs) != 1 || runs[0].Attendees != people || runs[0].FinishedAt == nil {
		t.Fatalf("runs %+v, want one finished run counting %d people", runs, people)
	}
	var entries int64
	db.Model(&models.AuditEntry{}).Where("event_id = ? AND action = ?", w.ev.ID, models.AuditRetentionRun).Count(&entries)
	if entries != 1 {
		t.Errorf("%d audit entries, want 1", entries)
	}
	if left := personalLeft(t, db, w.ev.ID); len(left) > 0 {
		t.Fatalf("personal data left:\n%s", strings.Join(left[:min(10, len(left))], "\n"))
	}
}

// An owner's run for an event that has not ended is refused; for an ended
// one (before its date) it erases everyone, with the owner in the entry.
func TestAnonymiseEventNow(t *testing.T) {
	db, _ := meetDB(t)
	n := newNetEvent(t, db, 3, 1, 1, models.NetworkingSetting{})
	uid := uint(7)
	by := models.AuditEntry{ActorUserID: &uid, ActorEmail: "owner@example.org", IP: "192.0.2.1"}
	if _, _, err := models.AnonymiseEventNow(db, *n.ev, by, "req", time.Now(), 5); err != models.ErrEventNotFinished {
		t.Fatalf("upcoming event: %v", err)
	}
	endedMonthsAgo(t, db, n.ev, 1)
	_, done, err := models.AnonymiseEventNow(db, *n.ev, by, "req", time.Now(), 5)
	if err != nil || !done {
		t.Fatalf("done %v, %v", done, err)
	}
	if left := personalLeft(t, db, n.ev.ID); len(left) > 0 {
		t.Fatalf("personal data left:\n%s", strings.Join(left, "\n"))
	}
	var e models.AuditEntry
	if err := db.Where("event_id = ? AND action = ?", n.ev.ID, models.AuditRetentionRun).Take(&e).Error; err != nil ||
		e.ActorUserID == nil || *e.ActorUserID != uid || e.IP != "192.0.2.1" || !strings.Contains(e.Detail, "3 people") {
		t.Fatalf("entry %+v, %v", e, err)
	}
}
