package models

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Errors of the staff rules on one attendee.
var (
	ErrSameTicketType         = errors.New("the person already has this ticket type")
	ErrAttendeeErased         = errors.New("the person's data was erased")
	ErrResentRecently         = errors.New("the confirmation was sent again less than a minute ago")
	errImportRowTaken         = errors.New("the import row was handled by another run")
	errAttendeeMovedMeanwhile = errors.New("the attendee changed ticket type meanwhile")
)

// AttendeeEdit is what an organizer may change of one attendee's details.
// Sensitive is false when the editor may not see access needs and
// sensitive answers: they are then left as they are.
type AttendeeEdit struct {
	Name         string
	Email        string
	Organization string
	Answers      map[uint]string
	Needs        AccessNeeds
	NeedsNote    string
	Sensitive    bool
}

// StaffEditAttendee changes an active attendee's details after the checks
// of the public form (names, e-mail, lengths, answers; required answers may
// stay empty, as for every staff registration). Problems come back as
// *ValidationError with the fields named as on the attendee form ("name",
// "email", "answers.QID", "needs.dietary", "note", ...). When the attendee
// is the order's buyer (first person, same e-mail) the buyer's name and
// e-mail follow, so the next mail reaches the corrected address. The change
// record lists each changed field, without the values of sensitive ones.
func StaffEditAttendee(db *gorm.DB, attendeeID uint, ed AttendeeEdit, by Actor, now time.Time) error {
	now = now.UTC()
	var a Attendee
	if err := db.Preload("Answers").Take(&a, attendeeID).Error; err != nil {
		return err
	}
	var qs []Question
	if err := db.Where("event_id = ?", a.EventID).Order("position, id").Find(&qs).Error; err != nil {
		return err
	}
	ai := AttendeeInput{Name: ed.Name, Email: ed.Email, Organization: ed.Organization, Answers: ed.Answers, Needs: ed.Needs, NeedsNote: ed.NeedsNote}
	if !ed.Sensitive {
		// Sensitive fields the editor cannot see keep their stored values.
		ai.Needs, ai.NeedsNote = a.Needs, a.NeedsNote
		ai.Answers = map[uint]string{}
		for k, v := range ed.Answers {
			ai.Answers[k] = v
		}
		stored := map[uint]string{}
		for _, an := range a.Answers {
			stored[an.QuestionID] = an.Value
		}
		view := SensitiveView{allowed: ed.Sensitive}
		for _, q := range qs {
			if !view.ShowsQuestion(q) {
				ai.Answers[q.ID] = stored[q.ID]
			}
		}
	}
	in := PlaceOrderInput{BuyerName: "x", BuyerEmail: "x@x.example", Attendees: []AttendeeInput{ai}}
	TrimRegistration(&in)
	ai = in.Attendees[0]
	var ps []Problem
	for _, p := range ValidateRegistration(in, staffForm(RegistrationForm{TicketType: TicketType{MaxPerOrder: 1}, Questions: qs})) {
		if f, ok := strings.CutPrefix(p.Field, "attendees.0."); ok && !strings.HasPrefix(f, "consents") {
			p.Field = f
			ps = append(ps, p)
		}
	}
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	return db.Transaction(func(tx *gorm.DB) error {
		var cur Attendee
		if err := tx.Preload("Answers").Take(&cur, attendeeID).Error; err != nil {
			return err
		}
		switch {
		case cur.AnonymisedAt != nil:
			return ErrAttendeeErased
		case cur.Status != AttendeeActive:
			return ErrAttendeeNotActive
		}
		var fs []FieldChange
		diff := func(field, old, new string) {
			if old != new {
				fs = append(fs, FieldChange{Field: field, Old: old, New: new})
			}
		}
		diff("name", cur.Name, ai.Name)
		diff("email", cur.Email, ai.Email)
		diff("organization", cur.Organization, ai.Organization)
		if cur.Needs != ai.Needs || cur.NeedsNote != ai.NeedsNote {
			fs = append(fs, FieldChange{Field: "needs", Sensitive: true})
		}
		stored := map[uint]string{}
		for _, an := range cur.Answers {
			stored[an.QuestionID] = an.Value
		}
		for _, q := range qs {
			if stored[q.ID] == ai.Answers[q.ID] {
				continue
			}
			if q.Sensitive {
				fs = append(fs, FieldChange{Field: "answer:" + q.Label, Sensitive: true})
			} else {
				fs = append(fs, FieldChange{Field: "answer:" + q.Label, Old: stored[q.ID], New: ai.Answers[q.ID]})
			}
		}
		if len(fs) == 0 {
			return nil
		}
		if err := tx.Model(&Attendee{}).Where("id = ?", cur.ID).Updates(map[string]any{
			"name": ai.Name, "email": ai.Email, "organization": ai.Organization,
			"need_step_free": ai.Needs.StepFree, "need_interpretation": ai.Needs.Interpretation, "need_easy_read": ai.Needs.EasyRead,
			"need_dietary": ai.Needs.Dietary, "need_companion": ai.Needs.Companion, "needs_note": ai.NeedsNote, "updated_at": now,
		}).Error; err != nil {
			return err
		}
		answers := map[uint]string{}
		for _, q := range qs {
			answers[q.ID] = ai.Answers[q.ID]
		}
		if err := saveAnswers(tx, cur.ID, answers); err != nil {
			return err
		}
		if cur.Position == 1 && cur.Email != ai.Email {
			res := tx.Model(&Order{}).Where("id = ? AND buyer_email = ?", cur.OrderID, cur.Email).
				Updates(map[string]any{"buyer_email": ai.Email, "buyer_name": ai.Name, "updated_at": now})
			if res.Error != nil {
				return res.Error
			}
		}
		return recordChange(tx, cur.EventID, cur.OrderID, &cur.ID, by, ChangeEdited, fs, now)
	})
}

