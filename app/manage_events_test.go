package app

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestEventLifecycleCreateEditPublishUnpublishCancel(t *testing.T) {
	f, db := newTestApp(t)
	modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.signIn("owner@example.org")

	dash := c.get("/manage")
	mustContain(t, dash.Body, "dashboard", `href="/manage/events/new"`, "New event", "Org A", "/team")

	e := createEventVia(t, c, db, eventValues("Care Forum 2030", "care-forum-2030"))
	if e.Status != models.StatusDraft || e.Version != 1 || e.TimeZone != "Europe/Madrid" || e.Capacity != 150 {
		t.Fatalf("created event: %+v", e)
	}
	page := c.get(fmt.Sprintf("/manage/events/%d", e.ID))
	mustStatus(t, page, http.StatusOK, "overview")
	mustContain(t, page.Body, "overview", "Care Forum 2030", "created as a draft", ">Publish<", ">Cancel event<", "/edit", "/agenda")
	if strings.Contains(page.Body, ">Unpublish<") {
		t.Fatal("a draft offers Unpublish")
	}
	if r := c.get("/events/care-forum-2030"); r.Status != http.StatusNotFound {
		t.Fatalf("draft is public: %d", r.Status)
	}

	// Edit: new title, slug kept.
	edit := c.get(fmt.Sprintf("/manage/events/%d/edit", e.ID))
	mustContain(t, edit.Body, "edit form", `id="f-title"`, `value="Care Forum 2030"`, `value="care-forum-2030"`)
	v := eventValues("Care Forum 2030 (renamed)", "care-forum-2030")
	r := c.post(fmt.Sprintf("/manage/events/%d/edit", e.ID), v)
	mustStatus(t, r, http.StatusSeeOther, "edit")
	var stored models.Event
	db.First(&stored, e.ID)
	if stored.Title != "Care Forum 2030 (renamed)" || stored.Version <= e.Version {
		t.Fatalf("after edit: title %q version %d (was %d)", stored.Title, stored.Version, e.Version)
	}

	// Publish: visible on / and on its page.
	c.get(fmt.Sprintf("/manage/events/%d", e.ID))
	mustStatus(t, c.post(fmt.Sprintf("/manage/events/%d/publish", e.ID), nil), http.StatusSeeOther, "publish")
	page = c.get(fmt.Sprintf("/manage/events/%d", e.ID))
	mustContain(t, page.Body, "published overview", "The event is published", `href="/events/care-forum-2030"`, ">Unpublish<")
	pub := newClient(t, f)
	mustContain(t, pub.get("/").Body, "home", "Care Forum 2030 (renamed)")
	mustContain(t, pub.get("/events/care-forum-2030").Body, "public page", "Care Forum 2030 (renamed)", "<strong>Welcome</strong>")

	// Unpublish: gone publicly.
	mustStatus(t, c.post(fmt.Sprintf("/manage/events/%d/unpublish", e.ID), nil), http.StatusSeeOther, "unpublish")
	if r := pub.get("/events/care-forum-2030"); r.Status != http.StatusNotFound {
		t.Fatalf("unpublished event still public: %d", r.Status)
	}
	if strings.Contains(pub.get("/").Body, "Care Forum 2030") {
		t.Fatal("unpublished event still on the home page")
	}

	// Cancel without confirming changes nothing; with it, the event shows as cancelled.
	c.get(fmt.Sprintf("/manage/events/%d/cancel", e.ID))
	r = c.post(fmt.Sprintf("/manage/events/%d/cancel", e.ID), map[string][]string{"subject": {"Cancelled"}, "body": {"Sorry."}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "cancel unconfirmed")
	mustContain(t, r.Body, "unconfirmed message", "Tick the box to confirm", "Sorry.")
	db.First(&stored, e.ID)
	if stored.Status != models.StatusDraft {
		t.Fatalf("unconfirmed cancel changed status to %s", stored.Status)
	}
	c.post(fmt.Sprintf("/manage/events/%d/publish", e.ID), nil)
	c.get(fmt.Sprintf("/manage/events/%d/cancel", e.ID))
	mustStatus(t, c.post(fmt.Sprintf("/manage/events/%d/cancel", e.ID), map[string][]string{"subject": {"Cancelled"}, "body": {"Sorry."}, "confirm": {"yes"}}), http.StatusSeeOther, "cancel")
	mustContain(t, c.get(fmt.Sprintf("/manage/events/%d", e.ID)).Body, "cancelled overview", "status-cancelled", "has been cancelled")
	mustContain(t, pub.get("/events/care-forum-2030").Body, "cancelled public page", "This event has been cancelled.")
	mustContain(t, pub.get("/").Body, "cancelled on home", "Cancelled")
}

func TestEventFormBadInputKeepsWhatWasTyped(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	modeltest.Event(t, db, org.ID, "taken-slug", models.StatusDraft)
	c := newClient(t, f)
	c.signIn("owner@example.org")
	cases := []struct {
		name, field, value, msg string
	}{
		{"empty title", "title", "", "Please fill in this field."},
		{"long title", "title", strings.Repeat("T", 201), "under 200 characters"},
		{"long summary", "summary", strings.Repeat("S", 501), "under 500 characters"},
		{"long description", "description", strings.Repeat("D", 20001), "under 20000 characters"},
		{"malformed slug", "slug", "Not A Slug!", "Use only lowercase letters"},
		{"duplicate slug", "slug", "taken-slug", "Another event already uses this web address"},
		{"malformed start", "starts_at", "next tuesday", "Enter a date and time"},
		{"end before start", "ends_at", "2001-01-01T10:00", "The end must be after the start"},
		{"unknown zone", "time_zone", "Atlantis/Capital", "We do not know this time zone"},
		{"bad url", "online_url", "javascript:alert(1)", "starting with https://"},
		{"negative capacity", "capacity", "-5", "cannot be negative"},
		{"text capacity", "capacity", "lots", "whole number"},
		{"registration window", "registration_closes_at", "2001-01-01T10:00", "Registration must close after it opens"},
		{"country name", "country", "Spain", "two letters"},
	}
	before := dbSnapshot(t, db)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := eventValues("Kept Title "+tc.name, "kept-slug")
			v.Set("registration_opens_at", "2002-01-01T10:00")
			v.Set(tc.field, tc.value)
			c.get("/manage/events/new")
			r := c.post("/manage/events", v)
			mustStatus(t, r, http.StatusUnprocessableEntity, tc.name)
			mustContain(t, r.Body, tc.name, tc.msg, `id="f-`+tc.field+`-error"`, `aria-invalid="true"`,
				html.EscapeString(v.Get("venue")), html.EscapeString(v.Get("summary")))
			if len(tc.value) < 100 && tc.value != "" {
				mustContain(t, r.Body, tc.name+" kept", html.EscapeString(tc.value))
			}
		})
	}
	if after := dbSnapshot(t, db); after != before {
		t.Fatalf("a refused form saved something:\n%s\n---\n%s", before, after)
	}
	// The same checks guard the edit form.
	var e models.Event
	db.Where("slug = ?", "taken-slug").First(&e)
	c.get(fmt.Sprintf("/manage/events/%d/edit", e.ID))
	v := eventValues("Renamed", "taken-slug")
	v.Set("capacity", "-1")
	r := c.post(fmt.Sprintf("/manage/events/%d/edit", e.ID), v)
	mustStatus(t, r, http.StatusUnprocessableEntity, "bad edit")
	mustContain(t, r.Body, "bad edit", "cannot be negative", `value="Renamed"`)
}

