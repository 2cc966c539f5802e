package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

// dayList returns the event's first day list through the API.
func (ta *testAPI) dayList(ev *models.Event, tok string) uint {
	ta.t.Helper()
	r := ta.do("GET", "/api/v1/events/"+itoa(ev.ID)+"/checkin-lists", tok, nil)
	for _, it := range r.items() {
		if it["kind"] == "day" {
			return uint(it["id"].(float64))
		}
	}
	ta.t.Fatalf("no day list: %d %s", r.Status, r.Body)
	return 0
}

func TestCheckinThroughTheAPIShowsAtTheDoor(t *testing.T) {
	ta := newTestAPI(t)
	f := ta.progFixture("Cluster", "forum")
	other := ta.progFixture("Other cluster", "theirs")
	tok := ta.token(f.org.ID, models.ScopeCheckin)
	evPath := "/api/v1/events/" + itoa(f.ev.ID)

	if r := ta.do("GET", evPath+"/checkin-lists", ta.token(f.org.ID, models.ScopeEventsRead, models.ScopeMeetings), nil); r.Status != http.StatusForbidden {
		t.Fatalf("lists without the checkin scope: %d", r.Status)
	}
	lists := ta.do("GET", evPath+"/checkin-lists", tok, nil)
	kinds := map[string]int{}
	for _, it := range lists.items() {
		kinds[it["kind"].(string)]++
		if it["kind"] == "session" && progTexts(it, "session_title")["en"] != "Co-creation lab" {
			t.Errorf("session list: %v", it)
		}
		if it["kind"] == "day" && it["expected"] != float64(2) {
			t.Errorf("day list expects the two attendees: %v", it)
		}
	}
	if lists.Status != http.StatusOK || kinds["day"] != 3 || kinds["session"] != 1 { // a 48-hour event spans three days; one sign-up session
		t.Fatalf("lists: %d %s", lists.Status, lists.Body)
	}
	day := ta.dayList(f.ev, tok)
	path := evPath + "/checkin-lists/" + itoa(day) + "/checkins"
	noScope := ta.token(f.org.ID, models.ScopeEventsRead, models.ScopeRegistrationsWrite, models.ScopeMeetings)
	for _, c := range [][2]string{{"GET", path}, {"POST", path}, {"DELETE", path + "/1"}} {
		if r := ta.do(c[0], c[1], noScope, map[string]any{"attendee_id": f.order.Attendees[0].ID}); r.Status != http.StatusForbidden {
			t.Errorf("%s %s without the checkin scope: %d", c[0], c[1], r.Status)
		}
	}
	first, second := f.order.Attendees[0], f.order.Attendees[1]

	r := ta.do("POST", path, tok, map[string]any{"qr_secret": first.QRSecret})
	if r.Status != http.StatusCreated || r.JSON["result"] != "checked_in" {
		t.Fatalf("check in by QR: %d %s", r.Status, r.Body)
	}
	if p := r.JSON["attendee"].(map[string]any); p["name"] != first.Name || p["ticket_type"] != "General" || p["email"] != nil {
		t.Errorf("person: %v", p)
	}
	l, err := models.EventCheckinList(ta.db, f.ev, day)
	progMust(t, err)
	p, ok, err := models.DoorPersonOn(ta.db, l, first.ID)
	if err != nil || !ok || p.CheckinID == 0 || p.InAt == nil {
		t.Fatalf("the door does not see the API's check-in: %+v %v %v", p, ok, err)
	}
	if n, _ := models.CountCheckinList(ta.db, l); n.In != 1 {
		t.Errorf("door count: %+v", n)
	}

	again := ta.do("POST", path, tok, map[string]any{"qr_secret": first.QRSecret})
	byID := ta.do("POST", path, tok, map[string]any{"attendee_id": first.ID})
	for _, r := range []apiResponse{again, byID} {
		k, _ := r.JSON["checkin"].(map[string]any)
		if r.Status != http.StatusOK || r.JSON["result"] != "already" || k["id"] != float64(p.CheckinID) {
			t.Errorf("second check-in: %d %s", r.Status, r.Body)
		}
	}
	if r := ta.do("POST", path, tok, map[string]any{"attendee_id": second.ID, "device_id": "gate-2", "local_id": "17"}); r.Status != http.StatusCreated {
		t.Fatalf("check in by attendee id: %d %s", r.Status, r.Body)
	} else if k := r.JSON["checkin"].(map[string]any); k["source"] != "api" || k["device_id"] != "gate-2" {
		t.Errorf("device: %v", k)
	}

	refused := func(body map[string]any, status int, reason string) {
		t.Helper()
		r := ta.do("POST", path, tok, body)
		if r.Status != status || (reason != "" && r.JSON["type"] != "urn:agora:checkin:"+reason) || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%v: %d %s", body, r.Status, r.Body)
		}
	}
	// Another of the organization's events: its ticket is refused as such.
	second2 := ta.progFixtureEvent(f, "forum-two")
	refused(map[string]any{"qr_secret": second2.Attendees[0].QRSecret}, http.StatusUnprocessableEntity, "other_event")
	refused(map[string]any{"attendee_id": second2.Attendees[0].ID}, http.StatusUnprocessableEntity, "other_event")
	// Another organization's ticket is just unknown; its attendee id not found.
	refused(map[string]any{"qr_secret": other.order.Attendees[0].QRSecret}, http.StatusUnprocessableEntity, "unknown")
	refused(map[string]any{"attendee_id": other.order.Attendees[0].ID}, http.StatusNotFound, "")
	refused(map[string]any{"qr_secret": "nothing-like-a-ticket"}, http.StatusUnprocessableEntity, "unknown")
	refused(map[string]any{}, http.StatusUnprocessableEntity, "")
	refused(map[string]any{"qr_secret": first.QRSecret, "attendee_id": first.ID}, http.StatusUnprocessableEntity, "")
	refused(map[string]any{"qr_secret": strings.Repeat("x", 101)}, http.StatusUnprocessableEntity, "")

	// Another organization's event and list ids are not found.
	otherDay := ta.dayList(other.ev, ta.token(other.org.ID, models.ScopeCheckin))
	for _, p := range []string{"/api/v1/events/" + itoa(other.ev.ID) + "/checkin-lists",
		"/api/v1/events/" + itoa(other.ev.ID) + "/checkin-lists/" + itoa(otherDay) + "/checkins",
		evPath + "/checkin-lists/" + itoa(otherDay) + "/checkins"} {
		if r := ta.do("GET", p, tok, nil); r.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d", p, r.Status)
		}
	}
	if r := ta.do("POST", evPath+"/checkin-lists/"+itoa(otherDay)+"/checkins", tok, map[string]any{"qr_secret": first.QRSecret}); r.Status != http.StatusNotFound {
		t.Errorf("check-in on another organization's list: %d", r.Status)
	}

	// The list, with changed_since; then undo and check in again.
	ks := ta.do("GET", path, tok, nil)
	if ks.Status != http.StatusOK || len(ks.items()) != 2 || ks.items()[0]["attendee_name"] != first.Name {
		t.Fatalf("check-ins: %d %s", ks.Status, ks.Body)
	}
	kid := itoa(uint(ks.items()[0]["id"].(float64)))
	ta.now = ta.now.Add(2 * time.Minute)
	if r := ta.do("DELETE", path+"/"+kid, tok, nil); r.Status != http.StatusOK || r.JSON["undone_at"] == nil {
		t.Fatalf("undo: %d %s", r.Status, r.Body)
	}
	if r := ta.do("DELETE", path+"/"+kid, tok, nil); r.Status != http.StatusNotFound {
		t.Errorf("undo twice: %d", r.Status)
	}
	since := ta.now.Add(-time.Minute).UTC().Format("2006-01-02T15:04:05Z")
	if r := ta.do("GET", path+"?changed_since="+since, tok, nil); len(r.items()) != 1 || r.items()[0]["undone_at"] == nil {
		t.Errorf("changed since the undo: %s", r.Body)
	}
	if r := ta.do("POST", path, tok, map[string]any{"qr_secret": first.QRSecret}); r.Status != http.StatusCreated {
		t.Errorf("check in after undo: %d %s", r.Status, r.Body)
	}
}

