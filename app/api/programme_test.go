package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestProgrammeListsWithTextsScopeAndOrganization(t *testing.T) {
	ta := newTestAPI(t)
	f := ta.progFixture("Cluster", "forum")
	other := ta.progFixture("Other cluster", "theirs")
	tok := ta.token(f.org.ID, models.ScopeEventsRead)
	wrong := ta.token(f.org.ID, models.ScopeCheckin, models.ScopeMeetings, models.ScopeRegistrationsRead)
	base := "/api/v1/events/" + itoa(f.ev.ID) + "/"

	for _, list := range []string{"sessions", "rooms", "speakers", "tracks", "ticket-types"} {
		if r := ta.do("GET", base+list, wrong, nil); r.Status != http.StatusForbidden {
			t.Errorf("%s without events:read: %d %s", list, r.Status, r.Body)
		}
		if r := ta.do("GET", "/api/v1/events/"+itoa(other.ev.ID)+"/"+list, tok, nil); r.Status != http.StatusNotFound {
			t.Errorf("%s of another organization's event: %d %s", list, r.Status, r.Body)
		}
	}

	r := ta.do("GET", base+"sessions", tok, nil)
	items := r.items()
	if r.Status != http.StatusOK || len(items) != 2 {
		t.Fatalf("sessions: %d %s", r.Status, r.Body)
	}
	if ti := progTexts(items[0], "title"); ti["en"] != "Opening" || ti["fr"] != "Ouverture" {
		t.Errorf("session title in both languages: %v", ti)
	}
	if ids, _ := items[0]["speaker_ids"].([]any); len(ids) != 2 || items[0]["room_id"] != float64(f.room.ID) {
		t.Errorf("session speakers and room: %v", items[0])
	}
	if items[1]["sign_up"] != true || items[1]["places_left"] != float64(10) {
		t.Errorf("sign-up session places: %v", items[1])
	}

	if r := ta.do("GET", base+"rooms", tok, nil); len(r.items()) != 1 || progTexts(r.items()[0], "name")["fr"] != "Grande salle" {
		t.Errorf("rooms: %s", r.Body)
	}
	if r := ta.do("GET", base+"tracks", tok, nil); len(r.items()) != 1 || progTexts(r.items()[0], "name")["fr"] != "Soins à domicile" {
		t.Errorf("tracks: %s", r.Body)
	}
	sp := ta.do("GET", base+"speakers", tok, nil).items()
	if len(sp) != 2 || progTexts(sp[0], "bio")["fr"] != "Travaille sur les chutes." {
		t.Fatalf("speakers: %v", sp)
	}
	if ids, _ := sp[1]["session_ids"].([]any); len(ids) != 2 {
		t.Errorf("second speaker speaks in both sessions: %v", sp[1])
	}

	// Paging by id: two pages of one, no duplicate, then the end.
	p1 := ta.do("GET", base+"sessions?limit=1", tok, nil)
	cur, _ := p1.JSON["next_cursor"].(string)
	if len(p1.items()) != 1 || cur == "" {
		t.Fatalf("first page: %s", p1.Body)
	}
	p2 := ta.do("GET", base+"sessions?limit=1&cursor="+cur, tok, nil)
	if len(p2.items()) != 1 || p2.items()[0]["id"] == p1.items()[0]["id"] {
		t.Fatalf("second page: %s", p2.Body)
	}
	if next, _ := p2.JSON["next_cursor"].(string); next != "" {
		if p3 := ta.do("GET", base+"sessions?limit=1&cursor="+next, tok, nil); len(p3.items()) != 0 {
			t.Errorf("third page: %s", p3.Body)
		}
	}
	if r := ta.do("GET", base+"sessions?cursor=nonsense", tok, nil); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("bad cursor: %d", r.Status)
	}
}

