package models

import (
	"errors"
	"time"

	"gorm.io/gorm"
)

// Event kinds.
const (
	KindForum     = "forum"
	KindSymposium = "symposium"
	KindAgora     = "agora"
	KindOther     = "other"
)

// EventKinds lists the kinds in the order they are offered.
var EventKinds = []string{KindForum, KindSymposium, KindAgora, KindOther}

// Event statuses.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	StatusCancelled = "cancelled"
)

// Event is a forum, symposium or agora with its own page, agenda and registration.
// Times are stored in UTC and shown in TimeZone.
type Event struct {
	ID                   uint   `gorm:"primaryKey"`
	OrganizationID       uint   `gorm:"not null;index"`
	Slug                 string `gorm:"size:100;not null;uniqueIndex"`
	Kind                 string `gorm:"size:20;not null"`
	Title                string `gorm:"size:200;not null"`
	Summary              string `gorm:"size:500"`
	Description          string `gorm:"type:text"` // Markdown, sanitised when rendered
	Venue                string `gorm:"size:200"`
	Address              string `gorm:"size:500"`
	Locality             string `gorm:"size:100;not null;default:''"` // town or city of the venue
	PostalCode           string `gorm:"size:20;not null;default:''"`
	Country              string `gorm:"size:2;not null;default:''"` // ISO 3166-1 alpha-2, upper case
	OnlineURL            string `gorm:"size:500"`
	TimeZone             string `gorm:"size:64;not null"`
	StartsAt             time.Time
	EndsAt               time.Time
	Status               string `gorm:"size:20;not null;index"`
	RegistrationOpensAt  *time.Time
	RegistrationClosesAt *time.Time
	Capacity             int `gorm:"not null;default:0"` // 0 = no overall limit
	// PlacesTaken counts active attendees of pending and confirmed orders plus
	// live waitlist offers; only the capacity rules change it.
	PlacesTaken int `gorm:"not null;default:0"`
	// Version increases on every change to the event or its agenda, so cached
	// renderings know when they are stale.
	Version      int `gorm:"not null;default:1"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Organization Organization

	// RetentionMonths is how long after its end the event keeps its
	// people's personal data; nil = the organization's default (retention.go).
	RetentionMonths *int
	// PersonalDataRemovedAt is when a retention run last finished removing it.
	PersonalDataRemovedAt *time.Time

	// Languages lists the event's content languages ("en,fr"); its text
	// columns hold DefaultLanguage's text, the others are Translation rows.
	Languages       string `gorm:"size:100;not null;default:en"`
	DefaultLanguage string `gorm:"size:8;not null;default:en"`

	// Image is the event's cover when a page asked for it (AttachEventPictures).
	Image *Picture `gorm:"-"`
}

// Location returns the event's time zone, falling back to UTC for a bad name.
func (e Event) Location() *time.Location {
	loc, err := time.LoadLocation(e.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// IsPast reports whether the event has ended at now.
func (e Event) IsPast(now time.Time) bool { return e.EndsAt.Before(now) }

// ValidKind reports whether k is a known event kind.
func ValidKind(k string) bool {
	for _, x := range EventKinds {
		if x == k {
			return true
		}
	}
	return false
}

// ErrSlugTaken is returned when another event uses the slug.
var ErrSlugTaken = errors.New("slug already in use")

// PublicEvents returns published and cancelled events, upcoming (not yet
// ended) first by start, and past ones separately, newest first. kind may be empty.
func PublicEvents(db *gorm.DB, now time.Time, kind string) (upcoming, past []Event, err error) {
	q := func() *gorm.DB {
		q := db.Where("status IN ?", []string{StatusPublished, StatusCancelled})
		if kind != "" {
			q = q.Where("kind = ?", kind)
		}
		return q
	}
	if err = q().Where("ends_at >= ?", now).Order("starts_at, id").Find(&upcoming).Error; err != nil {
		return nil, nil, err
	}
	if err = q().Where("ends_at < ?", now).Order("starts_at DESC, id").Limit(50).Find(&past).Error; err != nil {
		return nil, nil, err
	}
	return upcoming, past, nil
}

// PublicEventBySlug returns a published or cancelled event, or gorm.ErrRecordNotFound.
func PublicEventBySlug(db *gorm.DB, slug string) (*Event, error) {
	var e Event
	err := db.Preload("Organization").Where("slug = ? AND status IN ?", slug, []string{StatusPublished, StatusCancelled}).First(&e).Error
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// EventForOrgs returns the event with id if it belongs to one of orgIDs,
// or gorm.ErrRecordNotFound: other organizations' events do not exist for
// you, nor do deleted ones.
func EventForOrgs(db *gorm.DB, id uint, orgIDs []uint) (*Event, error) {
	var e Event
	if len(orgIDs) == 0 {
		return nil, gorm.ErrRecordNotFound
	}
	err := db.Preload("Organization").Where("id = ? AND organization_id IN ? AND status <> ?", id, orgIDs, StatusDeleted).First(&e).Error
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// EventsForOrgs lists the events of the given organizations, newest start
// first, leaving out deleted ones.
func EventsForOrgs(db *gorm.DB, orgIDs []uint) ([]Event, error) {
	var es []Event
	if len(orgIDs) == 0 {
		return es, nil
	}
	err := db.Preload("Organization").Where("organization_id IN ? AND status <> ?", orgIDs, StatusDeleted).Order("starts_at DESC, id DESC").Find(&es).Error
	return es, err
}

// CreateEvent stores a new event, reporting ErrSlugTaken for a duplicate slug.
func CreateEvent(db *gorm.DB, e *Event) error {
	if e.Status == "" {
		e.Status = StatusDraft
	}
	e.Version = 1
	err := db.Create(e).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrSlugTaken
	}
	return err
}

// SaveEvent writes the editable fields of e and bumps its version.
func SaveEvent(db *gorm.DB, e *Event) error {
	return db.Transaction(func(tx *gorm.DB) error { return saveEvent(tx, e) })
}

func saveEvent(db *gorm.DB, e *Event) error {
	err := db.Model(e).Select("Slug", "Kind", "Title", "Summary", "Description", "Venue", "Address", "Locality", "PostalCode", "Country", "OnlineURL",
		"TimeZone", "StartsAt", "EndsAt", "RegistrationOpensAt", "RegistrationClosesAt", "Capacity", "UpdatedAt").
		Updates(e).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrSlugTaken
	}
	if err != nil {
		return err
	}
	if err := BumpEventVersion(db, e.ID); err != nil {
		return err
	}
	return eventWebhook(db, WebhookEventChanged, *e, time.Now())
}

// SetEventStatus publishes, unpublishes (back to draft) or cancels an event.
func SetEventStatus(db *gorm.DB, e *Event, status string) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(e).Update("status", status).Error; err != nil {
			return err
		}
		e.Status = status
		if err := BumpEventVersion(tx, e.ID); err != nil {
			return err
		}
		typ := WebhookEventChanged
		if status == StatusPublished {
			typ = WebhookEventPublished
		}
		return eventWebhook(tx, typ, *e, time.Now())
	})
}

// BumpEventVersion marks every cached rendering of the event stale.
func BumpEventVersion(db *gorm.DB, eventID uint) error {
	return db.Model(&Event{}).Where("id = ?", eventID).UpdateColumn("version", gorm.Expr("version + 1")).Error
}
