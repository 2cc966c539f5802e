package models_test

import (
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// bigRetentionEvent builds, for the retention benchmarks, a networking
// event that ended 13 months ago (due under the default 12) with people
// registered through models.PlaceOrder in orders of 10, so confirmations,
// consents and counters are the real ones; each person answers two
// questions, one in ten gave access needs, one in four has a meetings
// profile (with a request for one in eight of those), everyone got one
// message, and 50 people wait on the waiting list. The profiles, recipients
// and their mails go in with CreateInBatches, being many plain rows.
// It works on testing.TB, unlike newRetentionWorld, so benchmarks can use it.
func bigRetentionEvent(tb testing.TB, db *gorm.DB, people int) *models.Event {
	tb.Helper()
	fail := func(what string, err error) {
		tb.Helper()
		if err != nil {
			tb.Fatalf("%s: %v", what, err)
		}
	}
	n := slugSeq.Add(1)
	org, _ := modeltest.Organizer(tb, db, "Retention Bench Org", fmt.Sprintf("owner%d@retention.example", n), models.RoleOwner)
	ev := modeltest.Event(tb, db, org.ID, fmt.Sprintf("retention-bench-%d", n), models.StatusPublished)
	privacy, err := models.SetConsentText(db, ev.ID, models.ConsentPrivacy, "We keep your data for the event.")
	fail("consent", err)
	tt := &models.TicketType{EventID: ev.ID, Name: "General", Currency: "EUR", Category: models.CategoryPatientCitizen, MaxPerOrder: 10}
	fail("ticket type", db.Create(tt).Error)
	diet := &models.Question{EventID: ev.ID, Kind: "text", Label: "Diet"}
	fail("question", db.Create(diet).Error)
	unit := &models.Question{EventID: ev.ID, Kind: "text", Label: "Hospital unit", Position: 1}
	fail("question", db.Create(unit).Error)
	set := models.NetworkingSetting{EventID: ev.ID, Enabled: true, Mode: models.ModeRequests, Topics: "Telecare\nFalls prevention\nDementia"}
	fail("networking", models.SaveNetworking(db, &set))
	start := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Hour)
	fail("meeting block", models.AddMeetingBlock(db, &models.MeetingBlock{EventID: ev.ID, StartsAt: start, EndsAt: start.Add(100 * time.Minute), SlotMinutes: 20, BreakMinutes: 5}))
	fail("tables", models.AddTables(db, ev.ID, "Table", 10))
	slots, err := models.EventSlots(db, ev.ID)
	fail("slots", err)

	for done := 0; done < people; done += 10 {
		in := models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: tt.ID, BuyerName: fmt.Sprintf("Buyer %d", done),
			BuyerEmail: fmt.Sprintf("buyer%d@example.org", done), Language: "en"}
		for i := done; i < min(done+10, people); i++ {
			in.Attendees = append(in.Attendees, models.AttendeeInput{Name: fmt.Sprintf("Person %d", i), Email: fmt.Sprintf("p%d@example.org", i),
				Organization: fmt.Sprintf("Hospital %d", i%40), ConsentTextIDs: []uint{privacy.ID},
				Answers: map[uint]string{diet.ID: "SECRET-ANSWER vegetarian", unit.ID: "Cardiology"}})
		}
		_, err := models.PlaceOrder(db, in)
		fail("place order", err)
	}
	var as []models.Attendee
	fail("attendees", db.Where("event_id = ?", ev.ID).Order("id").Find(&as).Error)
	if len(as) != people {
		tb.Fatalf("%d attendees, want %d", len(as), people)
	}
	var needs []uint
	for i := 0; i < len(as); i += 10 {
		needs = append(needs, as[i].ID)
	}
	fail("needs", db.Model(&models.Attendee{}).Where("id IN ?", needs).
		Updates(map[string]any{"needs_note": "SECRET-NEED", "need_dietary": "SECRET-NEED", "need_step_free": true}).Error)

	var profiles []models.MeetingParticipant
	for i := 0; i < len(as); i += 4 {
		profiles = append(profiles, models.MeetingParticipant{EventID: ev.ID, AttendeeID: as[i].ID, Name: as[i].Name,
			Organization: as[i].Organization, Role: "Nurse", Country: "ES", Category: as[i].Category, Bio: "I work on falls prevention.",
			Interests: "Telecare", Active: true, CalendarToken: models.NewSecret()})
	}
	fail("profiles", db.CreateInBatches(profiles, 200).Error)
	for i := 0; i+1 < len(profiles); i += 8 {
		_, err := models.SendRequest(db, models.RequestInput{EventID: ev.ID, From: profiles[i].ID, To: profiles[i+1].ID,
			SlotID: slots[0].ID, Message: "Hello, shall we meet?", Now: time.Now()})
		fail("meeting request", err)
	}

	msg := &models.Message{EventID: ev.ID, Language: "en", Subject: "Practical details", Body: "See you there", Audience: "{}", State: "sent",
		SendKey: models.NewSecret(), SentByID: 1, SentByName: "Staff", SentByEmail: "staff@retention.example", Recipients: len(as)}
	fail("message", db.Create(msg).Error)
	recipients := make([]models.MessageRecipient, len(as))
	for i := range as {
		recipients[i] = models.MessageRecipient{MessageID: msg.ID, Email: as[i].Email, Name: as[i].Name, Language: "en", AttendeeID: &as[i].ID}
	}
	fail("recipients", db.CreateInBatches(recipients, 500).Error)
	sent := time.Now().UTC()
	mails := make([]models.OutboxMessage, len(recipients))
	for i, r := range recipients {
		mails[i] = models.OutboxMessage{To: r.Email, Subject: msg.Subject, TextBody: "Dear " + r.Name + ", see you there", Language: "en",
			Kind: models.MailEventMessage, RefID: r.ID, DedupeKey: fmt.Sprintf("bench-msg:%d", r.ID), Status: models.OutboxSent,
			NextAttemptAt: sent, SentAt: &sent}
	}
	fail("message mails", db.CreateInBatches(mails, 200).Error)
	var waiting []models.WaitlistEntry
	for i := 0; i < 50; i++ {
		waiting = append(waiting, models.WaitlistEntry{EventID: ev.ID, Name: fmt.Sprintf("Waiting %d", i), Email: fmt.Sprintf("w%d@example.org", i), Status: models.WaitlistWaiting})
	}
	fail("waiting list", db.CreateInBatches(waiting, 50).Error)

	end := time.Now().UTC().AddDate(0, -13, 0)
	ev.StartsAt, ev.EndsAt = end.Add(-48*time.Hour), end
	fail("end date", db.Model(&models.Event{}).Where("id = ?", ev.ID).Updates(map[string]any{"starts_at": ev.StartsAt, "ends_at": ev.EndsAt}).Error)
	return ev
}

// checkRetentionDone fails unless the run of ev erased everyone: no one
// left unerased, no answer, no profile with a name, the run finished and
// counting people.
func checkRetentionDone(tb testing.TB, db *gorm.DB, ev *models.Event, people int) {
	tb.Helper()
	var left, answers, profiles int64
	db.Model(&models.Attendee{}).Where("event_id = ? AND (anonymised_at IS NULL OR email <> '')", ev.ID).Count(&left)
	db.Model(&models.Answer{}).Where("attendee_id IN (?)", db.Model(&models.Attendee{}).Select("id").Where("event_id = ?", ev.ID)).Count(&answers)
	db.Model(&models.MeetingParticipant{}).Where("event_id = ? AND name <> ?", ev.ID, models.AnonymisedName).Count(&profiles)
	var run models.RetentionRun
	if err := db.Where("event_id = ?", ev.ID).Take(&run).Error; err != nil {
		tb.Fatal(err)
	}
	if left != 0 || answers != 0 || profiles != 0 || run.FinishedAt == nil || run.Attendees != people {
		tb.Fatalf("left %d people, %d answers, %d profiles; run %+v", left, answers, profiles, run)
	}
}
