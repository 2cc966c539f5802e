package models

import (
	"errors"

	"gorm.io/gorm"
)

// Errors of the organizer's ticket type and question rules.
var (
	ErrCapacityBelowTaken = errors.New("capacity is below the places already taken")
	ErrTicketTypeSold     = errors.New("the ticket type has registrations and cannot be deleted")
	ErrQuestionAnswered   = errors.New("the question has answers and cannot be deleted")
)

// TicketTypesOf lists an event's ticket types in their display order.
func TicketTypesOf(db *gorm.DB, eventID uint) ([]TicketType, error) {
	var ts []TicketType
	err := db.Where("event_id = ?", eventID).Order("position, id").Find(&ts).Error
	return ts, err
}

// TicketTypeOf returns the event's ticket type id, or gorm.ErrRecordNotFound.
func TicketTypeOf(db *gorm.DB, eventID, id uint) (*TicketType, error) {
	var t TicketType
	if err := db.Where("id = ? AND event_id = ?", id, eventID).Take(&t).Error; err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateTicketType stores a new ticket type; its counter starts at zero.
func CreateTicketType(db *gorm.DB, t *TicketType) error {
	t.ID, t.PlacesTaken = 0, 0
	if err := db.Create(t).Error; err != nil {
		return err
	}
	// The public pages show ticket types (offers, places left): stale now.
	return BumpEventVersion(db, t.EventID)
}

// UpdateTicketType saves the organizer's fields of t. The capacity is set in
// the same conditional statement that checks it against places_taken, so a
// registration racing the edit can never leave the type oversold
// (invariant 1): a capacity below the places taken is ErrCapacityBelowTaken.
func UpdateTicketType(db *gorm.DB, t *TicketType) error {
	res := db.Model(&TicketType{}).
		Where("id = ? AND event_id = ? AND (? = 0 OR places_taken <= ?)", t.ID, t.EventID, t.Capacity, t.Capacity).
		Updates(map[string]any{
			"name": t.Name, "description": t.Description, "price": t.Price, "currency": t.Currency,
			"capacity": t.Capacity, "sales_start_at": t.SalesStartAt, "sales_end_at": t.SalesEndAt,
			"category": t.Category, "max_per_order": t.MaxPerOrder, "hidden": t.Hidden, "position": t.Position,
		})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		if _, err := TicketTypeOf(db, t.EventID, t.ID); err != nil {
			return err
		}
		return ErrCapacityBelowTaken
	}
	return BumpEventVersion(db, t.EventID)
}

// DeleteTicketType deletes a ticket type nobody ever registered or waited
// for: attendees (even cancelled ones) and waitlist entries keep pointing at
// it, so those make it ErrTicketTypeSold.
func DeleteTicketType(db *gorm.DB, eventID, id uint) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if _, err := TicketTypeOf(tx, eventID, id); err != nil {
			return err
		}
		var n, w int64
		if err := tx.Model(&Attendee{}).Where("ticket_type_id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if err := tx.Model(&WaitlistEntry{}).Where("ticket_type_id = ?", id).Count(&w).Error; err != nil {
			return err
		}
		if n+w > 0 {
			return ErrTicketTypeSold
		}
		// places_taken = 0 guards a registration committed since the count.
		res := tx.Where("id = ? AND event_id = ? AND places_taken = 0", id, eventID).Delete(&TicketType{})
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrTicketTypeSold
		}
		if res.Error != nil {
			return res.Error
		}
		return BumpEventVersion(tx, eventID)
	})
}

// QuestionsOf lists an event's questions in their display order.
func QuestionsOf(db *gorm.DB, eventID uint) ([]Question, error) {
	var qs []Question
	err := db.Where("event_id = ?", eventID).Order("position, id").Find(&qs).Error
	return qs, err
}

// QuestionOf returns the event's question id, or gorm.ErrRecordNotFound.
func QuestionOf(db *gorm.DB, eventID, id uint) (*Question, error) {
	var q Question
	if err := db.Where("id = ? AND event_id = ?", id, eventID).Take(&q).Error; err != nil {
		return nil, err
	}
	return &q, nil
}

// DeleteQuestion deletes a question nobody answered yet; answers are what
// people told the organizers and are not thrown away by a click.
func DeleteQuestion(db *gorm.DB, eventID, id uint) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if _, err := QuestionOf(tx, eventID, id); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Answer{}).Where("question_id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrQuestionAnswered
		}
		return tx.Where("id = ? AND event_id = ?", id, eventID).Delete(&Question{}).Error
	})
}

// ConsentHistory returns every version of the event's consent texts, newest
// version of each kind first.
func ConsentHistory(db *gorm.DB, eventID uint) ([]ConsentText, error) {
	var cs []ConsentText
	err := db.Where("event_id = ?", eventID).Order("kind, version DESC").Find(&cs).Error
	return cs, err
}
