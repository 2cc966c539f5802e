package models_test

import (
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

// Check-ins made before the lists existed become rows on the event's first
// day list, and the counts and the attendee's summary agree with them.
func TestMigration15MovesCheckinsOntoTheFirstDay(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 3)
	o := place(t, db, orderInput(t, db, ev, tt, 2))
	at := time.Now().UTC().Truncate(time.Second)
	// The state before migration 15: only the attendee's columns.
	for _, tbl := range []string{"checkins", "checkin_lists"} {
		if err := db.Migrator().DropTable(tbl); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Migrator().DropColumn(&models.Session{}, "attendance_counted"); err != nil {
		t.Fatal(err)
	}
	db.Exec("DELETE FROM schema_versions WHERE version = 15")
	db.Model(&models.Attendee{}).Where("id = ?", o.Attendees[0].ID).Updates(map[string]any{"checked_in_at": at, "check_in_count": 2})
	if err := models.Migrate(db); err != nil {
		t.Fatal(err)
	}
	ls, err := models.CheckinLists(db, ev)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := models.CountCheckinList(db, &ls[0]); c.In != 1 || c.Expected != 2 {
		t.Fatalf("first day after migration: %+v", c)
	}
	var k models.Checkin
	if err := db.Where("list_id = ?", ls[0].ID).Take(&k).Error; err != nil || k.AttendeeID != o.Attendees[0].ID || !k.At.Equal(at) {
		t.Fatalf("migrated row: %+v %v", k, err)
	}
	if c, _ := models.CountCheckinList(db, &ls[1]); c.In != 0 {
		t.Fatalf("second day: %+v", c)
	}
	// The unique indexes came back with the tables.
	a := o.Attendees[0]
	if out, _ := models.CheckInto(db, &ls[0], &a, models.CheckinInput{}, time.Now()); out.Result != models.CheckinAlready {
		t.Fatalf("after migration: %+v", out)
	}
}
