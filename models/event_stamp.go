package models

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// PublicEventStamp returns what a cached rendering of the event's public page
// depends on: its id, version and whether it has ended, and the places taken
// and ticket types on sale (the page shows places left and offers, which
// change with registrations and sales windows, not with the version). One
// indexed lookup with small sums over the event's own rows, so every
// instance can check its cache against the shared database.
func PublicEventStamp(db *gorm.DB, slug string, now time.Time) (id uint, stamp string, err error) {
	// Straight through database/sql: this runs on every view of every
	// event page, and GORM's statement building and reflection were most of
	// its cost (issue 17).
	sqlDB, err := db.DB()
	if err != nil {
		return 0, "", err
	}
	var (
		version       int
		endsAt        time.Time
		taken         int64
		places        string
		query, params = publicStampQuery(db), []any{now.UTC(), now.UTC(), slug, StatusPublished, StatusCancelled}
	)
	err = sqlDB.QueryRow(query, params...).Scan(&id, &version, &endsAt, &taken, &places)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", gorm.ErrRecordNotFound
	}
	if err != nil {
		return 0, "", err
	}
	return id, fmt.Sprintf("%d.%d.%t.%d.%s", id, version, endsAt.Before(now), taken, places), nil
}

var publicStampSQL = "SELECT id, version, ends_at, places_taken, " + placesStampSQL("events.id") +
	" FROM events WHERE slug = ? AND status IN (?, ?) LIMIT 1"

// publicStampQuery is publicStampSQL in the engine's placeholders.
func publicStampQuery(db *gorm.DB) string {
	if !IsPostgres(db) {
		return publicStampSQL
	}
	return publicStampSQLPG
}

var publicStampSQLPG = pgPlaceholders(publicStampSQL)

// pgPlaceholders numbers the ? of a query ($1, $2, …), as PostgreSQL wants
// them when a query bypasses GORM. The queries it is used on hold no ? in
// strings.
func pgPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// placesStampSQL is an expression, for the event whose id is eventID,
// that changes when a place of one of its ticket types or sessions
// is taken or given back, or when a ticket type's sales window opens or
// closes. Sums weighted by id, so a place moving from one type to another
// changes it too. It takes two parameters: now, twice.
func placesStampSQL(eventID string) string {
	return "(SELECT " + concatSQL(
		"COALESCE(SUM(places_taken * (id + 1)), 0)",
		"COALESCE(SUM(CASE WHEN (sales_start_at IS NULL OR sales_start_at <= ?) AND (sales_end_at IS NULL OR sales_end_at > ?) THEN id ELSE 0 END), 0)",
	) + " FROM ticket_types WHERE ticket_types.event_id = " + eventID + ") || '.' || " +
		"(SELECT CAST(COALESCE(SUM(places_taken * (id + 1)), 0) AS TEXT) FROM sessions WHERE sessions.event_id = " + eventID + ")"
}

// concatSQL joins integer expressions as text with dots, on both engines.
func concatSQL(parts ...string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += " || '.' || "
		}
		out += "CAST(" + p + " AS TEXT)"
	}
	return out
}

// PublicListingStamp changes whenever any public event is added, removed or
// changed, and at least once a minute (so events move from upcoming to past).
func PublicListingStamp(db *gorm.DB, now time.Time) (string, error) {
	var row struct {
		N, Versions, Weighted, Taken int64
	}
	// Places taken count too: the cards say how many are left when few.
	err := db.Raw("SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS versions, COALESCE(SUM(version * id), 0) AS weighted, "+
		"COALESCE(SUM(places_taken * (id + 1)), 0) + COALESCE((SELECT SUM(t.places_taken * (t.id + 1)) FROM ticket_types t JOIN events pe ON pe.id = t.event_id WHERE pe.status IN (?, ?) AND pe.ends_at > ?), 0) AS taken "+
		"FROM events WHERE status IN (?, ?)",
		StatusPublished, StatusCancelled, now.UTC(), StatusPublished, StatusCancelled).Scan(&row).Error
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d.%d.%d.%d.%d", row.N, row.Versions, row.Weighted, row.Taken, now.Unix()/60), nil
}
