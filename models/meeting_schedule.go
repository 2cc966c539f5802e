package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// RunScheduler loads an event's slots, locations, participants, wishes and
// booked meetings into ScheduleMeetings, and saves its placements in one
// transaction through the same unique indexes as every other booking. A
// placement the database refuses (something booked meanwhile) fails the
// whole run, which the organizer can simply run again.
func RunScheduler(db *gorm.DB, eventID uint, now time.Time) (ScheduleStats, error) {
	set, err := NetworkingFor(db, eventID)
	if err != nil {
		return ScheduleStats{}, err
	}
	if set.Mode != ModeWishes {
		return ScheduleStats{}, ErrWrongMode
	}
	in, err := scheduleInput(db, eventID, set, now)
	if err != nil {
		return ScheduleStats{}, err
	}
	res, err := ScheduleMeetings(in)
	if err != nil {
		return ScheduleStats{}, err
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		for _, p := range res.Placements {
			m, err := bookMeeting(tx, set, bookInput{EventID: eventID, SlotID: p.Slot, A: p.A, B: p.B, LocationID: p.Table, Source: SourceScheduler})
			if err != nil {
				return fmt.Errorf("save placement %+v: %w", p, err)
			}
			for _, who := range []uint{p.A, p.B} {
				if err := notify(tx, NoticeBooked, who, m.Other(who), 0, m.ID, ""); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return res.Stats, err
}

// scheduleInput reads the rows the scheduler needs: future slots only, and
// active participants.
func scheduleInput(db *gorm.DB, eventID uint, set *NetworkingSetting, now time.Time) (ScheduleInput, error) {
	var in ScheduleInput
	var slots []MeetingSlot
	if err := db.Where("event_id = ? AND starts_at > ?", eventID, now.UTC()).Order("starts_at, id").Find(&slots).Error; err != nil {
		return in, err
	}
	future := map[uint]bool{}
	for _, s := range slots {
		in.Slots = append(in.Slots, s.ID)
		future[s.ID] = true
	}
	locs, err := EventLocations(db, eventID)
	if err != nil {
		return in, err
	}
	closures, err := EventClosures(db, eventID)
	if err != nil {
		return in, err
	}
	closed := map[uint][]uint{}
	for _, c := range closures {
		if future[c.SlotID] {
			closed[c.LocationID] = append(closed[c.LocationID], c.SlotID)
		}
	}
	for _, l := range locs {
		in.Tables = append(in.Tables, SchedTable{ID: l.ID, Online: l.Online, Unavailable: closed[l.ID]})
	}
	var ps []MeetingParticipant
	if err := db.Where("event_id = ? AND active = ?", eventID, true).Order("id").Find(&ps).Error; err != nil {
		return in, err
	}
	known := map[uint]bool{}
	unav := map[uint][]uint{}
	var us []MeetingUnavailability
	if err := db.Where("participant_id IN (?)", db.Model(&MeetingParticipant{}).Select("id").Where("event_id = ?", eventID)).Find(&us).Error; err != nil {
		return in, err
	}
	for _, u := range us {
		if future[u.SlotID] {
			unav[u.ParticipantID] = append(unav[u.ParticipantID], u.SlotID)
		}
	}
	// Meetings in past slots still count towards the limit.
	past := map[uint]int{}
	var booked []Meeting
	if err := db.Where("event_id = ? AND status = ?", eventID, MeetingActive).Find(&booked).Error; err != nil {
		return in, err
	}
	for _, m := range booked {
		if future[m.SlotID] {
			in.Booked = append(in.Booked, SchedPlacement{A: min(m.AParticipantID, m.BParticipantID), B: max(m.AParticipantID, m.BParticipantID), Slot: m.SlotID, Table: m.LocationID})
		} else {
			past[m.AParticipantID]++
			past[m.BParticipantID]++
		}
	}
	for _, p := range ps {
		known[p.ID] = true
		limit := set.MaxMeetings
		if limit > 0 {
			limit -= past[p.ID]
			if limit <= 0 {
				limit = -1 // reached: the scheduler reads <= 0 as "no limit", so mark every slot unavailable instead
			}
		}
		sp := SchedParticipant{ID: p.ID, MaxMeetings: max(limit, 0), Unavailable: unav[p.ID]}
		if limit < 0 {
			sp.Unavailable = in.Slots
		}
		in.Participants = append(in.Participants, sp)
	}
	// Booked meetings of people who left networking are dropped from the
	// input; their seats still hold in the database.
	kept := in.Booked[:0]
	for _, b := range in.Booked {
		if known[b.A] && known[b.B] {
			kept = append(kept, b)
		}
	}
	in.Booked = kept
	var ws []MeetingWish
	if err := db.Where("participant_id IN (?)", db.Model(&MeetingParticipant{}).Select("id").Where("event_id = ?", eventID)).Find(&ws).Error; err != nil {
		return in, err
	}
	for _, w := range ws {
		in.Wishes = append(in.Wishes, SchedWish{From: w.ParticipantID, To: w.TargetID})
	}
	in.Seed = uint64(eventID)
	if len(in.Slots) == 0 {
		return in, errors.New("schedule: no future slots")
	}
	return in, nil
}
