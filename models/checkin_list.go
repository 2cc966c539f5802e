package models

import (
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Check-in list kinds: one list per event day, and one per session that
// takes sign-ups or whose attendance is counted (continuing education).
const (
	CheckinListDay     = "day"
	CheckinListSession = "session"
)

// CheckinList is one door list of an event. Key names what it is for
// ("day:2026-05-04" or "session:12") and is unique per event, so two
// instances generating the lists at once make each list once.
type CheckinList struct {
	ID        uint   `gorm:"primaryKey"`
	EventID   uint   `gorm:"not null;uniqueIndex:idx_checkin_list_key"`
	Key       string `gorm:"column:list_key;size:40;not null;uniqueIndex:idx_checkin_list_key"`
	Kind      string `gorm:"size:10;not null"`
	Day       string `gorm:"size:10;not null;default:''"` // YYYY-MM-DD in the event's time zone
	SessionID *uint
	CreatedAt time.Time
	Session   *Session `gorm:"foreignKey:SessionID"`
}

// ErrCheckinListNotFound is returned for a list that is not the event's.
var ErrCheckinListNotFound = errors.New("check-in list not found")

// eventDays lists the event's calendar days in its own time zone.
func eventDays(e *Event) []string {
	loc := e.Location()
	start, end := e.StartsAt.In(loc), e.EndsAt.In(loc)
	var days []string
	d := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc)
	for !d.After(end) && len(days) < 60 {
		days = append(days, d.Format("2006-01-02"))
		d = d.AddDate(0, 0, 1)
	}
	if len(days) == 0 {
		days = append(days, start.Format("2006-01-02"))
	}
	return days
}

// CheckinLists makes the event's lists that are missing (one per day, one
// per session with sign-up or counted attendance) and returns those that
// apply now, days first, then sessions by start. Lists of days or sessions
// that no longer apply are kept with their check-ins but not listed.
func CheckinLists(db *gorm.DB, e *Event) ([]CheckinList, error) {
	var sessions []Session
	if err := db.Where("event_id = ? AND (sign_up = ? OR attendance_counted = ?)", e.ID, true, true).
		Order("starts_at, id").Find(&sessions).Error; err != nil {
		return nil, err
	}
	var want []CheckinList
	for _, d := range eventDays(e) {
		want = append(want, CheckinList{EventID: e.ID, Key: "day:" + d, Kind: CheckinListDay, Day: d})
	}
	for i := range sessions {
		id := sessions[i].ID
		want = append(want, CheckinList{EventID: e.ID, Key: "session:" + strconv.FormatUint(uint64(id), 10), Kind: CheckinListSession, SessionID: &id})
	}
	keys := make([]string, len(want))
	for i, w := range want {
		keys[i] = w.Key
	}
	load := func() (map[string]CheckinList, error) {
		var got []CheckinList
		if err := db.Preload("Session").Where("event_id = ? AND list_key IN ?", e.ID, keys).Find(&got).Error; err != nil {
			return nil, err
		}
		byKey := make(map[string]CheckinList, len(got))
		for _, l := range got {
			byKey[l.Key] = l
		}
		return byKey, nil
	}
	byKey, err := load()
	if err != nil {
		return nil, err
	}
	// Only a missing list costs a write; the door and its polling mostly read.
	var missing []CheckinList
	for _, w := range want {
		if _, ok := byKey[w.Key]; !ok {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&missing).Error; err != nil {
			return nil, err
		}
		if byKey, err = load(); err != nil {
			return nil, err
		}
	}
	out := make([]CheckinList, 0, len(want))
	for _, w := range want {
		if l, ok := byKey[w.Key]; ok {
			out = append(out, l)
		}
	}
	return out, nil
}

// EventCheckinList returns list id of event e, or ErrCheckinListNotFound.
func EventCheckinList(db *gorm.DB, e *Event, id uint) (*CheckinList, error) {
	var l CheckinList
	err := db.Preload("Session").Where("event_id = ?", e.ID).Take(&l, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrCheckinListNotFound
	}
	return &l, err
}

// DefaultCheckinList is the list the door opens on: today's day list, or
// the first day before the event and the last one after it.
func DefaultCheckinList(lists []CheckinList, e *Event, now time.Time) *CheckinList {
	today := now.In(e.Location()).Format("2006-01-02")
	var first, last *CheckinList
	for i := range lists {
		if lists[i].Kind != CheckinListDay {
			continue
		}
		if first == nil {
			first = &lists[i]
		}
		last = &lists[i]
		if lists[i].Day == today {
			return &lists[i]
		}
	}
	if last != nil && today > last.Day {
		return last
	}
	if first == nil && len(lists) > 0 {
		return &lists[0]
	}
	return first
}

// ListCounts are a list's "212 of 340 in".
type ListCounts struct {
	In       int64
	Expected int64
}

// Percent is In as a share of Expected, 0–100, for the progress bar.
func (c ListCounts) Percent() int {
	if c.Expected <= 0 {
		return 0
	}
	p := int(c.In * 100 / c.Expected)
	if p > 100 {
		p = 100
	}
	return p
}

// liveAttendees selects the event's attendees expected at the door: active,
// on a confirmed order.
func liveAttendees(db *gorm.DB, eventID uint) *gorm.DB {
	return db.Table("attendees").Joins("JOIN orders ON orders.id = attendees.order_id").
		Where("attendees.event_id = ? AND attendees.status = ? AND orders.status = ?", eventID, AttendeeActive, OrderConfirmed)
}

// expectedOn narrows liveAttendees to those expected on list l: everyone
// on a day list or a counted session without sign-up, the sign-ups on a
// session with sign-up.
func expectedOn(db *gorm.DB, l *CheckinList) *gorm.DB {
	q := liveAttendees(db, l.EventID)
	if l.Kind == CheckinListSession && l.Session != nil && l.Session.SignUp {
		q = q.Where("EXISTS (SELECT 1 FROM session_signups s WHERE s.attendee_id = attendees.id AND s.session_id = ?)", *l.SessionID)
	}
	return q
}

// CountCheckinList counts the list's live check-ins of expected attendees
// and the attendees expected on it, from the rows.
func CountCheckinList(db *gorm.DB, l *CheckinList) (ListCounts, error) {
	var c ListCounts
	if err := expectedOn(db, l).Count(&c.Expected).Error; err != nil {
		return c, err
	}
	err := expectedOn(db, l).Where("EXISTS (SELECT 1 FROM checkins k WHERE k.attendee_id = attendees.id AND k.list_id = ? AND k.undone_at IS NULL)", l.ID).
		Count(&c.In).Error
	return c, err
}
