package models

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// JoinWaitlistInput is a person asking to be told when a place frees.
type JoinWaitlistInput struct {
	EventID      uint
	TicketTypeID *uint // optional: a place of this ticket type
	SessionID    *uint // optional: a place in this session too
	Name         string
	Email        string
	Language     string
	Now          time.Time
}

// JoinWaitlist puts a person at the end of the event's waitlist. The same
// e-mail waiting for the same thing is ErrAlreadyOnWaitlist. When a place is
// in fact free, the offer goes out at once (to whoever is first in line).
// Problems with the name or e-mail come back as *ValidationError with fields
// "name" and "email".
func JoinWaitlist(db *gorm.DB, in JoinWaitlistInput) (*WaitlistEntry, error) {
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	in.Now = in.Now.UTC()
	p := PlaceOrderInput{BuyerName: in.Name, BuyerEmail: in.Email}
	TrimRegistration(&p)
	var ps []Problem
	for _, pr := range ValidateRegistration(p, RegistrationForm{}) {
		switch pr.Field {
		case "buyer_name":
			pr.Field = "name"
			ps = append(ps, pr)
		case "buyer_email":
			pr.Field = "email"
			ps = append(ps, pr)
		}
	}
	if len(ps) > 0 {
		return nil, &ValidationError{Problems: ps}
	}
	var ev Event
	if err := db.Take(&ev, in.EventID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrEventNotOpen
		}
		return nil, err
	}
	if !RegistrationOpen(ev, in.Now) {
		return nil, ErrEventNotOpen
	}
	if in.TicketTypeID != nil {
		var tt TicketType
		if err := db.Where("id = ? AND event_id = ?", *in.TicketTypeID, in.EventID).Take(&tt).Error; err != nil || tt.Hidden {
			return nil, ErrInvalidTicketType
		}
	}
	if in.SessionID != nil {
		var n int64
		if err := db.Model(&Session{}).Where("id = ? AND event_id = ? AND sign_up = ?", *in.SessionID, in.EventID, true).Count(&n).Error; err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, ErrInvalidSession
		}
	}
	lang := in.Language
	if lang == "" {
		lang = "en"
	}
	w := &WaitlistEntry{EventID: in.EventID, TicketTypeID: in.TicketTypeID, SessionID: in.SessionID, Name: p.BuyerName,
		Email: p.BuyerEmail, Language: lang, Status: WaitlistWaiting}
	err := db.Transaction(func(tx *gorm.DB) error {
		// Lock the event row before inserting a row that points at it (see placeOrderTx).
		if err := tx.Exec("UPDATE events SET places_taken = places_taken WHERE id = ?", in.EventID).Error; err != nil {
			return err
		}
		q := tx.Model(&WaitlistEntry{}).Where("event_id = ? AND email = ? AND status IN ?", in.EventID, w.Email, []string{WaitlistWaiting, WaitlistOffered})
		q = nullableEq(q, "ticket_type_id", in.TicketTypeID)
		q = nullableEq(q, "session_id", in.SessionID)
		var n int64
		if err := q.Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrAlreadyOnWaitlist
		}
		if err := tx.Create(w).Error; err != nil {
			return err
		}
		_, err := offerNext(tx, in.EventID, in.Now, DefaultOfferValidity)
		return err
	})
	if err != nil {
		return nil, err
	}
	return w, db.Take(w, w.ID).Error
}

func nullableEq(q *gorm.DB, col string, v *uint) *gorm.DB {
	if v == nil {
		return q.Where(col + " IS NULL")
	}
	return q.Where(col+" = ?", *v)
}

// OfferNext offers freed places of event eventID to the people waiting, in
// order: each offer takes (holds) its places with the same conditional
// update as an order, so no one else can take them, and is e-mailed with a
// link valid for validity. Someone whose ticket type or session is still full
// keeps their turn while people behind them with other wishes are served.
// It returns how many offers were made. Cancel and expiry call it already.
func OfferNext(db *gorm.DB, eventID uint, now time.Time, validity time.Duration) (int, error) {
	n := 0
	err := db.Transaction(func(tx *gorm.DB) error {
		var err error
		n, err = offerNext(tx, eventID, now.UTC(), validity)
		return err
	})
	return n, err
}

func offerNext(tx *gorm.DB, eventID uint, now time.Time, validity time.Duration) (int, error) {
	if validity <= 0 {
		validity = DefaultOfferValidity
	}
	var ws []WaitlistEntry
	if err := tx.Where("event_id = ? AND status = ?", eventID, WaitlistWaiting).Order("id").Limit(200).Find(&ws).Error; err != nil {
		return 0, err
	}
	made := 0
	for _, w := range ws {
		err := takePlaces(tx, offerClaims(w))
		if errors.Is(err, ErrEventFull) {
			break // no one further down can be served either
		}
		if IsFull(err) {
			continue
		}
		if err != nil {
			return made, err
		}
		secret := NewSecret()
		exp := now.Add(validity)
		res := tx.Model(&WaitlistEntry{}).Where("id = ? AND status = ?", w.ID, WaitlistWaiting).Updates(map[string]any{
			"status": WaitlistOffered, "offer_secret": secret, "offered_at": now, "offer_expires_at": exp, "updated_at": now,
		})
		if res.Error != nil {
			return made, res.Error
		}
		if res.RowsAffected != 1 { // served by a concurrent call meanwhile: give back
			if err := releasePlaces(tx, offerClaims(w)); err != nil {
				return made, err
			}
			continue
		}
		made++
		if err := Enqueue(tx, &OutboxMessage{To: w.Email, Language: w.Language, Kind: MailWaitlistOffer, RefID: w.ID,
			DedupeKey: fmt.Sprintf("%s:%d:%s", MailWaitlistOffer, w.ID, strconv.FormatInt(now.UnixNano(), 36))}); err != nil {
			return made, err
		}
	}
	return made, nil
}

