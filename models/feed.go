package models

import (
	"strconv"
	"time"

	"gorm.io/gorm"
)

// MaxFeedEvents bounds a feed of upcoming events.
const MaxFeedEvents = 200

// FeedEvents lists the published events that have not ended yet, soonest
// first, of one organization (orgID 0: of every organization), for the
// calendar and news feeds. Drafts and cancelled events are left out: a
// feed announces what people can still go to.
func FeedEvents(db *gorm.DB, now time.Time, orgID uint) ([]Event, error) {
	q := db.Preload("Organization").Where("status = ? AND ends_at >= ?", StatusPublished, now)
	if orgID != 0 {
		q = q.Where("organization_id = ?", orgID)
	}
	var out []Event
	err := q.Order("starts_at, id").Limit(MaxFeedEvents).Find(&out).Error
	return out, err
}

// OrganizationByRef finds an organization by its slug or its number, as
// feed addresses name it (/orgs/{slug-or-id}/events.atom).
func OrganizationByRef(db *gorm.DB, ref string) (*Organization, error) {
	var o Organization
	q := db.Where("slug = ?", ref)
	if id, err := strconv.ParseUint(ref, 10, 32); err == nil {
		q = db.Where("id = ? OR slug = ?", id, ref)
	}
	if err := q.Order("id").First(&o).Error; err != nil {
		return nil, err
	}
	return &o, nil
}
