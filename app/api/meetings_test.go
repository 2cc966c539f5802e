package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

// meetFixture adds networking to f's event: one block of four slots, two
// tables, four participants; p0–p1 meet in slot 0 and p2–p3 in slot 1,
// p0 asks p2 for slot 2, and p3 then leaves networking (unlisted).
type meetFixture struct {
	slots    []models.MeetingSlot
	people   []*models.MeetingParticipant
	meetings []*models.Meeting
	request  *models.MeetingRequest
}

func (ta *testAPI) meetFixture(f *progFixture) *meetFixture {
	t, db := ta.t, ta.db
	t.Helper()
	set := &models.NetworkingSetting{EventID: f.ev.ID, Enabled: true, Mode: models.ModeRequests, Topics: "Telecare\nFalls prevention"}
	progMust(t, models.SaveNetworking(db, set))
	start := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Hour)
	progMust(t, models.AddMeetingBlock(db, &models.MeetingBlock{EventID: f.ev.ID, StartsAt: start, EndsAt: start.Add(100 * time.Minute), SlotMinutes: 20, BreakMinutes: 5}))
	progMust(t, models.AddTables(db, f.ev.ID, "Table", 2))
	m := &meetFixture{}
	var err error
	m.slots, err = models.EventSlots(db, f.ev.ID)
	progMust(t, err)
	tt := &models.TicketType{EventID: f.ev.ID, Name: "Networking", Currency: "EUR", Category: models.CategoryIndustry, MaxPerOrder: 4}
	progMust(t, models.CreateTicketType(db, tt))
	o := ta.register(f.ev, tt, 4, "net-"+f.ev.Slug)
	for i, a := range o.Attendees {
		p, err := models.SaveProfile(db, set, a.ID, models.ProfileInput{Organization: "Org " + itoa(uint(i)), Role: "Nurse", Bio: "Bio of " + a.Name,
			Interests: []string{"Telecare"}}, time.Now())
		progMust(t, err)
		m.people = append(m.people, p)
	}
	for i, pair := range [][2]int{{0, 1}, {2, 3}} {
		mt, err := models.OrganizerBookMeeting(db, models.OrganizerBookInput{EventID: f.ev.ID, SlotID: m.slots[i].ID,
			A: m.people[pair[0]].ID, B: m.people[pair[1]].ID, Now: time.Now()})
		progMust(t, err)
		m.meetings = append(m.meetings, mt)
	}
	m.request, err = models.SendRequest(db, models.RequestInput{EventID: f.ev.ID, From: m.people[0].ID, To: m.people[2].ID,
		SlotID: m.slots[2].ID, Message: "A private hello", Now: time.Now()})
	progMust(t, err)
	progMust(t, models.LeaveNetworking(db, m.people[3].ID))
	return m
}

