package app

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// doorSetup is an event with Rosa (from the fixture) and José, and a
// check-in staff member signed in at the door.
func doorSetup(t *testing.T) (*client, regFixture, *models.Attendee) {
	t.Helper()
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	modeltest.Organizer(t, db, "Org A", "door@example.org", models.RoleCheckin)
	e := modeltest.Event(t, db, org.ID, "door-forum", models.StatusPublished)
	fx := newRegFixture(t, db, e)
	photos, err := models.SetConsentText(db, e.ID, models.ConsentPhotos, "We may take photos.")
	if err != nil {
		t.Fatal(err)
	}
	// Rosa (placed before the photo question) has no photo consent either;
	// Ana agrees to photos and gets no mark.
	o := placeRegistration(t, db, e, fx.Ticket, models.AttendeeInput{Name: "José Núñez", Email: "jose.private@example.org",
		Organization: "Hospital Clínico", Needs: models.AccessNeeds{Companion: true}, ConsentTextIDs: []uint{fx.Privacy.ID}})
	placeRegistration(t, db, e, fx.Ticket, models.AttendeeInput{Name: "Ana Photo", Email: "ana@example.org",
		ConsentTextIDs: []uint{fx.Privacy.ID, photos.ID}})
	c := newClient(t, f)
	c.signIn("door@example.org")
	t.Cleanup(func() { checkCounters(t, db) })
	return c, fx, &o.Attendees[0]
}

// postJSON sends body with the CSRF token in the header (csrf "" sends none).
func (c *client) postJSON(path, csrf string, body any) response {
	c.t.Helper()
	b, _ := json.Marshal(body)
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	return c.do(req)
}

// Check-in staff find José by "jose" and by his e-mail, see only the door's
// data (no e-mail, no needs' details), check him in from the result, and undo it.
func TestDoorSearchCheckInAndUndo(t *testing.T) {
	c, fx, jose := doorSetup(t)
	base := fmt.Sprintf("/manage/events/%d/checkin", fx.Event.ID)
	r := c.get(base)
	mustStatus(t, r, http.StatusOK, "door")
	mustContain(t, r.Body, "door", `id="f-list"`, "0 of 3 confirmed attendees checked in", `<progress`, `id="f-q"`)
	for _, q := range []string{"jose", "NUNEZ", "clinico", "jose.priv"} {
		r = c.get(base + "?q=" + url.QueryEscape(q))
		mustStatus(t, r, http.StatusOK, "search "+q)
		mustContain(t, r.Body, "search "+q, "José Núñez", "Hospital Clínico", "Companion")
		for _, secret := range []string{"jose.private@example.org", "rosa@example.org", "Rosa Citizen"} {
			if strings.Contains(r.Body, secret) {
				t.Fatalf("search %q shows %q", q, secret)
			}
		}
	}
	mustContain(t, c.get(base+"?q=zzzz").Body, "no match", "Nobody on this list matches.")
	r = c.post(base+"/person", url.Values{"attendee": {fmt.Sprint(jose.ID)}, "list": {""}})
	mustStatus(t, r, http.StatusOK, "check in from the result")
	mustContain(t, r.Body, "checked in", "Checked in", "José Núñez", "1 of 3 confirmed attendees checked in", "No photos")
	if strings.Contains(r.Body, "jose.private@example.org") {
		t.Fatal("the result shows the e-mail")
	}
	r = c.post(base+"/person", url.Values{"attendee": {fmt.Sprint(jose.ID)}})
	mustContain(t, r.Body, "twice", `class="checkin-card checkin-repeat"`, "Already checked in at")
	// Another event's attendee is not found here.
	mustStatus(t, c.post(base+"/person", url.Values{"attendee": {"999999"}}), http.StatusUnprocessableEntity, "unknown attendee")

	r = c.get(base + "?q=jose")
	m := regexpFind(t, r.Body, `name="checkin" value="(\d+)"`)
	r = c.post(base+"/undo", url.Values{"checkin": {m}, "q": {"jose"}})
	mustStatus(t, r, http.StatusSeeOther, "undo")
	r = c.get(r.Location)
	mustContain(t, r.Body, "after undo", "The check-in was undone.", "0 of 3 confirmed attendees checked in", "Check in José Núñez")
	r = c.post(base+"/undo", url.Values{"checkin": {m}})
	mustStatus(t, r, http.StatusSeeOther, "undo twice")
	mustContain(t, c.get(r.Location).Body, "undo twice", "already undone")
}

