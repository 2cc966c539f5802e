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

func TestTeamAddChangeRemoveKeepsAnOwner(t *testing.T) {
	f, db := newTestApp(t)
	org, owner := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	modeltest.Organizer(t, db, "Org Other", "elsewhere@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.signIn("owner@example.org")
	team := fmt.Sprintf("/manage/orgs/%d/team", org.ID)
	mustContain(t, c.get("/manage").Body, "dashboard", `href="`+team+`"`)
	mustContain(t, c.get(team).Body, "team", "owner@example.org", "Add member")

	// A new account needs a long enough password; what was typed comes back (but not the password).
	r := c.post(team, url.Values{"email": {"new@example.org"}, "member_name": {"Nuria New"}, "role": {"manager"}, "password": {"short"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "short password")
	mustContain(t, r.Body, "short password", "at least 10 characters", `value="new@example.org"`, `value="Nuria New"`)
	if strings.Contains(r.Body, `value="short"`) {
		t.Fatal("password echoed back")
	}
	mustStatus(t, c.post(team, url.Values{"email": {"New@Example.org"}, "member_name": {"Nuria New"}, "role": {"manager"}, "password": {"a-long-password"}}), http.StatusSeeOther, "add new")
	// An existing account (another org's owner) is only given a membership.
	mustStatus(t, c.post(team, url.Values{"email": {"elsewhere@example.org"}, "role": {"checkin"}}), http.StatusSeeOther, "add existing")
	r = c.post(team, url.Values{"email": {"elsewhere@example.org"}, "role": {"owner"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "add twice")
	mustContain(t, r.Body, "add twice", "already in the team")
	page := c.get(team)
	mustContain(t, page.Body, "team list", "Nuria New", "new@example.org", "elsewhere@example.org")
	if _, err := models.Authenticate(db, "new@example.org", "a-long-password"); err != nil {
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
	// Now a manager: sees the team, cannot change it.
	page = c.get(team)
	mustStatus(t, page, http.StatusOK, "team as manager")
	if strings.Contains(page.Body, "Add member") {
		t.Fatal("a manager is offered the add form")
	}
	if r := c.post(fmt.Sprintf("%s/%d/remove", team, nuria.ID), nil); r.Status != http.StatusForbidden {
		t.Fatalf("manager removing an owner: %d", r.Status)
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
	mustStatus(t, c.post(members, url.Values{"email": {"boss@example.org"}, "member_name": {"Boss"}, "role": {"owner"}, "password": {modeltest.Password}}), http.StatusSeeOther, "new owner")
	mustStatus(t, c.post(members, url.Values{"email": {"known@example.org"}, "role": {"owner"}}), http.StatusSeeOther, "existing owner")
	mustContain(t, c.get(edit).Body, "members", "boss@example.org", "known@example.org")
	// The new owner signs in and sees the organization.
	nc := newClient(t, f)
	nc.signIn("boss@example.org")
	mustContain(t, nc.get("/manage").Body, "new owner's dashboard", "Agora Salud Norte", `href="/manage/events/new"`)
}
