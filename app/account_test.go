package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// The account page lists the person's sessions in plain words, marks this
// device, and signs out all others (on any instance) while this one stays.
func TestAccountListsSessionsAndSignsOutOthers(t *testing.T) {
	w := newAccountsWorld(t, Config{})
	pc, phone := newClient(t, w.a), newClient(t, w.b)
	signInWith(t, pc, "owner@example.org", modeltest.Password, firefoxWindows)
	signInWith(t, phone, "owner@example.org", modeltest.Password, chromeAndroid)

	r := pc.get("/manage/account")
	mustStatus(t, r, http.StatusOK, "account page")
	mustContain(t, r.Body, "account page", "owner@example.org", "Test owner", "Firefox on Windows <strong>(this device)</strong>",
		"Chrome on Android", "Sign out of all other sessions", `href="/manage/account/two-factor"`)
	if strings.Contains(r.Body, "Chrome on Android <strong>") {
		t.Error("the phone is marked as this device")
	}
	mustContain(t, phone.get("/manage/account").Body, "phone's account page", "Chrome on Android <strong>(this device)</strong>")

	pc.get("/manage/account")
	r = pc.post("/manage/account/sessions/sign-out-others", nil)
	if r.Status != http.StatusSeeOther || r.Location != "/manage/account" {
		t.Fatalf("sign out others: %d to %q", r.Status, r.Location)
	}
	mustBeSignedOut(t, phone, "/manage/account", "the phone after sign-out-others")
	r = pc.get("/manage/account")
	mustContain(t, r.Body, "account page after", "You are signed out of all other sessions.", "You are not signed in anywhere else.")
	if strings.Contains(r.Body, "Chrome on Android") {
		t.Error("the phone is still listed")
	}
	w.mustAuditEachOrg(t, models.AuditSignOutOthers, 1)
	w.mustAuditEachOrg(t, models.AuditSignIn, 2)

	// In Spanish too.
	pc.lang = "es"
	mustContain(t, pc.get("/manage/account").Body, "Spanish account page", "Firefox en Windows", "este dispositivo", "Cambiar tu contraseña")
}

// Changing a password needs the current one; the new one is checked beside
// its field; once changed, the person's other sessions are signed out and
// only the new password signs in.
func TestPasswordChangeNeedsCurrentAndEndsOtherSessions(t *testing.T) {
	w := newAccountsWorld(t, Config{})
	pc, phone := newClient(t, w.a), newClient(t, w.b)
	signInWith(t, pc, "owner@example.org", modeltest.Password, firefoxWindows)
	signInWith(t, phone, "owner@example.org", modeltest.Password, chromeAndroid)
	const newPassword = "violet-otter-under-bridges"
	post := func(current, pw, confirm string) response {
		pc.get("/manage/account")
		return pc.post("/manage/account/password", url.Values{"current_password": {current}, "new_password": {pw}, "new_password_confirm": {confirm}})
	}
	for _, tc := range []struct{ what, current, pw, confirm, field, msg string }{
		{"no current password", "", newPassword, newPassword, "current_password", "Please fill in this field."},
		{"wrong current password", "not-my-password-at-all", newPassword, newPassword, "current_password", "This is not your current password."},
		{"mismatch", modeltest.Password, newPassword, newPassword + "x", "new_password_confirm", "The two new passwords are not the same."},
		{"too short", modeltest.Password, "short-pw", "short-pw", "new_password", "Use at least 10 characters."},
		{"common", modeltest.Password, "Password1234", "Password1234", "new_password", "This password is too common"},
		{"own e-mail", modeltest.Password, "owner@example.org", "owner@example.org", "new_password", "This password is too common"},
	} {
		r := post(tc.current, tc.pw, tc.confirm)
		mustStatus(t, r, http.StatusUnprocessableEntity, tc.what)
		i := strings.Index(r.Body, `id="f-`+tc.field+`-error"`)
		if i < 0 || !strings.Contains(r.Body[i:min(len(r.Body), i+300)], tc.msg) {
			t.Errorf("%s: no %q beside %s", tc.what, tc.msg, tc.field)
		}
		if strings.Contains(r.Body, tc.pw) && tc.pw != "owner@example.org" {
			t.Errorf("%s: a password is echoed into the page", tc.what)
		}
		mustBeSignedIn(t, phone, tc.what+": the phone stays signed in")
	}
	w.mustAuditEachOrg(t, models.AuditPasswordChanged, 0)

	r := post(modeltest.Password, newPassword, newPassword)
	if r.Status != http.StatusSeeOther || r.Location != "/manage/account" {
		t.Fatalf("change password: %d to %q\n%s", r.Status, r.Location, r.Body)
	}
	mustContain(t, pc.get("/manage/account").Body, "after the change", "Your password is changed.")
	mustBeSignedOut(t, phone, "/manage", "the phone after the change")
	mustBeSignedIn(t, pc, "the browser that changed it")
	w.mustAuditEachOrg(t, models.AuditPasswordChanged, 1)

	if r := signInWith(t, newClient(t, w.a), "owner@example.org", modeltest.Password, firefoxWindows); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("old password: status %d, want 422", r.Status)
	}
	if r := signInWith(t, newClient(t, w.a), "owner@example.org", newPassword, firefoxWindows); r.Status != http.StatusSeeOther {
		t.Errorf("new password: status %d, want 303", r.Status)
	}
}