func TestHostileEventTextIsEscaped(t *testing.T) {
	f, db := newTestApp(t)
	modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.signIn("owner@example.org")
	v := eventValues("<script>alert(1)</script>", "hostile")
	v.Set("description", "Hello <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>")
	v.Set("summary", "<b onmouseover=alert(4)>hi</b>")
	e := createEventVia(t, c, db, v)
	c.get(fmt.Sprintf("/manage/events/%d", e.ID))
	c.post(fmt.Sprintf("/manage/events/%d/publish", e.ID), nil)

	pages := map[string]string{
		"manage overview": c.get(fmt.Sprintf("/manage/events/%d", e.ID)).Body,
		"manage list":     c.get("/manage").Body,
		"manage edit":     c.get(fmt.Sprintf("/manage/events/%d/edit", e.ID)).Body,
		"public page":     newClient(t, f).get("/events/hostile").Body,
		"home":            newClient(t, f).get("/").Body,
	}
	for name, body := range pages {
		for _, bad := range []string{"<script>alert", "<img src=x onerror", `href="javascript:`, "<b onmouseover"} {
			if strings.Contains(body, bad) {
				t.Fatalf("%s contains %q unescaped", name, bad)
			}
		}
		mustContain(t, body, name, "&lt;script&gt;alert(1)&lt;/script&gt;")
	}
}

