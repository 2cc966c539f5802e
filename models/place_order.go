package models

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// DefaultHold is how long a pending (paid) order holds its places when the
// input names no hold.
const DefaultHold = 30 * time.Minute

// PlaceOrderInput is one registration as the form gives it.
type PlaceOrderInput struct {
	EventID      uint
	TicketTypeID uint
	// UnlockHidden lets a hidden ticket type be ordered (a secret link or
	// code the UI checked); visible types need nothing.
	UnlockHidden bool
	BuyerName    string
	BuyerEmail   string
	// ContactAttends makes the contact (buyer) the first attendee: attendee
	// 1's name and e-mail are the buyer's, whatever was posted for them, so
	// a person registering themselves types them once.
	ContactAttends bool
	Language       string
	Attendees      []AttendeeInput
	// IdempotencyKey (a random token in the form) makes a form posted twice
	// one order: the second call returns the first order with Reused set,
	// when it comes from the same Visitor with the same buyer e-mail; anyone
	// else gets ErrIdempotencyKeyTaken (see ReplayedOrder).
	IdempotencyKey string
	// Visitor is a secret of the browser that sent the form (its CSRF
	// token), which the key is bound to.
	Visitor string
	// VoucherCode (optional) lowers the price and may unlock a hidden
	// ticket type; its use is taken inside the order's transaction.
	VoucherCode string
	// Hold is how long a paid order stays pending; 0 means DefaultHold.
	Hold time.Duration
	Now  time.Time
	// Loaded, when set, is the event and form the caller read for this same
	// request (the register page loads them to show or check the form), so
	// they are not read twice; they are used only when they are the ones
	// this order names. Places are never taken from them: the transaction's
	// conditional updates decide those.
	Loaded *LoadedForm
	// fromOffer is the waitlist offer whose held places this order uses.
	fromOffer *WaitlistEntry
	// staff is set for a registration an organizer makes (PlaceStaffOrder).
	staff *staffPlan
}

// LoadedForm is an event and its registration form as a caller read them.
type LoadedForm struct {
	Event Event
	Form  *RegistrationForm
}

// LoadRegistrationForm loads what a registration for ticket type ttID of
// event eventID is validated against. An unknown or foreign ticket type is
// ErrInvalidTicketType.
func LoadRegistrationForm(db *gorm.DB, eventID, ttID uint) (*RegistrationForm, error) {
	var tt TicketType
	if err := db.Where("id = ? AND event_id = ?", ttID, eventID).Take(&tt).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrInvalidTicketType
		}
		return nil, err
	}
	return RegistrationFormOf(db, tt)
}

// RegistrationFormOf is LoadRegistrationForm for a ticket type the caller
// has just read (the register page reads them all to offer them).
func RegistrationFormOf(db *gorm.DB, tt TicketType) (*RegistrationForm, error) {
	eventID := tt.EventID
	f := &RegistrationForm{TicketType: tt}
	if err := db.Where("event_id = ?", eventID).Order("position, id").Find(&f.Questions).Error; err != nil {
		return nil, err
	}
	if err := db.Where("event_id = ?", eventID).Order("kind, version").Find(&f.ConsentTexts).Error; err != nil {
		return nil, err
	}
	if err := db.Where("event_id = ? AND sign_up = ?", eventID, true).Order("starts_at, id").Find(&f.SignupSessions).Error; err != nil {
		return nil, err
	}
	return f, nil
}

// RegistrationOpen reports whether e takes registrations at now: published,
// not ended, and inside its registration window.
func RegistrationOpen(e Event, now time.Time) bool {
	if e.Status != StatusPublished || !now.Before(e.EndsAt) {
		return false
	}
	if e.RegistrationOpensAt != nil && now.Before(*e.RegistrationOpensAt) {
		return false
	}
	if e.RegistrationClosesAt != nil && !now.Before(*e.RegistrationClosesAt) {
		return false
	}
	return true
}

