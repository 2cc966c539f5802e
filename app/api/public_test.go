package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestPublicEventsNeverShowDraftsOrDeletedEvents(t *testing.T) {
	ta := newTestAPI(t)
	f := ta.progFixture("Cluster", "forum")
	other := ta.progFixture("Other cluster", "theirs")
	draft := modeltest.Event(t, ta.db, f.org.ID, "draft-one", models.StatusDraft)
	cancelled := modeltest.Event(t, ta.db, f.org.ID, "called-off", models.StatusCancelled)
	gone := modeltest.Event(t, ta.db, f.org.ID, "gone", models.StatusPublished)
	progMust(t, models.DeleteEvent(ta.db, gone.ID, ta.now))
	past := modeltest.Event(t, ta.db, f.org.ID, "last-year", models.StatusPublished)
	progMust(t, ta.db.Model(past).Updates(map[string]any{"starts_at": ta.now.AddDate(-1, 0, 0), "ends_at": ta.now.AddDate(-1, 0, 1)}).Error)

	r := ta.do("GET", "/api/v1/public/events", "", nil)
	if r.Status != http.StatusOK || r.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("public list: %d %v %s", r.Status, r.Header, r.Body)
	}
	slugs := map[string]string{}
	for _, it := range r.items() {
		slugs[it["slug"].(string)] = it["status"].(string)
	}
	if len(slugs) != 3 || slugs["forum"] != "published" || slugs["theirs"] != "published" || slugs["called-off"] != "cancelled" {
		t.Errorf("upcoming public events: %v", slugs)
	}
	if _, ok := slugs[draft.Slug]; ok {
		t.Error("a draft is listed")
	}

	if r := ta.do("GET", "/api/v1/public/events?organization="+other.org.Slug, "", nil); len(r.items()) != 1 || r.items()[0]["slug"] != "theirs" {
		t.Errorf("organization filter: %s", r.Body)
	}
	if r := ta.do("GET", "/api/v1/public/events?past=true", "", nil); len(r.items()) != 1 || r.items()[0]["slug"] != "last-year" {
		t.Errorf("past events: %s", r.Body)
	}
	p1 := ta.do("GET", "/api/v1/public/events?limit=2", "", nil)
	cur, _ := p1.JSON["next_cursor"].(string)
	p2 := ta.do("GET", "/api/v1/public/events?limit=2&cursor="+cur, "", nil)
	if len(p1.items()) != 2 || cur == "" || len(p2.items()) != 1 {
		t.Errorf("paging public events: %s / %s", p1.Body, p2.Body)
	}

	for _, slug := range []string{draft.Slug, "deleted-" + itoa(gone.ID) + "-gone", "gone", "no-such-event"} {
		r := ta.do("GET", "/api/v1/public/events/"+slug, "", nil)
		if r.Status != http.StatusNotFound || r.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: %d %s", slug, r.Status, r.Body)
		}
	}
	var deleted models.Event
	progMust(t, ta.db.Take(&deleted, gone.ID).Error)
	if r := ta.do("GET", "/api/v1/public/events/"+deleted.Slug, "", nil); r.Status != http.StatusNotFound {
		t.Errorf("deleted event by its renamed slug: %d", r.Status)
	}
	if r := ta.do("GET", "/api/v1/public/events/"+cancelled.Slug, "", nil); r.Status != http.StatusOK || r.JSON["status"] != "cancelled" {
		t.Errorf("cancelled event: %d %s", r.Status, r.Body)
	}
}

func TestPublicEventHasItsProgrammeAndNothingPersonal(t *testing.T) {
	ta := newTestAPI(t)
	f := ta.progFixture("Cluster", "forum")
	r := ta.do("GET", "/api/v1/public/events/forum", "", nil)
	if r.Status != http.StatusOK || r.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("public event: %d %s", r.Status, r.Body)
	}
	if ti := progTexts(r.JSON, "title"); ti["fr"] != "Événement forum" || ti["en"] != "Event forum" {
		t.Errorf("title: %v", ti)
	}
	if org, _ := r.JSON["organization"].(map[string]any); org["slug"] != f.org.Slug {
		t.Errorf("organization: %v", r.JSON["organization"])
	}
	count := func(field string) int { l, _ := r.JSON[field].([]any); return len(l) }
	if count("sessions") != 2 || count("rooms") != 1 || count("tracks") != 1 || count("speakers") != 2 {
		t.Errorf("programme: %s", r.Body)
	}
	tts, _ := r.JSON["ticket_types"].([]any)
	if len(tts) != 1 || tts[0].(map[string]any)["id"] != float64(f.general.ID) {
		t.Errorf("only the visible ticket type: %v", tts)
	}
	if av := tts[0].(map[string]any)["availability"].(map[string]any); av["places_left"] != float64(1) {
		t.Errorf("availability: %v", av)
	}
	body := string(r.Body)
	for _, a := range f.order.Attendees {
		if strings.Contains(body, a.Email) || strings.Contains(body, a.Name) || strings.Contains(body, a.QRSecret) {
			t.Errorf("the public event shows an attendee: %s", body)
		}
	}
	if strings.Contains(body, f.order.BuyerEmail) || strings.Contains(body, "Speakers") {
		t.Errorf("buyer or hidden ticket type in the public event: %s", body)
	}

	// A token is not needed, and the operation declares none.
	op := ta.srv.OpenAPI().Paths["/public/events/{slug}"].Get
	if len(op.Security) != 0 {
		t.Errorf("public operation has security %v", op.Security)
	}

	// Unpublishing takes it off at once.
	progMust(t, models.SetEventStatus(ta.db, f.ev, models.StatusDraft))
	if r := ta.do("GET", "/api/v1/public/events/forum", "", nil); r.Status != http.StatusNotFound {
		t.Errorf("unpublished event: %d", r.Status)
	}
	if r := ta.do("GET", "/api/v1/public/events", "", nil); len(r.items()) != 0 {
		t.Errorf("unpublished event listed: %s", r.Body)
	}
}

func TestOnlyPublicEndpointsAllowAnyOrigin(t *testing.T) {
	ta := newTestAPI(t)
	f := ta.progFixture("Cluster", "forum")
	tok := ta.token(f.org.ID, models.ScopeEventsRead)
	if r := ta.do("GET", "/api/v1/events/"+itoa(f.ev.ID)+"/sessions", tok, nil, "Origin", "https://example.org"); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("an authenticated endpoint allows other origins: %v", r.Header)
	}
	ta.now = ta.now.Add(time.Minute)
	if r := ta.do("GET", "/api/v1/public/events", "", nil, "Origin", "https://example.org"); r.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("public list: %v", r.Header)
	}
}
