package models

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// OrderBySecret returns the order of a self-service link with its attendees
// and event, or gorm.ErrRecordNotFound (also for malformed secrets).
func OrderBySecret(db *gorm.DB, secret string) (*Order, error) {
	if !LooksLikeSecret(secret) {
		return nil, gorm.ErrRecordNotFound
	}
	var o Order
	err := db.Preload("Event").Preload("Attendees", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }).
		Preload("Attendees.TicketType").Preload("Attendees.Answers").Where("secret = ?", secret).Take(&o).Error
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// lockLiveOrder locks the order row (a no-op write takes the row lock on
// PostgreSQL; SQLite's immediate transaction holds the only write lock) and
// reports whether it is still pending or confirmed. Every rule that changes
// an order's held places starts here, so two of them on the same order run
// one after the other and see each other's result.
func lockLiveOrder(tx *gorm.DB, orderID uint, now time.Time) (bool, error) {
	res := tx.Model(&Order{}).Where("id = ? AND status IN ?", orderID, liveOrderStatuses).Update("updated_at", now)
	return res.RowsAffected == 1, res.Error
}

// ConfirmOrder confirms a pending order (a payment arrived) and enqueues the
// confirmation e-mail. It is idempotent: confirming a confirmed order
// changes nothing. An order whose hold expired is confirmed again only when
// its places can still be taken; otherwise ErrHoldLost (refund it).
// A cancelled order is ErrOrderNotActive.
func ConfirmOrder(db *gorm.DB, orderID uint, now time.Time) (*Order, error) {
	now = now.UTC()
	var out Order
	err := db.Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Order{}).Where("id = ? AND status = ?", orderID, OrderPending).
			Updates(map[string]any{"status": OrderConfirmed, "confirmed_at": now, "expires_at": nil, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if err := tx.Take(&out, orderID).Error; err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			switch out.Status {
			case OrderConfirmed:
				return nil
			case OrderCancelled:
				return ErrOrderNotActive
			}
			// Expired: try to take the places again, all or nothing.
			res := tx.Model(&Order{}).Where("id = ? AND status = ?", orderID, OrderExpired).
				Updates(map[string]any{"status": OrderConfirmed, "confirmed_at": now, "expires_at": nil, "updated_at": now})
			if res.Error != nil || res.RowsAffected != 1 {
				return errors.Join(res.Error, ErrOrderNotActive)
			}
			cs, _, err := activeAttendeeClaims(tx, orderID, 0)
			if err != nil {
				return err
			}
			if err := takePlaces(tx, cs); err != nil {
				if IsFull(err) {
					return ErrHoldLost
				}
				return err
			}
			out.Status = OrderConfirmed
		}
		if err := orderWebhook(tx, WebhookOrderPaid, out, "", now, nil); err != nil {
			return err
		}
		return QueueConfirmations(tx, orderID)
	})
	if err != nil {
		return nil, err
	}
	out.Status = OrderConfirmed
	return &out, nil
}

// CancelOrder cancels a pending or confirmed order and frees its places
// exactly once, even when called twice at the same time; the freed places
// go to the waitlist. Cancelling a cancelled or expired order does nothing
// and returns false.
func CancelOrder(db *gorm.DB, orderID uint, now time.Time) (bool, error) {
	now = now.UTC()
	done := false
	err := db.Transaction(func(tx *gorm.DB) (err error) {
		done, err = cancelLiveOrder(tx, orderID, now, true)
		return err
	})
	return done, err
}

