package models

import "gorm.io/gorm"

// SiteStats are the counts an operator watches: what /metrics exports.
type SiteStats struct {
	OrdersByStatus   map[string]int64
	ActiveAttendees  int64
	CheckedIn        int64
	OutboxByStatus   map[string]int64
	WaitlistByStatus map[string]int64
}

type statusCount struct {
	Status string
	N      int64
}

// LoadSiteStats counts orders, attendees, outbox messages and waitlist
// entries with a few grouped queries.
func LoadSiteStats(db *gorm.DB) (*SiteStats, error) {
	s := &SiteStats{OrdersByStatus: map[string]int64{}, OutboxByStatus: map[string]int64{}, WaitlistByStatus: map[string]int64{}}
	groups := []struct {
		table string
		into  map[string]int64
	}{{"orders", s.OrdersByStatus}, {"outbox_messages", s.OutboxByStatus}, {"waitlist_entries", s.WaitlistByStatus}}
	for _, g := range groups {
		var rows []statusCount
		if err := db.Table(g.table).Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			g.into[r.Status] = r.N
		}
	}
	err := db.Table("attendees").Joins("JOIN orders ON orders.id = attendees.order_id").
		Where("attendees.status = ? AND orders.status IN ?", AttendeeActive, liveOrderStatuses).Count(&s.ActiveAttendees).Error
	if err != nil {
		return nil, err
	}
	err = db.Table("attendees").Where("checked_in_at IS NOT NULL").Count(&s.CheckedIn).Error
	return s, err
}
