package app

import (
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

// The board's report and its export count every post but keep the words only
// of registered people who hold the research consent now: not of people who
// never gave it, not of code-joiners, not after a withdrawal.
func TestBoardReportKeepsTextsOnlyWithResearchConsent(t *testing.T) {
	f, db := newTestApp(t)
	w := newLiveWorld(t, db)
	research, err := models.SetConsentText(db, w.event.ID, models.ConsentResearch, "Your posts may be used in the Living Lab's research.")
	if err != nil {
		t.Fatal(err)
	}
	texts, _ := models.CurrentConsentTexts(db, w.event.ID)
	var privacy uint
	for _, ct := range texts {
		if ct.Kind == models.ConsentPrivacy {
			privacy = ct.ID
		}
	}
	var tt models.TicketType
	db.Where("event_id = ?", w.event.ID).Take(&tt)
	o := placeRegistration(t, db, w.event, &tt, models.AttendeeInput{Name: "Researcher Friend", Email: "yes@example.org", ConsentTextIDs: []uint{privacy, research.ID}})
	yes := o.Attendees[0]
	b, err := models.SaveBoard(db, w.event.ID, w.session.ID, models.BoardSettings{Open: true, Topics: "Ethics"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		v    models.Voter
		body string
	}{{models.Voter{AttendeeID: yes.ID}, "Consented words"}, {models.Voter{AttendeeID: w.attendee.ID}, "Private words"}, {models.Voter{DeviceID: "device-report-000001"}, "Guest words"}} {
		if _, err := models.CreatePost(db, b.ID, p.v, models.NewPost{Body: p.body, Tags: []string{"Ethics"}}); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := models.BoardReport(db, w.event.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].Body != "Consented words" || !rows[0].ResearchConsent || rows[0].Category == "" ||
		rows[1].Body != "" || !rows[1].TextOmitted || rows[2].Body != "" || !rows[2].TextOmitted || rows[0].Tags[0] != "Ethics" {
		t.Fatalf("report %+v", rows)
	}
	org := newClient(t, f)
	org.signIn(w.orgEmail)
	r := org.get(w.boardURL() + "/posts.csv")
	if !strings.Contains(r.Body, "Consented words") || strings.Contains(r.Body, "Private words") || strings.Contains(r.Body, "Guest words") ||
		!strings.Contains(r.Body, "Posts: 3. Posts whose text is left out: 2.") {
		t.Fatalf("csv:\n%s", r.Body)
	}
	// Withdrawn: the words go too.
	rs, _ := models.AttendeeConsents(db, yes.ID)
	for _, rec := range rs {
		if rec.ConsentText.Kind == models.ConsentResearch {
			if err := models.Withdraw(db, yes.ID, rec.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	if rows, _ = models.BoardReport(db, w.event.ID); rows[0].Body != "" || rows[0].ResearchConsent {
		t.Fatalf("after withdrawal: %+v", rows[0])
	}
}