// cancelLiveOrder cancels a live order in tx and gives back its places and
// voucher use, once. notify mails the buyer and offers the places to the
// waitlist (a cancelled event does neither: it writes to everyone itself and
// closes its waitlist).
func cancelLiveOrder(tx *gorm.DB, orderID uint, now time.Time, notify bool) (bool, error) {
	var o Order
	if err := tx.Take(&o, orderID).Error; err != nil {
		return false, err
	}
	res := tx.Model(&Order{}).Where("id = ? AND status IN ?", orderID, liveOrderStatuses).
		Updates(map[string]any{"status": OrderCancelled, "cancelled_at": now, "updated_at": now})
	if res.Error != nil || res.RowsAffected != 1 {
		return false, res.Error
	}
	cs, _, err := activeAttendeeClaims(tx, orderID, 0)
	if err != nil {
		return true, err
	}
	if err := releasePlaces(tx, cs); err != nil {
		return true, err
	}
	if err := releaseVoucherUse(tx, orderID); err != nil {
		return true, err
	}
	if err := tx.Model(&Attendee{}).Where("order_id = ? AND status = ?", orderID, AttendeeActive).
		Updates(map[string]any{"status": AttendeeCancelled, "updated_at": now}).Error; err != nil {
		return true, err
	}
	o.Status = OrderCancelled
	if err := orderWebhook(tx, WebhookOrderCancelled, o, "", now, nil); err != nil {
		return true, err
	}
	if !notify {
		return true, nil
	}
	if err := enqueueOrderMail(tx, &o, MailOrderCancelled, ""); err != nil {
		return true, err
	}
	_, err = offerNext(tx, o.EventID, now, DefaultOfferValidity)
	return true, err
}

// CancelAttendee cancels one attendee of an order and frees their places
// exactly once. When no active attendee is left the order is cancelled too.
// Returns false when the attendee was already cancelled.
func CancelAttendee(db *gorm.DB, attendeeID uint, now time.Time) (bool, error) {
	now = now.UTC()
	done := false
	err := db.Transaction(func(tx *gorm.DB) error {
		var a Attendee
		if err := tx.Take(&a, attendeeID).Error; err != nil {
			return err
		}
		live, err := lockLiveOrder(tx, a.OrderID, now)
		if err != nil {
			return err
		}
		cs, _, err := activeAttendeeClaims(tx, a.OrderID, a.ID)
		if err != nil {
			return err
		}
		res := tx.Model(&Attendee{}).Where("id = ? AND status = ?", a.ID, AttendeeActive).
			Updates(map[string]any{"status": AttendeeCancelled, "updated_at": now})
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error
		}
		done = true
		if err := attendeeWebhook(tx, WebhookAttendeeChanged, a.EventID, a.ID, changeStamp(now), now, map[string]any{"change": ChangeCancelled}); err != nil {
			return err
		}
		if !live {
			return nil // the order's places were freed when it ended
		}
		if err := releasePlaces(tx, cs); err != nil {
			return err
		}
		var left int64
		if err := tx.Model(&Attendee{}).Where("order_id = ? AND status = ?", a.OrderID, AttendeeActive).Count(&left).Error; err != nil {
			return err
		}
		if left == 0 {
			if err := tx.Model(&Order{}).Where("id = ?", a.OrderID).
				Updates(map[string]any{"status": OrderCancelled, "cancelled_at": now, "updated_at": now}).Error; err != nil {
				return err
			}
			if err := releaseVoucherUse(tx, a.OrderID); err != nil {
				return err
			}
			if err := orderWebhook(tx, WebhookOrderCancelled, Order{ID: a.OrderID, EventID: a.EventID}, "", now, nil); err != nil {
				return err
			}
		}
		_, err = offerNext(tx, a.EventID, now, DefaultOfferValidity)
		return err
	})
	return done, err
}

// AnonymisedName replaces the name of an anonymised attendee.
const AnonymisedName = "—"

// AnonymiseAttendee erases an attendee's personal data (name, e-mail,
// organization, needs, answers, meetings profile and messages) and keeps
// the row, its status and its place, so counts and check-in figures stay
// right. The one rule for it: organizers, retention runs and tests call it.
func AnonymiseAttendee(db *gorm.DB, attendeeID uint, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		_, err := anonymiseAttendee(tx, attendeeID, now)
		return err
	})
}

