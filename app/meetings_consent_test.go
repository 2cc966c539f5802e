package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
)

// TestWithdrawnDirectoryConsentUnlistsEverywhere: an attendee who withdraws
// the participant-directory consent on their self-service page is gone from
// the directory, the suggestions, their profile page and the organizers'
// meetings list at once; opting in again lists them with a new consent.
func TestWithdrawnDirectoryConsentUnlistsEverywhere(t *testing.T) {
	app, db := newTestApp(t)
	fx := newMeetingFixture(t, db, "dirc", 2, models.ModeRequests)
	ev := fx.Event
	if _, err := models.SetConsentText(db, ev.ID, models.ConsentDirectory, "Show me in the list of participants."); err != nil {
		t.Fatal(err)
	}
	base := "/events/" + ev.Slug + "/meetings"
	ca, cb := newClient(t, app), newClient(t, app)
	signInToMeetings(t, ca, db, ev, fx.Attendees[0])
	signInToMeetings(t, cb, db, ev, fx.Attendees[1])
	optIn(t, ca, ev, "Leuven Lab", "A telecare practice", "Test sites")
	optIn(t, cb, ev, "Vallmar Hospital", "Test sites for pilots", "Telecare practice")
	pb := participantOf(t, db, ev, fx.Attendees[1])
	mustContain(t, ca.get(base+"/directory").Body, "directory before", "Suggested for you", "Vallmar Hospital")

	// B withdraws the directory consent from the order's self-service page.
	var o models.Order
	if err := db.Take(&o, fx.Attendees[1].OrderID).Error; err != nil {
		t.Fatal(err)
	}
	var rec models.ConsentRecord
	if err := db.Joins("ConsentText").Where("consent_records.attendee_id = ? AND \"ConsentText\".kind = ?", pb.AttendeeID, models.ConsentDirectory).Take(&rec).Error; err != nil {
		t.Fatalf("no directory consent recorded on opt-in: %v", err)
	}
	owner := newClient(t, app)
	orderBase := "/orders/" + o.Secret
	owner.get(orderBase)
	r := owner.post(fmt.Sprintf("%s/attendees/%d/consents/%d/withdraw", orderBase, pb.AttendeeID, rec.ID), nil)
	mustStatus(t, r, http.StatusSeeOther, "withdraw directory consent")

	r = ca.get(base + "/directory")
	mustStatus(t, r, http.StatusOK, "directory after")
	if strings.Contains(r.Body, "Vallmar Hospital") || strings.Contains(r.Body, "Person B") {
		t.Fatalf("withdrawn person still in the directory or suggestions\n%s", r.Body)
	}
	if r := ca.get(fmt.Sprintf("%s/people/%d", base, pb.ID)); r.Status != http.StatusNotFound {
		t.Fatalf("withdrawn person's profile page: %d", r.Status)
	}
	others, err := models.ListedParticipants(db, ev.ID)
	if err != nil || len(others) != 1 || others[0].AttendeeID != fx.Attendees[0].ID {
		t.Fatalf("listed participants after withdrawal: %+v, %v", others, err)
	}

	// Opting in again is a new, live consent, and lists B again.
	optIn(t, cb, ev, "Vallmar Hospital", "Test sites for pilots", "Telecare practice")
	var live int64
	db.Model(&models.ConsentRecord{}).Where("attendee_id = ? AND consent_text_id = ? AND withdrawn_at IS NULL", pb.AttendeeID, rec.ConsentTextID).Count(&live)
	if live != 1 {
		t.Fatalf("live directory consents after opting in again: %d, want 1", live)
	}
	mustContain(t, ca.get(base+"/directory").Body, "directory again", "Vallmar Hospital")
}
