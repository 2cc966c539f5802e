package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// bookedMeeting opts two of the fixture's attendees in and books them a
// meeting, as an organizer would.
func bookedMeeting(t *testing.T, db *gorm.DB, fx meetingFixture) *models.Meeting {
	t.Helper()
	set, _ := models.NetworkingFor(db, fx.Event.ID)
	var ids []uint
	for _, a := range fx.Attendees[:2] {
		p, err := models.SaveProfile(db, set, a.ID, models.ProfileInput{Organization: "Org"}, fx.Event.StartsAt)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	m, err := models.OrganizerBookMeeting(db, models.OrganizerBookInput{EventID: fx.Event.ID, SlotID: fx.Slots[0].ID, A: ids[0], B: ids[1], Now: fx.Event.StartsAt.AddDate(0, 0, -1)})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Every networking and meetings action of the organizer area, for every
// record kind it names (block, location, meeting): another organization
// gets a 404 both through B's event and through its own event with B's
// record ids, check-in staff cannot change anything, and nothing changes.
func TestNetworkingActionsOtherOrgAndStaff(t *testing.T) {
	f, db := newTestApp(t)
	fxA := newMeetingFixture(t, db, "net-a", 2, models.ModeRequests)
	fxB := newMeetingFixture(t, db, "net-b", 2, models.ModeRequests)
	mB := bookedMeeting(t, db, fxB)
	modeltest.Organizer(t, db, "Org net-b", "door-b@example.org", models.RoleCheckin)
	blocks, _ := models.EventBlocks(db, fxB.Event.ID)
	locs, _ := models.EventLocations(db, fxB.Event.ID)
	actions := func(eventID uint) []string {
		base := fmt.Sprintf("/manage/events/%d", eventID)
		return []string{base + "/networking", base + "/networking/blocks",
			fmt.Sprintf("%s/networking/blocks/%d/delete", base, blocks[0].ID),
			base + "/networking/locations",
			fmt.Sprintf("%s/networking/locations/%d/delete", base, locs[0].ID),
			base + "/meetings",
			fmt.Sprintf("%s/meetings/%d/move", base, mB.ID),
			fmt.Sprintf("%s/meetings/%d/cancel", base, mB.ID),
			fmt.Sprintf("%s/meetings/%d/noshow", base, mB.ID),
			base + "/meetings/schedule",
			base + "/meetings/closures", base + "/meetings/closures/reopen"}
	}
	hostile := url.Values{"enabled": {"yes"}, "mode": {"wishes"}, "kind": {"tables"}, "count": {"3"}, "prefix": {"Hijack"},
		"slot": {fmt.Sprint(fxB.Slots[1].ID)}, "location": {fmt.Sprint(locs[1].ID)}, "participant": {"1"}, "noshow": {"yes"},
		"starts_at": {localInputOf(fxB.Event, fxB.Event.StartsAt.Add(10*3600e9))}, "ends_at": {localInputOf(fxB.Event, fxB.Event.StartsAt.Add(11*3600e9))},
		"slot_minutes": {"20"}, "break_minutes": {"5"}}
	before := dbSnapshot(t, db)
	var meetingsBefore, blocksBefore, locsBefore int64
	db.Model(&models.Meeting{}).Where("status = ?", models.MeetingActive).Count(&meetingsBefore)
	db.Model(&models.MeetingBlock{}).Count(&blocksBefore)
	db.Model(&models.MeetingLocation{}).Count(&locsBefore)

	a := newClient(t, f)
	a.signIn("owner-net-a@example.org")
	// Through B's event, and through A's own event naming B's records.
	for _, u := range append(actions(fxB.Event.ID), actions(fxA.Event.ID)[2:]...) {
		if u == fmt.Sprintf("/manage/events/%d/networking/locations", fxA.Event.ID) ||
			u == fmt.Sprintf("/manage/events/%d/meetings", fxA.Event.ID) ||
			u == fmt.Sprintf("/manage/events/%d/meetings/schedule", fxA.Event.ID) ||
			strings.HasPrefix(u, fmt.Sprintf("/manage/events/%d/meetings/closures", fxA.Event.ID)) {
			continue // A's own event: allowed; B's ids in the form get a message (TestOrganizerClosesAndReopensATable)
		}
		a.get("/manage")
		if r := a.post(u, hostile); r.Status != http.StatusNotFound {
			t.Errorf("POST %s by another organization: %d, want 404", u, r.Status)
		}
	}
	door := newClient(t, f)
	door.signIn("door-b@example.org")
	for _, u := range actions(fxB.Event.ID) {
		door.get("/manage")
		if r := door.post(u, hostile); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
			t.Errorf("POST %s by check-in staff: %d, want 403 or 404", u, r.Status)
		}
	}
	var meetingsAfter, blocksAfter, locsAfter int64
	db.Model(&models.Meeting{}).Where("status = ?", models.MeetingActive).Count(&meetingsAfter)
	db.Model(&models.MeetingBlock{}).Count(&blocksAfter)
	db.Model(&models.MeetingLocation{}).Count(&locsAfter)
	if meetingsAfter != meetingsBefore || blocksAfter != blocksBefore || locsAfter != locsBefore {
		t.Errorf("meetings %d→%d, blocks %d→%d, locations %d→%d", meetingsBefore, meetingsAfter, blocksBefore, blocksAfter, locsBefore, locsAfter)
	}
	if after := dbSnapshot(t, db); after != before {
		t.Errorf("records changed:\n%s\n---\n%s", before, after)
	}
	set, _ := models.NetworkingFor(db, fxB.Event.ID)
	if set.Mode != models.ModeRequests {
		t.Errorf("B's networking mode changed to %s", set.Mode)
	}
	if err := models.CheckMeetings(db); err != nil {
		t.Fatal(err)
	}
}
