package models_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// liveBoardFixture is an open board on a session of a published event.
func liveBoardFixture(t *testing.T, db *gorm.DB, moderated bool) *models.LiveBoard {
	t.Helper()
	org, _ := modeltest.Organizer(t, db, "Board org", "board@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "board-event", models.StatusPublished)
	s := models.Session{EventID: e.ID, Title: "Agora", Format: models.FormatAgora, StartsAt: e.StartsAt, EndsAt: e.StartsAt.Add(time.Hour)}
	if err := db.Create(&s).Error; err != nil {
		t.Fatal(err)
	}
	b, err := models.SaveBoard(db, e.ID, s.ID, models.BoardSettings{Open: true, Moderated: moderated, Topics: "Ethics\nFinancing\n"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBoardOpensWithAJoinCodeAndClosesWithoutOne(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	b := liveBoardFixture(t, db, false)
	if len(b.Code()) != models.JoinCodeLength || !b.CodeValid(time.Now()) {
		t.Fatalf("code %q valid %v", b.Code(), b.CodeValid(time.Now()))
	}
	got, err := models.BoardByCode(db, " "+b.Code()[:3]+"-"+b.Code()[3:]+" ", time.Now())
	if err != nil || got.ID != b.ID {
		t.Fatalf("by code: %v %v", got, err)
	}
	if _, err := models.BoardByCode(db, b.Code(), time.Now().Add(models.JoinCodeLife+time.Minute)); err == nil {
		t.Fatal("an expired code still joins")
	}
	if _, err := models.SaveBoard(db, b.EventID, b.SessionID, models.BoardSettings{Open: false}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := models.BoardByCode(db, b.Code(), time.Now()); err == nil {
		t.Fatal("a closed board's code still joins")
	}
	if _, err := models.CreatePost(db, b.ID, models.Voter{DeviceID: "dev1"}, models.NewPost{Body: "Hello"}); err != models.ErrBoardClosed {
		t.Fatalf("post on a closed board: %v", err)
	}
}

// Many requests of one person voting for one post at once leave one vote;
// many people leave one each, and the counter equals the rows (both engines).
func TestVoteIsOncePerPersonUnderRace(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	b := liveBoardFixture(t, db, false)
	p, err := models.CreatePost(db, b.ID, models.Voter{AttendeeID: 0, DeviceID: "author"}, models.NewPost{Body: "Why?"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	newVotes := map[string]int{}
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := models.Voter{DeviceID: fmt.Sprintf("voter%d", i%4)}
			ok, err := models.CastVote(db, b.ID, p.ID, v)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				newVotes[v.DeviceID]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for k, n := range newVotes {
		if n != 1 {
			t.Errorf("%s: %d new votes", k, n)
		}
	}
	checkVotes(t, db, p.ID, 4)
	// Withdrawn by racing requests: once.
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := models.WithdrawVote(db, b.ID, p.ID, models.Voter{DeviceID: "voter0"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	checkVotes(t, db, p.ID, 3)
	// Re-cast.
	if ok, err := models.CastVote(db, b.ID, p.ID, models.Voter{DeviceID: "voter0"}); err != nil || !ok {
		t.Fatalf("re-cast: %v %v", ok, err)
	}
	checkVotes(t, db, p.ID, 4)
	if err := models.CheckVoteCounters(db); err != nil {
		t.Fatal(err)
	}
	db.Model(&models.LivePost{}).Where("id = ?", p.ID).Update("votes", 99)
	if models.CheckVoteCounters(db) == nil {
		t.Fatal("a wrong counter went unnoticed")
	}
}

func checkVotes(t *testing.T, db *gorm.DB, postID uint, want int) {
	t.Helper()
	var rows int64
	db.Model(&models.LiveVote{}).Where("post_id = ?", postID).Count(&rows)
	var p models.LivePost
	db.Take(&p, postID)
	if rows != int64(want) || p.Votes != want {
		t.Fatalf("post %d: %d vote rows, counter %d, want %d", postID, rows, p.Votes, want)
	}
}

// Merging a duplicate moves its votes without giving anyone two, and the
// duplicate leaves the room's list.
func TestMergeMovesVotesWithoutDoubles(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	b := liveBoardFixture(t, db, true)
	keep, _ := models.CreatePost(db, b.ID, models.Voter{DeviceID: "a"}, models.NewPost{Body: "Data ownership?"})
	dup, _ := models.CreatePost(db, b.ID, models.Voter{DeviceID: "b"}, models.NewPost{Body: "Who owns the data?"})
	if keep.State != models.PostPending {
		t.Fatalf("moderated board: state %s", keep.State)
	}
	if _, err := models.CastVote(db, b.ID, keep.ID, models.Voter{DeviceID: "x"}); err != models.ErrPostNotShown {
		t.Fatalf("vote on a pending post: %v", err)
	}
	for _, id := range []uint{keep.ID, dup.ID} {
		if err := models.SetPostState(db, b.ID, id, models.PostVisible); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []string{"x", "y"} {
		models.CastVote(db, b.ID, keep.ID, models.Voter{DeviceID: v})
	}
	for _, v := range []string{"y", "z", "w"} {
		models.CastVote(db, b.ID, dup.ID, models.Voter{DeviceID: v})
	}
	if err := models.PinPost(db, b.ID, dup.ID); err != nil {
		t.Fatal(err)
	}
	if err := models.MergePosts(db, b.ID, keep.ID, dup.ID); err != nil {
		t.Fatal(err)
	}
	checkVotes(t, db, keep.ID, 4) // x, y, z, w
	checkVotes(t, db, dup.ID, 0)
	b, _ = models.BoardByID(db, b.ID)
	if b.PinnedPostID == nil || *b.PinnedPostID != keep.ID {
		t.Fatalf("pin did not follow the merge: %v", b.PinnedPostID)
	}
	room, err := models.BoardPosts(db, b, models.PostFilter{})
	if err != nil || len(room) != 1 || room[0].ID != keep.ID {
		t.Fatalf("room sees %+v (%v)", room, err)
	}
	if err := models.MergePosts(db, b.ID, keep.ID, dup.ID); err != models.ErrPostNotFound {
		t.Fatalf("merging twice: %v", err)
	}
}

func TestPollAnswerIsOncePerPersonAndChangeable(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	b := liveBoardFixture(t, db, false)
	p, err := models.CreatePoll(db, b.ID, models.NewPoll{Kind: models.PollSingle, Question: "Best first step?", Options: "Standards\nMoney\n\nEthics"})
	if err != nil {
		t.Fatal(err)
	}
	if err := models.AnswerPoll(db, b.ID, p.ID, models.Voter{DeviceID: "a"}, []string{"0"}); err != models.ErrPollNotOpen {
		t.Fatalf("answer to a draft: %v", err)
	}
	models.SetPollState(db, b.ID, p.ID, models.PollOpen, time.Now())
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := models.AnswerPoll(db, b.ID, p.ID, models.Voter{DeviceID: fmt.Sprint("v", i%3)}, []string{fmt.Sprint(i % 3)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := models.AnswerPoll(db, b.ID, p.ID, models.Voter{DeviceID: "v0"}, []string{"2"}); err != nil {
		t.Fatal(err)
	}
	if err := models.AnswerPoll(db, b.ID, p.ID, models.Voter{DeviceID: "v0"}, []string{"0", "1"}); err != models.ErrInvalidAnswer {
		t.Fatalf("two choices on a single-choice poll: %v", err)
	}
	r, err := models.PollResults(db, p)
	if err != nil {
		t.Fatal(err)
	}
	if r.Answers != 3 || r.Bars[2].Count != 2 || r.Bars[1].Count != 1 || r.Bars[0].Count != 0 {
		t.Fatalf("results %+v", r)
	}
	models.SetPollState(db, b.ID, p.ID, models.PollClosed, time.Now())
	if err := models.AnswerPoll(db, b.ID, p.ID, models.Voter{DeviceID: "v9"}, []string{"1"}); err != models.ErrPollNotOpen {
		t.Fatalf("answer after closing: %v", err)
	}
}

// Votes racing a merge: whatever the order, each post's counter equals its
// vote rows and nobody has two votes on the kept post (both engines).
func TestMergeRacingVotesKeepsCountersTrue(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	b := liveBoardFixture(t, db, false)
	keep, _ := models.CreatePost(db, b.ID, models.Voter{DeviceID: "a"}, models.NewPost{Body: "Keep"})
	dup, _ := models.CreatePost(db, b.ID, models.Voter{DeviceID: "b"}, models.NewPost{Body: "Duplicate"})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := models.Voter{DeviceID: fmt.Sprintf("v%d", i%10)}
			post := keep.ID
			if i%2 == 0 {
				post = dup.ID
			}
			if _, err := models.CastVote(db, b.ID, post, v); err != nil && err != models.ErrPostNotShown {
				t.Error(err)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := models.MergePosts(db, b.ID, keep.ID, dup.ID); err != nil {
			t.Error(err)
		}
	}()
	wg.Wait()
	for _, id := range []uint{keep.ID, dup.ID} {
		var rows int64
		db.Model(&models.LiveVote{}).Where("post_id = ?", id).Count(&rows)
		var p models.LivePost
		db.Take(&p, id)
		if int64(p.Votes) != rows {
			t.Fatalf("post %d: counter %d, rows %d", id, p.Votes, rows)
		}
		if id == dup.ID && rows != 0 {
			t.Fatalf("votes left on the merged post: %d", rows)
		}
	}
	if err := models.CheckVoteCounters(db); err != nil {
		t.Fatal(err)
	}
}