// Check-in staff get the door: the event list leads there, and neither the
// overview nor any editing is theirs.
func TestCheckinStaffGetTheDoorNotTheOverview(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	modeltest.Organizer(t, db, "Org A", "door@example.org", models.RoleCheckin)
	e := modeltest.Event(t, db, org.ID, "door-event", models.StatusDraft)
	fx := newAgendaFixture(t, db, e)
	c := newClient(t, f)
	c.signIn("door@example.org")

	base := fmt.Sprintf("/manage/events/%d", e.ID)
	dash := c.get("/manage")
	if strings.Contains(dash.Body, "/manage/events/new") {
		t.Fatal("check-in staff are offered New event")
	}
	mustContain(t, dash.Body, "event list for check-in staff", `href="`+base+`/checkin"`)
	door := c.get(base + "/checkin")
	mustStatus(t, door, http.StatusOK, "the door for check-in staff")
	if strings.Contains(door.Body, `href="`+base+`"`) {
		t.Fatal("the door links check-in staff to the overview")
	}
	gets := []string{base, "/manage/events/new", base + "/edit", base + "/agenda", base + "/sessions/new",
		fmt.Sprintf("%s/sessions/%d/edit", base, fx.Session.ID), fmt.Sprintf("%s/rooms/%d/edit", base, fx.Room.ID)}
	for _, u := range gets {
		if r := c.get(u); r.Status != http.StatusForbidden {
			t.Fatalf("GET %s as check-in: %d, want 403", u, r.Status)
		}
	}
	before := dbSnapshot(t, db)
	c.get(base + "/checkin") // a valid CSRF token
	posts := []string{"/manage/events", base + "/edit", base + "/publish", base + "/cancel", base + "/rooms",
		base + "/sessions", fmt.Sprintf("%s/rooms/%d/delete", base, fx.Room.ID)}
	for _, u := range posts {
		if r := c.post(u, eventValues("X", "x-slug")); r.Status != http.StatusForbidden {
			t.Fatalf("POST %s as check-in: %d, want 403", u, r.Status)
		}
	}
	if after := dbSnapshot(t, db); after != before {
		t.Fatal("check-in staff changed something")
	}
}

// The venue's town, postal code and country are kept as typed (the country
// as its code, in capitals), shown on the event page in one line, and given
// to search engines as a structured address.
func TestEventPostalAddressOnThePageAndInJSONLD(t *testing.T) {
	f, db := newTestApp(t)
	_, _ = modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.signIn("owner@example.org")
	v := eventValues("Care Forum", "care-forum-address")
	v.Set("venue", "Harbour Hall")
	v.Set("address", "12 Harbour Avenue")
	v.Set("locality", "Vallmar")
	v.Set("postal_code", "46000")
	v.Set("country", "es")
	v.Set("online_url", "") // one place, not a list with the online room
	c.get("/manage/events/new")
	mustStatus(t, c.post("/manage/events", v), http.StatusSeeOther, "create")
	var e models.Event
	if err := db.Where("slug = ?", "care-forum-address").First(&e).Error; err != nil {
		t.Fatal(err)
	}
	if e.Locality != "Vallmar" || e.PostalCode != "46000" || e.Country != "ES" {
		t.Fatalf("stored %q %q %q", e.Locality, e.PostalCode, e.Country)
	}
	if err := models.SetEventStatus(db, &e, models.StatusPublished); err != nil {
		t.Fatal(err)
	}
	r := newClient(t, f).get("/events/care-forum-address")
	mustStatus(t, r, http.StatusOK, "event page")
	mustContain(t, r.Body, "event page", "Harbour Hall, 12 Harbour Avenue, 46000 Vallmar")
	m := ldRe.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("no JSON-LD")
	}
	var doc struct {
		Location struct {
			Name    string
			Address map[string]string
		}
	}
	if err := json.Unmarshal([]byte(m[1]), &doc); err != nil {
		t.Fatalf("JSON-LD: %v\n%s", err, m[1])
	}
	want := map[string]string{"@type": "PostalAddress", "streetAddress": "12 Harbour Avenue", "addressLocality": "Vallmar",
		"postalCode": "46000", "addressCountry": "ES"}
	if doc.Location.Name != "Harbour Hall" || fmt.Sprint(doc.Location.Address) != fmt.Sprint(want) {
		t.Fatalf("location %+v, want address %v", doc.Location, want)
	}
}