func TestCheckinRefusesPendingAndCancelledTickets(t *testing.T) {
	ta := newTestAPI(t)
	f := ta.progFixture("Cluster", "forum")
	tok := ta.token(f.org.ID, models.ScopeCheckin)
	path := "/api/v1/events/" + itoa(f.ev.ID) + "/checkin-lists/" + itoa(ta.dayList(f.ev, tok)) + "/checkins"

	paid := &models.TicketType{EventID: f.ev.ID, Name: "Paid", Price: 2500, Currency: "EUR", Category: models.CategoryIndustry, MaxPerOrder: 1}
	progMust(t, models.CreateTicketType(ta.db, paid))
	pending := ta.register(f.ev, paid, 1, "pending")
	if r := ta.do("POST", path, tok, map[string]any{"qr_secret": pending.Attendees[0].QRSecret}); r.Status != http.StatusUnprocessableEntity ||
		r.JSON["type"] != "urn:agora:checkin:not_confirmed" {
		t.Errorf("pending order: %d %s", r.Status, r.Body)
	}
	gone := f.order.Attendees[1]
	if _, err := models.CancelAttendee(ta.db, gone.ID, ta.now); err != nil {
		t.Fatal(err)
	}
	if r := ta.do("POST", path, tok, map[string]any{"attendee_id": gone.ID}); r.Status != http.StatusUnprocessableEntity ||
		r.JSON["type"] != "urn:agora:checkin:cancelled" {
		t.Errorf("cancelled attendee: %d %s", r.Status, r.Body)
	}
	// The sign-up session's list expects only its sign-ups.
	var session uint
	for _, it := range ta.do("GET", "/api/v1/events/"+itoa(f.ev.ID)+"/checkin-lists", tok, nil).items() {
		if it["kind"] == "session" {
			session = uint(it["id"].(float64))
		}
	}
	r := ta.do("POST", "/api/v1/events/"+itoa(f.ev.ID)+"/checkin-lists/"+itoa(session)+"/checkins", tok, map[string]any{"attendee_id": f.order.Attendees[0].ID})
	if session == 0 || r.Status != http.StatusUnprocessableEntity || r.JSON["type"] != "urn:agora:checkin:not_for_list" {
		t.Errorf("not signed up for the session: %d %s", r.Status, r.Body)
	}
}

