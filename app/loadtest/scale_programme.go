package main

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

var sessionTitles = []string{"Opening plenary: care at home", "Remote monitoring in practice", "Agora: what carers need",
	"Workshop: co-designing with patients", "Panel: financing Living Labs", "Telecare pilots, one year on",
	"Data for research, with consent", "Networking lunch", "Ethics of home sensors", "Procurement of innovation"}

// makeSessions writes the programme: five rooms, sessions spread over the
// two days, every fifth with sign-up (the first one has the live board and
// no sign-up); each sign-up session is taken by a slice of the people.
func (s *scaleEvent) makeSessions() error {
	rooms := make([]models.Room, 5)
	for i := range rooms {
		rooms[i] = models.Room{EventID: s.event.ID, Name: fmt.Sprintf("Room %c", 'A'+i), Capacity: 400}
	}
	if err := s.db.Create(&rooms).Error; err != nil {
		return err
	}
	formats := models.SessionFormats
	for i := 0; i < s.spec.Sessions; i++ {
		day, slot := i/(len(rooms)*5), (i/len(rooms))%5
		start := s.event.StartsAt.Add(time.Duration(day)*24*time.Hour + time.Duration(slot)*90*time.Minute)
		room := rooms[i%len(rooms)].ID
		se := models.Session{EventID: s.event.ID, Title: fmt.Sprintf("%s (%d)", sessionTitles[i%len(sessionTitles)], i+1),
			Description: "A session of the scale forum.", Format: formats[i%len(formats)], StartsAt: start, EndsAt: start.Add(75 * time.Minute), RoomID: &room}
		if i%5 == 4 {
			se.SignUp, se.Capacity = true, max(50, len(s.attendees)/10)
		}
		s.sessions = append(s.sessions, se)
	}
	if err := s.db.Omit("Room", "Track", "Speakers").Create(&s.sessions).Error; err != nil {
		return err
	}
	return s.db.Transaction(func(tx *gorm.DB) error {
		for k, se := range s.sessions {
			if !se.SignUp {
				continue
			}
			n := se.Capacity * 4 / 5 // most sign-up sessions fill up to four fifths
			rows := make([]models.SessionSignup, 0, n)
			for j := 0; j < n && j < len(s.attendees); j++ {
				rows = append(rows, models.SessionSignup{AttendeeID: s.attendees[(j*7+k*131)%len(s.attendees)], SessionID: se.ID, CreatedAt: s.now})
			}
			rows = uniqueSignups(rows)
			if err := tx.CreateInBatches(&rows, 1000).Error; err != nil {
				return err
			}
			if err := tx.Model(&models.Session{}).Where("id = ?", se.ID).Update("places_taken", len(rows)).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// uniqueSignups drops repeats of one attendee (the stride can wrap round).
func uniqueSignups(rows []models.SessionSignup) []models.SessionSignup {
	seen := map[uint]bool{}
	out := rows[:0]
	for _, r := range rows {
		if !seen[r.AttendeeID] {
			seen[r.AttendeeID] = true
			out = append(out, r)
		}
	}
	return out
}

// makeCheckins lets three in ten people in on the first day's list, at the
// door's pace (two devices, over the first two hours), and keeps each
// attendee's summary columns as syncAttendeeCheckIn would.
func (s *scaleEvent) makeCheckins() error {
	lists, err := models.CheckinLists(s.db, s.event)
	if err != nil {
		return err
	}
	if len(lists) == 0 {
		return fmt.Errorf("no check-in lists")
	}
	day := lists[0]
	return s.db.Transaction(func(tx *gorm.DB) error {
		rows := make([]models.Checkin, 0, len(s.attendees)*3/10+1)
		for i, id := range s.attendees {
			if i%10 >= 3 {
				continue
			}
			at := s.event.StartsAt.Add(time.Duration(i) * 2 * time.Hour / time.Duration(len(s.attendees)))
			rows = append(rows, models.Checkin{EventID: s.event.ID, ListID: day.ID, AttendeeID: id, DeviceID: fmt.Sprintf("door-%d", i%2),
				LocalID: fmt.Sprintf("scale-%d", i), At: at, CreatedAt: at, UpdatedAt: at})
		}
		if err := tx.CreateInBatches(&rows, 1000).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE attendees SET checked_in_at = (SELECT MIN(at) FROM checkins WHERE attendee_id = attendees.id AND undone_at IS NULL),
			check_in_count = 1 WHERE event_id = ? AND EXISTS (SELECT 1 FROM checkins WHERE attendee_id = attendees.id)`, s.event.ID).Error
	})
}

// makeMessage sends one message to everyone through the real rules (queued,
// then expanded into a recipient row and an outbox row per person).
func (s *scaleEvent) makeMessage() error {
	m := &models.Message{EventID: s.event.ID, Language: "en", Subject: "Practical information for the forum",
		Body: "Dear {name},\n\nThe doors open at 8:30. Bring your ticket.\n", Audience: models.AudienceFilter{}.JSON(),
		SendKey: models.NewSecret(), SentByID: 1, SentByName: "Scale Owner", SentByEmail: "owner@scale.example"}
	if _, err := models.QueueMessage(s.db, m, s.now.Add(-24*time.Hour)); err != nil {
		return err
	}
	_, err := models.ExpandMessage(s.db, m.ID, s.now.Add(-24*time.Hour), 1000)
	return err
}

// silenceOutbox marks the mails the preparation queued as sent, so the
// server measured afterwards does not spend its time sending them.
func (s *scaleEvent) silenceOutbox(since time.Time) error {
	return s.db.Model(&models.OutboxMessage{}).Where("status = ? AND created_at >= ?", models.OutboxPending, since.Add(-48*time.Hour)).
		Where("kind IN ?", []string{models.MailEventMessage, models.MailMeetingNotice}).
		Updates(map[string]any{"status": models.OutboxSent, "sent_at": s.now}).Error
}
