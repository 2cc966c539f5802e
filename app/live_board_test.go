package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// liveWorld is an event with a session, a registered attendee and an
// organizer, for the live board's tests.
type liveWorld struct {
	db       *gorm.DB
	event    *models.Event
	session  models.Session
	attendee *models.Attendee
	orgEmail string
}

func newLiveWorld(t *testing.T, db *gorm.DB) liveWorld {
	t.Helper()
	org, _ := modeltest.Organizer(t, db, "Live org", "live-owner@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "live-agora", models.StatusPublished)
	ag := newAgendaFixture(t, db, e)
	reg := newRegFixture(t, db, e)
	return liveWorld{db: db, event: e, session: ag.Session, attendee: &reg.Attendee, orgEmail: "live-owner@example.org"}
}

func (w liveWorld) boardURL() string {
	return fmt.Sprintf("/manage/events/%d/sessions/%d/board", w.event.ID, w.session.ID)
}

func (w liveWorld) board(t *testing.T) *models.LiveBoard {
	t.Helper()
	b, err := models.BoardForSession(w.db, w.event.ID, w.session.ID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func liveStatus(t *testing.T, what string, r response, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: %d, want %d\n%s", what, r.Status, want, r.Body)
	}
}

// The whole flow through the HTTP app: the organizer opens a moderated
// board; one person joins by code, another from their personal link; posts
// wait for approval and never reach the projector or the room before it;
// hostile text is escaped; votes are once per person and can be taken back;
// hidden posts leave the screen; posting is rate-limited.
func TestLiveBoardFlow(t *testing.T) {
	f, db := newTestApp(t)
	w := newLiveWorld(t, db)
	org := newClient(t, f)
	org.signIn(w.orgEmail)
	r := org.get(w.boardURL())
	liveStatus(t, "board page before a board", r, http.StatusOK)
	if !strings.Contains(r.Body, "Open a board") || !strings.Contains(r.Body, "Track of live-agora") {
		t.Fatalf("no open form with the tracks as topics:\n%s", r.Body)
	}
	r = org.post(w.boardURL(), url.Values{"open": {"yes"}, "moderated": {"yes"}, "topics": {"Ethics\nFinancing"}})
	liveStatus(t, "open the board", r, http.StatusSeeOther)
	b := w.board(t)
	if !b.Open || !b.Moderated || b.Code() == "" {
		t.Fatalf("board %+v", b)
	}

	// Joining by code, typed.
	guest := newClient(t, f)
	guest.get("/live")
	r = guest.post("/live", url.Values{"code": {"nope12"}})
	liveStatus(t, "wrong code", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, "could not find an open board") || !strings.Contains(r.Body, `value="nope12"`) {
		t.Fatalf("wrong code: no message or lost input\n%s", r.Body)
	}
	r = guest.post("/live", url.Values{"code": {strings.ToLower(b.Code())}})
	liveStatus(t, "join by code", r, http.StatusSeeOther)
	base := r.Location
	liveStatus(t, "board of a code-joiner", guest.get(base), http.StatusOK)
	// Without the cookie the board is not open to anyone.
	liveStatus(t, "board without joining", newClient(t, f).get(base), http.StatusNotFound)

	hostile := `<script>alert("x")</script> & why?`
	r = guest.post(base+"/posts", url.Values{"body": {hostile}, "tag": {"Ethics"}})
	liveStatus(t, "post", r, http.StatusSeeOther)
	var post models.LivePost
	db.Where("board_id = ?", b.ID).Take(&post)
	if post.State != models.PostPending || post.DeviceID == "" || post.Tags != "Ethics" {
		t.Fatalf("post %+v", post)
	}
	escaped := "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; why?"
	r = guest.get(base)
	if !strings.Contains(r.Body, escaped) || strings.Contains(r.Body, "<script>alert") || !strings.Contains(r.Body, "waiting for a moderator") {
		t.Fatalf("own pending post not shown escaped:\n%s", r.Body)
	}

	// The attendee from their personal link sees nothing pending; nor does the projector.
	person := newClient(t, f)
	mine := fmt.Sprintf("/tickets/%s/live/%d", w.attendee.LinkSecret, w.session.ID)
	r = person.get("/tickets/" + w.attendee.LinkSecret)
	if !strings.Contains(r.Body, mine) {
		t.Fatalf("ticket page has no link to the open board:\n%s", r.Body)
	}
	if r = person.get(mine); strings.Contains(r.Body, "alert") {
		t.Fatalf("a pending post reached the room:\n%s", r.Body)
	}
	screen := "/live/p/" + b.ProjectorSecret + "/screen"
	if r = newClient(t, f).get(screen); r.Status != http.StatusOK || strings.Contains(r.Body, "alert") || !strings.Contains(r.Body, b.Code()) {
		t.Fatalf("projector before approval: %d\n%s", r.Status, r.Body)
	}
	liveStatus(t, "vote on a pending post", person.post(mine+"/vote", url.Values{"post": {fmt.Sprint(post.ID)}, "do": {"vote"}}), http.StatusSeeOther)
	checkVoteCount(t, db, post.ID, 0)

	// Approved: on the projector and the room's board, escaped.
	org.get(w.boardURL())
	liveStatus(t, "approve", org.post(w.boardURL()+"/moderate", url.Values{"post": {fmt.Sprint(post.ID)}, "do": {"approve"}}), http.StatusSeeOther)
	if r = newClient(t, f).get(screen); !strings.Contains(r.Body, escaped) {
		t.Fatalf("approved post not on the projector:\n%s", r.Body)
	}
	if r = newClient(t, f).get("/live/p/" + b.ProjectorSecret); r.Status != http.StatusOK || !strings.Contains(r.Body, "data-live-stream") {
		t.Fatalf("projector page: %d\n%s", r.Status, r.Body)
	}
	person.get(mine)
	for i, do := range []string{"vote", "vote", "unvote", "vote"} {
		liveStatus(t, do, person.post(mine+"/vote", url.Values{"post": {fmt.Sprint(post.ID)}, "do": {do}}), http.StatusSeeOther)
		checkVoteCount(t, db, post.ID, []int{1, 1, 0, 1}[i])
	}
	if r = person.get(mine); !strings.Contains(r.Body, `aria-pressed="true"`) || !strings.Contains(r.Body, "Take back my vote (votes: 1)") {
		t.Fatalf("the vote is not shown as cast:\n%s", r.Body)
	}
	// Pin, then hide: off the projector and the room's board.
	org.get(w.boardURL())
	liveStatus(t, "pin", org.post(w.boardURL()+"/moderate", url.Values{"post": {fmt.Sprint(post.ID)}, "do": {"pin"}}), http.StatusSeeOther)
	if r = newClient(t, f).get(screen); !strings.Contains(r.Body, "Now discussing") {
		t.Fatalf("pinned post not on the projector:\n%s", r.Body)
	}
	org.get(w.boardURL())
	liveStatus(t, "hide", org.post(w.boardURL()+"/moderate", url.Values{"post": {fmt.Sprint(post.ID)}, "do": {"hidden"}}), http.StatusSeeOther)
	if r = newClient(t, f).get(screen); strings.Contains(r.Body, "alert") || strings.Contains(r.Body, "Now discussing") {
		t.Fatalf("hidden post on the projector:\n%s", r.Body)
	}
	if r = person.get(mine); strings.Contains(r.Body, "alert") {
		t.Fatalf("hidden post on the room's board:\n%s", r.Body)
	}
	// Moderation with a post that is not there comes back with a message, not an error.
	org.get(w.boardURL())
	liveStatus(t, "moderate nothing", org.post(w.boardURL()+"/moderate", url.Values{"post": {"999999"}, "do": {"approve"}}), http.StatusSeeOther)

	// Rate limit: livePostLimit posts a minute per person.
	guest.get(base)
	for i := 1; i < livePostLimit; i++ {
		liveStatus(t, "post again", guest.post(base+"/posts", url.Values{"body": {fmt.Sprint("idea ", i)}}), http.StatusSeeOther)
	}
	r = guest.post(base+"/posts", url.Values{"body": {"one too many"}})
	liveStatus(t, "post over the limit", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, "wait a minute") || !strings.Contains(r.Body, "one too many") {
		t.Fatalf("rate limit: no message or lost input:\n%s", r.Body)
	}
	// Too long, and an unknown topic: messages beside the fields.
	person.get(mine)
	r = person.post(mine+"/posts", url.Values{"body": {strings.Repeat("é", models.MaxPostLength+1)}})
	liveStatus(t, "too long", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, "keep it to 500 characters") {
		t.Fatalf("too long: no message\n%s", r.Body)
	}
	r = person.post(mine+"/posts", url.Values{"body": {"ok"}, "tag": {"Not a topic"}})
	liveStatus(t, "unknown topic", r, http.StatusUnprocessableEntity)

	// The export counts every post and leaves out the words of people
	// without the research consent (a code-joiner has none).
	r = org.get(w.boardURL() + "/posts.csv")
	liveStatus(t, "csv", r, http.StatusOK)
	if !strings.Contains(r.Body, "Research rule") || strings.Contains(r.Body, "alert") || !strings.Contains(r.Body, "text left out") {
		t.Fatalf("csv:\n%s", r.Body)
	}
	var audits int64
	db.Model(&models.AuditEntry{}).Where("action = ?", models.AuditLiveBoardExported).Count(&audits)
	if audits != 1 {
		t.Fatalf("export audited %d times", audits)
	}

	// Closing the board ends posting and the code.
	org.get(w.boardURL())
	liveStatus(t, "close", org.post(w.boardURL(), url.Values{"topics": {"Ethics"}}), http.StatusSeeOther)
	r = person.post(mine+"/posts", url.Values{"body": {"late"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "board is closed") {
		t.Fatalf("post on a closed board: %d\n%s", r.Status, r.Body)
	}
	if r = newClient(t, f).get("/live/" + b.Code()); r.Status != http.StatusNotFound {
		t.Fatalf("closed board's code: %d", r.Status)
	}
	if err := models.CheckVoteCounters(db); err != nil {
		t.Fatal(err)
	}
}

func checkVoteCount(t *testing.T, db *gorm.DB, postID uint, want int) {
	t.Helper()
	var p models.LivePost
	db.Take(&p, postID)
	var n int64
	db.Model(&models.LiveVote{}).Where("post_id = ?", postID).Count(&n)
	if p.Votes != want || n != int64(want) {
		t.Fatalf("post %d: counter %d, rows %d, want %d", postID, p.Votes, n, want)
	}
}

// Moderation through the HTTP app: merging a duplicate moves its votes (no
// one votes twice), answered and highlighted posts stay on the projector
// with their mark, and the live events carry ids and counts, never text.
func TestLiveModerationMergeAndMarks(t *testing.T) {
	f, db := newTestApp(t)
	w := newLiveWorld(t, db)
	b, err := models.SaveBoard(db, w.event.ID, w.session.ID, models.BoardSettings{Open: true}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keep, _ := models.CreatePost(db, b.ID, models.Voter{DeviceID: "device-keep-00000001"}, models.NewPost{Body: "Who owns the data?"})
	dup, _ := models.CreatePost(db, b.ID, models.Voter{DeviceID: "device-dup-000000001"}, models.NewPost{Body: "Whose data is it?"})
	for _, v := range []string{"x", "y"} {
		models.CastVote(db, b.ID, keep.ID, models.Voter{DeviceID: v})
	}
	for _, v := range []string{"y", "z"} {
		models.CastVote(db, b.ID, dup.ID, models.Voter{DeviceID: v})
	}
	org := newClient(t, f)
	org.signIn(w.orgEmail)
	org.get(w.boardURL())
	liveStatus(t, "merge", org.post(w.boardURL()+"/moderate", url.Values{"post": {fmt.Sprint(dup.ID)}, "do": {"merge"}, "into": {fmt.Sprint(keep.ID)}}), http.StatusSeeOther)
	checkVoteCount(t, db, keep.ID, 3)
	checkVoteCount(t, db, dup.ID, 0)
	if r := org.get(w.boardURL()); !strings.Contains(r.Body, fmt.Sprintf("merged into #%d", keep.ID)) {
		t.Fatalf("the moderators' list does not show the merge:\n%s", r.Body)
	}
	liveStatus(t, "answered", org.post(w.boardURL()+"/moderate", url.Values{"post": {fmt.Sprint(keep.ID)}, "do": {"answered"}}), http.StatusSeeOther)
	r := newClient(t, f).get("/live/p/" + b.ProjectorSecret + "/screen")
	if !strings.Contains(r.Body, "Who owns the data?") || !strings.Contains(r.Body, "Answered") || strings.Contains(r.Body, "Whose data is it?") {
		t.Fatalf("projector after merge and answered:\n%s", r.Body)
	}
	org.get(w.boardURL())
	liveStatus(t, "merge into itself", org.post(w.boardURL()+"/moderate", url.Values{"post": {fmt.Sprint(keep.ID)}, "do": {"merge"}, "into": {fmt.Sprint(keep.ID)}}), http.StatusSeeOther)
	var evs []models.LiveEvent
	db.Where("topic = ?", models.BoardTopic(b.ID)).Find(&evs)
	if len(evs) < 6 {
		t.Fatalf("%d live events", len(evs))
	}
	for _, ev := range evs {
		if strings.Contains(ev.Data, "data") || strings.Contains(ev.Data, "device") {
			t.Fatalf("a live event carries text: %+v", ev)
		}
	}
}