func TestTicketTypesAvailability(t *testing.T) {
	ta := newTestAPI(t)
	f := ta.progFixture("Cluster", "forum")
	tok := ta.token(f.org.ID, models.ScopeEventsRead)
	path := "/api/v1/events/" + itoa(f.ev.ID) + "/ticket-types"

	byID := func(r apiResponse) map[float64]map[string]any {
		out := map[float64]map[string]any{}
		for _, it := range r.items() {
			out[it["id"].(float64)] = it
		}
		return out
	}
	r := ta.do("GET", path, tok, nil)
	got := byID(r)
	gen, hid := got[float64(f.general.ID)], got[float64(f.hidden.ID)]
	if r.Status != http.StatusOK || gen == nil || hid == nil || hid["hidden"] != true {
		t.Fatalf("ticket types (hidden ones too): %d %s", r.Status, r.Body)
	}
	if progTexts(gen, "name")["fr"] != "Général" || gen["price"] != float64(0) || gen["currency"] != "EUR" {
		t.Errorf("general: %v", gen)
	}
	av := gen["availability"].(map[string]any)
	if av["capacity"] != float64(3) || av["places_taken"] != float64(2) || av["places_left"] != float64(1) || av["sold_out"] != false || av["available"] != true {
		t.Errorf("availability with two of three taken: %v", av)
	}
	if _, limited := hid["availability"].(map[string]any)["places_left"]; limited {
		t.Errorf("unlimited ticket type has places_left: %v", hid)
	}

	ta.register(f.ev, f.general, 1, "last")
	av = byID(ta.do("GET", path, tok, nil))[float64(f.general.ID)]["availability"].(map[string]any)
	if av["places_left"] != float64(0) || av["sold_out"] != true || av["available"] != false {
		t.Errorf("availability when sold out: %v", av)
	}

	// The event's overall capacity limits an unlimited ticket type too.
	progMust(t, ta.db.Model(f.ev).Update("capacity", 3).Error)
	av = byID(ta.do("GET", path, tok, nil))[float64(f.hidden.ID)]["availability"].(map[string]any)
	if av["places_left"] != float64(0) || av["sold_out"] != true {
		t.Errorf("hidden type when the event is full: %v", av)
	}

	// A sales window in the future: not on sale, not available.
	later := ta.now.Add(24 * time.Hour)
	progMust(t, ta.db.Model(f.hidden).Updates(map[string]any{"sales_start_at": later, "updated_at": ta.now.Add(time.Hour)}).Error)
	progMust(t, ta.db.Model(f.ev).Update("capacity", 0).Error)
	h := byID(ta.do("GET", path, tok, nil))[float64(f.hidden.ID)]
	if av := h["availability"].(map[string]any); av["on_sale"] != false || av["available"] != false || av["sold_out"] != false {
		t.Errorf("before its sales window: %v", av)
	}

	// changed_since: only the ticket type changed since.
	since := ta.now.Add(30 * time.Minute).Format(time.RFC3339)
	if r := ta.do("GET", path+"?changed_since="+since, tok, nil); len(r.items()) != 1 || r.items()[0]["id"] != float64(f.hidden.ID) {
		t.Errorf("changed_since: %s", r.Body)
	}
}

func TestProgrammeOfAnEventWithoutAgendaIsEmpty(t *testing.T) {
	ta := newTestAPI(t)
	org, _ := modeltest.Organizer(t, ta.db, "Cluster", "o@example.org", models.RoleOwner)
	ev := modeltest.Event(t, ta.db, org.ID, "bare", models.StatusDraft)
	tok := ta.token(org.ID, models.ScopeEventsRead)
	for _, list := range []string{"sessions", "rooms", "speakers", "tracks", "ticket-types"} {
		r := ta.do("GET", "/api/v1/events/"+itoa(ev.ID)+"/"+list, tok, nil)
		if items, ok := r.JSON["items"].([]any); r.Status != http.StatusOK || !ok || len(items) != 0 {
			t.Errorf("%s of a bare event: %d %s", list, r.Status, r.Body)
		}
	}
}
