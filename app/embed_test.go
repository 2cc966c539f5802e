package app

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

const hostSite = "https://www.livinglab.example"

// allowEmbedding lists the host site for the event's organization.
func allowEmbedding(t *testing.T, r *regEnv, origins ...string) {
	t.Helper()
	if _, err := models.SetEmbedOrigins(r.db, models.AuditEntry{OrganizationID: r.ev.OrganizationID, Action: models.AuditEmbedOriginsChanged}, origins); err != nil {
		t.Fatal(err)
	}
}

// frameAncestors is the response's frame-ancestors sources.
func frameAncestors(res response) string {
	csp := res.Header.Get("Content-Security-Policy")
	_, fa, _ := strings.Cut(csp, "frame-ancestors ")
	fa, _, _ = strings.Cut(fa, ";")
	return fa
}

// bare fetches a page as a frame on another site does: no cookie at all.
func bare(t *testing.T, r *regEnv, method, path string, form url.Values) response {
	t.Helper()
	c := newClient(t, r.c.app)
	var req *http.Request
	if form == nil {
		req = httptest.NewRequest(method, path, nil)
	} else {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res := c.do(req)
	if sc := res.Header.Values("Set-Cookie"); len(sc) > 0 && strings.HasPrefix(path, "/embed/") {
		t.Errorf("%s %s set cookies in a frame that gets none back: %v", method, path, sc)
	}
	return res
}

func TestEmbedFrameAncestorsOnlyOnEmbedRoutes(t *testing.T) {
	r := newRegEnv(t)
	embed := "/embed/events/" + r.ev.Slug + "/register"
	// No site listed: the embed page refuses frames like every page.
	res := bare(t, r, "GET", embed, nil)
	if res.Status != 200 || frameAncestors(res) != "'none'" || res.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("unlisted embed page: %d %q %q", res.Status, frameAncestors(res), res.Header.Get("X-Frame-Options"))
	}
	allowEmbedding(t, r, hostSite, "http://localhost:8080")
	for _, p := range []string{embed, "/embed/events/" + r.ev.Slug + "/programme"} {
		res := bare(t, r, "GET", p, nil)
		if res.Status != 200 || frameAncestors(res) != hostSite+" http://localhost:8080" || res.Header.Get("X-Frame-Options") != "" {
			t.Errorf("%s: %d frame-ancestors %q, X-Frame-Options %q", p, res.Status, frameAncestors(res), res.Header.Get("X-Frame-Options"))
		}
		if !strings.Contains(res.Body, `class="embedded"`) || strings.Contains(res.Body, `class="site-header"`) {
			t.Errorf("%s is not in the light layout", p)
		}
	}
	// Every other page still refuses to be framed.
	for _, p := range []string{"/", "/events/" + r.ev.Slug, r.path(), "/manage/login", "/orders/lost", "/events/" + r.ev.Slug + ".ics", "/embed/events/no-such-event/register"} {
		res := r.c.get(p)
		if frameAncestors(res) != "'none'" || res.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: frame-ancestors %q, X-Frame-Options %q", p, frameAncestors(res), res.Header.Get("X-Frame-Options"))
		}
	}
	// Another organization's event is not framed by this one's sites.
	other, _ := modeltest.Organizer(t, r.db, "Other Org", "other@example.org", models.RoleOwner)
	modeltest.Event(t, r.db, other.ID, "other-forum", models.StatusPublished)
	if res := bare(t, r, "GET", "/embed/events/other-forum/programme", nil); frameAncestors(res) != "'none'" {
		t.Errorf("other organization's programme: frame-ancestors %q", frameAncestors(res))
	}
}

var embedDone = regexp.MustCompile(`^/embed/orders/([A-Za-z0-9_-]{43})(\?lang=es)?$`)