// anonymiseAttendee is AnonymiseAttendee inside tx; it reports whether it
// erased the person now (false when they were erased already), so a run
// raced by another counts each person once.
func anonymiseAttendee(tx *gorm.DB, attendeeID uint, now time.Time) (bool, error) {
	now = now.UTC()
	res := tx.Model(&Attendee{}).Where("id = ? AND anonymised_at IS NULL", attendeeID).Updates(map[string]any{
		"name": AnonymisedName, "email": "", "organization": "", "need_step_free": false, "need_interpretation": "",
		"need_easy_read": false, "need_dietary": "", "need_companion": false, "needs_note": "",
		"anonymised_at": now, "updated_at": now,
	})
	if res.Error != nil || res.RowsAffected == 0 {
		return false, res.Error
	}
	if err := tx.Where("attendee_id = ?", attendeeID).Delete(&Answer{}).Error; err != nil {
		return false, err
	}
	if err := eraseRecipients(tx, "attendee_id = ?", attendeeID); err != nil {
		return false, err
	}
	if err := eraseFeedbackTexts(tx, attendeeID); err != nil {
		return false, err
	}
	return true, eraseMeetingProfiles(tx, tx.Model(&MeetingParticipant{}).Select("id").Where("attendee_id = ?", attendeeID), now)
}

// ExpireHolds ends pending orders whose hold ran out at now: each becomes
// expired and frees its places once, and the waitlist is offered them.
// It returns how many orders expired. Run it every minute or so.
func ExpireHolds(db *gorm.DB, now time.Time) (int, error) {
	now = now.UTC()
	var ids []uint
	if err := db.Model(&Order{}).Where("status = ? AND expires_at <= ?", OrderPending, now).Order("id").Limit(500).Pluck("id", &ids).Error; err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		var ended bool
		err := db.Transaction(func(tx *gorm.DB) (err error) {
			ended, err = endPendingOrder(tx, id, now, true)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("expire order %d: %w", id, err)
		}
		if ended {
			n++
		}
	}
	return n, nil
}

// endPendingOrder makes a pending order expired — once, even when called
// twice at once — and gives back what it held: its places, its voucher use;
// the waitlist is offered the places. onlyIfDue ends it only when its hold
// has run out; otherwise the hold ends now.
func endPendingOrder(tx *gorm.DB, orderID uint, now time.Time, onlyIfDue bool) (bool, error) {
	q := tx.Model(&Order{}).Where("id = ? AND status = ?", orderID, OrderPending)
	set := map[string]any{"status": OrderExpired, "updated_at": now}
	if onlyIfDue {
		q = q.Where("expires_at <= ?", now)
	} else {
		set["expires_at"] = now
	}
	res := q.Updates(set)
	if res.Error != nil || res.RowsAffected != 1 {
		return false, res.Error
	}
	cs, _, err := activeAttendeeClaims(tx, orderID, 0)
	if err != nil {
		return true, err
	}
	if err := releasePlaces(tx, cs); err != nil {
		return true, err
	}
	if err := releaseVoucherUse(tx, orderID); err != nil {
		return true, err
	}
	var o Order
	if err := tx.Select("id", "event_id").Take(&o, orderID).Error; err != nil {
		return true, err
	}
	_, err = offerNext(tx, o.EventID, now, DefaultOfferValidity)
	return true, err
}

// UpdateAttendeeAnswers replaces an active attendee's answers after checking
// them against the event's questions; problems come back as *ValidationError
// with fields named "answers.QID".
func UpdateAttendeeAnswers(db *gorm.DB, attendeeID uint, answers map[uint]string) error {
	var a Attendee
	if err := db.Take(&a, attendeeID).Error; err != nil {
		return err
	}
	if a.Status != AttendeeActive {
		return ErrAttendeeNotActive
	}
	var qs []Question
	if err := db.Where("event_id = ?", a.EventID).Find(&qs).Error; err != nil {
		return err
	}
	in := PlaceOrderInput{BuyerName: "x", BuyerEmail: "x@x.example", Attendees: []AttendeeInput{{Name: "x", Email: "x@x.example", Answers: answers}}}
	TrimRegistration(&in)
	var ps []Problem
	for _, p := range ValidateRegistration(in, RegistrationForm{TicketType: TicketType{MaxPerOrder: 1}, Questions: qs}) {
		if strings.HasPrefix(p.Field, "attendees.0.answers.") {
			p.Field = strings.TrimPrefix(p.Field, "attendees.0.")
			ps = append(ps, p)
		}
	}
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	return db.Transaction(func(tx *gorm.DB) error {
		if err := saveAnswers(tx, a.ID, in.Attendees[0].Answers); err != nil {
			return err
		}
		now := time.Now()
		return attendeeWebhook(tx, WebhookAttendeeChanged, a.EventID, a.ID, changeStamp(now), now, map[string]any{"change": "answers"})
	})
}

