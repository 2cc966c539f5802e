package app

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// limitEnv is an app with its own limits, an organizer, a published event
// for lost links and one with networking for meeting sign-in links.
type limitEnv struct {
	app      *fiber.App
	db       *gorm.DB
	c        *client
	meetings string // the meetings sign-in form's path
}

func newLimitEnv(t *testing.T, cfg Config) *limitEnv {
	t.Helper()
	db, _ := modeltest.NewDB(t)
	cfg.BaseURL = "http://agora.test"
	f, err := New(cfg, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	org, _ := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	modeltest.Event(t, db, org.ID, "care-forum", models.StatusPublished)
	fx := newMeetingFixture(t, db, "limits", 1, models.ModeRequests)
	return &limitEnv{app: f, db: db, c: newClient(t, f), meetings: "/events/" + fx.Event.Slug + "/meetings/signin"}
}

// postAs posts form like client.post, as if through a proxy that sent
// X-Forwarded-For (empty = no header).
func (e *limitEnv) postAs(path string, form url.Values, forwardedFor string) response {
	e.c.t.Helper()
	form.Set("_csrf", e.c.csrf)
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	return e.c.do(req)
}

func (e *limitEnv) signIn(email, forwardedFor string) response {
	return e.postAs("/manage/login", url.Values{"email": {email}, "password": {"wrong-password-1"}}, forwardedFor)
}

func (e *limitEnv) lostLink(email, forwardedFor string) response {
	return e.postAs("/orders/lost", url.Values{"event": {"care-forum"}, "email": {email}}, forwardedFor)
}

func (e *limitEnv) meetingLink(email, forwardedFor string) response {
	return e.postAs(e.meetings, url.Values{"email": {email}}, forwardedFor)
}

// Many people behind one address (a venue's Wi-Fi, an office behind NAT) each
// get their own allowance: one address with many e-mails is not stopped at
// the per-e-mail limit.
func TestOneAddressManyEmailsIsNotLockedOut(t *testing.T) {
	e := newLimitEnv(t, Config{})
	e.c.get("/manage/login")
	for i := 0; i < defaultSignInLimit+5; i++ {
		r := e.signIn(fmt.Sprintf("person%d@example.org", i), "")
		mustStatus(t, r, http.StatusUnprocessableEntity, fmt.Sprintf("sign-in %d", i+1))
		mustContain(t, r.Body, "sign-in", "do not match an account")
	}
	e.c.get("/orders/lost")
	for i := 0; i < 3*defaultLinkLimit; i++ {
		mustStatus(t, e.lostLink(fmt.Sprintf("person%d@example.org", i), ""), http.StatusOK, fmt.Sprintf("lost link %d", i+1))
	}
	e.c.get(e.meetings)
	for i := 0; i < 3*defaultLinkLimit; i++ {
		r := e.meetingLink(fmt.Sprintf("person%d@example.org", i), "")
		mustStatus(t, r, http.StatusOK, fmt.Sprintf("meeting link %d", i+1))
	}
}

// The per-address net is looser, but it is there: one machine trying many
// accounts is stopped, with what it typed kept.
func TestOneAddressIsLimitedByTheLooserNet(t *testing.T) {
	e := newLimitEnv(t, Config{SignInAddressLimit: 12, LinkAddressLimit: 12})
	e.c.get("/manage/login")
	for i := 0; i < 12; i++ {
		mustStatus(t, e.signIn(fmt.Sprintf("p%d@example.org", i), ""), http.StatusUnprocessableEntity, "under the net")
	}
	r := e.signIn("last@example.org", "")
	mustStatus(t, r, http.StatusTooManyRequests, "over the net")
	mustContain(t, r.Body, "refused sign-in", "Too many sign-in attempts", `value="last@example.org"`)
	e.c.get(e.meetings)
	for i := 0; i < 12; i++ {
		mustStatus(t, e.meetingLink(fmt.Sprintf("p%d@example.org", i), ""), http.StatusOK, "link under the net")
	}
	r = e.meetingLink("last@example.org", "")
	mustStatus(t, r, http.StatusTooManyRequests, "link over the net")
	mustContain(t, r.Body, "refused link", "Too many sign-in links", `value="last@example.org"`)
}

// One account or inbox attacked from many addresses is limited all the
// same, and the e-mail is normalised, so case and spaces do not get round it.
func TestOneEmailFromManyAddressesIsLimited(t *testing.T) {
	e := newLimitEnv(t, Config{TrustedProxies: "0.0.0.0"}) // app.Test's peer is the proxy
	e.c.get("/manage/login")
	for i := 0; i < defaultSignInLimit; i++ {
		email := "owner@example.org"
		if i%2 == 1 {
			email = "  Owner@Example.ORG "
		}
		mustStatus(t, e.signIn(email, fmt.Sprintf("203.0.113.%d", i+1)), http.StatusUnprocessableEntity, fmt.Sprintf("attempt %d", i+1))
	}
	r := e.signIn("OWNER@example.org", "198.51.100.99")
	mustStatus(t, r, http.StatusTooManyRequests, "attempt over the per-e-mail limit")
	mustContain(t, r.Body, "refused sign-in", "Too many sign-in attempts", `value="OWNER@example.org"`)
	// Someone else at one of the same addresses is not affected.
	mustStatus(t, e.signIn("other@example.org", "203.0.113.1"), http.StatusUnprocessableEntity, "another account")

	e.c.get("/orders/lost")
	for i := 0; i < defaultLinkLimit; i++ {
		mustStatus(t, e.lostLink("bea@example.org", fmt.Sprintf("203.0.113.%d", i+1)), http.StatusOK, "lost link")
	}
	r = e.lostLink("Bea@example.org", "198.51.100.99")
	mustStatus(t, r, http.StatusTooManyRequests, "lost link over the limit")
	mustContain(t, r.Body, "refused lost link", "Too many requests", `value="Bea@example.org"`)

	e.c.get(e.meetings)
	for i := 0; i < defaultLinkLimit; i++ {
		mustStatus(t, e.meetingLink("bea@example.org", fmt.Sprintf("203.0.113.%d", i+1)), http.StatusOK, "meeting link")
	}
	mustStatus(t, e.meetingLink("bea@example.org", "198.51.100.99"), http.StatusTooManyRequests, "meeting link over the limit")
}

// With trusted proxies, X-Forwarded-For names the client: the rightmost hop
// that is not a trusted proxy. Entries the client wrote itself (to the left)
// change nothing.
func TestForwardedForFromTrustedProxyNamesTheClient(t *testing.T) {
	e := newLimitEnv(t, Config{TrustedProxies: "0.0.0.0, 10.0.0.0/8", SignInAddressLimit: 3})
	e.c.get("/manage/login")
	for i := 0; i < 3; i++ {
		spoofed := fmt.Sprintf("192.0.2.%d, 198.51.100.7, 10.1.2.3", i+1)
		mustStatus(t, e.signIn(fmt.Sprintf("p%d@example.org", i), spoofed), http.StatusUnprocessableEntity, "under the limit")
	}
	r := e.signIn("p9@example.org", "192.0.2.200, 198.51.100.7, 10.1.2.3")
	mustStatus(t, r, http.StatusTooManyRequests, "a spoofed leftmost entry does not make a new client")
	// Another client behind the same proxies has its own count.
	mustStatus(t, e.signIn("p9@example.org", "198.51.100.8, 10.1.2.3"), http.StatusUnprocessableEntity, "another client")
}

// Without trusted proxies (or from a peer that is not one), X-Forwarded-For
// is ignored: anyone can write it.
func TestForwardedForIsIgnoredFromUntrustedPeers(t *testing.T) {
	for _, proxies := range []string{"", "10.0.0.0/8"} {
		e := newLimitEnv(t, Config{TrustedProxies: proxies, SignInAddressLimit: 3})
		e.c.get("/manage/login")
		for i := 0; i < 3; i++ {
			mustStatus(t, e.signIn(fmt.Sprintf("p%d@example.org", i), fmt.Sprintf("198.51.100.%d", i+1)), http.StatusUnprocessableEntity, "under the limit")
		}
		mustStatus(t, e.signIn("p9@example.org", "198.51.100.200"), http.StatusTooManyRequests, "proxies "+proxies+": a made-up X-Forwarded-For")
	}
}