// TestCheckinRaceMakesOneCheckin sends the same ticket from many scanners at
// once: one check-in row, one "checked_in", the rest "already".
func TestCheckinRaceMakesOneCheckin(t *testing.T) {
	ta := newTestAPI(t)
	f := ta.progFixture("Cluster", "forum")
	tok := ta.token(f.org.ID, models.ScopeCheckin)
	list := ta.dayList(f.ev, tok)
	path := "/api/v1/events/" + itoa(f.ev.ID) + "/checkin-lists/" + itoa(list) + "/checkins"
	att := f.order.Attendees[0]

	const n = 12
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			body, _ := json.Marshal(map[string]any{"qr_secret": att.QRSecret, "device_id": "scanner-" + itoa(uint(i)), "local_id": "1"})
			req := httptest.NewRequest("POST", path, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := ta.app.Test(req, 30_000)
			if err != nil {
				t.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}(i)
	}
	wg.Wait()
	created, already := 0, 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusOK:
			already++
		default:
			t.Errorf("status %d", s)
		}
	}
	var rows int64
	progMust(t, ta.db.Model(&models.Checkin{}).Where("list_id = ? AND attendee_id = ?", list, att.ID).Count(&rows).Error)
	if created != 1 || already != n-1 || rows != 1 {
		t.Fatalf("created %d, already %d, rows %d", created, already, rows)
	}
	var a models.Attendee
	progMust(t, ta.db.Take(&a, att.ID).Error)
	if a.CheckedInAt == nil {
		t.Error("the attendee's summary is not checked in")
	}
}

