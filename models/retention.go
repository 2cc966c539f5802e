package models

import (
	"errors"
	"time"

	"gorm.io/gorm"
)

// Retention periods, in months after an event ends.
const (
	DefaultRetentionMonths = 12
	MinRetentionMonths     = 1
	MaxRetentionMonths     = 120
)

// AuditRetentionOrgChanged records a change of an organization's default
// retention period (AuditRetentionChanged is an event's own).
const AuditRetentionOrgChanged = "retention.default_changed"

// ErrRetentionMonths is returned for a period outside 1–120 months.
var ErrRetentionMonths = errors.New("the retention period must be between 1 and 120 months")

// ValidRetentionMonths reports whether m is an allowed period.
func ValidRetentionMonths(m int) bool { return m >= MinRetentionMonths && m <= MaxRetentionMonths }

// AddMonths is t plus n calendar months on the wall clock of loc, the day
// clamped to the end of a shorter month: 31 January + 1 month is 28 (or 29)
// February, not 3 March, so data is never kept past the month it was
// promised for.
func AddMonths(t time.Time, n int, loc *time.Location) time.Time {
	t = t.In(loc)
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, loc)
	if last := daysIn(first.Year(), first.Month()); d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}

// daysIn is the number of days of month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// EffectiveRetentionMonths is the event's own period, else the
// organization's default, else DefaultRetentionMonths.
func EffectiveRetentionMonths(e Event, org Organization) int {
	switch {
	case e.RetentionMonths != nil && ValidRetentionMonths(*e.RetentionMonths):
		return *e.RetentionMonths
	case ValidRetentionMonths(org.RetentionMonths):
		return org.RetentionMonths
	}
	return DefaultRetentionMonths
}

// RemovalDate is when the personal data of the event's people is removed:
// its end plus the retention period, counted in the event's time zone.
func RemovalDate(e Event, months int) time.Time {
	return AddMonths(e.EndsAt, months, e.Location()).UTC()
}

// RetentionPlan is what the retention page shows for an event.
type RetentionPlan struct {
	Months    int
	OwnPeriod bool // the event sets its own period (else the organization's)
	OrgMonths int
	RemovesAt time.Time // UTC
	Due       bool      // the removal date has passed
	Finished  bool      // the event has ended: "anonymise now" is allowed
	// People counts the attendees whose data a run would erase now;
	// Orders the buyers; Waitlist the waiting list entries.
	People, Orders, Waitlist int64
	RemovedAt                *time.Time
}

// PlanRetention loads the event's period, removal date and what a run
// would erase at now.
func PlanRetention(db *gorm.DB, e Event, now time.Time) (RetentionPlan, error) {
	var org Organization
	if err := db.Select("id", "retention_months").Take(&org, e.OrganizationID).Error; err != nil {
		return RetentionPlan{}, err
	}
	p := RetentionPlan{Months: EffectiveRetentionMonths(e, org), OwnPeriod: e.RetentionMonths != nil,
		OrgMonths: EffectiveRetentionMonths(Event{}, org), RemovedAt: e.PersonalDataRemovedAt, Finished: e.IsPast(now)}
	p.RemovesAt = RemovalDate(e, p.Months)
	p.Due = !p.RemovesAt.After(now)
	if err := db.Model(&Attendee{}).Where("event_id = ? AND anonymised_at IS NULL", e.ID).Count(&p.People).Error; err != nil {
		return p, err
	}
	if err := ordersToErase(db, e.ID).Count(&p.Orders).Error; err != nil {
		return p, err
	}
	if err := waitlistToErase(db, e.ID).Count(&p.Waitlist).Error; err != nil {
		return p, err
	}
	return p, nil
}

// SetEventRetention sets the event's own period (nil = the organization's
// default) and writes entry (AuditRetentionChanged) in the same transaction.
func SetEventRetention(db *gorm.DB, eventID uint, months *int, entry AuditEntry) error {
	if months != nil && !ValidRetentionMonths(*months) {
		return ErrRetentionMonths
	}
	entry.Action = AuditRetentionChanged
	return Audited(db, entry, func(tx *gorm.DB, _ *AuditEntry) error {
		return tx.Model(&Event{}).Where("id = ?", eventID).Update("retention_months", months).Error
	})
}

// SetOrganizationRetention sets the organization's default period and
// writes entry (AuditRetentionOrgChanged) in the same transaction.
func SetOrganizationRetention(db *gorm.DB, orgID uint, months int, entry AuditEntry) error {
	if !ValidRetentionMonths(months) {
		return ErrRetentionMonths
	}
	entry.Action, entry.OrganizationID = AuditRetentionOrgChanged, orgID
	return Audited(db, entry, func(tx *gorm.DB, _ *AuditEntry) error {
		return tx.Model(&Organization{}).Where("id = ?", orgID).Update("retention_months", months).Error
	})
}

// OrganizationRetentionMonths returns the organization's default period.
func OrganizationRetentionMonths(db *gorm.DB, orgID uint) (int, error) {
	var org Organization
	if err := db.Select("id", "retention_months").Take(&org, orgID).Error; err != nil {
		return 0, err
	}
	return EffectiveRetentionMonths(Event{}, org), nil
}

// EventsDueForRetention lists the events whose removal date has passed at
// now and whose data no run has removed yet.
func EventsDueForRetention(db *gorm.DB, now time.Time) ([]Event, error) {
	var evs []Event
	// Every period is at least a month (28 days or more): only events that
	// ended that long ago can be due; the exact date is counted in Go, in
	// each event's own time zone.
	err := db.Preload("Organization").Where("personal_data_removed_at IS NULL AND ends_at <= ?", now.UTC().AddDate(0, 0, -27)).
		Order("ends_at, id").Find(&evs).Error
	if err != nil {
		return nil, err
	}
	var due []Event
	for _, e := range evs {
		if !RemovalDate(e, EffectiveRetentionMonths(e, e.Organization)).After(now) {
			due = append(due, e)
		}
	}
	return due, nil
}

// OrderAnonymised reports whether everyone on the order has been erased
// (its link then says so instead of showing empty names).
func OrderAnonymised(o *Order) bool {
	for _, a := range o.Attendees {
		if a.AnonymisedAt == nil {
			return false
		}
	}
	return len(o.Attendees) > 0
}
