package models

import "gorm.io/gorm"

// liveOrdersWithAttendees returns the event's live orders in id order, each
// with its active attendees. The attendees are read by event, not through a
// list of the orders' ids (as Preload does): an event with more orders than
// SQLite takes variables in one statement (32,766) must still be cancelled
// or deleted.
func liveOrdersWithAttendees(tx *gorm.DB, eventID uint) ([]Order, error) {
	var orders []Order
	if err := tx.Where("event_id = ? AND status IN ?", eventID, liveOrderStatuses).Order("id").Find(&orders).Error; err != nil {
		return nil, err
	}
	var as []Attendee
	if err := tx.Where("event_id = ? AND status = ?", eventID, AttendeeActive).Order("order_id, id").Find(&as).Error; err != nil {
		return nil, err
	}
	at := make(map[uint]int, len(orders))
	for i, o := range orders {
		at[o.ID] = i
	}
	for _, a := range as {
		if i, ok := at[a.OrderID]; ok {
			orders[i].Attendees = append(orders[i].Attendees, a)
		}
	}
	return orders, nil
}

// inChunks calls f with consecutive parts of ids of at most maxInList, so
// that no statement passes more ids than SQLite allows.
func inChunks(ids []uint, f func(part []uint) error) error {
	for len(ids) > 0 {
		n := min(len(ids), maxInList)
		if err := f(ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// maxInList is well under SQLite's 32,766 variables a statement.
const maxInList = 10000