// UpdateAttendeeSessions changes an active attendee's session choices: the
// new sessions' places are taken (ErrSessionFull when one has none) and the
// dropped sessions' places freed, in one transaction.
func UpdateAttendeeSessions(db *gorm.DB, attendeeID uint, sessionIDs []uint, now time.Time) error {
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
		if err := tx.Take(&a, attendeeID).Error; err != nil {
			return err
		}
		if a.Status != AttendeeActive {
			return ErrAttendeeNotActive
		}
		want := map[uint]bool{}
		for _, id := range sessionIDs {
			want[id] = true
		}
		if len(want) > 0 {
			var n int64
			if err := tx.Model(&Session{}).Where("id IN ? AND event_id = ? AND sign_up = ?", keys(want), a.EventID, true).Count(&n).Error; err != nil {
				return err
			}
			if int(n) != len(want) {
				return ErrInvalidSession
			}
		}
		var have []uint
		if err := tx.Model(&SessionSignup{}).Where("attendee_id = ?", a.ID).Pluck("session_id", &have).Error; err != nil {
			return err
		}
		var add, drop []claim
		for _, id := range have {
			if !want[id] {
				drop = append(drop, claim{"sessions", id, 1})
			}
			delete(want, id)
		}
		for id := range want {
			add = append(add, claim{"sessions", id, 1})
		}
		if err := takePlaces(tx, add); err != nil {
			return err
		}
		if err := releasePlaces(tx, drop); err != nil {
			return err
		}
		for _, c := range drop {
			if err := tx.Where("attendee_id = ? AND session_id = ?", a.ID, c.id).Delete(&SessionSignup{}).Error; err != nil {
				return err
			}
		}
		for _, c := range add {
			if err := tx.Create(&SessionSignup{AttendeeID: a.ID, SessionID: c.id}).Error; err != nil {
				return err
			}
		}
		if len(drop) > 0 {
			if _, err = offerNext(tx, a.EventID, now, DefaultOfferValidity); err != nil {
				return err
			}
		}
		return attendeeWebhook(tx, WebhookAttendeeChanged, a.EventID, a.ID, changeStamp(now), now, map[string]any{"change": "sessions"})
	})
}