// TestCheckinDeviceIDsAreTheOrganizationsOwn: a device and local id an API
// client picks can never name a check-in made elsewhere (another
// organization's door phone using the same pair).
func TestCheckinDeviceIDsAreTheOrganizationsOwn(t *testing.T) {
	ta := newTestAPI(t)
	f := ta.progFixture("Cluster", "forum")
	other := ta.progFixture("Other cluster", "theirs")
	ol, err := models.CheckinLists(ta.db, other.ev)
	progMust(t, err)
	if _, err := models.CheckInto(ta.db, &ol[0], &other.order.Attendees[0], models.CheckinInput{DeviceID: "phone-1", LocalID: "7"}, ta.now); err != nil {
		t.Fatal(err)
	}
	tok := ta.token(f.org.ID, models.ScopeCheckin)
	path := "/api/v1/events/" + itoa(f.ev.ID) + "/checkin-lists/" + itoa(ta.dayList(f.ev, tok)) + "/checkins"
	mine := f.order.Attendees[0]
	r := ta.do("POST", path, tok, map[string]any{"attendee_id": mine.ID, "device_id": "phone-1", "local_id": "7"})
	k, _ := r.JSON["checkin"].(map[string]any)
	if r.Status != http.StatusCreated || k["attendee_id"] != float64(mine.ID) || strings.Contains(string(r.Body), other.order.Attendees[0].Name) {
		t.Fatalf("check-in named by another organization's device: %d %s", r.Status, r.Body)
	}
	// The same pair again is the same scan: answered as the first time.
	again := ta.do("POST", path, tok, map[string]any{"attendee_id": mine.ID, "device_id": "phone-1", "local_id": "7"})
	if k2, _ := again.JSON["checkin"].(map[string]any); again.Status != http.StatusCreated || k2["id"] != k["id"] {
		t.Errorf("the same scan sent twice: %d %s", again.Status, again.Body)
	}
}

func TestCheckoutThroughTheAPI(t *testing.T) {
	ta := newTestAPI(t)
	f := ta.progFixture("Cluster", "forum")
	tok := ta.token(f.org.ID, models.ScopeCheckin)
	path := "/api/v1/events/" + itoa(f.ev.ID) + "/checkin-lists/" + itoa(ta.dayList(f.ev, tok)) + "/checkins"
	att := f.order.Attendees[0]
	r := ta.do("POST", path, tok, map[string]any{"attendee_id": att.ID})
	kid := itoa(uint(r.JSON["checkin"].(map[string]any)["id"].(float64)))
	if r := ta.do("POST", path+"/"+kid+"/checkout", ta.token(f.org.ID, models.ScopeEventsRead), nil); r.Status != http.StatusForbidden {
		t.Errorf("check-out without the scope: %d", r.Status)
	}
	out := ta.do("POST", path+"/"+kid+"/checkout", tok, nil)
	if out.Status != http.StatusOK || out.JSON["checked_out_at"] == nil || out.JSON["attendee_name"] != att.Name {
		t.Fatalf("check-out: %d %s", out.Status, out.Body)
	}
	if r := ta.do("POST", path+"/"+kid+"/checkout", tok, nil); r.Status != http.StatusNotFound {
		t.Errorf("check-out twice: %d", r.Status)
	}
	// Back in: the same check-in opens again.
	back := ta.do("POST", path, tok, map[string]any{"attendee_id": att.ID})
	if k := back.JSON["checkin"].(map[string]any); back.Status != http.StatusCreated || k["id"] != out.JSON["id"] || k["checked_out_at"] != nil {
		t.Errorf("back in after check-out: %d %s", back.Status, back.Body)
	}
}