// PlaceOrder registers the attendees of in: it checks the event is open,
// the ticket type on sale and the input valid, then in ONE transaction
// creates the order, takes the places of the event, the ticket type and
// each chosen session (conditional updates: invariant 1), stores attendees,
// answers, consents and sign-ups, and enqueues the confirmation e-mail of a
// free order. A free order is confirmed at once; a paid one is pending until
// now+Hold. Errors: ErrEventNotOpen, ErrInvalidTicketType, ErrSalesClosed,
// ErrTooManyAttendees, ErrNoAttendees, ErrInvalidSession, ErrEventFull,
// ErrTicketTypeFull, ErrSessionFull, or *ValidationError.
func PlaceOrder(db *gorm.DB, in PlaceOrderInput) (*Order, error) {
	return placeOrder(db, in, func(in PlaceOrderInput, ev Event, form RegistrationForm, voucher *Voucher) (*Order, error) {
		return placeOrderTx(db, in, ev, form, voucher)
	})
}

// commitOrder writes a checked order: in its own transaction (PlaceOrder),
// or in a shared one (OrderBatcher).
type commitOrder func(in PlaceOrderInput, ev Event, form RegistrationForm, voucher *Voucher) (*Order, error)

// placeOrder checks in, then writes it with commit.
func placeOrder(db *gorm.DB, in PlaceOrderInput, commit commitOrder) (*Order, error) {
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	in.Now = in.Now.UTC()
	TrimRegistration(&in)
	in.IdempotencyKey = strings.TrimSpace(in.IdempotencyKey)
	if len(in.IdempotencyKey) > 100 {
		in.IdempotencyKey = in.IdempotencyKey[:100]
	}
	if o, err := ReplayedOrder(db, in.EventID, in.IdempotencyKey, in.Visitor, in.BuyerEmail); o != nil || err != nil {
		return o, err
	}
	ev, err := in.loadedEvent(db)
	if err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrEventNotOpen
		}
		return nil, err
	}
	if (in.staff == nil && !RegistrationOpen(ev, in.Now)) || ev.Status == StatusCancelled {
		return nil, ErrEventNotOpen
	}
	form, err := in.loadedForm(db)
	if err != nil {
		return nil, err
	}
	tt := form.TicketType
	var voucher *Voucher
	if strings.TrimSpace(in.VoucherCode) != "" {
		if voucher, err = CheckVoucher(db, in.EventID, in.VoucherCode, tt.ID, in.Now); err != nil {
			return nil, err
		}
		if voucher.UnlockHidden {
			in.UnlockHidden = true
		}
	}
	if tt.Hidden && !in.UnlockHidden && in.fromOffer == nil && in.staff == nil {
		return nil, ErrInvalidTicketType
	}
	if !tt.OnSale(in.Now) && in.fromOffer == nil && in.staff == nil {
		return nil, ErrSalesClosed
	}
	switch {
	case len(in.Attendees) == 0:
		return nil, ErrNoAttendees
	case len(in.Attendees) > tt.MaxAttendees() || len(in.Attendees) > MaxAttendeeCap:
		return nil, ErrTooManyAttendees
	}
	for _, a := range in.Attendees {
		for _, sid := range a.SessionIDs {
			if !sessionOpen(form.SignupSessions, sid) {
				return nil, ErrInvalidSession
			}
		}
	}
	vform := *form
	if in.staff != nil {
		vform = staffForm(vform)
	}
	if ps := ValidateRegistration(in, vform); len(ps) > 0 {
		return nil, &ValidationError{Problems: ps}
	}
	// A unique index collision is either the same key posted concurrently
	// (that order when it is this visitor's, else ErrIdempotencyKeyTaken) or,
	// very rarely, a random code collision (try again).
	for try := 0; ; try++ {
		o, err := commit(in, ev, *form, voucher)
		if errors.Is(err, gorm.ErrDuplicatedKey) && in.staff != nil {
			if derr := in.staff.duplicate(db, ev.ID); derr != nil {
				return nil, derr
			}
		}
		if errors.Is(err, gorm.ErrDuplicatedKey) && try < 3 {
			if o, err := ReplayedOrder(db, in.EventID, in.IdempotencyKey, in.Visitor, in.BuyerEmail); o != nil || err != nil {
				return o, err
			}
			continue
		}
		return o, err
	}
}

