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

func TestTeamInviteChangeRemoveKeepsAnOwner(t *testing.T) {
	f, db := newTestApp(t)
	org, owner := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	modeltest.Organizer(t, db, "Org Other", "elsewhere@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.signIn("owner@example.org")
	team := fmt.Sprintf("/manage/orgs/%d/team", org.ID)
	mustContain(t, c.get("/manage").Body, "dashboard", `href="`+team+`"`)
	page := c.get(team)
	mustContain(t, page.Body, "team", "owner@example.org", "Send invitation", `name="access_coordinator"`)
	if strings.Contains(page.Body, `name="password"`) || strings.Contains(page.Body, `name="member_name"`) {
		t.Fatal("the team page still asks for someone else's password")
	}

	// Bad input comes back beside the field, with what was typed.
	r := c.post(team, url.Values{"email": {"not an address"}, "role": {"boss"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "bad invitation")
	mustContain(t, r.Body, "bad invitation", `id="f-email-error"`, `id="f-role-error"`, `value="not an address"`)
	mustStatus(t, c.post(team, url.Values{"email": {"New@Example.org"}, "role": {"manager"}}), http.StatusSeeOther, "invite new")
	r = c.post(team, url.Values{"email": {"new@example.org"}, "role": {"checkin"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "invite twice")
	mustContain(t, r.Body, "invite twice", "has an open invitation already")
	r = c.post(team, url.Values{"email": {"owner@example.org"}, "role": {"checkin"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "invite a member")
	mustContain(t, r.Body, "invite a member", "already in the team")
	mustContain(t, c.get(team).Body, "pending", "Pending invitations", "new@example.org", "/resend", "/withdraw")

	// Nuria follows the link, chooses her password and is in.
	nc := newClient(t, f)
	r = nc.get(invitationPath(t, db, "new@example.org"))
	mustStatus(t, r, http.StatusOK, "invitation page")
	mustContain(t, r.Body, "invitation page", "Join Org A", `name="password_confirm"`)
	r = nc.post(invitationPath(t, db, "new@example.org"), url.Values{"name": {"Nuria New"}, "password": {"a-long-passphrase"}, "password_confirm": {"a-long-passphrase"}})
	mustStatus(t, r, http.StatusSeeOther, "accept")
	if r.Location != "/manage" {
		t.Fatalf("after accepting: %s", r.Location)
	}
	mustContain(t, nc.get("/manage").Body, "new member's dashboard", "Org A")
	if _, err := models.Authenticate(db, "new@example.org", "a-long-passphrase"); err != nil {
		t.Fatalf("new member cannot sign in: %v", err)
	}

	// The only owner cannot step down or be removed.
	mustStatus(t, c.post(fmt.Sprintf("%s/%d/role", team, owner.ID), url.Values{"role": {"manager"}}), http.StatusSeeOther, "demote last owner")
	mustContain(t, c.get(team).Body, "last owner", "needs at least one owner")
	mustStatus(t, c.post(fmt.Sprintf("%s/%d/remove", team, owner.ID), nil), http.StatusSeeOther, "remove last owner")
	m, err := models.MembershipFor(db, owner.ID, org.ID)
	if err != nil || m.Role != models.RoleOwner {
		t.Fatalf("last owner changed: %v %+v", err, m)
	}
	// Promote Nuria, then the first owner may step down.
	nuria, _ := models.UserByEmail(db, "new@example.org")
	c.get(team)
	mustStatus(t, c.post(fmt.Sprintf("%s/%d/role", team, nuria.ID), url.Values{"role": {"owner"}}), http.StatusSeeOther, "promote")
	mustStatus(t, c.post(fmt.Sprintf("%s/%d/role", team, owner.ID), url.Values{"role": {"manager"}}), http.StatusSeeOther, "step down")
	if m, _ := models.MembershipFor(db, owner.ID, org.ID); m.Role != models.RoleManager {
		t.Fatalf("role after stepping down: %s", m.Role)
	}
	// Now a manager: sees the team, cannot change it, invite or grant.
	page = c.get(team)
	mustStatus(t, page, http.StatusOK, "team as manager")
	if strings.Contains(page.Body, "Send invitation") || strings.Contains(page.Body, "/coordinator") {
		t.Fatal("a manager is offered the invitation or permission forms")
	}
	if r := c.post(fmt.Sprintf("%s/%d/remove", team, nuria.ID), nil); r.Status != http.StatusForbidden {
		t.Fatalf("manager removing an owner: %d", r.Status)
	}
	if r := c.post(team, url.Values{"email": {"sneaky@example.org"}, "role": {"owner"}}); r.Status != http.StatusForbidden {
		t.Fatalf("manager inviting: %d", r.Status)
	}
	if r := c.post(fmt.Sprintf("%s/%d/coordinator", team, owner.ID), url.Values{"access_coordinator": {"1"}}); r.Status != http.StatusForbidden {
		t.Fatalf("manager granting themselves the permission: %d", r.Status)
	}
	if m, _ := models.MembershipFor(db, owner.ID, org.ID); m.AccessCoordinator {
		t.Fatal("a manager granted the access coordinator permission")
	}
	var n int64
	db.Model(&models.Invitation{}).Where("email = ?", "sneaky@example.org").Count(&n)
	if n != 0 {
		t.Fatal("a manager's invitation was made")
	}
}

func TestAdminCreatesOrganizationAndOwner(t *testing.T) {
	f, db := newTestApp(t)
	if _, err := models.CreateUser(db, "admin@example.org", "Admin", modeltest.Password, true); err != nil {
		t.Fatal(err)
	}
	modeltest.Organizer(t, db, "Existing Org", "known@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.signIn("admin@example.org")
	mustContain(t, c.get("/admin").Body, "admin list", "Existing Org", `href="/admin/orgs/new"`)
	c.get("/admin/orgs/new")
	r := c.post("/admin/orgs/new", url.Values{"name": {""}, "slug": {"Bad Slug"}, "vat_id": {"ES123"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "bad org")
	mustContain(t, r.Body, "bad org", `id="f-name-error"`, `id="f-slug-error"`, `value="ES123"`)
	r = c.post("/admin/orgs/new", url.Values{"name": {"Existing Org"}, "slug": {"existing-org"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "duplicate org slug")
	mustContain(t, r.Body, "duplicate org slug", "Another organization already uses")
	r = c.post("/admin/orgs/new", url.Values{"name": {"Ágora Salud Norte"}, "legal_name": {"ASN"}, "address": {"Calle 1"}, "vat_id": {"ES-B1"}})
	mustStatus(t, r, http.StatusSeeOther, "create org")
	var o models.Organization
	if err := db.Where("slug = ?", "agora-salud-norte").First(&o).Error; err != nil {
		t.Fatalf("org not created with derived slug: %v", err)
	}
	edit := fmt.Sprintf("/admin/orgs/%d/edit", o.ID)
	if r.Location != edit {
		t.Fatalf("redirect to %q", r.Location)
	}
	c.get(edit)
	r = c.post(edit, url.Values{"name": {"Agora Salud Norte"}, "slug": {"asn"}, "contact_email": {"not an address"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "bad contact")
	mustContain(t, r.Body, "bad contact", `id="f-contact_email-error"`, `value="not an address"`)
	c.get(edit)
	mustStatus(t, c.post(edit, url.Values{"name": {"Agora Salud Norte"}, "slug": {"asn"}, "vat_id": {"ES-B2"},
		"contact_name": {"ASN events"}, "contact_email": {"events@asn.example.org"}}), http.StatusSeeOther, "edit org")
	db.First(&o, o.ID)
	if o.Slug != "asn" || o.VATID != "ES-B2" || o.ContactName != "ASN events" || o.ContactEmail != "events@asn.example.org" {
		t.Fatalf("org after edit: %+v", o)
	}
	members := fmt.Sprintf("/admin/orgs/%d/members", o.ID)
	page := c.get(edit)
	if strings.Contains(page.Body, `name="password"`) {
		t.Fatal("the admin's form still asks for the owner's password")
	}
	r = c.post(members, url.Values{"email": {"boss@"}, "role": {"owner"}, "access_coordinator": {"1"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "bad owner address")
	mustContain(t, r.Body, "bad owner address", `id="f-email-error"`, `value="boss@"`)
	mustStatus(t, c.post(members, url.Values{"email": {"boss@example.org"}, "role": {"owner"}, "access_coordinator": {"1"}}), http.StatusSeeOther, "invite new owner")
	mustStatus(t, c.post(members, url.Values{"email": {"known@example.org"}, "role": {"owner"}}), http.StatusSeeOther, "invite existing owner")
	mustContain(t, c.get(edit).Body, "pending invitations", "boss@example.org", "known@example.org")
	// The admin resends the first owner's invitation (no owner could) and
	// withdraws a mistyped one; another organization's id is a 404.
	first := invitationPath(t, db, "boss@example.org")
	var bossInv models.Invitation
	db.Where("email = ?", "boss@example.org").Take(&bossInv)
	mustStatus(t, c.post(members, url.Values{"email": {"bos@example.org"}, "role": {"owner"}}), http.StatusSeeOther, "mistyped owner")
	var typo models.Invitation
	db.Where("email = ?", "bos@example.org").Take(&typo)
	mustContain(t, c.get(edit).Body, "admin's invitation list", fmt.Sprintf("/admin/orgs/%d/invitations/%d/resend", o.ID, bossInv.ID))
	var existing models.Organization
	db.Where("name = ?", "Existing Org").Take(&existing)
	if r := c.post(fmt.Sprintf("/admin/orgs/%d/invitations/%d/resend", existing.ID, bossInv.ID), nil); r.Status != http.StatusNotFound {
		t.Fatalf("resend through another organization: %d", r.Status)
	}
	mustStatus(t, c.post(fmt.Sprintf("/admin/orgs/%d/invitations/%d/resend", o.ID, bossInv.ID), nil), http.StatusSeeOther, "admin resends")
	c.get(edit)
	mustStatus(t, c.post(fmt.Sprintf("/admin/orgs/%d/invitations/%d/withdraw", o.ID, typo.ID), nil), http.StatusSeeOther, "admin withdraws")
	if page := c.get(edit).Body; strings.Contains(page, "bos@example.org") {
		t.Fatal("the withdrawn invitation is still listed")
	}
	// The new owner sets their password through the link and sees the organization.
	nc := newClient(t, f)
	link := invitationPath(t, db, "boss@example.org")
	if link == first {
		t.Fatal("the admin's resend kept the link")
	}
	mustStatus(t, nc.get(first), http.StatusNotFound, "the first link after the resend")
	nc.get(link)
	mustStatus(t, nc.post(link, url.Values{"name": {"Boss"}, "password": {"owner-chosen-secret"}, "password_confirm": {"owner-chosen-secret"}}), http.StatusSeeOther, "owner accepts")
	mustContain(t, nc.get("/manage").Body, "new owner's dashboard", "Agora Salud Norte", `href="/manage/events/new"`)
	boss, _ := models.UserByEmail(db, "boss@example.org")
	if m, err := models.MembershipFor(db, boss.ID, o.ID); err != nil || m.Role != models.RoleOwner || !m.AccessCoordinator {
		t.Fatalf("first owner's membership: %+v %v", m, err)
	}
	// The known account signs in to accept.
	kc := newClient(t, f)
	kc.signIn("known@example.org")
	link = accountInvitationPathForTest(invitationPath(t, db, "known@example.org"))
	kc.get(link)
	mustStatus(t, kc.post(link, nil), http.StatusSeeOther, "existing owner accepts")
	mustContain(t, c.get(edit).Body, "members", "boss@example.org", "known@example.org")
	var e models.AuditEntry
	if err := db.Where("organization_id = ? AND action = ? AND subject = ?", o.ID, models.AuditInvited, "boss@example.org").Take(&e).Error; err != nil {
		t.Fatalf("the admin's invitation is not audited: %v", err)
	}
	if e.ActorEmail != "admin@example.org" || !strings.Contains(e.Detail, "role: owner; access coordinator") {
		t.Fatalf("entry %+v", e)
	}
}
