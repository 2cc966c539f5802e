package app

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// rolesAPIToken gives the roles test a token of orgID to confirm and revoke.
func rolesAPIToken(t *testing.T, db *gorm.DB, orgID uint) uint {
	t.Helper()
	_, tok, err := models.CreateAPIToken(db, models.NewAPITokenInput{OrganizationID: orgID, Name: "Roles",
		Scopes: []string{models.ScopeEventsRead}}, models.AuditEntry{Action: models.AuditAPITokenCreated})
	if err != nil {
		t.Fatal(err)
	}
	return tok.ID
}

var shownToken = regexp.MustCompile(`value="(agora_[A-Za-z0-9_-]+)"`)

func TestOwnerMakesUsesAndRevokesAnAPIToken(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Cluster", "owner@example.org", models.RoleOwner)
	modeltest.Event(t, db, org.ID, "forum", models.StatusPublished)
	c := newClient(t, f)
	c.signIn("owner@example.org")
	page := fmt.Sprintf("/manage/orgs/%d/api-tokens", org.ID)
	mustContain(t, c.get(fmt.Sprintf("/manage/orgs/%d/settings", org.ID)).Body, "settings", `href="`+page+`"`)
	mustContain(t, c.get(page).Body, "empty list", "no API tokens yet", `name="scopes" value="registrations:write"`, `href="/docs/api"`)

	// Bad input comes back beside each field, with what was typed.
	r := c.post(page, url.Values{"name": {"CRM " + strings.Repeat("x", 120)}, "expires": {"2001-01-01"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "bad token")
	mustContain(t, r.Body, "bad token", `id="f-name-error"`, `id="f-scopes-error"`, `id="f-expires-error"`, `value="2001-01-01"`, "CRM xxx")
	r = c.post(page, url.Values{"name": {"CRM"}, "scopes": {"everything"}, "expires": {"31/03/2027"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "unknown scope")
	mustContain(t, r.Body, "unknown scope", "Please choose only from the list.", "Please enter a day")
	var n int64
	db.Model(&models.APIToken{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d tokens made from bad input", n)
	}

	// The token is shown once, on the page answering the form.
	r = c.post(page, url.Values{"name": {"CRM sync"}, "scopes": {models.ScopeEventsRead, models.ScopeRegistrationsRead}})
	mustStatus(t, r, http.StatusOK, "make token")
	mustContain(t, r.Body, "made", "only time it is shown", "CRM sync", "Authorization: Bearer agora_")
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page with the token may be cached: %q", r.Header.Get("Cache-Control"))
	}
	m := shownToken.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no token on the page:\n%s", r.Body)
	}
	raw := m[1]
	list := c.get(page)
	mustContain(t, list.Body, "list", "CRM sync", raw[:10]+"…", "events:read", "registrations:read", "Not used yet")
	if strings.Contains(list.Body, raw) {
		t.Fatal("the list shows the whole token")
	}
	var tok models.APIToken
	if err := db.Where("organization_id = ?", org.ID).Take(&tok).Error; err != nil {
		t.Fatal(err)
	}
	if strings.Contains(tok.TokenHash, raw) || tok.ExpiresAt != nil || tok.CreatedByID == nil {
		t.Fatalf("stored token: %+v", tok)
	}
	apiTokenAuditHas(t, db, org.ID, models.AuditAPITokenCreated, "api token "+tok.Hint)

	// The token works on the API, and the list says it was used.
	api := func() int {
		req := httptest.NewRequest("GET", "/api/v1/events", nil)
		req.Header.Set("Authorization", "Bearer "+raw)
		resp, err := f.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := api(); s != http.StatusOK {
		t.Fatalf("new token on the API: %d", s)
	}
	if strings.Contains(c.get(page).Body, "Not used yet") {
		t.Fatal("last use not shown")
	}

	// Revoking asks first, then stops the token at once.
	revoke := fmt.Sprintf("%s/%d/revoke", page, tok.ID)
	mustContain(t, c.get(page).Body, "revoke link", `href="`+revoke+`"`)
	mustContain(t, c.get(revoke).Body, "confirm", "Revoke the token “CRM sync”?", `action="`+revoke+`"`)
	r = c.post(revoke, nil)
	mustStatus(t, r, http.StatusSeeOther, "revoke")
	mustContain(t, c.get(page).Body, "revoked", "The token is revoked", "Revoked on")
	if s := api(); s != http.StatusUnauthorized {
		t.Fatalf("revoked token on the API: %d", s)
	}
	apiTokenAuditHas(t, db, org.ID, models.AuditAPITokenRevoked, "api token "+tok.Hint)
	mustContain(t, c.get(revoke).Body, "confirm again", "already revoked")

	// An expiry day is the last day the token works, in the site's zone.
	r = c.post(page, url.Values{"name": {"Website"}, "scopes": {models.ScopeEventsRead}, "expires": {"2999-12-30"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "too far")
	mustContain(t, r.Body, "too far", "within five years")
}

func TestAnotherOrganizationsTokenCannotBeRevoked(t *testing.T) {
	f, db := newTestApp(t)
	mine, _ := modeltest.Organizer(t, db, "Mine", "owner@example.org", models.RoleOwner)
	theirs, _ := modeltest.Organizer(t, db, "Theirs", "other@example.org", models.RoleOwner)
	id := rolesAPIToken(t, db, theirs.ID)
	c := newClient(t, f)
	c.signIn("owner@example.org")
	u := fmt.Sprintf("/manage/orgs/%d/api-tokens/%d/revoke", mine.ID, id)
	mustStatus(t, c.get(u), http.StatusNotFound, "their token's page")
	mustStatus(t, c.post(u, nil), http.StatusNotFound, "revoke their token")
	var tok models.APIToken
	db.Take(&tok, id)
	if tok.RevokedAt != nil {
		t.Fatal("another organization's token was revoked")
	}
}

// apiTokenAuditHas fails unless orgID's log holds action about subject.
func apiTokenAuditHas(t *testing.T, db *gorm.DB, orgID uint, action, subject string) {
	t.Helper()
	var n int64
	db.Model(&models.AuditEntry{}).Where("organization_id = ? AND action = ? AND subject = ?", orgID, action, subject).Count(&n)
	if n != 1 {
		t.Fatalf("audit entries %s %q: %d", action, subject, n)
	}
}