func TestMeetingsListsRespectUnlisting(t *testing.T) {
	ta := newTestAPI(t)
	f := ta.progFixture("Cluster", "forum")
	m := ta.meetFixture(f)
	tok := ta.token(f.org.ID, models.ScopeMeetings)
	base := "/api/v1/events/" + itoa(f.ev.ID) + "/meetings"

	r := ta.do("GET", base+"/participants", tok, nil)
	if r.Status != http.StatusOK || len(r.items()) != 3 {
		t.Fatalf("participants: %d %s", r.Status, r.Body)
	}
	for _, it := range r.items() {
		if it["id"] == float64(m.people[3].ID) {
			t.Errorf("an unlisted participant is listed: %v", it)
		}
		if it["role"] != "Nurse" || it["interests"].([]any)[0] != "Telecare" || it["attendee_id"] == nil {
			t.Errorf("profile: %v", it)
		}
	}
	if strings.Contains(string(r.Body), m.people[3].Name) || strings.Contains(string(r.Body), "@example.org") {
		t.Errorf("participants show the unlisted person or an e-mail: %s", r.Body)
	}

	r = ta.do("GET", base, tok, nil)
	if r.Status != http.StatusOK || len(r.items()) != 2 {
		t.Fatalf("meetings: %d %s", r.Status, r.Body)
	}
	for _, it := range r.items() {
		a, b := it["a"].(map[string]any), it["b"].(map[string]any)
		slot, loc := it["slot"].(map[string]any), it["location"].(map[string]any)
		if slot["starts_at"] == nil || !strings.HasPrefix(loc["name"].(string), "Table") || it["status"] != "active" {
			t.Errorf("meeting slot and location: %v", it)
		}
		switch it["id"] {
		case float64(m.meetings[0].ID):
			if a["listed"] != true || a["name"] != m.people[0].Name || b["name"] != m.people[1].Name {
				t.Errorf("listed sides: %v", it)
			}
		case float64(m.meetings[1].ID):
			if b["id"] != float64(m.people[3].ID) || b["listed"] != false || b["name"] != nil || b["organization"] != nil {
				t.Errorf("the unlisted side is named: %v", b)
			}
		}
	}
	if strings.Contains(string(r.Body), m.people[3].Name) {
		t.Errorf("meetings name the unlisted person: %s", r.Body)
	}

	r = ta.do("GET", base+"/requests", tok, nil)
	if len(r.items()) != 1 || r.items()[0]["status"] != "pending" || strings.Contains(string(r.Body), "private hello") {
		t.Errorf("requests (without their message): %s", r.Body)
	}
	if r := ta.do("GET", base+"/requests?status=declined", tok, nil); len(r.items()) != 0 {
		t.Errorf("status filter: %s", r.Body)
	}
	if r := ta.do("GET", base+"/slots", tok, nil); len(r.items()) != len(m.slots) {
		t.Errorf("slots: %s", r.Body)
	}
	if r := ta.do("GET", base+"/blocks", tok, nil); len(r.items()) != 1 || r.items()[0]["slot_minutes"] != float64(20) {
		t.Errorf("blocks: %s", r.Body)
	}
	if r := ta.do("GET", base+"/locations", tok, nil); len(r.items()) != 2 || r.items()[1]["closed_slot_ids"] != nil {
		t.Errorf("locations: %s", r.Body)
	}
	// A table closed for a slot shows it, read-only.
	locs, _ := models.EventLocations(ta.db, f.ev.ID)
	progMust(t, models.CloseTable(ta.db, f.ev.ID, locs[1].ID, m.slots[2].ID))
	if r := ta.do("GET", base+"/locations", tok, nil); len(r.items()) != 2 || r.items()[0]["closed_slot_ids"] != nil ||
		fmt.Sprint(r.items()[1]["closed_slot_ids"]) != fmt.Sprintf("[%d]", m.slots[2].ID) {
		t.Errorf("locations with a closed table: %s", r.Body)
	}

	// Paging participants: pages of one, each once.
	seen := map[float64]bool{}
	cursor := ""
	for i := 0; i < 5; i++ {
		p := ta.do("GET", base+"/participants?limit=1&cursor="+cursor, tok, nil)
		for _, it := range p.items() {
			if seen[it["id"].(float64)] {
				t.Errorf("participant twice: %v", it)
			}
			seen[it["id"].(float64)] = true
		}
		if cursor, _ = p.JSON["next_cursor"].(string); cursor == "" {
			break
		}
	}
	if len(seen) != 3 {
		t.Errorf("paged participants: %v", seen)
	}
}

