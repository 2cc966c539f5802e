package app

import (
	"net/http"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// A session ends after the inactivity limit, on every instance, and the
// person lands on the sign-in page that returns them where they were.
// "Last seen" is written at most once a minute, not on every request.
func TestStaffSessionEndsAfterInactivity(t *testing.T) {
	w := newAccountsWorld(t, Config{SessionIdle: 2 * time.Hour})
	c := newClient(t, w.a)
	mustStatus(t, signInWith(t, c, "owner@example.org", modeltest.Password, firefoxWindows), http.StatusSeeOther, "sign in")
	var s models.StaffSession
	if err := w.db.Where("user_id = ?", w.user.ID).Take(&s).Error; err != nil {
		t.Fatal(err)
	}
	if s.UserAgent != firefoxWindows || s.IP == "" {
		t.Errorf("session row %+v: want the user agent and address", s)
	}

	lastSeen := func() time.Time {
		var got models.StaffSession
		if err := w.db.Take(&got, s.ID).Error; err != nil {
			t.Fatal(err)
		}
		return got.LastSeenAt
	}
	w.clock.Add(30 * time.Second)
	mustBeSignedIn(t, c, "30 s later")
	if !lastSeen().Equal(s.LastSeenAt) {
		t.Errorf("last seen written within a minute: %v, was %v", lastSeen(), s.LastSeenAt)
	}
	w.clock.Add(90 * time.Minute)
	mustBeSignedIn(t, c, "an hour and a half later")
	if want := w.clock.Now(); !lastSeen().Equal(want) {
		t.Errorf("last seen %v, want %v", lastSeen(), want)
	}
	// Another instance sees the same row.
	cb := &client{t: t, app: w.b, cookies: c.cookies}
	w.clock.Add(110 * time.Minute)
	mustBeSignedIn(t, cb, "110 minutes later, on instance b")

	w.clock.Add(2*time.Hour + time.Minute)
	mustBeSignedOut(t, c, "/manage/events/new", "idle for 2 h 1 min")
	mustBeSignedOut(t, cb, "/manage", "the same session on instance b")
	var ended models.StaffSession
	if err := w.db.Take(&ended, s.ID).Error; err != nil || ended.EndedAt == nil {
		t.Fatalf("expired row not marked ended: %+v %v", ended, err)
	}
	// Signing in again works, and goes where the person wanted.
	c.get("/manage/login?next=%2Fmanage%2Fevents%2Fnew")
	r := c.post("/manage/login", map[string][]string{"email": {"owner@example.org"}, "password": {modeltest.Password}, "next": {"/manage/events/new"}})
	if r.Status != http.StatusSeeOther || r.Location != "/manage/events/new" {
		t.Fatalf("sign in again: %d to %q", r.Status, r.Location)
	}
}

// However active, a session ends at its absolute lifetime.
func TestStaffSessionEndsAtAbsoluteLifetime(t *testing.T) {
	w := newAccountsWorld(t, Config{SessionIdle: 12 * time.Hour, SessionMax: 48 * time.Hour})
	c := newClient(t, w.a)
	c.signIn("owner@example.org")
	for i := 0; i < 7; i++ { // active every 6 hours, for 42 hours
		w.clock.Add(6 * time.Hour)
		mustBeSignedIn(t, c, "while active")
	}
	w.clock.Add(6*time.Hour + time.Minute) // 48 h 1 min after signing in
	mustBeSignedOut(t, c, "/manage", "after the absolute lifetime")
}

// Signing out ends the row: the old cookie, replayed on any instance, is
// signed out too.
func TestSignOutEndsTheStaffSession(t *testing.T) {
	w := newAccountsWorld(t, Config{})
	c := newClient(t, w.a)
	c.signIn("owner@example.org")
	mustBeSignedIn(t, c, "signed in")
	stolen := map[string]string{}
	for k, v := range c.cookies {
		stolen[k] = v
	}
	c.get("/manage")
	mustStatus(t, c.post("/manage/logout", nil), http.StatusSeeOther, "sign out")
	var live int64
	w.db.Model(&models.StaffSession{}).Where("ended_at IS NULL").Count(&live)
	if live != 0 {
		t.Fatalf("%d live sessions after signing out", live)
	}
	replay := &client{t: t, app: w.b, cookies: stolen}
	mustBeSignedOut(t, replay, "/manage", "the cookie from before signing out")
}
