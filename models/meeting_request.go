package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// RequestInput is a participant asking another to meet in a slot.
type RequestInput struct {
	EventID  uint
	From, To uint
	SlotID   uint
	Message  string
	Now      time.Time
	// replaces is the request this one counters (a proposal of another slot).
	replaces *MeetingRequest
}

// MaxRequestMessage is the longest message a request may carry.
const MaxRequestMessage = 1000

// activeParticipant loads a participant of the event who takes part.
func activeParticipant(tx *gorm.DB, eventID, id uint) (*MeetingParticipant, error) {
	var p MeetingParticipant
	err := tx.Where("id = ? AND event_id = ? AND active = ?", id, eventID, true).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotParticipant
	}
	return &p, err
}

// SendRequest records a pending request and tells the other person.
func SendRequest(db *gorm.DB, in RequestInput) (*MeetingRequest, error) {
	if len([]rune(in.Message)) > MaxRequestMessage {
		in.Message = string([]rune(in.Message)[:MaxRequestMessage])
	}
	var req *MeetingRequest
	err := db.Transaction(func(tx *gorm.DB) error {
		var err error
		req, err = sendRequest(tx, in)
		return err
	})
	return req, err
}

func sendRequest(tx *gorm.DB, in RequestInput) (*MeetingRequest, error) {
	set, err := NetworkingFor(tx, in.EventID)
	if err != nil {
		return nil, err
	}
	if !set.Enabled {
		return nil, ErrNetworkingOff
	}
	if set.Mode != ModeRequests {
		return nil, ErrWrongMode
	}
	if in.From == in.To {
		return nil, ErrSelfRequest
	}
	// Lock the sender's row: their pending count is checked and written in
	// one go, and two requests from them never pass the limit side by side.
	res := tx.Exec("UPDATE meeting_participants SET updated_at = ? WHERE id = ? AND event_id = ? AND active = ?", in.Now.UTC(), in.From, in.EventID, true)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotParticipant
	}
	from, err := activeParticipant(tx, in.EventID, in.From)
	if err != nil {
		return nil, err
	}
	if _, err := activeParticipant(tx, in.EventID, in.To); err != nil {
		return nil, err
	}
	if set.MaxMeetings > 0 && from.MeetingsCount >= set.MaxMeetings {
		return nil, MeetingLimitError{ParticipantID: from.ID}
	}
	var n int64
	if set.MaxPendingSent > 0 && in.replaces == nil {
		if err := tx.Model(&MeetingRequest{}).Where("from_participant_id = ? AND status = ?", in.From, RequestPending).Count(&n).Error; err != nil {
			return nil, err
		}
		if int(n) >= set.MaxPendingSent {
			return nil, ErrPendingLimit
		}
	}
	if err := tx.Model(&MeetingRequest{}).Where("status = ? AND ((from_participant_id = ? AND to_participant_id = ?) OR (from_participant_id = ? AND to_participant_id = ?))",
		RequestPending, in.From, in.To, in.To, in.From).Count(&n).Error; err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, ErrAlreadyRequested
	}
	free, err := FreeSlots(tx, in.EventID, in.From, in.To, in.Now)
	if err != nil {
		return nil, err
	}
	var slot *MeetingSlot
	for i := range free {
		if free[i].ID == in.SlotID {
			slot = &free[i]
		}
	}
	if slot == nil {
		return nil, ErrSlotNotFree
	}
	hours := set.RequestExpiryHours
	if hours <= 0 {
		hours = 48
	}
	expires := in.Now.UTC().Add(time.Duration(hours) * time.Hour)
	if slot.StartsAt.Before(expires) {
		expires = slot.StartsAt.UTC() // an answer after the slot began is no use
	}
	req := &MeetingRequest{EventID: in.EventID, FromParticipantID: in.From, ToParticipantID: in.To, SlotID: in.SlotID,
		Message: strings.TrimSpace(in.Message), Status: RequestPending, ExpiresAt: expires}
	kind := NoticeRequest
	if in.replaces != nil {
		req.ReplacesID = &in.replaces.ID
		kind = NoticeProposed
	}
	if err := tx.Create(req).Error; err != nil {
		return nil, fmt.Errorf("create request: %w", err)
	}
	return req, notify(tx, kind, in.To, in.From, req.ID, 0, req.Message)
}

