package app

import (
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// hostileLive are the seeds of TestHostileInputNeverFails's crawl of the
// live board: an open board with a post and an open poll on a session of e.
type hostileLive struct{ public, manage []string }

func hostileLiveBoard(t *testing.T, db *gorm.DB, e *models.Event) hostileLive {
	t.Helper()
	s := models.Session{EventID: e.ID, Title: "Hostile agora", Format: models.FormatAgora, StartsAt: e.StartsAt, EndsAt: e.StartsAt.Add(time.Hour)}
	if err := db.Create(&s).Error; err != nil {
		t.Fatal(err)
	}
	b, err := models.SaveBoard(db, e.ID, s.ID, models.BoardSettings{Open: true, Topics: "Ethics\nFinancing"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.CreatePost(db, b.ID, models.Voter{DeviceID: "hostile-device-00001"}, models.NewPost{Body: "A question"}); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{models.PollWords, models.PollMultiple} {
		p, err := models.CreatePoll(db, b.ID, models.NewPoll{Kind: kind, Question: "Which?", Options: "One\nTwo"})
		if err != nil {
			t.Fatal(err)
		}
		if err := models.SetPollState(db, b.ID, p.ID, models.PollOpen, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return hostileLive{
		public: []string{"/live", "/live/" + b.Code(), "/live/p/" + b.ProjectorSecret, "/live/p/" + b.ProjectorSecret + "/screen", "/live/m/" + b.ModeratorSecret},
		manage: []string{fmt.Sprintf("/manage/events/%d/boards", e.ID), fmt.Sprintf("/manage/events/%d/sessions/%d/board", e.ID, s.ID)},
	}
}
