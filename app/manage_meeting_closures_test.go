package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
)

// An owner closes a table for a slot from the meetings page: the grid shows
// the cell as blocked, with words; the table cannot be booked there; a cell
// with a meeting, hostile values and another event's table get a clear
// message (never a 500); reopening opens the cell again. Both are audited.
func TestOrganizerClosesAndReopensATable(t *testing.T) {
	f, db := newTestApp(t)
	fx := newMeetingFixture(t, db, "closing", 2, models.ModeRequests)
	other := newMeetingFixture(t, db, "closing-other", 1, models.ModeRequests)
	m := bookedMeeting(t, db, fx) // slot 0, first table
	locs, _ := models.EventLocations(db, fx.Event.ID)
	otherLocs, _ := models.EventLocations(db, other.Event.ID)
	base := fmt.Sprintf("/manage/events/%d/meetings", fx.Event.ID)
	c := newClient(t, f)
	c.signIn("owner-closing@example.org")
	page := c.get(base)
	mustStatus(t, page, http.StatusOK, "grid")
	mustContain(t, page.Body, "close form", `action="`+base+`/closures"`, "Close a table", "No table is closed.")
	closeCell := func(loc, slot string) response {
		c.get(base)
		return c.post(base+"/closures", url.Values{"location": {loc}, "slot": {slot}})
	}
	id := func(n uint) string { return fmt.Sprint(n) }

	r := closeCell(id(locs[1].ID), id(fx.Slots[0].ID))
	mustStatus(t, r, http.StatusSeeOther, "close")
	page = c.get(base)
	mustContain(t, page.Body, "blocked grid", "The table is closed for that slot.", `<td class="cell-blocked">`,
		`<span class="visually-hidden">Closed</span>`, `class="grid-swatch cell-blocked"`, "Reopen Table 2 at ",
		fmt.Sprintf(`<a href="#closed-%d-%d">`, locs[1].ID, fx.Slots[0].ID), fmt.Sprintf(`<li id="closed-%d-%d">`, locs[1].ID, fx.Slots[0].ID))
	if n := strings.Count(page.Body, `<td class="cell-blocked">`); n != 1 {
		t.Errorf("%d blocked cells, want 1", n)
	}

	for name, tc := range map[string]struct{ loc, slot, want string }{
		"cell with a meeting":   {id(m.LocationID), id(m.SlotID), "move or cancel the meeting first"},
		"another event's table": {id(otherLocs[0].ID), id(fx.Slots[1].ID), "Choose a table and a slot of this event."},
		"another event's slot":  {id(locs[0].ID), id(other.Slots[0].ID), "Choose a table and a slot of this event."},
		"hostile values":        {"1 OR 1=1", "<script>", "Choose"},
		"nothing chosen":        {"", "", "Choose"},
	} {
		r := closeCell(tc.loc, tc.slot)
		mustStatus(t, r, http.StatusUnprocessableEntity, name)
		mustContain(t, r.Body, name, tc.want, `id="f-close_location"`)
	}
	if cells, _ := models.ClosedCells(db, fx.Event.ID); len(cells) != 1 {
		t.Fatalf("%d closed cells after the refusals, want 1", len(cells))
	}

	// Booking into the closed table by hand is refused with a message.
	set, _ := models.NetworkingFor(db, fx.Event.ID)
	var ps []uint
	for _, a := range fx.Attendees {
		p, _ := models.ParticipantOf(db, fx.Event.ID, a.ID)
		if p == nil {
			p, _ = models.SaveProfile(db, set, a.ID, models.ProfileInput{Organization: "Org"}, fx.Event.StartsAt)
		}
		ps = append(ps, p.ID)
	}
	c.get(base)
	r = c.post(base, url.Values{"a": {id(ps[0])}, "b": {id(ps[1])}, "slot": {id(fx.Slots[1].ID)}, "location": {id(locs[1].ID)}})
	mustStatus(t, r, http.StatusSeeOther, "book in an open cell") // slot 1 is open
	c.get(base)
	r = c.post(base+"/"+id(m.ID)+"/move", url.Values{"slot": {id(fx.Slots[0].ID)}, "location": {id(locs[1].ID)}})
	mustStatus(t, r, http.StatusSeeOther, "move into the closed cell")
	mustContain(t, c.get(base).Body, "move refused", "That table is closed in that slot")

	c.get(base)
	r = c.post(base+"/closures/reopen", url.Values{"location": {id(locs[1].ID)}, "slot": {id(fx.Slots[0].ID)}})
	mustStatus(t, r, http.StatusSeeOther, "reopen")
	page = c.get(base)
	mustContain(t, page.Body, "reopened", "The table is open again for that slot.", "No table is closed.")
	if strings.Contains(page.Body, `<td class="cell-blocked">`) {
		t.Error("a reopened cell is still blocked")
	}
	r = c.post(base+"/closures/reopen", url.Values{"location": {id(locs[1].ID)}, "slot": {id(fx.Slots[0].ID)}})
	mustStatus(t, r, http.StatusSeeOther, "reopen again")
	mustContain(t, c.get(base).Body, "reopen again", "That table was not closed in that slot.")

	var closed, reopened int64
	db.Model(&models.AuditEntry{}).Where("action = ? AND event_id = ?", models.AuditTableClosed, fx.Event.ID).Count(&closed)
	db.Model(&models.AuditEntry{}).Where("action = ? AND event_id = ?", models.AuditTableReopened, fx.Event.ID).Count(&reopened)
	if closed != 1 || reopened != 1 {
		t.Errorf("audit: %d closings, %d reopenings, want 1 and 1", closed, reopened)
	}
	if err := models.CheckMeetings(db); err != nil {
		t.Fatal(err)
	}
}
