package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// orgBURLs lists every organizer URL that touches organization B's records.
func orgBURLs(e *models.Event, fx agendaFixture, orgID, userID uint) (gets, posts []string) {
	base := fmt.Sprintf("/manage/events/%d", e.ID)
	team := fmt.Sprintf("/manage/orgs/%d/team", orgID)
	gets = []string{base, base + "/edit", base + "/agenda", base + "/sessions/new",
		fmt.Sprintf("%s/sessions/%d/edit", base, fx.Session.ID),
		fmt.Sprintf("%s/rooms/%d/edit", base, fx.Room.ID),
		fmt.Sprintf("%s/tracks/%d/edit", base, fx.Track.ID),
		fmt.Sprintf("%s/speakers/%d/edit", base, fx.Speaker.ID),
		team}
	posts = []string{base + "/edit", base + "/publish", base + "/unpublish", base + "/cancel",
		base + "/rooms", base + "/tracks", base + "/speakers", base + "/sessions",
		fmt.Sprintf("%s/sessions/%d/edit", base, fx.Session.ID), fmt.Sprintf("%s/sessions/%d/delete", base, fx.Session.ID),
		team, fmt.Sprintf("%s/%d/role", team, userID), fmt.Sprintf("%s/%d/remove", team, userID)}
	for _, k := range []struct {
		name string
		id   uint
	}{{"rooms", fx.Room.ID}, {"tracks", fx.Track.ID}, {"speakers", fx.Speaker.ID}} {
		posts = append(posts, fmt.Sprintf("%s/%s/%d/edit", base, k.name, k.id), fmt.Sprintf("%s/%s/%d/delete", base, k.name, k.id))
	}
	return gets, posts
}

// hostileValues fills every field any organizer form reads.
func hostileValues() url.Values {
	v := eventValues("Hijacked", "hijacked")
	for k, val := range map[string]string{"confirm": "yes", "room_name": "Hijacked", "track_name": "Hijacked",
		"speaker_name": "Hijacked", "format": "talk", "email": "intruder@example.org", "member_name": "Intruder",
		"role": "owner", "password": "long-enough-password", "code": "HIJACK", "kind": "free", "max_uses": "9",
		"amount": "0.01", "seq": "0", "cancel": "1", "allow_invoice": "1", "invoice_days": "30", "vat_rate": "21"} {
		v.Set(k, val)
	}
	return v
}

func TestOtherOrganizationsRecordsAre404Everywhere(t *testing.T) {
	f, db := newTestApp(t)
	modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
	orgB, userB := modeltest.Organizer(t, db, "Org B", "b@example.org", models.RoleOwner)
	eB := modeltest.Event(t, db, orgB.ID, "b-event", models.StatusPublished)
	fx := newAgendaFixture(t, db, eB)
	gets, posts := orgBURLs(eB, fx, orgB.ID, userB.ID)
	rg, rp := registrationAdminURLs(newRegFixture(t, db, eB))
	gets, posts = append(gets, rg...), append(posts, rp...)

	c := newClient(t, f)
	c.signIn("a@example.org")
	for _, u := range gets {
		if r := c.get(u); r.Status != http.StatusNotFound {
			t.Errorf("GET %s as another org: %d, want 404", u, r.Status)
		} else if strings.Contains(r.Body, "b-event") || strings.Contains(r.Body, "Org B") {
			t.Errorf("GET %s leaks org B's data", u)
		}
	}
	before := dbSnapshot(t, db)
	for _, u := range posts {
		c.get("/manage") // a fresh, valid CSRF token
		if r := c.post(u, hostileValues()); r.Status != http.StatusNotFound {
			t.Errorf("POST %s as another org: %d, want 404", u, r.Status)
		}
	}
	if after := dbSnapshot(t, db); after != before {
		t.Fatalf("another organization changed B's records:\n%s\n---\n%s", before, after)
	}
	// Org B's own owner still reaches all of them (the list is not simply wrong).
	cb := newClient(t, f)
	cb.signIn("b@example.org")
	for _, u := range gets {
		if r := cb.get(u); r.Status != http.StatusOK {
			t.Errorf("GET %s as its owner: %d", u, r.Status)
		}
	}
	// Unknown and malformed ids are plain 404s too.
	for _, u := range []string{"/manage/events/999999", "/manage/events/abc", "/manage/events/-1/edit", "/manage/orgs/x/team"} {
		if r := c.get(u); r.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", u, r.Status)
		}
	}
}

func TestPostsWithoutCSRFTokenSaveNothing(t *testing.T) {
	f, db := newTestApp(t)
	org, u := modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
	modeltest.Organizer(t, db, "Org A", "m@example.org", models.RoleManager)
	admin, err := models.CreateUser(db, "admin@example.org", "Admin", modeltest.Password, true)
	if err != nil {
		t.Fatal(err)
	}
	_ = admin
	e := modeltest.Event(t, db, org.ID, "a-event", models.StatusDraft)
	fx := newAgendaFixture(t, db, e)
	_, posts := orgBURLs(e, fx, org.ID, u.ID)
	_, rp := registrationAdminURLs(newRegFixture(t, db, e))
	posts = append(posts, rp...)
	posts = append(posts, "/manage/events")

	c := newClient(t, f)
	c.signIn("a@example.org")
	before := dbSnapshot(t, db)
	for _, p := range posts {
		for _, tok := range []string{"", "forged-token"} {
			v := hostileValues()
			v.Set("_csrf", tok)
			r := c.post(p, v)
			if r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusForbidden {
				t.Errorf("POST %s with csrf %q: %d, want 422 or 403", p, tok, r.Status)
			}
			if r.Status == http.StatusUnprocessableEntity && !strings.Contains(r.Body, "This form had expired") {
				t.Errorf("POST %s: no expired-form message", p)
			}
		}
	}
	ca := newClient(t, f)
	ca.signIn("admin@example.org")
	for _, p := range []string{"/admin/orgs/new", fmt.Sprintf("/admin/orgs/%d/edit", org.ID), fmt.Sprintf("/admin/orgs/%d/members", org.ID)} {
		v := url.Values{"_csrf": {""}, "name": {"Forged Org"}, "email": {"x@example.org"}, "member_name": {"X"}, "role": {"owner"}, "password": {"long-enough-password"}}
		r := ca.post(p, v)
		mustStatus(t, r, http.StatusUnprocessableEntity, "admin POST "+p+" without token")
		mustContain(t, r.Body, p, "This form had expired")
	}
	if after := dbSnapshot(t, db); after != before {
		t.Fatalf("a POST without a valid CSRF token changed something:\n%s\n---\n%s", before, after)
	}
	// The kept input comes back on the event form.
	r := c.post("/manage/events", url.Values{"_csrf": {"stale"}, "title": {"Kept title"}})
	mustContain(t, r.Body, "stale event form", `value="Kept title"`)
}

func TestAdminAreaIsOnlyForSiteAdmins(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.signIn("a@example.org")
	for _, u := range []string{"/admin", "/admin/orgs/new", fmt.Sprintf("/admin/orgs/%d/edit", org.ID)} {
		if r := c.get(u); r.Status != http.StatusNotFound {
			t.Fatalf("GET %s as non-admin: %d", u, r.Status)
		}
	}
	c.get("/manage")
	before := dbSnapshot(t, db)
	if r := c.post("/admin/orgs/new", url.Values{"name": {"Sneaky"}}); r.Status != http.StatusNotFound {
		t.Fatalf("POST /admin/orgs/new as non-admin: %d", r.Status)
	}
	if dbSnapshot(t, db) != before {
		t.Fatal("a non-admin created an organization")
	}
}
