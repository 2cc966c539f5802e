package app

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// hostileNexts are redirect targets a crafted link may carry (raw, before
// URL encoding); none may leave the site or add a header.
var hostileNexts = []string{
	"/\r\nSet-Cookie: x=1", "/\nSet-Cookie: x=1", "/\t/evil.example", "/ /evil.example", "//evil.example",
	"/\\evil.example", "\\\\evil.example", "https://evil.example/", "http:evil.example", "javascript:alert(1)",
	"evil.example", "/%2F/evil.example", "/%5Cevil.example", "/\x00/evil.example", "/\u00a0/evil.example",
	"/\u2028/evil.example", "\x7f/", "/x\xff", "/" + strings.Repeat("a", 2100),
}

func TestSafeNextKeepsOnlySameSitePaths(t *testing.T) {
	for _, next := range hostileNexts {
		if got := safeNext(next); got != "/" {
			t.Errorf("safeNext(%q) = %q, want /", next, got)
		}
	}
	for _, next := range []string{"/", "/manage", "/events/care-forum?tab=agenda#day-2", "/events/caf%C3%A9", "/events/café"} {
		if got := safeNext(next); got != next {
			t.Errorf("safeNext(%q) = %q, want it kept", next, got)
		}
	}
}

// Every redirect that takes its target from a request: the language switch
// and the sign-in form (the ?next= link and its hidden field).
func TestRedirectsRefuseHostileNext(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	f, err := New(Config{BaseURL: "http://agora.test", SignInLimit: 1000}, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	for _, next := range hostileNexts {
		c := newClient(t, f)
		r := c.get("/lang/es?next=" + url.QueryEscape(next))
		if r.Status != http.StatusSeeOther || r.Location != "/" {
			t.Errorf("/lang/es?next=%q: %d to %q", next, r.Status, r.Location)
		}
		if cookies := r.Header.Values("Set-Cookie"); len(cookies) != 1 || !strings.HasPrefix(cookies[0], langCookie+"=es") {
			t.Errorf("/lang/es?next=%q: Set-Cookie %q", next, cookies)
		}

		r = c.get("/manage/login?next=" + url.QueryEscape(next))
		if r.Status != http.StatusOK || !strings.Contains(r.Body, `name="next" value="/"`) {
			t.Errorf("sign-in form for next=%q: %d, hidden field not / \n%.300s", next, r.Status, r.Body)
		}
		r = c.post("/manage/login", url.Values{"email": {"owner@example.org"}, "password": {modeltest.Password}, "next": {next}})
		switch {
		case !cleanText([]byte(next)):
			// The input check refuses bytes that cannot be stored: the form
			// comes back, in Spanish (the client chose it above).
			if r.Status != http.StatusUnprocessableEntity || r.Location != "" || !strings.Contains(r.Body, "no se podía guardar") {
				t.Errorf("sign in with next=%q: %d to %q\n%s", next, r.Status, r.Location, r.Body)
			}
		case r.Status != http.StatusSeeOther || r.Location != "/manage":
			t.Errorf("sign in with next=%q: %d to %q", next, r.Status, r.Location)
		}
	}
	// A real path is kept, query included.
	c := newClient(t, f)
	if r := c.get("/lang/es?next=" + url.QueryEscape("/events/x?kind=forum")); r.Location != "/events/x?kind=forum" {
		t.Errorf("a local next is lost: %q", r.Location)
	}
	c.get("/manage/login?next=" + url.QueryEscape("/manage/events/new"))
	if r := c.post("/manage/login", url.Values{"email": {"owner@example.org"}, "password": {modeltest.Password}, "next": {"/manage/events/new"}}); r.Location != "/manage/events/new" {
		t.Errorf("sign-in loses a local next: %q", r.Location)
	}
}