// MoveAttendee moves an active attendee to ticket type ttID of the same
// event when it has room: the new type's place is taken by the conditional
// update of invariant 1 (ErrTicketTypeFull when none is left), the old one
// freed (and offered to the waitlist), in one transaction with the change
// record. A category that came from the old type becomes the new type's.
func MoveAttendee(db *gorm.DB, attendeeID, ttID uint, by Actor, now time.Time) error {
	now = now.UTC()
	return db.Transaction(func(tx *gorm.DB) error {
		var a Attendee
		if err := tx.Take(&a, attendeeID).Error; err != nil {
			return err
		}
		live, err := lockLiveOrder(tx, a.OrderID, now)
		if err != nil {
			return err
		}
		if !live {
			return ErrOrderNotActive
		}
		if err := tx.Preload("TicketType").Take(&a, attendeeID).Error; err != nil {
			return err
		}
		if a.Status != AttendeeActive {
			return ErrAttendeeNotActive
		}
		if a.TicketTypeID == ttID {
			return ErrSameTicketType
		}
		var tt TicketType
		if err := tx.Where("id = ? AND event_id = ?", ttID, a.EventID).Take(&tt).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrInvalidTicketType
			}
			return err
		}
		if err := takePlaces(tx, []claim{{"ticket_types", tt.ID, 1}}); err != nil {
			return err
		}
		if err := releasePlaces(tx, []claim{{"ticket_types", a.TicketTypeID, 1}}); err != nil {
			return err
		}
		set := map[string]any{"ticket_type_id": tt.ID, "updated_at": now}
		if a.Category == a.TicketType.Category {
			set["category"] = tt.Category
		}
		res := tx.Model(&Attendee{}).Where("id = ? AND ticket_type_id = ?", a.ID, a.TicketTypeID).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errAttendeeMovedMeanwhile
		}
		fs := []FieldChange{{Field: "ticket_type", Old: a.TicketType.Name, New: tt.Name}}
		if err := recordChange(tx, a.EventID, a.OrderID, &a.ID, by, ChangeMoved, fs, now); err != nil {
			return err
		}
		_, err = offerNext(tx, a.EventID, now, DefaultOfferValidity)
		return err
	})
}

