package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestPublicPagesShowPublishedAndHideDrafts(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
	pub := modeltest.Event(t, db, org.ID, "open-forum", models.StatusPublished)
	modeltest.Event(t, db, org.ID, "secret-draft", models.StatusDraft)
	c := newClient(t, f)

	home := c.get("/")
	if home.Status != http.StatusOK || !strings.Contains(home.Body, pub.Title) {
		t.Fatalf("home: %d, missing published event", home.Status)
	}
	if strings.Contains(home.Body, "secret-draft") {
		t.Fatal("home lists a draft")
	}
	if r := c.get("/events/secret-draft"); r.Status != http.StatusNotFound || !strings.Contains(r.Body, "Page not found") {
		t.Fatalf("draft page: %d", r.Status)
	}
	if r := c.get("/events/no-such-event"); r.Status != http.StatusNotFound {
		t.Fatalf("unknown slug: %d", r.Status)
	}
	r := c.get("/events/open-forum.ics")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "BEGIN:VCALENDAR") || !strings.Contains(r.Body, "SUMMARY:"+pub.Title) {
		t.Fatalf("ics: %d %s", r.Status, r.Body)
	}
	if r := c.get("/healthz"); r.Status != http.StatusOK {
		t.Fatalf("healthz: %d", r.Status)
	}
}

func TestSignInWrongPasswordKeepsEmail(t *testing.T) {
	f, db := newTestApp(t)
	modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.get("/manage/login")
	r := c.post("/manage/login", url.Values{"email": {"owner@example.org"}, "password": {"wrong-password"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "do not match") || !strings.Contains(r.Body, `value="owner@example.org"`) {
		t.Fatalf("wrong password: %d\n%s", r.Status, r.Body)
	}
	c.signIn("owner@example.org")
	if r := c.get("/manage"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Your events") {
		t.Fatalf("dashboard after sign-in: %d", r.Status)
	}
}

func TestExpiredCSRFKeepsInputAndSavesNothing(t *testing.T) {
	f, db := newTestApp(t)
	modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	c := newClient(t, f)
	r := c.post("/manage/login", url.Values{"email": {"owner@example.org"}, "password": {modeltest.Password}, "_csrf": {"stale"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "expired") || !strings.Contains(r.Body, `value="owner@example.org"`) {
		t.Fatalf("stale csrf: %d\n%s", r.Status, r.Body)
	}
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	f, _ := newTestApp(t)
	c := newClient(t, f)
	c.get("/events/nothing-here")
	c.get("/definitely/unknown")
	r := c.get("/metrics")
	if r.Status != http.StatusOK ||
		!strings.Contains(r.Body, `agora_http_requests_total{method="GET",route="/events/:slug",status="404"} 1`) ||
		!strings.Contains(r.Body, `route="unmatched"`) ||
		!strings.Contains(r.Body, `agora_orders{status="confirmed"} 0`) ||
		!strings.Contains(r.Body, `agora_outbox_messages{status="pending"} 0`) ||
		!strings.Contains(r.Body, "agora_database_up 1") {
		t.Fatalf("metrics:\n%s", r.Body)
	}
}

func TestSignInIsRateLimited(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	f, err := New(Config{BaseURL: "http://agora.test", SignInLimit: 3}, Deps{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.get("/manage/login")
	var last response
	for i := 0; i < 4; i++ {
		last = c.post("/manage/login", url.Values{"email": {"owner@example.org"}, "password": {"nope-nope-nope"}})
	}
	if last.Status != http.StatusTooManyRequests || !strings.Contains(last.Body, "Too many sign-in attempts") || !strings.Contains(last.Body, `value="owner@example.org"`) {
		t.Fatalf("fourth attempt: %d\n%s", last.Status, last.Body)
	}
}

func TestUnknownLanguageFallsBackAndSwitcherIsSafe(t *testing.T) {
	f, _ := newTestApp(t)
	c := newClient(t, f)
	if r := c.get("/lang/xx?next=/"); r.Status != http.StatusSeeOther || c.cookies[langCookie] != "" {
		t.Fatalf("unknown language stored: %d %v", r.Status, c.cookies)
	}
	if r := c.get("/lang/es?next=//evil.example.org/"); r.Location != "/" {
		t.Fatalf("open redirect: %q", r.Location)
	}
	if r := c.get("/"); !strings.Contains(r.Body, `<html lang="es">`) || !strings.Contains(r.Body, "Próximos eventos") {
		t.Fatal("language choice not applied")
	}
}

// Showing a form to an anonymous visitor writes nothing: its CSRF token is
// bound to the visitor's own cookie, signed with the site's key. A token
// made for one visitor does not work with another's cookie.
func TestAnonymousFormsNeedNoSessionRow(t *testing.T) {
	f, db := newTestApp(t)
	modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	var before, after int64
	db.Table("kv_entries").Count(&before)
	alice := newClient(t, f)
	alice.get("/manage/login")
	db.Table("kv_entries").Count(&after)
	if after != before || alice.cookies["agora_session"] != "" || alice.cookies[csrfCookie] == "" {
		t.Fatalf("form view: kv rows %d → %d, cookies %v", before, after, alice.cookies)
	}
	mallory := newClient(t, f)
	mallory.get("/manage/login")
	stolen := url.Values{"email": {"owner@example.org"}, "password": {modeltest.Password}, "_csrf": {alice.csrf}}
	if r := mallory.post("/manage/login", stolen); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "expired") {
		t.Fatalf("another visitor's token was accepted: %d", r.Status)
	}
	alice.signIn("owner@example.org")
	if r := alice.get("/manage"); r.Status != http.StatusOK {
		t.Fatalf("signed in with the anonymous token: %d", r.Status)
	}
}