// The sync endpoint: the CSRF token must come in the header; each (device,
// local id) is applied once; two devices with the same person end as one
// check-in and an "already"; bad JSON values are refused per item.
func TestDoorSyncEndpoint(t *testing.T) {
	c, fx, jose := doorSetup(t)
	base := fmt.Sprintf("/manage/events/%d/checkin", fx.Event.ID)
	c.get(base)
	var people struct {
		List   uint                `json:"list"`
		People []models.DoorPerson `json:"people"`
	}
	r := c.get(base + "/people.json")
	mustStatus(t, r, http.StatusOK, "people.json")
	if strings.Contains(r.Body, "@example.org") || strings.Contains(r.Body, fx.Attendee.QRSecret) || strings.Contains(r.Body, "gluten") {
		t.Fatalf("door data holds more than the door needs: %s", r.Body)
	}
	if err := json.Unmarshal([]byte(r.Body), &people); err != nil || len(people.People) != 3 || people.People[1].QRHash != models.QRHash(jose.QRSecret) {
		t.Fatalf("people.json: %v %s", err, r.Body)
	}
	if ana := people.People[0]; ana.Name != "Ana Photo" || ana.NoPhotos || !people.People[1].NoPhotos {
		t.Fatalf("photo marks: %+v", people.People)
	}
	item := func(dev, local string, extra map[string]any) map[string]any {
		m := map[string]any{"device": dev, "local": local, "list": people.List, "at": "2020-01-01T09:12:00Z"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	batch := map[string]any{"items": []any{
		item("phone-a", "1", map[string]any{"qr": fx.Attendee.QRSecret}),
		item("phone-a", "2", map[string]any{"attendee": jose.ID}),
		item("phone-a", "3", map[string]any{"qr": "NOSUCHCODE"}),
		item("phone-a", "4", map[string]any{"qr": "bad\u0000value"}),
		item("phone-a", strings.Repeat("x", 200), map[string]any{"qr": fx.Attendee.QRSecret}),
		item("phone-a", "6", map[string]any{"attendee": jose.ID, "list": 99999}),
	}}
	mustStatus(t, c.postJSON(base+"/sync", "", batch), http.StatusForbidden, "no CSRF header")
	mustStatus(t, c.postJSON(base+"/sync", "wrong", batch), http.StatusForbidden, "wrong CSRF header")
	results := func(r response) []syncAnswer {
		t.Helper()
		mustStatus(t, r, http.StatusOK, "sync")
		var out struct{ Results []syncAnswer }
		if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
			t.Fatalf("%v %s", err, r.Body)
		}
		return out.Results
	}
	first := results(c.postJSON(base+"/sync", c.csrf, batch))
	want := []string{"checked_in", "checked_in", "unknown", "invalid", "invalid", "not_for_list"}
	for i, w := range want {
		if first[i].Result != w {
			t.Errorf("item %d: %s, want %s", i, first[i].Result, w)
		}
	}
	if p := first[1].Person; p == nil || p.Name != "José Núñez" || !p.Companion || !p.NoPhotos || p.QRHash != "" {
		t.Errorf("door flags: %+v", p)
	}
	again := results(c.postJSON(base+"/sync", c.csrf, batch))
	if again[0].Result != "checked_in" || again[1].Result != "checked_in" {
		t.Errorf("the same batch again answers differently: %+v", again)
	}
	other := results(c.postJSON(base+"/sync", c.csrf, map[string]any{"items": []any{item("phone-b", "1", map[string]any{"attendee": jose.ID})}}))
	if other[0].Result != "already" || other[0].Device != "phone-a" || other[0].At == nil || other[0].At.Format("15:04") == "" {
		t.Errorf("second device: %+v", other[0])
	}
	mustContain(t, c.get(base).Body, "counts", "2 of 3 confirmed attendees checked in")
	mustStatus(t, c.postJSON(base+"/sync", c.csrf, "not a batch"), http.StatusBadRequest, "bad body")
	r = c.get(base + "/changes.json?since=2000-01-01T00:00:00Z")
	mustStatus(t, r, http.StatusOK, "changes")
	mustContain(t, r.Body, "changes", `"in_device":"phone-a"`, `"in":2`)
	r = c.get(base + "-sw.js")
	mustStatus(t, r, http.StatusOK, "service worker")
	mustContain(t, r.Body, "service worker", "self.registration.scope")
}

// regexpFind returns the first group of pattern in body.
func regexpFind(t *testing.T, body, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s in:\n%s", pattern, body)
	}
	return m[1]
}

