package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// inviteThroughTeamPage sends the invitation form as the signed-in owner c.
func inviteThroughTeamPage(t *testing.T, c *client, orgID uint, v url.Values) response {
	t.Helper()
	c.get(teamURL(orgID))
	return c.post(teamURL(orgID), v)
}

// An owner invites a colleague in Spanish; the mail goes through the outbox
// to a real mailpit; the colleague follows the link from the mail, chooses a
// password (a mismatch and a common one come back beside the fields) and is
// signed in with the role and the permission. The link then works no more.
func TestInvitationMailedToMailpitAndAcceptedByANewPerson(t *testing.T) {
	smtpAddr, api := testenv.StartMailpit(t)
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Salud Norte", "owner-mp@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.lang = "es"
	c.signIn("owner-mp@example.org")
	r := inviteThroughTeamPage(t, c, org.ID, url.Values{"email": {"Lucia@Example.org"}, "role": {"manager"}, "access_coordinator": {"1"}})
	mustStatus(t, r, http.StatusSeeOther, "invite")

	sender, err := mail.NewSMTPSender("smtp://"+smtpAddr, "Agora Test <agora@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	renderer, err := mail.NewRenderer(db, "http://agora.test")
	if err != nil {
		t.Fatal(err)
	}
	w := &mail.Worker{DB: db, Sender: sender, Renderer: renderer, InstanceID: "mailpit", Batch: 50, Log: slog.New(slog.DiscardHandler)}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	var list struct {
		Messages []struct {
			ID      string
			Subject string
			To      []struct{ Address string }
		}
	}
	for deadline := time.Now().Add(10 * time.Second); len(list.Messages) == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(api + "/api/v1/messages")
		if err != nil {
			t.Fatal(err)
		}
		_ = json.NewDecoder(resp.Body).Decode(&list)
		resp.Body.Close()
	}
	if len(list.Messages) != 1 || list.Messages[0].To[0].Address != "lucia@example.org" {
		t.Fatalf("mailpit got %+v", list.Messages)
	}
	if s := list.Messages[0].Subject; s != "Invitación para unirte a Salud Norte" {
		t.Fatalf("subject %q (the inviter's language is Spanish)", s)
	}
	var msg struct{ Text, HTML string }
	resp, err := http.Get(api + "/api/v1/message/" + list.Messages[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	_ = json.NewDecoder(resp.Body).Decode(&msg)
	resp.Body.Close()
	m := invitationLinkRe.FindStringSubmatch(msg.Text)
	if m == nil || !strings.Contains(msg.Text, "http://agora.test"+m[0]) || !strings.Contains(msg.HTML, "http://agora.test"+m[0]) {
		t.Fatalf("no invitation link in the mail:\n%s", msg.Text)
	}
	mustContain(t, msg.Text, "mail text", "Test owner", "Gestor/a", "coordinación de accesibilidad")
	link := m[0]

	nc := newClient(t, f)
	page := nc.get(link)
	mustStatus(t, page, http.StatusOK, "invitation page")
	mustContain(t, page.Body, "invitation page", "Join Salud Norte", "lucia@example.org", "access coordinator")
	if page.Header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(page.Header.Get("Cache-Control"), "no-store") {
		t.Fatalf("secret link page headers: %v", page.Header)
	}
	r = nc.post(link, url.Values{"name": {"Lucía Pérez"}, "password": {"a-long-passphrase"}, "password_confirm": {"a-long-passphrase!"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "mismatch")
	mustContain(t, r.Body, "mismatch", `id="f-password_confirm-error"`, "not the same", `value="Lucía Pérez"`)
	if strings.Contains(r.Body, "a-long-passphrase") {
		t.Fatal("a password was echoed back")
	}
	r = nc.post(link, url.Values{"name": {"Lucía Pérez"}, "password": {"lucia@example.org"}, "password_confirm": {"lucia@example.org"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "own address")
	mustContain(t, r.Body, "own address", `id="f-password-error"`, "too easy to guess")
	r = nc.post(link, url.Values{"name": {"Lucía Pérez"}, "password": {"a-long-passphrase"}, "password_confirm": {"a-long-passphrase"}})
	mustStatus(t, r, http.StatusSeeOther, "accept")
	mustContain(t, nc.get("/manage").Body, "signed in", "Salud Norte", `href="/manage/events/new"`)
	u, err := models.UserByEmail(db, "lucia@example.org")
	if err != nil || u.Name != "Lucía Pérez" {
		t.Fatalf("account: %+v %v", u, err)
	}
	if ms, _ := models.MembershipFor(db, u.ID, org.ID); ms == nil || ms.Role != models.RoleManager || !ms.AccessCoordinator {
		t.Fatalf("membership %+v", ms)
	}
	// Reused: gone, never a 500; nor a second account.
	again := newClient(t, f)
	r = again.get(link)
	mustStatus(t, r, http.StatusGone, "reused link")
	mustContain(t, r.Body, "reused link", "accepted already")
	r = again.post(link, url.Values{"_csrf": {"x"}, "name": {"Again"}, "password": {"another-long-one"}, "password_confirm": {"another-long-one"}})
	mustStatus(t, r, http.StatusGone, "reused link posted")
	for _, a := range []string{models.AuditInvited, models.AuditInviteAccepted} {
		var e models.AuditEntry
		if err := db.Where("organization_id = ? AND action = ?", org.ID, a).Take(&e).Error; err != nil {
			t.Fatalf("no %s entry: %v", a, err)
		}
		if e.Subject != "lucia@example.org" || !strings.Contains(e.Detail, "role: manager; access coordinator") {
			t.Fatalf("%s entry %+v", a, e)
		}
	}
}

// Someone with an account signs in as it to accept; signed in as someone
// else they are told so and nothing changes; an account already in the
// team gets a friendly note.
func TestInvitationForAnExistingAccount(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org Ex", "owner-ex@example.org", models.RoleOwner)
	modeltest.Organizer(t, db, "Org Elsewhere", "known-ex@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.signIn("owner-ex@example.org")
	mustStatus(t, inviteThroughTeamPage(t, c, org.ID, url.Values{"email": {"known-ex@example.org"}, "role": {"checkin"}}), http.StatusSeeOther, "invite")
	link := invitationPath(t, db, "known-ex@example.org")
	manageLink := "/manage" + link

	anon := newClient(t, f)
	r := anon.get(link)
	mustStatus(t, r, http.StatusOK, "public page")
	mustContain(t, r.Body, "public page", "has an account here already", `href="`+manageLink+`"`)
	if strings.Contains(r.Body, `name="password"`) {
		t.Fatal("an existing account is offered a new password")
	}
	r = anon.get(manageLink)
	mustStatus(t, r, http.StatusSeeOther, "not signed in")
	if !strings.HasPrefix(r.Location, "/manage/login?next=") {
		t.Fatalf("not signed in: to %s", r.Location)
	}
	// The owner (another account) is told whose invitation it is.
	r = c.get(manageLink)
	mustStatus(t, r, http.StatusOK, "someone else")
	mustContain(t, r.Body, "someone else", "signed in as owner-ex@example.org", "/manage/logout")
	before := dbSnapshot(t, db)
	r = c.post(manageLink, nil)
	mustStatus(t, r, http.StatusUnprocessableEntity, "someone else accepts")
	mustContain(t, r.Body, "someone else accepts", "another address")
	if dbSnapshot(t, db) != before {
		t.Fatal("accepting as another account changed something")
	}
	// The invitee signs in through the page that the link leads to.
	kc := newClient(t, f)
	kc.get("/manage/login?next=" + url.QueryEscape(manageLink))
	r = kc.post("/manage/login", url.Values{"email": {"known-ex@example.org"}, "password": {modeltest.Password}, "next": {manageLink}})
	if r.Status != http.StatusSeeOther || r.Location != manageLink {
		t.Fatalf("sign in: %d to %s", r.Status, r.Location)
	}
	r = kc.get(manageLink)
	mustContain(t, r.Body, "accept page", "Join Org Ex", "Join the team")
	// A forged token is refused and nothing happens.
	r = kc.post(manageLink, url.Values{"_csrf": {"forged"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "csrf")
	mustContain(t, r.Body, "csrf", "This form had expired")
	kc.get(manageLink)
	r = kc.post(manageLink, nil)
	mustStatus(t, r, http.StatusSeeOther, "accept")
	mustContain(t, kc.get("/manage").Body, "dashboard", "Welcome to the team", "Org Ex")
	known, _ := models.UserByEmail(db, "known-ex@example.org")
	if m, err := models.MembershipFor(db, known.ID, org.ID); err != nil || m.Role != models.RoleCheckin || m.AccessCoordinator {
		t.Fatalf("membership %+v %v", m, err)
	}
	mustStatus(t, kc.get(manageLink), http.StatusGone, "used link, signed in")

	// Added meanwhile: accepting leaves the membership as it is, with a note.
	mustStatus(t, inviteThroughTeamPage(t, c, org.ID, url.Values{"email": {"late@example.org"}, "role": {"owner"}}), http.StatusSeeOther, "invite late")
	lateLink := "/manage" + invitationPath(t, db, "late@example.org")
	_, late := modeltest.Organizer(t, db, "Org Ex", "late@example.org", models.RoleCheckin)
	lc := newClient(t, f)
	lc.signIn("late@example.org")
	mustContain(t, lc.get(lateLink).Body, "already member page", "already in this team")
	mustStatus(t, lc.post(lateLink, nil), http.StatusSeeOther, "already member accepts")
	mustContain(t, lc.get("/manage").Body, "already member note", "your role stays as it is")
	if m, _ := models.MembershipFor(db, late.ID, org.ID); m.Role != models.RoleCheckin {
		t.Fatalf("an invitation changed a member's role to %s", m.Role)
	}
}

// Resending makes the older link unknown; withdrawn and expired links are
// gone (410); unknown and malformed ones 404; another organization's owner
// cannot resend or withdraw; a forged CSRF token changes nothing.
func TestInvitationResendWithdrawExpire(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org RW", "owner-rw@example.org", models.RoleOwner)
	modeltest.Organizer(t, db, "Org Foreign", "owner-foreign@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.signIn("owner-rw@example.org")
	mustStatus(t, inviteThroughTeamPage(t, c, org.ID, url.Values{"email": {"rw@example.org"}, "role": {"manager"}}), http.StatusSeeOther, "invite")
	first := invitationPath(t, db, "rw@example.org")
	var inv models.Invitation
	if err := db.Where("email = ?", "rw@example.org").Take(&inv).Error; err != nil {
		t.Fatal(err)
	}
	resend := fmt.Sprintf("%s/invitations/%d/resend", teamURL(org.ID), inv.ID)
	withdraw := fmt.Sprintf("%s/invitations/%d/withdraw", teamURL(org.ID), inv.ID)

	// Another organization's owner: 404, nothing changes.
	fc := newClient(t, f)
	fc.signIn("owner-foreign@example.org")
	before := dbSnapshot(t, db)
	fc.get("/manage")
	for _, p := range []string{resend, withdraw, fmt.Sprintf("/manage/orgs/%d/team/invitations/%d/resend", org.ID+1, inv.ID)} {
		if r := fc.post(p, nil); r.Status != http.StatusNotFound {
			t.Errorf("foreign owner POST %s: %d", p, r.Status)
		}
	}
	// Forged CSRF tokens: refused.
	if r := c.post(resend, url.Values{"_csrf": {"forged"}}); r.Status != http.StatusForbidden {
		t.Errorf("resend with a forged token: %d", r.Status)
	}
	r := c.post(teamURL(org.ID), url.Values{"_csrf": {"forged"}, "email": {"csrf@example.org"}, "role": {"manager"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "invite with a forged token")
	mustContain(t, r.Body, "forged invite", "This form had expired", `value="csrf@example.org"`)
	if dbSnapshot(t, db) != before {
		t.Fatal("a refused request changed something")
	}

	c.get(teamURL(org.ID))
	mustStatus(t, c.post(resend, nil), http.StatusSeeOther, "resend")
	mustContain(t, c.get(teamURL(org.ID)).Body, "resent", "new link", "Sent 2 time(s)")
	second := invitationPath(t, db, "rw@example.org")
	if second == first {
		t.Fatal("resending kept the link")
	}
	anon := newClient(t, f)
	r = anon.get(first)
	mustStatus(t, r, http.StatusNotFound, "old link")
	mustContain(t, r.Body, "old link", "sending an invitation again replaces the earlier link")
	mustStatus(t, anon.get(second), http.StatusOK, "new link")

	// Expired (the clock moved on): gone, then a resend opens it again.
	if err := db.Model(&models.Invitation{}).Where("id = ?", inv.ID).Update("expires_at", time.Now().Add(-time.Minute)).Error; err != nil {
		t.Fatal(err)
	}
	r = anon.get(second)
	mustStatus(t, r, http.StatusGone, "expired")
	mustContain(t, r.Body, "expired", "has expired")
	anon.get("/manage/login")
	r = anon.post(second, url.Values{"name": {"Late"}, "password": {"a-long-passphrase"}, "password_confirm": {"a-long-passphrase"}})
	mustStatus(t, r, http.StatusGone, "expired accept")
	mustContain(t, c.get(teamURL(org.ID)).Body, "expired in list", "Expired on")

	c.get(teamURL(org.ID))
	mustStatus(t, c.post(withdraw, nil), http.StatusSeeOther, "withdraw")
	mustContain(t, c.get(teamURL(org.ID)).Body, "withdrawn", "was withdrawn", "No pending invitations")
	r = anon.get(second)
	mustStatus(t, r, http.StatusGone, "withdrawn link")
	mustContain(t, r.Body, "withdrawn link", "was withdrawn")
	c.get(teamURL(org.ID))
	mustStatus(t, c.post(resend, nil), http.StatusSeeOther, "resend withdrawn")
	mustContain(t, c.get(teamURL(org.ID)).Body, "resend withdrawn", "no longer pending")

	for _, p := range []string{"/invitations/unknown", "/invitations/" + strings.Repeat("A", 43), "/invitations/%00", "/manage/invitations/nope"} {
		if r := c.get(p); r.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, r.Status)
		}
	}
	var n int64
	db.Model(&models.Membership{}).Where("organization_id = ?", org.ID).Count(&n)
	if n != 1 {
		t.Fatalf("%d members", n)
	}
	for a, want := range map[string]int64{models.AuditInvited: 1, models.AuditInviteResent: 1, models.AuditInviteWithdrawn: 1} {
		var got int64
		db.Model(&models.AuditEntry{}).Where("organization_id = ? AND action = ? AND subject = ?", org.ID, a, "rw@example.org").Count(&got)
		if got != want {
			t.Errorf("%s entries: %d, want %d", a, got, want)
		}
	}
}

// The owner grants and revokes the access coordinator permission and
// changes a role; each is in the audit log with the member's address.
func TestTeamPermissionAndRoleChangesAudited(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org Perm", "owner-perm@example.org", models.RoleOwner)
	_, m := modeltest.Organizer(t, db, "Org Perm", "door-perm@example.org", models.RoleCheckin)
	c := newClient(t, f)
	c.signIn("owner-perm@example.org")
	coord := fmt.Sprintf("%s/%d/coordinator", teamURL(org.ID), m.ID)
	c.get(teamURL(org.ID))
	mustStatus(t, c.post(coord, url.Values{"access_coordinator": {"1"}}), http.StatusSeeOther, "grant")
	page := c.get(teamURL(org.ID))
	mustContain(t, page.Body, "granted", "permission was granted", "Revoke")
	if ms, _ := models.MembershipFor(db, m.ID, org.ID); !ms.AccessCoordinator || ms.Role != models.RoleCheckin {
		t.Fatalf("after grant: %+v", ms)
	}
	mustStatus(t, c.post(coord, url.Values{"access_coordinator": {"0"}}), http.StatusSeeOther, "revoke")
	mustStatus(t, c.post(fmt.Sprintf("%s/%d/role", teamURL(org.ID), m.ID), url.Values{"role": {"manager"}}), http.StatusSeeOther, "role")
	mustStatus(t, c.post(fmt.Sprintf("%s/%d/remove", teamURL(org.ID), m.ID), nil), http.StatusSeeOther, "remove")
	var got []models.AuditEntry
	db.Where("organization_id = ? AND action LIKE ?", org.ID, "team.%").Order("id").Find(&got)
	var lines []string
	for _, e := range got {
		if e.ActorEmail != "owner-perm@example.org" || e.IP == "" {
			t.Errorf("entry without its actor or address: %+v", e)
		}
		lines = append(lines, e.Action+" "+e.Subject+" "+e.Detail)
	}
	want := "team.permission_changed door-perm@example.org access coordinator: granted (role checkin)\n" +
		"team.permission_changed door-perm@example.org access coordinator: revoked (role checkin)\n" +
		"team.role_changed door-perm@example.org checkin → manager\n" +
		"team.member_removed door-perm@example.org role: manager"
	if strings.Join(lines, "\n") != want {
		t.Fatalf("audit:\n%s", strings.Join(lines, "\n"))
	}
}

// Two browsers posting the same link at once make one account and one
// membership; the other is told the link was used.
func TestInvitationAcceptRaceThroughHTTP(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org HR", "owner-hr@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.signIn("owner-hr@example.org")
	mustStatus(t, inviteThroughTeamPage(t, c, org.ID, url.Values{"email": {"race@example.org"}, "role": {"manager"}}), http.StatusSeeOther, "invite")
	link := invitationPath(t, db, "race@example.org")
	const n = 4
	clients := make([]*client, n)
	for i := range clients {
		clients[i] = newClient(t, f)
		clients[i].get(link)
	}
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			statuses[i] = clients[i].post(link, url.Values{"name": {fmt.Sprintf("Racer %d", i)}, "password": {"a-long-passphrase"}, "password_confirm": {"a-long-passphrase"}}).Status
		}(i)
	}
	wg.Wait()
	won := 0
	for _, s := range statuses {
		switch s {
		case http.StatusSeeOther:
			won++
		case http.StatusGone, http.StatusServiceUnavailable:
		default:
			t.Errorf("racing accept: %d", s)
		}
	}
	var users, members int64
	db.Model(&models.User{}).Where("email = ?", "race@example.org").Count(&users)
	db.Model(&models.Membership{}).Where("organization_id = ?", org.ID).Count(&members)
	if won != 1 || users != 1 || members != 2 {
		t.Fatalf("statuses %v: %d won, %d accounts, %d members", statuses, won, users, members)
	}
}

// The token in an invitation link's path is not kept in the request log.
func TestInvitationTokenNotLogged(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	var buf bytes.Buffer
	var mu sync.Mutex
	f, err := New(Config{BaseURL: "http://agora.test"}, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: &buf, mu: &mu}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	org, _ := modeltest.Organizer(t, db, "Org Log", "owner-log@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.signIn("owner-log@example.org")
	mustStatus(t, inviteThroughTeamPage(t, c, org.ID, url.Values{"email": {"log@example.org"}, "role": {"manager"}}), http.StatusSeeOther, "invite")
	link := invitationPath(t, db, "log@example.org")
	tok := strings.TrimPrefix(link, "/invitations/")
	anon := newClient(t, f)
	mustStatus(t, anon.get(link), http.StatusOK, "link")
	mustStatus(t, anon.get("/manage"+link), http.StatusSeeOther, "signed-in link, not signed in")
	c.get("/manage" + link)
	c.get(link + "x") // unknown: a 404, logged the same way
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(buf.String(), tok) {
		t.Fatalf("the token is in the log:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "path=/invitations/{token}") {
		t.Fatalf("the request is not logged:\n%s", buf.String())
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// An order's self-service link is not kept in the request log either.
func TestOrderSecretNotLogged(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	var buf bytes.Buffer
	var mu sync.Mutex
	f, err := New(Config{BaseURL: "http://agora.test"}, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: &buf, mu: &mu}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	const secret = "s3cr3t-order-link-value-0123456789"
	c := newClient(t, f)
	c.get("/orders/" + secret)
	c.get("/orders/" + secret + "/payment")
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(buf.String(), secret) {
		t.Fatalf("the order secret is in the log:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "path=/orders/{secret}/payment") {
		t.Fatalf("the request is not logged:\n%s", buf.String())
	}
}
