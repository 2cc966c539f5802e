package app

import (
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

// The questionnaire's report carries the live boards' posts with their
// votes, and under the same rule as the answers: the words of a person
// without the research consent are counted, never shown.
func TestFeedbackReportShowsBoardPostsUnderTheResearchRule(t *testing.T) {
	w := newFeedbackWorld(t)
	ag := newAgendaFixture(t, w.db, w.event)
	b, err := models.SaveBoard(w.db, w.event.ID, ag.Session.ID, models.BoardSettings{Open: true, Topics: "Ethics"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// people[0] gave the research consent, people[1] did not.
	for i, body := range []string{"Consented <b>idea</b>", "Private words"} {
		p, err := models.CreatePost(w.db, b.ID, models.Voter{AttendeeID: w.people[i].ID}, models.NewPost{Body: body, Tags: []string{"Ethics"}})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if _, err := models.CastVote(w.db, b.ID, p.ID, models.Voter{AttendeeID: w.people[2].ID}); err != nil {
				t.Fatal(err)
			}
		}
	}
	org := newClient(t, w.app)
	org.signIn(feedbackOwner)
	r := org.get(w.manage() + "/results")
	if r.Status != 200 {
		t.Fatalf("report: %d", r.Status)
	}
	for _, want := range []string{"Posts from the live boards", "Consented &lt;b&gt;idea&lt;/b&gt;", "Text left out (no research consent)", "1 texts left out.", "/board/posts.csv"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(r.Body, "Private words") {
		t.Error("the report shows the words of a person without the research consent")
	}
}
