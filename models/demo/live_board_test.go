package demo_test

import (
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/demo"
	"github.com/agora-events/agora/models/modeltest"
)

// The demo agora has an open live board with posts, votes, a pinned post and
// an open poll with answers; seeding again adds nothing, and a join code that
// expired since is renewed.
func TestDemoAgoraHasALiveBoard(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	now := time.Now()
	if _, err := demo.Seed(db, now); err != nil {
		t.Fatal(err)
	}
	var e models.Event
	db.Where("slug = ?", demo.AgoraSlug).Take(&e)
	boards, err := models.BoardsOfEvent(db, e.ID)
	if err != nil || len(boards) != 1 {
		t.Fatalf("boards %v %v", boards, err)
	}
	b := boards[0]
	room, _ := models.BoardPosts(db, &b, models.PostFilter{})
	if len(room) != 5 || room[0].Votes != 7 || b.PinnedPostID == nil || !b.CodeValid(now) {
		t.Fatalf("board %+v, posts %d", b, len(room))
	}
	poll, _ := models.ShownPoll(db, b.ID)
	r, _ := models.PollResults(db, poll)
	if poll.State != models.PollOpen || r.Answers != 8 {
		t.Fatalf("poll %+v, answers %d", poll, r.Answers)
	}
	later := now.Add(models.JoinCodeLife + time.Hour)
	if _, err := demo.Seed(db, later); err != nil {
		t.Fatal(err)
	}
	var posts int64
	db.Model(&models.LivePost{}).Count(&posts)
	again, _ := models.BoardByID(db, b.ID)
	if posts != 5 || !again.CodeValid(later) {
		t.Fatalf("after seeding again: %d posts, code valid %v", posts, again.CodeValid(later))
	}
}