// FreeSlots lists the event's future slots in which neither a nor b has a
// meeting or marked themselves unavailable, and a location is free.
func FreeSlots(db *gorm.DB, eventID, a, b uint, now time.Time) ([]MeetingSlot, error) {
	var slots []MeetingSlot
	err := db.Where("event_id = ? AND starts_at > ?", eventID, now.UTC()).
		Where("id NOT IN (?)", db.Model(&MeetingSeat{}).Select("slot_id").Where("participant_id IN ?", []uint{a, b})).
		Where("id NOT IN (?)", db.Model(&MeetingUnavailability{}).Select("slot_id").Where("participant_id IN ?", []uint{a, b})).
		Order("starts_at, id").Find(&slots).Error
	if err != nil {
		return nil, err
	}
	var locs []MeetingLocation
	if err := db.Where("event_id = ?", eventID).Find(&locs).Error; err != nil {
		return nil, err
	}
	physical, online := 0, false
	for _, l := range locs {
		if l.Online {
			online = true
		} else {
			physical++
		}
	}
	if online {
		return slots, nil
	}
	var used []struct {
		SlotID uint
		N      int
	}
	if err := db.Model(&MeetingTableBooking{}).Select("slot_id, COUNT(*) AS n").Group("slot_id").Scan(&used).Error; err != nil {
		return nil, err
	}
	closed, err := EventClosures(db, eventID)
	if err != nil {
		return nil, err
	}
	taken := map[uint]int{}
	for _, u := range used {
		taken[u.SlotID] += u.N
	}
	for _, c := range closed {
		taken[c.SlotID]++ // a cell is booked or closed, never both
	}
	full := map[uint]bool{}
	for id, n := range taken {
		full[id] = n >= physical
	}
	out := slots[:0]
	for _, s := range slots {
		if physical > 0 && !full[s.ID] {
			out = append(out, s)
		}
	}
	return out, nil
}

// loadPendingFor loads a pending request of the event addressed to (toMe) or
// sent by me; someone else's request is ErrRecordNotFound.
func loadRequestOf(tx *gorm.DB, eventID, me, reqID uint, toMe bool) (*MeetingRequest, error) {
	col := "from_participant_id"
	if toMe {
		col = "to_participant_id"
	}
	var r MeetingRequest
	if err := tx.Where("id = ? AND event_id = ? AND "+col+" = ?", reqID, eventID, me).Take(&r).Error; err != nil {
		return nil, err
	}
	return &r, nil
}

// settle moves a pending request to status; a request already settled (a
// stale page, a double click) is ErrRequestNotPending.
func settle(tx *gorm.DB, r *MeetingRequest, status, reason string, meetingID *uint) error {
	up := map[string]any{"status": status, "reason": truncateRunes(reason, 1000), "updated_at": time.Now().UTC()}
	if meetingID != nil {
		up["meeting_id"] = *meetingID
	}
	res := tx.Model(&MeetingRequest{}).Where("id = ? AND status = ?", r.ID, RequestPending).Updates(up)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrRequestNotPending
	}
	r.Status = status
	return nil
}