// Sign-ins are in the audit log of each of the person's organizations;
// failed ones of an existing account too; an unknown address writes nothing.
func TestSignInAuditEntries(t *testing.T) {
	w := newAccountsWorld(t, Config{})
	c := newClient(t, w.a)
	mustStatus(t, signInWith(t, c, "Owner@Example.org", "wrong-password-here", firefoxWindows), http.StatusUnprocessableEntity, "wrong password")
	w.mustAuditEachOrg(t, models.AuditSignInFailed, 1)
	w.mustAuditEachOrg(t, models.AuditSignIn, 0)
	mustStatus(t, signInWith(t, c, "nobody@example.org", "wrong-password-here", firefoxWindows), http.StatusUnprocessableEntity, "unknown address")
	var n int64
	w.db.Model(&models.AuditEntry{}).Count(&n)
	if n != 2 {
		t.Errorf("%d audit entries after an unknown address, want the 2 of the failed sign-in", n)
	}
	mustStatus(t, signInWith(t, c, "owner@example.org", modeltest.Password, firefoxWindows), http.StatusSeeOther, "sign in")
	w.mustAuditEachOrg(t, models.AuditSignIn, 1)
	var e models.AuditEntry
	if err := w.db.Where("action = ?", models.AuditSignIn).First(&e).Error; err != nil {
		t.Fatal(err)
	}
	if e.ActorUserID == nil || *e.ActorUserID != w.user.ID || e.ActorEmail != "owner@example.org" || e.IP == "" {
		t.Errorf("sign-in entry %+v: want the person and address", e)
	}
}

// Tries of the current password are limited per account, like sign-ins.
func TestPasswordChangeIsRateLimited(t *testing.T) {
	w := newAccountsWorld(t, Config{SignInLimit: 2})
	c := newClient(t, w.a)
	c.signIn("owner@example.org")
	try := func() response {
		c.get("/manage/account")
		return c.post("/manage/account/password", url.Values{"current_password": {"guess-number-one"}, "new_password": {"violet-otter-under-bridges"}, "new_password_confirm": {"violet-otter-under-bridges"}})
	}
	for i := 0; i < 2; i++ {
		mustStatus(t, try(), http.StatusUnprocessableEntity, "a wrong guess")
	}
	r := try()
	mustStatus(t, r, http.StatusTooManyRequests, "over the limit")
	mustContain(t, r.Body, "over the limit", "Too many tries with a wrong current password.")
}