// OfferBySecret returns the waitlist entry of an offer link, or
// ErrOfferNotFound (also for malformed secrets).
func OfferBySecret(db *gorm.DB, secret string) (*WaitlistEntry, error) {
	if !LooksLikeSecret(secret) {
		return nil, ErrOfferNotFound
	}
	var w WaitlistEntry
	if err := db.Where("offer_secret = ?", secret).Take(&w).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrOfferNotFound
		}
		return nil, err
	}
	return &w, nil
}

// AcceptOfferInput completes a waitlist offer into an order of one attendee.
type AcceptOfferInput struct {
	Secret string
	// TicketTypeID is used when the entry named none (any ticket type).
	TicketTypeID uint
	Attendee     AttendeeInput
	Language     string
	Hold         time.Duration
	Now          time.Time
}

// AcceptOffer turns a live offer into an order, using the places the offer
// holds (a hidden or off-sale ticket type named by the offer is allowed).
// The buyer is the person on the waitlist. A session offer to someone who
// already holds a ticket (SessionOfferHolder) instead adds the session to
// their registration and returns that order with Reused set; in.Attendee is
// then not used. Errors: ErrOfferNotFound, ErrOfferExpired, ErrOfferUsed,
// plus PlaceOrder's.
func AcceptOffer(db *gorm.DB, in AcceptOfferInput) (*Order, error) {
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	in.Now = in.Now.UTC()
	w, err := OfferBySecret(db, in.Secret)
	if err != nil {
		return nil, err
	}
	switch {
	case w.Status == WaitlistAccepted || w.Status == WaitlistCancelled:
		return nil, ErrOfferUsed
	case w.Status != WaitlistOffered || w.OfferExpiresAt == nil || !in.Now.Before(*w.OfferExpiresAt):
		return nil, ErrOfferExpired
	}
	holder, err := SessionOfferHolder(db, w)
	if err != nil {
		return nil, err
	}
	if holder != nil {
		o, err := acceptSessionOfferForHolder(db, w, holder, in.Now)
		if !errors.Is(err, errNoHolder) {
			return o, err
		}
	}
	tt := in.TicketTypeID
	if w.TicketTypeID != nil {
		tt = *w.TicketTypeID
	}
	a := in.Attendee
	if w.SessionID != nil && !containsUint(a.SessionIDs, *w.SessionID) {
		a.SessionIDs = append(a.SessionIDs, *w.SessionID)
	}
	lang := in.Language
	if lang == "" {
		lang = w.Language
	}
	return PlaceOrder(db, PlaceOrderInput{EventID: w.EventID, TicketTypeID: tt, BuyerName: w.Name, BuyerEmail: w.Email,
		Language: lang, Attendees: []AttendeeInput{a}, Hold: in.Hold, Now: in.Now, fromOffer: w})
}

func containsUint(xs []uint, v uint) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// CancelWaitlistEntry takes a person off the waitlist; a live offer's places
// go to the next person.
func CancelWaitlistEntry(db *gorm.DB, entryID uint, now time.Time) error {
	now = now.UTC()
	for try := 0; ; try++ {
		err := cancelWaitlistEntry(db, entryID, now)
		if !errors.Is(err, errRetry) || try == 5 {
			return err
		}
	}
}

// errRetry says a row changed under a transaction; run it again.
var errRetry = errors.New("row changed meanwhile; retry")

func cancelWaitlistEntry(db *gorm.DB, entryID uint, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		var w WaitlistEntry
		if err := tx.Take(&w, entryID).Error; err != nil {
			return err
		}
		if w.Status != WaitlistWaiting && w.Status != WaitlistOffered {
			return nil
		}
		// Gate on the status just read: if an offer was made meanwhile, this
		// matches nothing and we look again, so held places are never lost.
		res := tx.Model(&WaitlistEntry{}).Where("id = ? AND status = ?", entryID, w.Status).
			Updates(map[string]any{"status": WaitlistCancelled, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errRetry
		}
		if w.Status != WaitlistOffered {
			return nil
		}
		if err := releasePlaces(tx, offerClaims(w)); err != nil {
			return err
		}
		_, err := offerNext(tx, w.EventID, now, DefaultOfferValidity)
		return err
	})
}

// ExpireOffers ends offers unused at now: their places are freed once and
// offered to the next people waiting. It returns how many expired.
func ExpireOffers(db *gorm.DB, now time.Time) (int, error) {
	now = now.UTC()
	var ws []WaitlistEntry
	if err := db.Where("status = ? AND offer_expires_at <= ?", WaitlistOffered, now).Order("id").Limit(500).Find(&ws).Error; err != nil {
		return 0, err
	}
	n := 0
	for _, w := range ws {
		err := db.Transaction(func(tx *gorm.DB) error {
			res := tx.Model(&WaitlistEntry{}).Where("id = ? AND status = ? AND offer_expires_at <= ?", w.ID, WaitlistOffered, now).
				Updates(map[string]any{"status": WaitlistExpired, "updated_at": now})
			if res.Error != nil || res.RowsAffected != 1 {
				return res.Error
			}
			n++
			if err := releasePlaces(tx, offerClaims(w)); err != nil {
				return err
			}
			_, err := offerNext(tx, w.EventID, now, DefaultOfferValidity)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("expire offer %d: %w", w.ID, err)
		}
	}
	return n, nil
}
