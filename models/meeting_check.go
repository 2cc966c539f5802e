package models

import (
	"fmt"

	"gorm.io/gorm"
)

// CheckMeetings recomputes what the booking rules keep and reports any
// disagreement: each active meeting has exactly its two seats in its slot
// and, at a physical location, one table booking; cancelled meetings hold
// nothing; no meeting sits in a closed cell; every meetings_count equals its person's active meetings.
func CheckMeetings(db *gorm.DB) error {
	var ms []Meeting
	if err := db.Preload("Location").Find(&ms).Error; err != nil {
		return err
	}
	for _, m := range ms {
		var seats []MeetingSeat
		if err := db.Where("meeting_id = ?", m.ID).Find(&seats).Error; err != nil {
			return err
		}
		var tables int64
		if err := db.Model(&MeetingTableBooking{}).Where("meeting_id = ? AND location_id = ? AND slot_id = ?", m.ID, m.LocationID, m.SlotID).Count(&tables).Error; err != nil {
			return err
		}
		if m.Status != MeetingActive {
			if len(seats) != 0 || tables != 0 {
				return fmt.Errorf("cancelled meeting %d still holds seats or a table", m.ID)
			}
			continue
		}
		if len(seats) != 2 {
			return fmt.Errorf("meeting %d has %d seats", m.ID, len(seats))
		}
		for _, s := range seats {
			if s.SlotID != m.SlotID || (s.ParticipantID != m.AParticipantID && s.ParticipantID != m.BParticipantID) {
				return fmt.Errorf("meeting %d has a wrong seat %+v", m.ID, s)
			}
		}
		if want := int64(1); m.Location.Online {
			want = 0
			if tables != want {
				return fmt.Errorf("online meeting %d has a table booking", m.ID)
			}
		} else if tables != want {
			return fmt.Errorf("meeting %d has %d table bookings", m.ID, tables)
		}
	}
	var inClosed int64
	if err := db.Model(&MeetingTableBooking{}).Where("EXISTS (?)", db.Model(&MeetingClosure{}).Select("1").
		Where("meeting_closures.location_id = meeting_table_bookings.location_id AND meeting_closures.slot_id = meeting_table_bookings.slot_id")).
		Count(&inClosed).Error; err != nil {
		return err
	}
	if inClosed > 0 {
		return fmt.Errorf("%d meetings sit at a table closed for their slot", inClosed)
	}
	var ps []MeetingParticipant
	if err := db.Find(&ps).Error; err != nil {
		return err
	}
	for _, p := range ps {
		var n int64
		if err := db.Model(&Meeting{}).Where("status = ? AND (a_participant_id = ? OR b_participant_id = ?)", MeetingActive, p.ID, p.ID).Count(&n).Error; err != nil {
			return err
		}
		if int(n) != p.MeetingsCount {
			return fmt.Errorf("participant %d: meetings_count %d, active meetings %d", p.ID, p.MeetingsCount, n)
		}
	}
	return nil
}