func TestMeetingsScopesOrganizationsAndCancel(t *testing.T) {
	ta := newTestAPI(t)
	f := ta.progFixture("Cluster", "forum")
	m := ta.meetFixture(f)
	other := ta.progFixture("Other cluster", "theirs")
	om := ta.meetFixture(other)
	tok := ta.token(f.org.ID, models.ScopeMeetings)
	wrong := ta.token(f.org.ID, models.ScopeEventsRead, models.ScopeCheckin, models.ScopeRegistrationsWrite)
	base := "/api/v1/events/" + itoa(f.ev.ID) + "/meetings"
	theirs := "/api/v1/events/" + itoa(other.ev.ID) + "/meetings"

	for _, p := range []string{"", "/participants", "/requests", "/slots", "/blocks", "/locations"} {
		if r := ta.do("GET", base+p, wrong, nil); r.Status != http.StatusForbidden {
			t.Errorf("GET meetings%s without the meetings scope: %d", p, r.Status)
		}
		if r := ta.do("GET", theirs+p, tok, nil); r.Status != http.StatusNotFound {
			t.Errorf("GET another organization's meetings%s: %d", p, r.Status)
		}
	}
	cancel := base + "/" + itoa(m.meetings[0].ID) + "/cancel"
	if r := ta.do("POST", cancel, wrong, map[string]any{}); r.Status != http.StatusForbidden {
		t.Errorf("cancel without the scope: %d", r.Status)
	}
	if r := ta.do("POST", base+"/"+itoa(om.meetings[0].ID)+"/cancel", tok, nil); r.Status != http.StatusNotFound {
		t.Errorf("cancel another organization's meeting: %d %s", r.Status, r.Body)
	}
	if r := ta.do("POST", theirs+"/"+itoa(om.meetings[0].ID)+"/cancel", tok, nil); r.Status != http.StatusNotFound {
		t.Errorf("cancel through another organization's event: %d", r.Status)
	}

	ta.now = ta.now.Add(time.Hour)
	r := ta.do("POST", cancel, tok, map[string]any{"reason": "The speaker is ill."})
	if r.Status != http.StatusOK || r.JSON["status"] != "cancelled" || r.JSON["cancelled_at"] == nil {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	if r := ta.do("POST", cancel, tok, nil); r.Status != http.StatusConflict {
		t.Errorf("cancel twice: %d %s", r.Status, r.Body)
	}
	if err := models.CheckMeetings(ta.db); err != nil {
		t.Errorf("CheckMeetings: %v", err)
	}
	var notices int64
	progMust(t, ta.db.Model(&models.OutboxMessage{}).Where("kind = ? AND ref_id IN (?)", models.MailMeetingNotice,
		ta.db.Table("meeting_notices").Select("id").Where("meeting_id = ? AND kind = ?", m.meetings[0].ID, models.NoticeCancelled)).Count(&notices).Error)
	if notices != 2 {
		t.Errorf("both people told of the cancellation: %d mails", notices)
	}

	// changed_since: only the meeting cancelled since.
	since := ta.now.Add(-time.Minute).UTC().Format(time.RFC3339)
	if r := ta.do("GET", base+"?changed_since="+since, tok, nil); len(r.items()) != 1 || r.items()[0]["id"] != float64(m.meetings[0].ID) {
		t.Errorf("changed_since: %s", r.Body)
	}
	if r := ta.do("GET", base+"?status=active", tok, nil); len(r.items()) != 1 {
		t.Errorf("active meetings: %s", r.Body)
	}

	// No-show on the other meeting: one of its sides only.
	noShow := base + "/" + itoa(m.meetings[1].ID) + "/no-show"
	if r := ta.do("POST", noShow, wrong, map[string]any{"participant_id": m.people[2].ID, "no_show": true}); r.Status != http.StatusForbidden {
		t.Errorf("no-show without the scope: %d", r.Status)
	}
	if r := ta.do("POST", noShow, tok, map[string]any{"participant_id": m.people[0].ID, "no_show": true}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("no-show of someone not in the meeting: %d %s", r.Status, r.Body)
	}
	if r := ta.do("POST", theirs+"/"+itoa(om.meetings[1].ID)+"/no-show", tok, map[string]any{"participant_id": om.people[2].ID, "no_show": true}); r.Status != http.StatusNotFound {
		t.Errorf("no-show in another organization's meeting: %d", r.Status)
	}
	if r := ta.do("POST", base+"/"+itoa(om.meetings[1].ID)+"/no-show", tok, map[string]any{"participant_id": om.people[2].ID, "no_show": true}); r.Status != http.StatusNotFound {
		t.Errorf("no-show of another organization's meeting id: %d", r.Status)
	}
	if r := ta.do("POST", noShow, tok, map[string]any{"participant_id": m.people[2].ID, "no_show": true}); r.Status != http.StatusOK || r.JSON["no_show_a"] != true || r.JSON["no_show_b"] != false {
		t.Errorf("no-show: %d %s", r.Status, r.Body)
	}
}

// TestWithdrawnDirectoryConsentUnlistsInTheAPI: withdrawing the directory
// consent (not leaving networking) takes the person out the same way.
func TestWithdrawnDirectoryConsentUnlistsInTheAPI(t *testing.T) {
	ta := newTestAPI(t)
	f := ta.progFixture("Cluster", "forum")
	if _, err := models.SetConsentText(ta.db, f.ev.ID, models.ConsentDirectory, "Others may see my profile."); err != nil {
		t.Fatal(err)
	}
	m := ta.meetFixture(f)
	p := m.people[2] // in the second meeting, and asked by p0
	var rec models.ConsentRecord
	progMust(t, ta.db.Joins("ConsentText").Where("consent_records.attendee_id = ? AND \"ConsentText\".kind = ?", p.AttendeeID, models.ConsentDirectory).Take(&rec).Error)
	progMust(t, models.Withdraw(ta.db, p.AttendeeID, rec.ID, ta.now))

	tok := ta.token(f.org.ID, models.ScopeMeetings)
	base := "/api/v1/events/" + itoa(f.ev.ID) + "/meetings"
	r := ta.do("GET", base+"/participants", tok, nil)
	if len(r.items()) != 2 || strings.Contains(string(r.Body), p.Name) {
		t.Errorf("participants after the withdrawal: %s", r.Body)
	}
	for _, list := range []string{"", "/requests"} {
		r := ta.do("GET", base+list, tok, nil)
		if r.Status != http.StatusOK || strings.Contains(string(r.Body), p.Name) || strings.Contains(string(r.Body), p.Organization) {
			t.Errorf("meetings%s name the person who withdrew: %s", list, r.Body)
		}
	}
}