// embedForm opens the embedded form with no cookie and fills it.
func embedForm(t *testing.T, r *regEnv, query string) (url.Values, response) {
	t.Helper()
	page := bare(t, r, "GET", fmt.Sprintf("/embed/events/%s/register?ticket=%d%s", r.ev.Slug, r.tt.ID, query), nil)
	if page.Status != 200 {
		t.Fatalf("embed form: %d\n%s", page.Status, page.Body)
	}
	tok := csrfField.FindStringSubmatch(page.Body)
	key := regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`).FindStringSubmatch(page.Body)
	if tok == nil || key == nil || !strings.HasPrefix(tok[1], embedTokenPrefix) {
		t.Fatalf("embed form lacks its token or key\n%s", page.Body)
	}
	v := url.Values{"_csrf": {tok[1]}, "ticket_type_id": {fmt.Sprint(r.tt.ID)}, "idempotency_key": {key[1]},
		"buyer_name": {"Ana Buyer"}, "buyer_email": {"ana@example.org"},
		"attendees.0.name": {"Ana Buyer"}, "attendees.0.email": {"ana@example.org"},
		fmt.Sprintf("attendees.0.answers.%d", r.qText.ID): {"Carer"}, "attendees.0.consents.privacy": {"yes"}}
	return v, page
}

func TestEmbedRegistrationWithoutCookies(t *testing.T) {
	r := newRegEnv(t)
	allowEmbedding(t, r, hostSite)
	v, page := embedForm(t, r, "&lang=es")
	if !strings.Contains(page.Body, `action="/embed/events/`+r.ev.Slug+`/register?lang=es"`) || !strings.Contains(page.Body, `lang="es"`) {
		t.Fatalf("embedded form does not post to its twin in Spanish\n%s", page.Body)
	}
	res := bare(t, r, "POST", "/embed/events/"+r.ev.Slug+"/register?lang=es", v)
	m := embedDone.FindStringSubmatch(res.Location)
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("embedded registration: %d %q\n%s", res.Status, res.Location, res.Body)
	}
	var o models.Order
	if err := r.db.Where("secret = ?", m[1]).Take(&o).Error; err != nil || o.Status != models.OrderConfirmed || o.Language != "es" {
		t.Fatalf("order %+v %v", o, err)
	}
	done := bare(t, r, "GET", res.Location, nil)
	if done.Status != 200 || frameAncestors(done) != hostSite || done.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("confirmation: %d %q %q", done.Status, frameAncestors(done), done.Header.Get("Cache-Control"))
	}
	link := `href="/orders/` + m[1] + `?welcome=1" target="_blank" rel="noopener"`
	if !strings.Contains(done.Body, link) || !strings.Contains(done.Body, o.Code) {
		t.Fatalf("confirmation lacks the order link in a new tab\n%s", done.Body)
	}
	// The same form sent again (a double click) lands on the same order.
	again := bare(t, r, "POST", "/embed/events/"+r.ev.Slug+"/register?lang=es", v)
	if again.Location != res.Location || r.orders(t) != 1 {
		t.Fatalf("resent form: %q, %d orders", again.Location, r.orders(t))
	}
	// Full: the waitlist is joined on the event's own page, in a new tab
	// (its form would need the site's cookie).
	r.db.Model(r.ev).Update("capacity", 1)
	full := bare(t, r, "GET", "/embed/events/"+r.ev.Slug+"/register", nil)
	if !strings.Contains(full.Body, `href="/events/`+r.ev.Slug+`/register" target="_blank" rel="noopener">Join the waitlist`) || strings.Contains(full.Body, `/waitlist"`) {
		t.Fatalf("full embedded form:\n%s", full.Body)
	}
}

func TestEmbedForgedOrExpiredTokenRefused(t *testing.T) {
	r := newRegEnv(t)
	allowEmbedding(t, r, hostSite)
	clock := &testClock{t: time.Now().UTC()}
	f, err := New(Config{BaseURL: "http://agora.test"}, Deps{DB: r.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	r.c = newClient(t, f)
	v, _ := embedForm(t, r, "")
	good := v.Get("_csrf")
	post := "/embed/events/" + r.ev.Slug + "/register"
	siteForm := r.form(t, r.tt.ID, 1) // the site's own token, bound to a cookie
	for name, tok := range map[string]string{
		"forged signature": good[:len(good)-4] + "AAAA",
		"made up":          "e.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAA",
		"missing":          "",
		"the site's token": r.c.csrf,
	} {
		v.Set("_csrf", tok)
		res := bare(t, r, "POST", post, v)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "This form had expired") || !strings.Contains(res.Body, `value="Ana Buyer"`) {
			t.Errorf("%s: %d\n%s", name, res.Status, res.Body)
		}
	}
	clock.advance(embedTokenLife + time.Minute)
	v.Set("_csrf", good)
	if res := bare(t, r, "POST", post, v); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "This form had expired") {
		t.Errorf("expired token: %d", res.Status)
	}
	// An embed token is no key to the site's own form either.
	siteForm.Set("_csrf", good)
	if res := r.c.post(r.path(), siteForm); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("site form with an embed token: %d", res.Status)
	}
	if n := r.orders(t); n != 0 {
		t.Fatalf("%d orders placed with bad tokens", n)
	}
}

// A paid ticket is paid in a new tab (payment pages refuse frames); with no
// way to pay at all the hold goes at once, as on the site.
func TestEmbedPaidTicketPaysInANewTab(t *testing.T) {
	r := newRegEnv(t)
	allowEmbedding(t, r, hostSite)
	r.db.Model(&r.tt).Updates(map[string]any{"price": 1500, "currency": "EUR"})
	post := "/embed/events/" + r.ev.Slug + "/register"

	v, _ := embedForm(t, r, "")
	res := bare(t, r, "POST", post, v)
	if res.Status != http.StatusServiceUnavailable || !strings.Contains(res.Body, `class="embedded"`) || frameAncestors(res) != hostSite {
		t.Fatalf("no way to pay: %d %q\n%s", res.Status, frameAncestors(res), res.Body)
	}
	var held int64
	r.db.Model(&models.Order{}).Where("status = ?", models.OrderPending).Count(&held)
	if held != 0 {
		t.Fatal("the hold of an order nobody can pay was kept")
	}

	r.db.Model(&models.Event{}).Where("id = ?", r.ev.ID).Update("allow_invoice", true)
	v, _ = embedForm(t, r, "")
	v.Set("buyer_email", "bea@example.org")
	res = bare(t, r, "POST", post, v)
	m := embedDone.FindStringSubmatch(res.Location)
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("paid registration: %d %q\n%s", res.Status, res.Location, res.Body)
	}
	done := bare(t, r, "GET", res.Location, nil)
	if !strings.Contains(done.Body, `href="/orders/`+m[1]+`/payment" target="_blank" rel="noopener"`) || !strings.Contains(done.Body, "One step left") {
		t.Fatalf("pending confirmation lacks the payment link in a new tab\n%s", done.Body)
	}
}
