package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

func reminderCount(t *testing.T, db *gorm.DB, eventID uint) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.OutboxMessage{}).Where("kind = ? AND ref_id = ?", models.MailEventReminder, eventID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// Turning reminders off stops them; a time changed before it passed is the
// one that counts; once the event has started none goes out.
func TestReminderSettingsDecideWhenRemindersAreQueued(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 2)
	place(t, db, orderInput(t, db, ev, tt, 2))
	at36h := ev.StartsAt.Add(-36 * time.Hour)

	// Off: nothing, even inside the default window.
	s := &models.EventMailSetting{EventID: ev.ID, RemindersEnabled: false, ReminderHours: 48}
	if err := models.SaveEventMailSetting(db, s); err != nil {
		t.Fatal(err)
	}
	if n, err := models.QueueEventReminders(db, at36h); err != nil || n != 0 {
		t.Fatalf("reminders off: queued %d, %v", n, err)
	}
	// On, but moved to 24 hours before: 36 hours before is too early now.
	s.RemindersEnabled, s.ReminderHours = true, 24
	if err := models.SaveEventMailSetting(db, s); err != nil {
		t.Fatal(err)
	}
	if n, err := models.QueueEventReminders(db, at36h); err != nil || n != 0 {
		t.Fatalf("time moved later: queued %d, %v", n, err)
	}
	// After the event started: nothing.
	if n, err := models.QueueEventReminders(db, ev.StartsAt.Add(time.Minute)); err != nil || n != 0 {
		t.Fatalf("after the start: queued %d, %v", n, err)
	}
	if n, err := models.QueueEventReminders(db, ev.StartsAt.Add(-23*time.Hour)); err != nil || n != 2 {
		t.Fatalf("due: queued %d, %v; want one per attendee address", n, err)
	}
	if n, err := models.QueueEventReminders(db, ev.StartsAt.Add(-22*time.Hour)); err != nil || n != 0 {
		t.Fatalf("again: queued %d, %v", n, err)
	}
	if n := reminderCount(t, db, ev.ID); n != 2 {
		t.Fatalf("outbox holds %d reminders, want 2", n)
	}
}

// The contact of an event's e-mails: its own, else the organization's, and
// the organization's name when only the address is known.
func TestEventContactFallsBackToTheOrganization(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	c, err := models.EventContact(db, ev.ID)
	if err != nil || c.Email != "" || c.Name != "Org" {
		t.Fatalf("no contact: %+v %v", c, err)
	}
	if err := models.SaveOrganizationContact(db, ev.OrganizationID, "", "org@example.org"); err != nil {
		t.Fatal(err)
	}
	if c, _ = models.EventContact(db, ev.ID); c != (models.Contact{Name: "Org", Email: "org@example.org"}) {
		t.Fatalf("organization's: %+v", c)
	}
	if err := models.SaveEventMailSetting(db, &models.EventMailSetting{EventID: ev.ID, RemindersEnabled: true, ReminderHours: 48,
		ContactName: "Forum desk", ContactEmail: "desk@example.org"}); err != nil {
		t.Fatal(err)
	}
	if c, _ = models.EventContact(db, ev.ID); c != (models.Contact{Name: "Forum desk", Email: "desk@example.org"}) {
		t.Fatalf("event's: %+v", c)
	}
	if err := models.SaveOrganizationContact(db, ev.OrganizationID, "x", "not an address"); err == nil {
		t.Fatal("a bad contact e-mail was saved")
	}
	if err := models.SaveEventMailSetting(db, &models.EventMailSetting{EventID: ev.ID, ReminderHours: -1}); err == nil {
		t.Fatal("negative reminder hours were saved")
	}
}
