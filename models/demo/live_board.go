package demo

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// seedLiveBoard opens a live board on the agora's plenary with a few posts,
// votes and a quick poll with answers, so the board, the projector and the
// report show something. Once; later runs only renew an expired join code
// (so `serve --demo` can always be joined).
func seedLiveBoard(db *gorm.DB, now time.Time) error {
	var e models.Event
	if err := db.Where("slug = ?", AgoraSlug).Take(&e).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		return err
	}
	var s models.Session
	if err := db.Where("event_id = ? AND format = ?", e.ID, models.FormatAgora).Order("starts_at DESC, id DESC").Take(&s).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		return err
	}
	if b, err := models.BoardForSession(db, e.ID, s.ID); err == nil {
		if b.Open && !b.CodeValid(now) {
			return models.RenewJoinCode(db, b.ID, now)
		}
		return nil
	} else if !errors.Is(err, gorm.ErrRecordNotFound) {
		return err
	}
	b, err := models.SaveBoard(db, e.ID, s.ID, models.BoardSettings{Open: true,
		Topics: "Safety at home\nStaying in touch\nSupport for carers\nEthics and data"}, now)
	if err != nil {
		return err
	}
	device := func(i int) models.Voter { return models.Voter{DeviceID: fmt.Sprintf("demo-device-%08d", i)} }
	posts := []struct {
		body  string
		tags  []string
		anon  bool
		votes int
		state string
	}{
		{"Who pays for the sensors when a pension is small?", []string{"Safety at home", "Ethics and data"}, false, 7, models.PostHighlighted},
		{"My mother does not want a camera at home. What else works at night?", []string{"Safety at home"}, true, 5, models.PostVisible},
		{"Carers need one phone number that answers, not another app.", []string{"Support for carers"}, false, 4, models.PostAnswered},
		{"Can the tablet read messages aloud for people who cannot see well?", []string{"Staying in touch"}, false, 3, models.PostVisible},
		{"Who sees the data from the fall detector?", []string{"Ethics and data"}, true, 2, models.PostVisible},
	}
	var pin uint
	for i, p := range posts {
		post, err := models.CreatePost(db, b.ID, device(100+i), models.NewPost{Body: p.body, Tags: p.tags, Anonymous: p.anon})
		if err != nil {
			return err
		}
		for v := 0; v < p.votes; v++ {
			if _, err := models.CastVote(db, b.ID, post.ID, device(v)); err != nil {
				return err
			}
		}
		if p.state != models.PostVisible {
			if err := models.SetPostState(db, b.ID, post.ID, p.state); err != nil {
				return err
			}
		}
		if i == 0 {
			pin = post.ID
		}
	}
	if err := models.PinPost(db, b.ID, pin); err != nil {
		return err
	}
	poll, err := models.CreatePoll(db, b.ID, models.NewPoll{Kind: models.PollSingle, Question: "What should the Living Lab test first?",
		Options: "Night lighting and alarms\nEasy video calls\nA helpline for carers"})
	if err != nil {
		return err
	}
	if err := models.SetPollState(db, b.ID, poll.ID, models.PollOpen, now); err != nil {
		return err
	}
	for v, choice := range []string{"0", "0", "2", "1", "0", "2", "2", "0"} {
		if err := models.AnswerPoll(db, b.ID, poll.ID, device(v), []string{choice}); err != nil {
			return err
		}
	}
	return nil
}
