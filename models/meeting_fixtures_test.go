package models_test

import (
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// netEvent is an event with networking on, one block of slots, tables,
// and n opted-in participants.
type netEvent struct {
	ev     *models.Event
	set    *models.NetworkingSetting
	slots  []models.MeetingSlot
	tables []models.MeetingLocation
	people []*models.MeetingParticipant
}

func meetDB(t *testing.T) (*gorm.DB, string) {
	t.Helper()
	db, dsn := regDB(t)
	t.Cleanup(func() {
		if err := models.CheckMeetings(db); err != nil {
			t.Errorf("CheckMeetings: %v", err)
		}
	})
	return db, dsn
}

func newNetEvent(t *testing.T, db *gorm.DB, people, slots, tables int, set models.NetworkingSetting) *netEvent {
	t.Helper()
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 10)
	set.EventID, set.Enabled = ev.ID, true
	if set.Mode == "" {
		set.Mode = models.ModeRequests
	}
	set.Topics = "Telecare\nFalls prevention\nDementia"
	if err := models.SaveNetworking(db, &set); err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Hour)
	b := &models.MeetingBlock{EventID: ev.ID, StartsAt: start, EndsAt: start.Add(time.Duration(slots) * 25 * time.Minute), SlotMinutes: 20, BreakMinutes: 5}
	if err := models.AddMeetingBlock(db, b); err != nil {
		t.Fatal(err)
	}
	if tables > 0 {
		if err := models.AddTables(db, ev.ID, "Table", tables); err != nil {
			t.Fatal(err)
		}
	}
	n := &netEvent{ev: ev, set: &set}
	var err error
	if n.slots, err = models.EventSlots(db, ev.ID); err != nil || len(n.slots) != slots {
		t.Fatalf("slots: %d, %v", len(n.slots), err)
	}
	n.tables, _ = models.EventLocations(db, ev.ID)
	for done := 0; done < people; done += 10 {
		k := min(10, people-done)
		in := orderInput(t, db, ev, tt, k)
		for i := range in.Attendees {
			in.Attendees[i].Email = fmt.Sprintf("p%d@example.org", done+i+1)
			in.Attendees[i].Name = fmt.Sprintf("Person %d", done+i+1)
		}
		o := place(t, db, in)
		for _, a := range o.Attendees {
			p, err := models.SaveProfile(db, &set, a.ID, models.ProfileInput{Organization: "Org " + a.Name, Interests: []string{"Telecare"}}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			n.people = append(n.people, p)
		}
	}
	return n
}

func (n *netEvent) request(t *testing.T, db *gorm.DB, from, to, slot int) *models.MeetingRequest {
	t.Helper()
	r, err := models.SendRequest(db, models.RequestInput{EventID: n.ev.ID, From: n.people[from].ID, To: n.people[to].ID, SlotID: n.slots[slot].ID, Message: "Hello", Now: time.Now()})
	if err != nil {
		t.Fatalf("request %d→%d slot %d: %v", from, to, slot, err)
	}
	return r
}

func activeMeetings(t *testing.T, db *gorm.DB, eventID uint) int64 {
	t.Helper()
	var c int64
	if err := db.Model(&models.Meeting{}).Where("event_id = ? AND status = ?", eventID, models.MeetingActive).Count(&c).Error; err != nil {
		t.Fatal(err)
	}
	return c
}
