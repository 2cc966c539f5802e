package models

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// CheckCounters recomputes every places_taken (events, ticket types,
// sessions) from the rows — active attendees of pending and confirmed orders,
// their session sign-ups, and live waitlist offers — and reports each stored
// counter that differs, and any counter above its capacity. Tests run it
// after every test that writes; operators can run it too.
func CheckCounters(db *gorm.DB) error {
	live := "attendees.status = 'active' AND orders.status IN ('pending','confirmed')"
	checks := []struct{ name, query string }{
		{"event", `SELECT e.id, e.places_taken, e.capacity,
			(SELECT COUNT(*) FROM attendees JOIN orders ON orders.id = attendees.order_id WHERE attendees.event_id = e.id AND ` + live + `)
			+ (SELECT COUNT(*) FROM waitlist_entries w WHERE w.event_id = e.id AND w.status = 'offered') AS actual
			FROM events e`},
		{"ticket type", `SELECT t.id, t.places_taken, t.capacity,
			(SELECT COUNT(*) FROM attendees JOIN orders ON orders.id = attendees.order_id WHERE attendees.ticket_type_id = t.id AND ` + live + `)
			+ (SELECT COUNT(*) FROM waitlist_entries w WHERE w.ticket_type_id = t.id AND w.status = 'offered') AS actual
			FROM ticket_types t`},
		{"session", `SELECT s.id, s.places_taken, s.capacity,
			(SELECT COUNT(*) FROM session_signups ss JOIN attendees ON attendees.id = ss.attendee_id JOIN orders ON orders.id = attendees.order_id
				WHERE ss.session_id = s.id AND ` + live + `)
			+ (SELECT COUNT(*) FROM waitlist_entries w WHERE w.session_id = s.id AND w.status = 'offered') AS actual
			FROM sessions s`},
	}
	var problems []string
	for _, c := range checks {
		var rows []struct {
			ID          uint
			PlacesTaken int
			Capacity    int
			Actual      int
		}
		if err := db.Raw(c.query).Scan(&rows).Error; err != nil {
			return fmt.Errorf("check %s counters: %w", c.name, err)
		}
		for _, r := range rows {
			if r.PlacesTaken != r.Actual {
				problems = append(problems, fmt.Sprintf("%s %d: places_taken %d, rows say %d", c.name, r.ID, r.PlacesTaken, r.Actual))
			}
			if r.Capacity > 0 && r.Actual > r.Capacity {
				problems = append(problems, fmt.Sprintf("%s %d: %d places held, capacity %d", c.name, r.ID, r.Actual, r.Capacity))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("counters out of step:\n%s", strings.Join(problems, "\n"))
	}
	return nil
}
