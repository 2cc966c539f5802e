// Package demo seeds a health cluster's year of events so a newcomer sees
// the site working: one organization, three published events and a draft.
// Every person and organization is invented; addresses use example.org.
package demo

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// The demo organizer's credentials, printed by `agora serve --demo`.
const (
	OrganizerEmail    = "organizer@example.org"
	OrganizerPassword = "agora-demo-password"
	OrgSlug           = "vallmar-health-cluster"
)

// Slugs of the demo events.
const (
	ForumSlug     = "health-innovation-forum"
	SymposiumSlug = "living-lab-symposium-brussels"
	AgoraSlug     = "living-lab-agora-ageing-at-home"
	DraftSlug     = "citizen-panel-digital-health"
)

// Seed adds the demo data unless it is there already. It reports whether it
// added anything. Dates are relative to now so the events stay upcoming.
func Seed(db *gorm.DB, now time.Time) (bool, error) {
	var n int64
	if err := db.Model(&models.Organization{}).Where("slug = ?", OrgSlug).Count(&n).Error; err != nil {
		return false, err
	}
	if n > 0 {
		// Older demo databases lack registration or networking: add them once.
		added, err := seedRegistration(db)
		if err != nil {
			return false, fmt.Errorf("demo seed: registration: %w", err)
		}
		if err := seedMeetings(db); err != nil {
			return false, fmt.Errorf("demo seed: meetings: %w", err)
		}
		if err := seedTranslations(db); err != nil {
			return false, fmt.Errorf("demo seed: translations: %w", err)
		}
		if err := seedLiveBoard(db, now); err != nil {
			return false, fmt.Errorf("demo seed: live board: %w", err)
		}
		if err := seedFeedback(db); err != nil {
			return false, fmt.Errorf("demo seed: feedback: %w", err)
		}
		return added, nil
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		org := models.Organization{Name: "Vallmar Health & Care Cluster", Slug: OrgSlug,
			LegalName: "Vallmar Health and Care Cluster Association", Address: "1 Example Square, 46000 Vallmar", VATID: "ES-X0000000X"}
		if err := tx.Create(&org).Error; err != nil {
			return err
		}
		u, err := models.CreateUser(tx, OrganizerEmail, "Marta Demo", OrganizerPassword, false)
		if err != nil && !errors.Is(err, models.ErrEmailTaken) {
			return err
		}
		if u == nil {
			u = &models.User{}
			if err := tx.Where("email = ?", OrganizerEmail).First(u).Error; err != nil {
				return err
			}
		}
		if err := models.AddMember(tx, org.ID, u.ID, models.RoleOwner); err != nil {
			return err
		}
		// The demo organizer sees the demo attendees' access needs.
		if err := tx.Model(&models.Membership{}).Where("organization_id = ? AND user_id = ?", org.ID, u.ID).
			Update("access_coordinator", true).Error; err != nil {
			return err
		}
		day := func(offset int, loc *time.Location) time.Time {
			d := now.In(loc).AddDate(0, 0, offset)
			return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
		}
		for _, build := range []func(*gorm.DB, uint, func(int, *time.Location) time.Time) error{seedForum, seedSymposium, seedAgora, seedDraft} {
			if err := build(tx, org.ID, day); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("demo seed: %w", err)
	}
	if _, err := seedRegistration(db); err != nil {
		return false, fmt.Errorf("demo seed: registration: %w", err)
	}
	if err := seedMeetings(db); err != nil {
		return false, fmt.Errorf("demo seed: meetings: %w", err)
	}
	if err := seedTranslations(db); err != nil {
		return false, fmt.Errorf("demo seed: translations: %w", err)
	}
	if err := seedLiveBoard(db, now); err != nil {
		return false, fmt.Errorf("demo seed: live board: %w", err)
	}
	if err := seedFeedback(db); err != nil {
		return false, fmt.Errorf("demo seed: feedback: %w", err)
	}
	return true, nil
}

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at returns the day's clock time h:m.
func at(d time.Time, h, m int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, d.Location()).UTC()
}

type sessionSpec struct {
	day        int // 0 = first day
	h, m, mins int
	room       int // index into rooms, -1 = none
	track      int // index into tracks, -1 = none
	format     string
	title      string
	desc       string
	speakers   []int
	capacity   int
}

func createAgenda(tx *gorm.DB, e *models.Event, days []time.Time, roomNames, trackNames []string, speakers []models.Speaker, specs []sessionSpec) error {
	rooms := make([]models.Room, len(roomNames))
	for i, n := range roomNames {
		rooms[i] = models.Room{EventID: e.ID, Name: n}
		if err := tx.Create(&rooms[i]).Error; err != nil {
			return err
		}
	}
	tracks := make([]models.Track, len(trackNames))
	for i, n := range trackNames {
		tracks[i] = models.Track{EventID: e.ID, Name: n}
		if err := tx.Create(&tracks[i]).Error; err != nil {
			return err
		}
	}
	for i := range speakers {
		speakers[i].EventID = e.ID
		if err := tx.Create(&speakers[i]).Error; err != nil {
			return err
		}
	}
	for _, sp := range specs {
		start := at(days[sp.day], sp.h, sp.m)
		s := models.Session{EventID: e.ID, Title: sp.title, Description: sp.desc, Format: sp.format,
			StartsAt: start, EndsAt: start.Add(time.Duration(sp.mins) * time.Minute), Capacity: sp.capacity, SignUp: sp.capacity > 0}
		if sp.room >= 0 {
			s.RoomID = &rooms[sp.room].ID
		}
		if sp.track >= 0 {
			s.TrackID = &tracks[sp.track].ID
		}
		for _, i := range sp.speakers {
			s.Speakers = append(s.Speakers, speakers[i])
		}
		if err := tx.Create(&s).Error; err != nil {
			return err
		}
	}
	return nil
}
