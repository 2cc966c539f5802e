package main

import (
	"fmt"
	"time"

	"github.com/agora-events/agora/models"
)

// prepareEvent adds to the database at dsn a published event with open
// registration, capacity places, one free ticket type and a privacy notice,
// for the registration journey. It prints the slug and ticket type id.
func prepareEvent(dsn string, capacity int) error {
	db, err := models.Open(dsn, models.OpenOptions{})
	if err != nil {
		return err
	}
	if err := models.Migrate(db); err != nil {
		return err
	}
	org, err := models.FindOrCreateOrganization(db, "Load test organization")
	if err != nil {
		return err
	}
	slug := fmt.Sprintf("load-test-%d-%d", time.Now().Unix(), capacity) // two prepared in one second differ by capacity
	start := time.Now().UTC().Add(30 * 24 * time.Hour).Truncate(time.Hour)
	ev := &models.Event{OrganizationID: org.ID, Slug: slug, Kind: models.KindForum, Title: "Load test forum", TimeZone: "Europe/Madrid",
		StartsAt: start, EndsAt: start.Add(8 * time.Hour), Status: models.StatusPublished, Capacity: capacity}
	if err := models.CreateEvent(db, ev); err != nil {
		return err
	}
	if _, err := models.SetConsentText(db, ev.ID, models.ConsentPrivacy, "We keep your data for the event."); err != nil {
		return err
	}
	tt := &models.TicketType{EventID: ev.ID, Name: "General admission", Currency: "EUR", Capacity: capacity,
		Category: models.CategoryOther, MaxPerOrder: 1}
	if err := db.Create(tt).Error; err != nil {
		return err
	}
	fmt.Printf("event=%s ticket=%d capacity=%d\n", slug, tt.ID, capacity)
	return nil
}

// soldCount reports how many places the event has sold, from the rows, and
// whether every counter agrees with them.
func soldCount(dsn, slug string) error {
	db, err := models.Open(dsn, models.OpenOptions{})
	if err != nil {
		return err
	}
	var ev models.Event
	if err := db.Where("slug = ?", slug).First(&ev).Error; err != nil {
		return err
	}
	var sold int64
	if err := db.Table("attendees").Joins("JOIN orders ON orders.id = attendees.order_id").
		Where("orders.event_id = ? AND orders.status = ? AND attendees.status = ?", ev.ID, models.OrderConfirmed, models.AttendeeActive).
		Count(&sold).Error; err != nil {
		return err
	}
	check := "counters agree with the rows"
	if err := models.CheckCounters(db); err != nil {
		check = "COUNTER MISMATCH: " + err.Error()
	}
	fmt.Printf("event=%s capacity=%d sold=%d oversold=%v; %s\n", slug, ev.Capacity, sold, sold > int64(ev.Capacity), check)
	return nil
}
