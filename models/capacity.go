package models

import (
	"fmt"
	"sort"

	"gorm.io/gorm"
)

// claim is n places of one counter: an event, a ticket type or a session.
// Invariant 1 lives here: a place is taken only by a conditional UPDATE that
// checks the capacity and writes the count in one statement, so two
// transactions can never both see the last place free.
type claim struct {
	table string // "events", "ticket_types" or "sessions"
	id    uint
	n     int
}

// fullError maps a counter that had no room to the error the UI shows.
func (c claim) fullError() error {
	switch c.table {
	case "events":
		return ErrEventFull
	case "ticket_types":
		return ErrTicketTypeFull
	default:
		return ErrSessionFull{SessionID: c.id}
	}
}

// tableRank orders locks: events, then ticket types, then sessions, each by
// id, so two transactions never wait on each other in a cycle (PostgreSQL).
var tableRank = map[string]int{"events": 0, "ticket_types": 1, "sessions": 2}

func sortClaims(cs []claim) {
	sort.SliceStable(cs, func(i, j int) bool {
		if tableRank[cs[i].table] != tableRank[cs[j].table] {
			return tableRank[cs[i].table] < tableRank[cs[j].table]
		}
		return cs[i].id < cs[j].id
	})
}

// takePlaces takes every claim or none: when one counter is full it gives
// back what it already took (same transaction) and returns that counter's
// "full" error.
func takePlaces(tx *gorm.DB, cs []claim) error {
	sortClaims(cs)
	for i, c := range cs {
		res := tx.Exec("UPDATE "+c.table+" SET places_taken = places_taken + ? WHERE id = ? AND (capacity = 0 OR places_taken + ? <= capacity)", c.n, c.id, c.n)
		if res.Error != nil {
			return fmt.Errorf("take places in %s: %w", c.table, res.Error)
		}
		if res.RowsAffected != 1 {
			if err := releasePlaces(tx, cs[:i]); err != nil {
				return err
			}
			return c.fullError()
		}
	}
	return nil
}

// releasePlaces gives places back. Callers guarantee each hold is released
// once by first winning a conditional status change on the holding row.
func releasePlaces(tx *gorm.DB, cs []claim) error {
	sortClaims(cs)
	for _, c := range cs {
		if err := tx.Exec("UPDATE "+c.table+" SET places_taken = places_taken - ? WHERE id = ?", c.n, c.id).Error; err != nil {
			return fmt.Errorf("release places in %s: %w", c.table, err)
		}
	}
	return nil
}

// mergeClaims adds up claims on the same counter.
func mergeClaims(cs []claim) []claim {
	idx := map[[2]any]int{}
	var out []claim
	for _, c := range cs {
		k := [2]any{c.table, c.id}
		if i, ok := idx[k]; ok {
			out[i].n += c.n
			continue
		}
		idx[k] = len(out)
		out = append(out, c)
	}
	return out
}

// attendeeClaims are the places one active attendee holds: the event, the
// ticket type and each session signed up for.
func attendeeClaims(a Attendee, sessionIDs []uint) []claim {
	cs := []claim{{"events", a.EventID, 1}, {"ticket_types", a.TicketTypeID, 1}}
	for _, s := range sessionIDs {
		cs = append(cs, claim{"sessions", s, 1})
	}
	return cs
}

// activeAttendeeClaims loads the active attendees of an order (optionally
// one) with their signups and returns the places they hold.
func activeAttendeeClaims(tx *gorm.DB, orderID uint, attendeeID uint) ([]claim, []Attendee, error) {
	q := tx.Where("order_id = ? AND status = ?", orderID, AttendeeActive)
	if attendeeID != 0 {
		q = q.Where("id = ?", attendeeID)
	}
	var as []Attendee
	if err := q.Order("id").Find(&as).Error; err != nil {
		return nil, nil, err
	}
	var cs []claim
	for _, a := range as {
		var sids []uint
		if err := tx.Model(&SessionSignup{}).Where("attendee_id = ?", a.ID).Pluck("session_id", &sids).Error; err != nil {
			return nil, nil, err
		}
		cs = append(cs, attendeeClaims(a, sids)...)
	}
	return mergeClaims(cs), as, nil
}

// offerClaims are the places a live waitlist offer holds.
func offerClaims(w WaitlistEntry) []claim {
	cs := []claim{{"events", w.EventID, 1}}
	if w.TicketTypeID != nil {
		cs = append(cs, claim{"ticket_types", *w.TicketTypeID, 1})
	}
	if w.SessionID != nil {
		cs = append(cs, claim{"sessions", *w.SessionID, 1})
	}
	return cs
}
