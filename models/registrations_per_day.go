package models

import (
	"time"

	"gorm.io/gorm"
)

// DayCount is how many people registered on one day (midnight in the
// event's time zone).
type DayCount struct {
	Day time.Time
	N   int
}

// maxChartDays bounds the days RegistrationsPerDay returns (the latest ones).
const maxChartDays = 366

// RegistrationsPerDay counts the people on the event's live (pending or
// confirmed) orders by the day their order was made, in the event's time
// zone, from the first registration to the last (or today, when earlier
// than the event's end), days without any included as zero.
//
// One grouped query counts by UTC hour, which both engines can express;
// the hours are then put on the event's days here, where the IANA zone is
// known (SQLite has no time zones), so a change of daylight saving time
// lands each hour on its right day.
func RegistrationsPerDay(db *gorm.DB, e Event, now time.Time) ([]DayCount, error) {
	hour := "strftime('%Y-%m-%d %H', orders.created_at)"
	if IsPostgres(db) {
		hour = "to_char(orders.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"
	}
	var rows []struct {
		Hour string
		N    int
	}
	err := db.Table("attendees").Select(hour+" AS hour, COUNT(*) AS n").
		Joins("JOIN orders ON orders.id = attendees.order_id").
		Where("attendees.event_id = ? AND attendees.status = ? AND orders.status IN ?", e.ID, AttendeeActive, liveOrderStatuses).
		Group("hour").Order("hour").Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	loc := e.Location()
	perDay := map[time.Time]int{}
	var first, last time.Time
	for _, r := range rows {
		at, perr := time.ParseInLocation("2006-01-02 15", r.Hour, time.UTC)
		if perr != nil {
			continue
		}
		day := dayIn(at, loc)
		perDay[day] += r.N
		if first.IsZero() || day.Before(first) {
			first = day
		}
		if day.After(last) {
			last = day
		}
	}
	if first.IsZero() {
		return nil, nil
	}
	if today := dayIn(now, loc); today.After(last) && !today.After(dayIn(e.EndsAt, loc)) {
		last = today
	}
	var out []DayCount
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		out = append(out, DayCount{Day: d, N: perDay[d]})
	}
	if len(out) > maxChartDays {
		out = out[len(out)-maxChartDays:]
	}
	return out, nil
}

// dayIn is the midnight starting t's day in loc.
func dayIn(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
