package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// sendOutboxToMailpit sends every pending mail to a fresh mailpit and
// returns what arrived (want messages).
func sendOutboxToMailpit(t *testing.T, w *accountsWorld, want int) []mailpitMessage {
	t.Helper()
	out := mailpitDelivery(t, w.db)
	if len(out) != want {
		t.Fatalf("mailpit holds %d mails, want %d", len(out), want)
	}
	return out
}

var resetLink = regexp.MustCompile(`http://agora\.test(/manage/password/reset/[A-Za-z0-9_-]{43})`)

// The whole journey: the sign-in page's link, the form in Spanish, the
// mail through a real mailpit in Spanish, the link's form through CSRF,
// the password rules beside the field, then every session of the account
// ends and this browser is signed in; the link then works no more.
func TestPasswordResetByMail(t *testing.T) {
	w := newAccountsWorld(t, Config{})
	phone := newClient(t, w.b)
	signInWith(t, phone, "owner@example.org", modeltest.Password, chromeAndroid)

	c := newClient(t, w.a)
	c.lang = "es"
	mustContain(t, c.get("/manage/login").Body, "sign-in page", `href="/manage/password/forgot"`, "¿Has olvidado tu contraseña?")
	mustStatus(t, c.get("/manage/password/forgot"), http.StatusOK, "forgot form")
	r := c.post("/manage/password/forgot", url.Values{"email": {"no-at-sign"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "bad address")
	mustContain(t, r.Body, "bad address", `value="no-at-sign"`, `id="f-email-error"`)
	r = c.post("/manage/password/forgot", url.Values{"email": {" Owner@Example.org "}})
	mustStatus(t, r, http.StatusOK, "ask for a link")
	mustContain(t, r.Body, "sent page", "Si existe una cuenta con esa dirección")

	var resets []models.PasswordReset
	w.db.Find(&resets)
	if len(resets) != 1 || len(resets[0].TokenHash) != 64 {
		t.Fatalf("reset rows %+v: want one, with a SHA-256 hash", resets)
	}
	msgs := sendOutboxToMailpit(t, w, 1)
	m := msgs[0]
	if m.To[0].Address != "owner@example.org" || !strings.Contains(m.Subject, "Elige una contraseña nueva") {
		t.Fatalf("mail to %v, subject %q: want the owner, in Spanish", m.To, m.Subject)
	}
	link := resetLink.FindStringSubmatch(m.Text)
	if link == nil || !strings.Contains(m.HTML, link[0]) {
		t.Fatalf("no reset link in the mail:\n%s", m.Text)
	}
	path := link[1]
	var raw models.PasswordReset
	if w.db.Where("token_hash = ?", strings.TrimPrefix(path, "/manage/password/reset/")).Limit(1).Find(&raw); raw.ID != 0 {
		t.Fatal("the raw token is stored")
	}

	r = c.get(path)
	mustStatus(t, r, http.StatusOK, "the link's form")
	mustContain(t, r.Body, "the link's form", "owner@example.org", `name="new_password"`)
	mustStatus(t, c.get(path), http.StatusOK, "opening the link again (a GET never spends it)")
	r = c.post(path, url.Values{"new_password": {"contraseña123"}, "new_password_confirm": {"contraseña123"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "a common Spanish password")
	mustContain(t, r.Body, "common password", `id="f-new_password-error"`, "demasiado habitual")
	r = c.post(path, url.Values{"new_password": {"a-long-new-secret"}, "new_password_confirm": {"a-long-new-secreT"}})
	mustContain(t, r.Body, "mismatch", `id="f-new_password_confirm-error"`)
	r = c.post(path, url.Values{"new_password": {"a-long-new-secret"}, "new_password_confirm": {"a-long-new-secret"}, "_csrf": {"forged"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "a forged CSRF token")
	mustBeSignedIn(t, phone, "before the reset")

	r = c.post(path, url.Values{"new_password": {"a-long-new-secret"}, "new_password_confirm": {"a-long-new-secret"}})
	if r.Status != http.StatusSeeOther || r.Location != "/manage" {
		t.Fatalf("reset: %d to %q\n%s", r.Status, r.Location, r.Body)
	}
	mustBeSignedIn(t, c, "after the reset")
	mustBeSignedOut(t, phone, "/manage", "the phone after the reset")
	w.mustAuditEachOrg(t, models.AuditPasswordReset, 1)
	w.mustAuditEachOrg(t, models.AuditSignIn, 2) // the phone, then the reset

	// The link is spent, and the sent mail keeps no copy of it.
	r = newClient(t, w.a).get(path)
	mustStatus(t, r, http.StatusGone, "the link used again")
	mustContain(t, r.Body, "used link", "This link does not work any more", `href="/manage/password/forgot"`)
	other := newClient(t, w.a)
	other.get("/manage/login")
	mustStatus(t, other.post(path, url.Values{"new_password": {"another-long-one"}, "new_password_confirm": {"another-long-one"}}), http.StatusGone, "posting the used link")
	var om models.OutboxMessage
	w.db.Where("to_addr = ?", "owner@example.org").Take(&om)
	if strings.Contains(om.TextBody+om.HTMLBody, path) {
		t.Error("the sent mail still holds the link")
	}
	if r := signInWith(t, newClient(t, w.a), "owner@example.org", "a-long-new-secret", firefoxWindows); r.Status != http.StatusSeeOther {
		t.Errorf("sign in with the new password: %d", r.Status)
	}
}

// The answer never tells whether an address has an account: the same page,
// byte for byte; only the known address gets a mail.
func TestPasswordResetNeverRevealsAccounts(t *testing.T) {
	w := newAccountsWorld(t, Config{})
	c := newClient(t, w.a)
	c.get("/manage/password/forgot")
	start := time.Now()
	known := c.post("/manage/password/forgot", url.Values{"email": {"owner@example.org"}})
	knownTook := time.Since(start)
	start = time.Now()
	unknown := c.post("/manage/password/forgot", url.Values{"email": {"stranger@example.org"}})
	unknownTook := time.Since(start)
	// Both take at least the floor, which hides the extra work of a real account.
	if knownTook < forgotMinDuration || unknownTook < forgotMinDuration {
		t.Errorf("answers took %v (account) and %v (none), want both at least %v", knownTook, unknownTook, forgotMinDuration)
	}
	mustStatus(t, known, http.StatusOK, "known address")
	mustStatus(t, unknown, http.StatusOK, "unknown address")
	if known.Body != unknown.Body {
		t.Errorf("the answers differ:\nknown:\n%s\nunknown:\n%s", known.Body, unknown.Body)
	}
	var n int64
	w.db.Model(&models.OutboxMessage{}).Count(&n)
	if n != 1 {
		t.Errorf("%d mails queued, want 1 (to the account)", n)
	}
	var e int64
	w.db.Model(&models.AuditEntry{}).Count(&e)
	if e != 0 {
		t.Errorf("%d audit entries for asking for a link, want none", e)
	}
}

// Expired, foreign and malformed links are refused with the same clear
// page; using one link spends the account's other open links too.
func TestPasswordResetRefusesExpiredAndForeignTokens(t *testing.T) {
	w := newAccountsWorld(t, Config{})
	issue := func() string {
		var raw string
		if err := models.RequestPasswordReset(w.db, "owner@example.org", w.clock.Now(), func(u models.User, r string) (models.OutboxMessage, error) {
			raw = r
			return models.OutboxMessage{Subject: "reset", TextBody: "link"}, nil
		}); err != nil {
			t.Fatal(err)
		}
		return "/manage/password/reset/" + raw
	}
	c := newClient(t, w.a)
	expired := issue()
	w.clock.Add(61 * time.Minute)
	for what, path := range map[string]string{
		"expired":   expired,
		"foreign":   "/manage/password/reset/" + models.NewSecret(),
		"malformed": "/manage/password/reset/short",
	} {
		r := c.get(path)
		mustStatus(t, r, http.StatusGone, what)
		mustContain(t, r.Body, what, "This link does not work any more")
		c.get("/manage/login")
		mustStatus(t, c.post(path, url.Values{"new_password": {"a-long-new-secret"}, "new_password_confirm": {"a-long-new-secret"}}), http.StatusGone, what+" (post)")
	}
	first, second := issue(), issue()
	c.get(first)
	mustStatus(t, c.post(first, url.Values{"new_password": {"a-long-new-secret"}, "new_password_confirm": {"a-long-new-secret"}}), http.StatusSeeOther, "first link")
	mustStatus(t, newClient(t, w.a).get(second), http.StatusGone, "the second link after the first was used")
	var u models.User
	w.db.Take(&u, w.user.ID)
	if u.PasswordHash == w.user.PasswordHash {
		t.Error("password unchanged")
	}
}

// Asking for links is limited per address typed, like the other e-mailed links.
func TestPasswordResetIsRateLimited(t *testing.T) {
	w := newAccountsWorld(t, Config{LinkLimit: 2})
	c := newClient(t, w.a)
	c.get("/manage/password/forgot")
	for i := 0; i < 2; i++ {
		mustStatus(t, c.post("/manage/password/forgot", url.Values{"email": {"owner@example.org"}}), http.StatusOK, "within the limit")
	}
	r := c.post("/manage/password/forgot", url.Values{"email": {"owner@example.org"}})
	mustStatus(t, r, http.StatusTooManyRequests, "over the limit")
	mustContain(t, r.Body, "over the limit", "Too many links were asked for", `value="owner@example.org"`)
	mustStatus(t, c.post("/manage/password/forgot", url.Values{"email": {"other@example.org"}}), http.StatusOK, "another address")
}

// The link's form (which no page links to, so the hostile crawl cannot find
// it) takes hostile values without a 500 and keeps the link usable.
func TestPasswordResetFormTakesHostileInput(t *testing.T) {
	w := newAccountsWorld(t, Config{})
	var raw string
	if err := models.RequestPasswordReset(w.db, "owner@example.org", w.clock.Now(), func(u models.User, r string) (models.OutboxMessage, error) {
		raw = r
		return models.OutboxMessage{Subject: "reset", TextBody: "link"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	path := "/manage/password/reset/" + raw
	c := newClient(t, w.a)
	for _, hv := range hostileInputs {
		c.get(path)
		r := c.post(path, url.Values{"new_password": {hv}, "new_password_confirm": {hv}, "username": {hv}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("hostile %.12q: status %d, want 422", hv, r.Status)
		}
	}
	for _, hv := range hostileInputs[:3] { // the long one does not fit in a request line
		mustStatus(t, c.get(path+"?next="+url.QueryEscape(hv)), http.StatusOK, "a hostile query")
	}
	c.get(path)
	mustStatus(t, c.post(path, url.Values{"new_password": {"a-long-new-secret"}, "new_password_confirm": {"a-long-new-secret"}}), http.StatusSeeOther, "the link still works")
}