// A session marked "Count attendance" on the session form gets its own list
// at the door, expecting everyone (no sign-up); unmarked, it has none.
func TestSessionAttendanceCountedGetsADoorList(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "credits-forum", models.StatusPublished)
	newRegFixture(t, db, e)
	c := newClient(t, f)
	c.signIn("owner@example.org")
	base := fmt.Sprintf("/manage/events/%d", e.ID)
	form := func(counted bool) url.Values {
		v := url.Values{"title": {"Ethics credits"}, "format": {models.FormatTalk}, "description": {""},
			"starts_at": {localInputOf(e, e.StartsAt.Add(time.Hour))}, "ends_at": {localInputOf(e, e.StartsAt.Add(2*time.Hour))}, "capacity": {""}}
		if counted {
			v.Set("attendance_counted", "1")
		}
		return v
	}
	mustContain(t, c.get(base+"/sessions/new").Body, "session form", `name="attendance_counted"`, "Count attendance")
	mustStatus(t, c.post(base+"/sessions", form(true)), http.StatusSeeOther, "counted session")
	var s models.Session
	db.Where("event_id = ? AND title = ?", e.ID, "Ethics credits").Take(&s)
	if !s.AttendanceCounted {
		t.Fatal("attendance_counted not saved")
	}
	r := c.get(base + "/checkin")
	mustContain(t, r.Body, "door lists", "Ethics credits ·")
	mustContain(t, c.get(fmt.Sprintf("%s/sessions/%d/edit", base, s.ID)).Body, "edit form", `name="attendance_counted" type="checkbox" value="1" checked`)
	mustStatus(t, c.post(fmt.Sprintf("%s/sessions/%d/edit", base, s.ID), form(false)), http.StatusSeeOther, "unmark")
	if strings.Contains(c.get(base+"/checkin").Body, "Ethics credits ·") {
		t.Fatal("an unmarked session without sign-up still has a list")
	}
}

// Signing out tells the browser to drop the door's offline copy.
func TestSignOutClearsTheDoorsOfflineCopy(t *testing.T) {
	c, fx, _ := doorSetup(t)
	c.get(fmt.Sprintf("/manage/events/%d/checkin", fx.Event.ID))
	r := c.post("/manage/logout", nil)
	mustStatus(t, r, http.StatusSeeOther, "sign out")
	if got := r.Header.Get("Clear-Site-Data"); !strings.Contains(got, `"storage"`) || !strings.Contains(got, `"cache"`) {
		t.Fatalf("Clear-Site-Data: %q", got)
	}
	// Signed out, the door data is the sign-in page, which the script takes as "clear".
	r = c.get(fmt.Sprintf("/manage/events/%d/checkin/people.json", fx.Event.ID))
	if strings.Contains(r.Body, "José") {
		t.Fatalf("door data after sign-out: %d %s", r.Status, r.Body)
	}
}