// AcceptRequest books the meeting of a pending request addressed to me, at
// once, with the first free table. Two accepts racing for the same person,
// slot or table end in one meeting; the other gets ErrSlotTaken (or
// ErrNoLocationFree when every table went).
func AcceptRequest(db *gorm.DB, eventID, me, reqID uint, now time.Time) (*Meeting, error) {
	set, err := NetworkingFor(db, eventID)
	if err != nil {
		return nil, err
	}
	var m *Meeting
	err = withBookingRetry(db, true, func(tx *gorm.DB) error {
		r, err := loadRequestOf(tx, eventID, me, reqID, true)
		if err != nil {
			return err
		}
		if r.Status != RequestPending || !r.ExpiresAt.After(now) {
			return ErrRequestNotPending
		}
		if err := settle(tx, r, RequestAccepted, "", nil); err != nil {
			return err
		}
		m, err = bookMeeting(tx, set, bookInput{EventID: eventID, SlotID: r.SlotID, A: r.FromParticipantID, B: r.ToParticipantID,
			Source: SourceRequest, RequestID: &r.ID})
		if err != nil {
			return err
		}
		if err := tx.Model(&MeetingRequest{}).Where("id = ?", r.ID).Update("meeting_id", m.ID).Error; err != nil {
			return err
		}
		return notify(tx, NoticeAccepted, r.FromParticipantID, me, r.ID, m.ID, "")
	})
	return m, err
}

// DeclineRequest declines a pending request addressed to me.
func DeclineRequest(db *gorm.DB, eventID, me, reqID uint, reason string) error {
	return db.Transaction(func(tx *gorm.DB) error {
		r, err := loadRequestOf(tx, eventID, me, reqID, true)
		if err != nil {
			return err
		}
		if err := settle(tx, r, RequestDeclined, strings.TrimSpace(reason), nil); err != nil {
			return err
		}
		return notify(tx, NoticeDeclined, r.FromParticipantID, me, r.ID, 0, strings.TrimSpace(reason))
	})
}

// WithdrawRequest lets the sender take back a pending request.
func WithdrawRequest(db *gorm.DB, eventID, me, reqID uint) error {
	return db.Transaction(func(tx *gorm.DB) error {
		r, err := loadRequestOf(tx, eventID, me, reqID, false)
		if err != nil {
			return err
		}
		if err := settle(tx, r, RequestCancelled, "", nil); err != nil {
			return err
		}
		return notify(tx, NoticeWithdrawn, r.ToParticipantID, me, r.ID, 0, "")
	})
}

// ProposeSlot answers a pending request addressed to me with another slot:
// the request is countered and a new one goes the other way.
func ProposeSlot(db *gorm.DB, eventID, me, reqID, slotID uint, message string, now time.Time) (*MeetingRequest, error) {
	var out *MeetingRequest
	err := db.Transaction(func(tx *gorm.DB) error {
		r, err := loadRequestOf(tx, eventID, me, reqID, true)
		if err != nil {
			return err
		}
		if err := settle(tx, r, RequestCountered, "", nil); err != nil {
			return err
		}
		out, err = sendRequest(tx, RequestInput{EventID: eventID, From: me, To: r.FromParticipantID, SlotID: slotID,
			Message: truncateRunes(message, MaxRequestMessage), Now: now, replaces: r})
		return err
	})
	return out, err
}

// CancelMeeting cancels an active meeting and tells the other side (both
// sides when the organizers cancel: by = 0). A participant may cancel only
// their own meetings; another's is ErrRecordNotFound.
func CancelMeeting(db *gorm.DB, eventID, by, meetingID uint, reason string, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		var m Meeting
		q := tx.Where("id = ? AND event_id = ?", meetingID, eventID)
		if by != 0 {
			q = q.Where("a_participant_id = ? OR b_participant_id = ?", by, by)
		}
		if err := q.Take(&m).Error; err != nil {
			return err
		}
		res := tx.Model(&Meeting{}).Where("id = ? AND status = ?", m.ID, MeetingActive).
			Updates(map[string]any{"status": MeetingCancelled, "cancelled_at": now.UTC(), "updated_at": now.UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrMeetingNotActive
		}
		if err := unseatMeeting(tx, m.ID); err != nil {
			return err
		}
		if err := tx.Exec("UPDATE meeting_participants SET meetings_count = meetings_count - 1 WHERE id IN ? AND meetings_count > 0",
			[]uint{m.AParticipantID, m.BParticipantID}).Error; err != nil {
			return err
		}
		if err := meetingWebhook(tx, WebhookMeetingCancelled, m, now); err != nil {
			return err
		}
		for _, p := range []uint{m.AParticipantID, m.BParticipantID} {
			if p == by {
				continue
			}
			if err := notify(tx, NoticeCancelled, p, m.Other(p), 0, m.ID, reason); err != nil {
				return err
			}
		}
		return nil
	})
}

