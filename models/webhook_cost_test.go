package models

import (
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"
)

// countStatements counts the statements run through db's callbacks.
func countStatements(t *testing.T, db *gorm.DB) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	count := func(*gorm.DB) { n.Add(1) }
	cb := db.Callback()
	for name, err := range map[string]error{
		"query":  cb.Query().After("gorm:query").Register("test:count_query", count),
		"row":    cb.Row().After("gorm:row").Register("test:count_row", count),
		"create": cb.Create().After("gorm:create").Register("test:count_create", count),
		"update": cb.Update().After("gorm:update").Register("test:count_update", count),
	} {
		if err != nil {
			t.Fatalf("register %s: %v", name, err)
		}
	}
	return &n
}

// With no endpoint wanting a change, reporting it costs one statement,
// whatever the payload would have needed to read.
func TestReportingAChangeWithoutEndpointsIsOneQuery(t *testing.T) {
	db := openTestDB(t)
	org := Organization{Name: "Cost"}
	if err := db.Create(&org).Error; err != nil {
		t.Fatal(err)
	}
	ev := Event{OrganizationID: org.ID, Slug: "cost", Kind: KindForum, Title: "Cost", TimeZone: "Europe/Madrid",
		StartsAt: time.Now().Add(time.Hour), EndsAt: time.Now().Add(2 * time.Hour), Status: StatusPublished}
	if err := CreateEvent(db, &ev); err != nil {
		t.Fatal(err)
	}
	// An endpoint that wants something else is not a reason to read more.
	if err := db.Create(&WebhookEndpoint{OrganizationID: org.ID, Active: true, URL: "https://h.example/", EventTypes: WebhookMeetingBooked,
		Secret: []byte("x")}).Error; err != nil {
		t.Fatal(err)
	}
	n := countStatements(t, db)
	now := time.Now()
	for _, report := range []func() error{
		func() error { return attendeeWebhook(db, WebhookCheckedIn, ev.ID, 999, "1", now, nil) },
		func() error {
			return orderWebhook(db, WebhookOrderCancelled, Order{ID: 999, EventID: ev.ID}, "", now, nil)
		},
		func() error { return eventWebhook(db, WebhookEventChanged, ev, now) },
	} {
		n.Store(0)
		if err := report(); err != nil {
			t.Fatal(err)
		}
		if got := n.Load(); got != 1 {
			t.Fatalf("%d statements, want 1", got)
		}
	}
}

// openTestDB is a migrated SQLite file (package models cannot use
// modeltest, which imports it; the count does not depend on the engine).
func openTestDB(t *testing.T) *gorm.DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "cost.db"), OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Close(db) })
	if err := Migrate(db); err != nil {
		t.Fatal(err)
	}
	return db
}