func sessionOpen(ss []Session, id uint) bool {
	for _, s := range ss {
		if s.ID == id && s.SignUp {
			return true
		}
	}
	return false
}

func placeOrderTx(db *gorm.DB, in PlaceOrderInput, ev Event, form RegistrationForm, voucher *Voucher) (*Order, error) {
	tt := form.TicketType
	o := &Order{
		EventID: ev.ID, Code: newCode(8), Secret: NewSecret(), BuyerName: in.BuyerName, BuyerEmail: in.BuyerEmail,
		Language: in.Language, Total: tt.Price * int64(len(in.Attendees)), Currency: tt.Currency,
	}
	// The price is the server's: ticket price times attendees, less the
	// voucher's discount. A free voucher on a paid ticket never sees Stripe.
	var discount int64
	if voucher != nil {
		discount = voucher.Discount(o.Total)
		o.Total -= discount
	}
	if o.Language == "" {
		o.Language = "en"
	}
	if in.IdempotencyKey != "" {
		o.IdempotencyKey = &in.IdempotencyKey
		o.IdempotencyOwner = replayOwner(in.IdempotencyKey, in.Visitor)
	}
	if in.fromOffer != nil {
		o.FromWaitlistID = &in.fromOffer.ID
	}
	if o.Total <= 0 {
		o.Status = OrderConfirmed
		o.ConfirmedAt = &in.Now
	} else {
		o.Status = OrderPending
		hold := in.Hold
		if hold <= 0 {
			hold = DefaultHold
		}
		exp := in.Now.Add(hold)
		o.ExpiresAt = &exp
	}
	if in.staff != nil {
		in.staff.apply(o, in.Now)
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		// Places first, then the rows that point at them: on PostgreSQL the
		// counter rows are then locked for update before any foreign-key
		// check takes a share lock on them (mixing the two under heavy
		// concurrency trips "new multixact has more than one updating member").
		var cs []claim
		for _, a := range in.Attendees {
			cs = append(cs, attendeeClaims(Attendee{EventID: ev.ID, TicketTypeID: tt.ID}, a.SessionIDs)...)
		}
		cs = mergeClaims(cs)
		if in.fromOffer != nil {
			// Win the offer first (once, even when accepted twice at once).
			res := tx.Model(&WaitlistEntry{}).Where("id = ? AND status = ? AND offer_expires_at > ?", in.fromOffer.ID, WaitlistOffered, in.Now).
				Updates(map[string]any{"status": WaitlistAccepted, "updated_at": in.Now})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				return ErrOfferUsed
			}
			// The offer's held places become the order's: give them back and
			// take the order's in the same transaction, under the same locks.
			if err := releasePlaces(tx, offerClaims(*in.fromOffer)); err != nil {
				return err
			}
		}
		if err := takePlaces(tx, cs); err != nil {
			return err
		}
		if voucher != nil {
			if err := redeemVoucher(tx, voucher, in.Now); err != nil {
				return err
			}
		}
		// A second post of the same form fails here on the unique key and
		// rolls back the places it took.
		if err := tx.Omit(clause.Associations).Create(o).Error; err != nil {
			return err
		}
		if voucher != nil {
			if err := tx.Create(&VoucherRedemption{VoucherID: voucher.ID, OrderID: o.ID, Discount: discount, CreatedAt: in.Now}).Error; err != nil {
				return err
			}
		}
		if in.fromOffer != nil {
			if err := tx.Model(&WaitlistEntry{}).Where("id = ?", in.fromOffer.ID).Update("order_id", o.ID).Error; err != nil {
				return err
			}
		}
		for i, ai := range in.Attendees {
			if err := createAttendee(tx, o, tt, i+1, ai, in.Now); err != nil {
				return err
			}
		}
		if err := orderWebhook(tx, WebhookOrderPlaced, *o, "", in.Now, map[string]any{"attendees": len(in.Attendees)}); err != nil {
			return err
		}
		if in.staff != nil {
			return in.staff.write(tx, o, in.Now)
		}
		if o.Status == OrderConfirmed {
			// The rows as written: every attendee active, in position order.
			return queueConfirmationsFor(tx, *o, o.Attendees, "")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

func createAttendee(tx *gorm.DB, o *Order, tt TicketType, pos int, ai AttendeeInput, now time.Time) error {
	cat := ai.Category
	if cat == "" {
		cat = tt.Category
	}
	a := &Attendee{OrderID: o.ID, EventID: o.EventID, TicketTypeID: tt.ID, Position: pos, Name: ai.Name, Email: ai.Email,
		Organization: ai.Organization, Category: cat, Needs: ai.Needs, NeedsNote: ai.NeedsNote, Status: AttendeeActive,
		QRSecret: NewSecret()}
	if err := tx.Omit(clause.Associations).Create(a).Error; err != nil {
		return fmt.Errorf("create attendee: %w", err)
	}
	if err := insertAnswers(tx, a.ID, ai.Answers); err != nil {
		return err
	}
	for _, cid := range ai.ConsentTextIDs {
		lang, err := ConsentShownLanguage(tx, o.EventID, cid, o.Language)
		if err != nil {
			return err
		}
		if err := tx.Create(&ConsentRecord{AttendeeID: a.ID, ConsentTextID: cid, GivenAt: now, Language: lang}).Error; err != nil {
			return fmt.Errorf("create consent: %w", err)
		}
	}
	sids := append([]uint(nil), ai.SessionIDs...)
	sort.Slice(sids, func(i, j int) bool { return sids[i] < sids[j] })
	for _, sid := range sids {
		if err := tx.Create(&SessionSignup{AttendeeID: a.ID, SessionID: sid}).Error; err != nil {
			return fmt.Errorf("create signup: %w", err)
		}
	}
	o.Attendees = append(o.Attendees, *a)
	return nil
}

// saveAnswers replaces the attendee's answers; empty answers are not stored.
func saveAnswers(tx *gorm.DB, attendeeID uint, answers map[uint]string) error {
	if err := tx.Where("attendee_id = ?", attendeeID).Delete(&Answer{}).Error; err != nil {
		return err
	}
	return insertAnswers(tx, attendeeID, answers)
}

func insertAnswers(tx *gorm.DB, attendeeID uint, answers map[uint]string) error {
	qids := make([]uint, 0, len(answers))
	for q, v := range answers {
		if v != "" {
			qids = append(qids, q)
		}
	}
	sort.Slice(qids, func(i, j int) bool { return qids[i] < qids[j] })
	for _, q := range qids {
		if err := tx.Create(&Answer{AttendeeID: attendeeID, QuestionID: q, Value: answers[q]}).Error; err != nil {
			return fmt.Errorf("save answer: %w", err)
		}
	}
	return nil
}

// enqueueOrderMail queues a mail about the order to its buyer; the worker
// renders it from the order's rows. suffix distinguishes repeatable mails.
func enqueueOrderMail(tx *gorm.DB, o *Order, kind, suffix string) error {
	key := fmt.Sprintf("%s:%d", kind, o.ID)
	if suffix != "" {
		key += ":" + suffix
	}
	return Enqueue(tx, &OutboxMessage{To: o.BuyerEmail, Language: o.Language, Kind: kind, RefID: o.ID, DedupeKey: key})
}

// loadedEvent is the order's event: the caller's copy when it has one.
func (in PlaceOrderInput) loadedEvent(db *gorm.DB) (Event, error) {
	if in.Loaded != nil && in.staff == nil && in.Loaded.Event.ID == in.EventID {
		return in.Loaded.Event, nil
	}
	return in.staff.event(db, in.EventID)
}

// loadedForm is the order's form: the caller's copy when it is this
// event's form for this ticket type.
func (in PlaceOrderInput) loadedForm(db *gorm.DB) (*RegistrationForm, error) {
	if l := in.Loaded; l != nil && in.staff == nil && l.Form != nil && l.Event.ID == in.EventID &&
		l.Form.TicketType.ID == in.TicketTypeID && l.Form.TicketType.EventID == in.EventID {
		return l.Form, nil
	}
	return in.staff.form(db, in.EventID, in.TicketTypeID)
}
