package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
)

// A quick poll through the HTTP app: the moderator (here a chair with the
// secret moderator link) creates and opens it; participants answer once and
// may change their answer; the projector shows the results as an SVG chart
// with the same figures as a table; a closed poll takes no answers.
func TestLivePollFlow(t *testing.T) {
	f, db := newTestApp(t)
	w := newLiveWorld(t, db)
	org := newClient(t, f)
	org.signIn(w.orgEmail)
	org.get(w.boardURL())
	liveStatus(t, "open", org.post(w.boardURL(), url.Values{"open": {"yes"}}), http.StatusSeeOther)
	b := w.board(t)

	chair := newClient(t, f)
	mod := "/live/m/" + b.ModeratorSecret
	r := chair.get(mod)
	liveStatus(t, "moderator link", r, http.StatusOK)
	if strings.Contains(r.Body, "Board settings") || strings.Contains(r.Body, "posts.csv") {
		t.Fatalf("the chair's page offers the team's settings or export:\n%s", r.Body)
	}
	r = chair.post(mod+"/polls", url.Values{"kind": {models.PollSingle}, "question": {"First step?"}, "options": {"only one"}})
	liveStatus(t, "poll with one option", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, "2 to 10 choices") || !strings.Contains(r.Body, "First step?") {
		t.Fatalf("no message beside the options, or the question lost:\n%s", r.Body)
	}
	liveStatus(t, "create poll", chair.post(mod+"/polls", url.Values{"kind": {models.PollSingle}, "question": {"First step?"}, "options": {"Standards\nMoney\nEthics"}}), http.StatusSeeOther)
	var p models.LivePoll
	db.Where("board_id = ?", b.ID).Take(&p)
	chair.get(mod)
	liveStatus(t, "open poll", chair.post(mod+"/polls/state", url.Values{"poll": {fmt.Sprint(p.ID)}, "do": {"open"}}), http.StatusSeeOther)

	person := newClient(t, f)
	mine := fmt.Sprintf("/tickets/%s/live/%d", w.attendee.LinkSecret, w.session.ID)
	r = person.get(mine)
	if !strings.Contains(r.Body, "First step?") || !strings.Contains(r.Body, `type="radio"`) {
		t.Fatalf("open poll not on the board:\n%s", r.Body)
	}
	liveStatus(t, "no choice", person.post(mine+"/poll", url.Values{"poll": {fmt.Sprint(p.ID)}}), http.StatusUnprocessableEntity)
	liveStatus(t, "answer", person.post(mine+"/poll", url.Values{"poll": {fmt.Sprint(p.ID)}, "choice": {"0"}}), http.StatusSeeOther)
	person.get(mine)
	liveStatus(t, "change answer", person.post(mine+"/poll", url.Values{"poll": {fmt.Sprint(p.ID)}, "choice": {"2"}}), http.StatusSeeOther)
	guest := newClient(t, f)
	r = guest.get("/live/" + b.Code())
	guest.get(r.Location)
	liveStatus(t, "guest answer", guest.post(r.Location+"/poll", url.Values{"poll": {fmt.Sprint(p.ID)}, "choice": {"2"}}), http.StatusSeeOther)
	var n int64
	db.Model(&models.LivePollAnswer{}).Where("poll_id = ?", p.ID).Count(&n)
	if n != 2 {
		t.Fatalf("%d answers, want 2 (one per person)", n)
	}
	r = newClient(t, f).get("/live/p/" + b.ProjectorSecret + "/screen")
	if !strings.Contains(r.Body, "<svg") || !strings.Contains(r.Body, `<th scope="row">Ethics</th><td>2</td><td>100</td>`) || !strings.Contains(r.Body, "Answers: 2") {
		t.Fatalf("projector results:\n%s", r.Body)
	}
	chair.get(mod)
	liveStatus(t, "close poll", chair.post(mod+"/polls/state", url.Values{"poll": {fmt.Sprint(p.ID)}, "do": {"closed"}}), http.StatusSeeOther)
	person.get(mine)
	r = person.post(mine+"/poll", url.Values{"poll": {fmt.Sprint(p.ID)}, "choice": {"1"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "poll is closed") {
		t.Fatalf("answer to a closed poll: %d\n%s", r.Status, r.Body)
	}
	// A word cloud: sized words with their counts in text.
	chair.get(mod)
	chair.post(mod+"/polls", url.Values{"kind": {models.PollWords}, "question": {"One word?"}})
	var wc models.LivePoll
	db.Where("board_id = ? AND kind = ?", b.ID, models.PollWords).Take(&wc)
	chair.get(mod)
	chair.post(mod+"/polls/state", url.Values{"poll": {fmt.Sprint(wc.ID)}, "do": {"open"}})
	person.get(mine)
	liveStatus(t, "word", person.post(mine+"/poll", url.Values{"poll": {fmt.Sprint(wc.ID)}, "choice": {"  Trust <b> "}}), http.StatusSeeOther)
	r = newClient(t, f).get("/live/p/" + b.ProjectorSecret + "/screen")
	if !strings.Contains(r.Body, `trust &lt;b&gt; <span class="count">(1)</span>`) {
		t.Fatalf("word cloud:\n%s", r.Body)
	}
	// The chair sees the room's names, not the author behind an anonymous post.
	person.get(mine)
	person.post(mine+"/posts", url.Values{"body": {"Quiet question"}, "anonymous": {"yes"}})
	if r = chair.get(mod); !strings.Contains(r.Body, "Quiet question") || strings.Contains(r.Body, w.attendee.Name) {
		t.Fatalf("chair's view of an anonymous post:\n%s", r.Body)
	}
	if r = org.get(w.boardURL()); !strings.Contains(r.Body, w.attendee.Name) {
		t.Fatalf("the organizer does not see who wrote the anonymous post:\n%s", r.Body)
	}
}