// Two instances on their own connection pools, eight phones, each sending
// its whole batch twice, all at once through the sync endpoint: every
// attendee ends with one live check-in, each phone gets the same answers
// the second time, and exactly one phone per person hears "checked_in".
func TestDoorSyncRaceAcrossInstances(t *testing.T) {
	db, dsn := modeltest.NewDB(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	org, _ := modeltest.Organizer(t, db, "Org A", "door@example.org", models.RoleCheckin)
	e := modeltest.Event(t, db, org.ID, "race-door", models.StatusPublished)
	fx := newRegFixture(t, db, e)
	var ids []uint
	for i := 0; i < 9; i++ {
		o := placeRegistration(t, db, e, fx.Ticket, models.AttendeeInput{Name: fmt.Sprintf("Guest %d", i), Email: fmt.Sprintf("g%d@example.org", i), ConsentTextIDs: []uint{fx.Privacy.ID}})
		ids = append(ids, o.Attendees[0].ID)
	}
	ids = append(ids, fx.Attendee.ID)
	other, err := models.Open(dsn, models.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s, err := other.DB(); err == nil {
			_ = s.Close()
		}
	})
	var clients []*client
	for _, pool := range []*gorm.DB{db, other} {
		f, err := New(Config{BaseURL: "http://agora.test"}, Deps{DB: pool, Logger: logger})
		if err != nil {
			t.Fatal(err)
		}
		c := newClient(t, f)
		c.signIn("door@example.org")
		c.get(fmt.Sprintf("/manage/events/%d/checkin", e.ID))
		clients = append(clients, c)
	}
	lists, _ := models.CheckinLists(db, e)
	path := fmt.Sprintf("/manage/events/%d/checkin/sync", e.ID)
	const phones = 8
	answers := make([][2][]syncAnswer, phones)
	var wg sync.WaitGroup
	errs := make(chan error, phones*2)
	for p := 0; p < phones; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			c := clients[p%2]
			var items []map[string]any
			for i, id := range ids {
				items = append(items, map[string]any{"device": fmt.Sprintf("phone-%d", p), "local": fmt.Sprint(i), "attendee": id, "list": lists[0].ID})
			}
			body, _ := json.Marshal(map[string]any{"items": items})
			for round := 0; round < 2; round++ {
				req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(body)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-CSRF-Token", c.csrf)
				for k, v := range c.cookies {
					req.AddCookie(&http.Cookie{Name: k, Value: v})
				}
				res, err := c.app.Test(req, -1)
				if err != nil {
					errs <- err
					return
				}
				var out struct{ Results []syncAnswer }
				err = json.NewDecoder(res.Body).Decode(&out)
				res.Body.Close()
				if err != nil || res.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("phone %d: status %d, %v", p, res.StatusCode, err)
					return
				}
				answers[p][round] = out.Results
			}
		}(p)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	ok := map[int]int{}
	for p := range answers {
		for i, a := range answers[p][0] {
			if a.Result != answers[p][1][i].Result {
				t.Errorf("phone %d item %d: %s, then %s", p, i, a.Result, answers[p][1][i].Result)
			}
			switch a.Result {
			case models.CheckinOK:
				ok[i]++
			case models.CheckinAlready:
			default:
				t.Errorf("phone %d item %d: %s", p, i, a.Result)
			}
		}
	}
	for i := range ids {
		if ok[i] != 1 {
			t.Errorf("attendee %d: %d phones told checked in", i, ok[i])
		}
	}
	var live int64
	db.Model(&models.Checkin{}).Where("list_id = ? AND undone_at IS NULL", lists[0].ID).Count(&live)
	if live != int64(len(ids)) {
		t.Fatalf("%d live check-ins for %d people", live, len(ids))
	}
	checkCounters(t, db)
}