// MoveMeeting puts an active meeting in another slot and/or location, under
// the same unique indexes, and tells both people.
func MoveMeeting(db *gorm.DB, eventID, meetingID, slotID, locationID uint) error {
	return withBookingRetry(db, locationID == 0, func(tx *gorm.DB) error {
		var m Meeting
		if err := tx.Where("id = ? AND event_id = ? AND status = ?", meetingID, eventID, MeetingActive).Take(&m).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrMeetingNotActive
			}
			return err
		}
		var slot MeetingSlot
		if err := tx.Where("id = ? AND event_id = ?", slotID, eventID).Take(&slot).Error; err != nil {
			return ErrSlotNotFree
		}
		if err := unseatMeeting(tx, m.ID); err != nil {
			return err
		}
		loc, err := pickLocation(tx, eventID, slotID, locationID)
		if err != nil {
			return err
		}
		m.SlotID, m.LocationID = slotID, loc.ID
		if err := tx.Model(&Meeting{}).Where("id = ?", m.ID).Updates(map[string]any{"slot_id": slotID, "location_id": loc.ID, "updated_at": time.Now().UTC()}).Error; err != nil {
			return err
		}
		if err := seatMeeting(tx, &m, loc); err != nil {
			return err
		}
		for _, p := range []uint{m.AParticipantID, m.BParticipantID} {
			if err := notify(tx, NoticeMoved, p, m.Other(p), 0, m.ID, ""); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetNoShow records whether a participant of a meeting did not come.
func SetNoShow(db *gorm.DB, eventID, meetingID, participantID uint, noShow bool) error {
	var m Meeting
	if err := db.Where("id = ? AND event_id = ?", meetingID, eventID).Take(&m).Error; err != nil {
		return err
	}
	col := ""
	switch participantID {
	case m.AParticipantID:
		col = "no_show_a"
	case m.BParticipantID:
		col = "no_show_b"
	default:
		return gorm.ErrRecordNotFound
	}
	return db.Model(&Meeting{}).Where("id = ?", m.ID).Update(col, noShow).Error
}

// ExpireRequests expires pending requests whose time is up and tells each
// sender. Safe to repeat: each request moves once.
func ExpireRequests(db *gorm.DB, now time.Time) (int, error) {
	var due []MeetingRequest
	if err := db.Where("status = ? AND expires_at <= ?", RequestPending, now.UTC()).Order("id").Limit(500).Find(&due).Error; err != nil {
		return 0, err
	}
	n := 0
	for i := range due {
		r := &due[i]
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := settle(tx, r, RequestExpired, "", nil); err != nil {
				return err
			}
			return notify(tx, NoticeExpired, r.FromParticipantID, r.ToParticipantID, r.ID, 0, "")
		})
		if errors.Is(err, ErrRequestNotPending) {
			continue
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// SendReminders enqueues one reminder per person for each active meeting
// starting within ahead of now. The dedupe key makes each go out once, even
// when several instances run this.
func SendReminders(db *gorm.DB, now time.Time, ahead time.Duration) (int, error) {
	var ms []Meeting
	err := db.Joins("Slot").Where("meetings.status = ? AND \"Slot\".starts_at > ? AND \"Slot\".starts_at <= ?", MeetingActive, now.UTC(), now.UTC().Add(ahead)).
		Find(&ms).Error
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range ms {
		for _, p := range []uint{m.AParticipantID, m.BParticipantID} {
			key := fmt.Sprintf("meeting-reminder-%d-%d-%d", m.ID, p, m.SlotID)
			var sent bool
			err := db.Transaction(func(tx *gorm.DB) error {
				var err error
				sent, err = notifyOnce(tx, NoticeReminder, p, m.Other(p), 0, m.ID, "", key)
				return err
			})
			if err != nil {
				return n, err
			}
			if sent {
				n++
			}
		}
	}
	return n, nil
}