// ResendConfirmation sends the order's confirmation again (with the
// tickets), or for an order still to be paid its link, to the buyer: at
// most once a minute, so a double click sends one mail. Cancelled and
// expired orders get nothing (ErrOrderNotActive).
func ResendConfirmation(db *gorm.DB, orderID uint, by Actor, now time.Time) error {
	now = now.UTC()
	return db.Transaction(func(tx *gorm.DB) error {
		var o Order
		if err := tx.Take(&o, orderID).Error; err != nil {
			return err
		}
		kind := MailOrderConfirmation
		switch o.Status {
		case OrderConfirmed:
		case OrderPending:
			kind = MailOrderLink
		default:
			return ErrOrderNotActive
		}
		suffix := "resend:" + strconv.FormatInt(now.Unix()/60, 10)
		var n int64
		if err := tx.Model(&OutboxMessage{}).Where("dedupe_key = ?", kind+":"+strconv.FormatUint(uint64(o.ID), 10)+":"+suffix).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrResentRecently
		}
		if err := recordChange(tx, o.EventID, o.ID, nil, by, ChangeResent, []FieldChange{{Field: "to", New: o.BuyerEmail}}, now); err != nil {
			return err
		}
		if kind == MailOrderConfirmation {
			return enqueueConfirmation(tx, &o, suffix)
		}
		return enqueueOrderMail(tx, &o, MailOrderLink, suffix)
	})
}

// StaffCancelAttendee cancels one person (of a delegation or alone) through
// CancelAttendee and records who did it, in one transaction.
func StaffCancelAttendee(db *gorm.DB, attendeeID uint, by Actor, now time.Time) (bool, error) {
	now = now.UTC()
	done := false
	err := db.Transaction(func(tx *gorm.DB) error {
		var err error
		if done, err = CancelAttendee(tx, attendeeID, now); err != nil || !done {
			return err
		}
		var a Attendee
		if err := tx.Select("id", "order_id", "event_id").Take(&a, attendeeID).Error; err != nil {
			return err
		}
		return recordChange(tx, a.EventID, a.OrderID, &a.ID, by, ChangeCancelled, nil, now)
	})
	return done, err
}

// StaffAnonymiseAttendee erases one person's data (and the buyer's, when
// they are the buyer) and records who did it, without any of the values.
// audit, when set, is written to the organization's log in the same
// transaction, naming the person by attendee id and order code only; an
// attendee erased already changes nothing and leaves no line.
func StaffAnonymiseAttendee(db *gorm.DB, attendeeID uint, by Actor, now time.Time, audit *AuditEntry) error {
	now = now.UTC()
	return db.Transaction(func(tx *gorm.DB) error {
		var a Attendee
		if err := tx.Take(&a, attendeeID).Error; err != nil {
			return err
		}
		if a.AnonymisedAt != nil {
			return nil
		}
		if err := AnonymiseAttendee(tx, a.ID, now); err != nil {
			return err
		}
		buyer, err := AnonymiseBuyer(tx, a.OrderID, a.Email, now)
		if err != nil {
			return err
		}
		// The record of earlier edits named old values: they go too (and the
		// addresses the order's mails went to, when they were the buyer's).
		q := tx.Model(&RegistrationChange{}).Where("attendee_id = ?", a.ID)
		if buyer {
			q = tx.Model(&RegistrationChange{}).Where("attendee_id = ? OR (order_id = ? AND attendee_id IS NULL)", a.ID, a.OrderID)
		}
		if err := q.Update("details", "").Error; err != nil {
			return err
		}
		if audit != nil {
			if err := recordAnonymisedAudit(tx, *audit, a, buyer); err != nil {
				return err
			}
		}
		return recordChange(tx, a.EventID, a.OrderID, &a.ID, by, ChangeAnonymised, nil, now)
	})
}