func keys(m map[uint]bool) []uint {
	out := make([]uint, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// AttendeeSessionIDs returns the sessions the attendee signed up for.
func AttendeeSessionIDs(db *gorm.DB, attendeeID uint) ([]uint, error) {
	var ids []uint
	err := db.Model(&SessionSignup{}).Where("attendee_id = ?", attendeeID).Order("session_id").Pluck("session_id", &ids).Error
	return ids, err
}

// CheckIn checks in the attendee of event eventID whose ticket matches code
// (see ResolveTicket) on the event's list for today (DefaultCheckinList).
// repeat is true when the attendee was already checked in there (the door
// staff should look twice).
// Errors: ErrNotCheckedIn (no match), ErrAmbiguousCode, ErrAttendeeNotActive,
// ErrOrderNotConfirmed.
func CheckIn(db *gorm.DB, eventID uint, code string, now time.Time) (a *Attendee, repeat bool, err error) {
	var e Event
	if err := db.Take(&e, eventID).Error; err != nil {
		return nil, false, err
	}
	lists, err := CheckinLists(db, &e)
	if err != nil {
		return nil, false, err
	}
	l := DefaultCheckinList(lists, &e, now)
	out, err := CheckInCode(db, l, code, CheckinInput{At: now}, now)
	return out.Attendee, out.Result == CheckinAlready, err
}

// CheckInCode checks in on list l the attendee whose ticket matches code.
// Errors: as ResolveTicket's, and ErrNotOnList.
func CheckInCode(db *gorm.DB, l *CheckinList, code string, in CheckinInput, now time.Time) (CheckinOutcome, error) {
	att, err := ResolveTicket(db, l.EventID, code)
	if err != nil {
		return CheckinOutcome{Attendee: att}, err
	}
	out, err := CheckInto(db, l, att, in, now)
	if err != nil {
		return out, err
	}
	switch out.Result {
	case CheckinCancelled:
		return out, ErrAttendeeNotActive
	case CheckinNotConfirmed:
		return out, ErrOrderNotConfirmed
	case CheckinNotOnList:
		return out, ErrNotOnList
	case CheckinUnknown:
		return out, ErrNotCheckedIn
	}
	return out, nil
}

// ResolveTicket finds the attendee of event eventID whose ticket matches
// code: the QR secret, the order code when the order has one active
// attendee, or "CODE-N" for the N-th attendee of the order. The attendee is
// returned with ErrAttendeeNotActive and ErrOrderNotConfirmed too.
func ResolveTicket(db *gorm.DB, eventID uint, code string) (*Attendee, error) {
	code = strings.TrimSpace(code)
	if code == "" || len(code) > 100 {
		return nil, ErrNotCheckedIn
	}
	var att Attendee
	found := false
	if LooksLikeSecret(code) {
		err := db.Where("event_id = ? AND qr_secret = ?", eventID, code).Take(&att).Error
		if err == nil {
			found = true
		} else if !errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, err
		}
	}
	if !found {
		oc, pos := strings.ToUpper(code), 0
		if i := strings.LastIndexByte(oc, '-'); i > 0 {
			n, err := strconv.Atoi(oc[i+1:])
			if err != nil || n < 1 {
				return nil, ErrNotCheckedIn
			}
			oc, pos = oc[:i], n
		}
		var o Order
		if err := db.Where("event_id = ? AND code = ?", eventID, oc).Take(&o).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return nil, ErrNotCheckedIn
			}
			return nil, err
		}
		q := db.Where("order_id = ?", o.ID)
		if pos > 0 {
			q = q.Where("position = ?", pos)
		} else {
			q = q.Where("status = ?", AttendeeActive)
		}
		var as []Attendee
		if err := q.Limit(2).Find(&as).Error; err != nil {
			return nil, err
		}
		switch {
		case len(as) == 0:
			return nil, ErrNotCheckedIn
		case len(as) > 1:
			return nil, ErrAmbiguousCode
		}
		att = as[0]
	}
	var o Order
	if err := db.Take(&o, att.OrderID).Error; err != nil {
		return nil, err
	}
	if att.Status != AttendeeActive || !o.IsLive() {
		return &att, ErrAttendeeNotActive
	}
	if o.Status != OrderConfirmed {
		return &att, ErrOrderNotConfirmed
	}
	return &att, nil
}

// ResendOrderLinks enqueues, for each live order of event eventID bought
// with email, a mail with its self-service link, and to a delegate with
// that address (an attendee who is not the buyer) their personal link. It
// says nothing about whether any exist (the caller shows the same page
// either way), and sends at most one mail per order or delegate per 10 minutes.
func ResendOrderLinks(db *gorm.DB, eventID uint, email string, now time.Time) error {
	email = NormalizeEmail(email)
	if !ValidEmail(email) {
		return nil
	}
	var os []Order
	if err := db.Where("event_id = ? AND buyer_email = ? AND status IN ?", eventID, email, liveOrderStatuses).Order("id").Limit(20).Find(&os).Error; err != nil {
		return err
	}
	bucket := strconv.FormatInt(now.Unix()/600, 10)
	return db.Transaction(func(tx *gorm.DB) error {
		for i := range os {
			if err := enqueueOrderMail(tx, &os[i], MailOrderLink, bucket); err != nil {
				return err
			}
		}
		return resendDelegateLinks(tx, eventID, email, bucket)
	})
}
