package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestTokenScopesRevocationAndExpiry(t *testing.T) {
	ta := newTestAPI(t)
	org, _ := modeltest.Organizer(t, ta.db, "Cluster", "owner@example.org", models.RoleOwner)
	modeltest.Event(t, ta.db, org.ID, "forum", models.StatusPublished)

	if r := ta.do("GET", "/api/v1/events", "", nil); r.Status != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") == "" {
		t.Fatalf("no token: %d %s", r.Status, r.Body)
	}
	if r := ta.do("GET", "/api/v1/events", "agora_not-a-token", nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("unknown token: %d", r.Status)
	}
	wrong := ta.token(org.ID, models.ScopeMeetings)
	if r := ta.do("GET", "/api/v1/events", wrong, nil); r.Status != http.StatusForbidden {
		t.Fatalf("token without events:read: %d %s", r.Status, r.Body)
	}
	if ct := ta.do("GET", "/api/v1/events", wrong, nil).Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("error content type %q", ct)
	}

	good := ta.token(org.ID, models.ScopeEventsRead)
	r := ta.do("GET", "/api/v1/events", good, nil)
	if r.Status != http.StatusOK || len(r.items()) != 1 {
		t.Fatalf("events: %d %s", r.Status, r.Body)
	}
	var tok models.APIToken
	ta.db.Where("organization_id = ? AND scopes = ?", org.ID, models.ScopeEventsRead).Take(&tok)
	if tok.LastUsedAt == nil {
		t.Fatal("last use not recorded")
	}

	if _, err := models.RevokeAPIToken(ta.db, org.ID, tok.ID, ta.now, models.AuditEntry{Action: "api.token_revoked"}); err != nil {
		t.Fatal(err)
	}
	if r := ta.do("GET", "/api/v1/events", good, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", r.Status)
	}

	soon := ta.now.Add(time.Hour)
	raw, _, err := models.CreateAPIToken(ta.db, models.NewAPITokenInput{OrganizationID: org.ID, Name: "expiring",
		Scopes: []string{models.ScopeEventsRead}, ExpiresAt: &soon}, models.AuditEntry{Action: "api.token_created"})
	if err != nil {
		t.Fatal(err)
	}
	if r := ta.do("GET", "/api/v1/events", raw, nil); r.Status != http.StatusOK {
		t.Fatalf("token before expiry: %d", r.Status)
	}
	ta.now = soon.Add(time.Second)
	if r := ta.do("GET", "/api/v1/events", raw, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("expired token: %d", r.Status)
	}
}

func TestAnotherOrganizationsEventIsNotFound(t *testing.T) {
	ta := newTestAPI(t)
	mine, _ := modeltest.Organizer(t, ta.db, "Mine", "a@example.org", models.RoleOwner)
	theirs, _ := modeltest.Organizer(t, ta.db, "Theirs", "b@example.org", models.RoleOwner)
	ev := modeltest.Event(t, ta.db, theirs.ID, "theirs", models.StatusPublished)
	tok := ta.token(mine.ID, models.ScopeEventsRead)
	if r := ta.do("GET", "/api/v1/events/"+itoa(ev.ID), tok, nil); r.Status != http.StatusNotFound {
		t.Fatalf("other org's event: %d %s", r.Status, r.Body)
	}
	if r := ta.do("GET", "/api/v1/events", tok, nil); len(r.items()) != 0 {
		t.Fatalf("other org's events listed: %s", r.Body)
	}
}

func TestBodyWithNULIsRefused(t *testing.T) {
	ta := newTestAPI(t)
	for _, body := range []string{`{"name":"a\u0000b"}`, "{\"name\":\"\xff\"}", `{"name":"\u001b[31m"}`} {
		if r := ta.do("POST", "/api/v1/events", "", body); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%q: %d %s", body, r.Status, r.Body)
		}
	}
	if hasControlEscape([]byte(`{"a":"\\u0000 is how you write it","b":"tab\u0009"}`)) {
		t.Error("an escaped backslash before u0000 is text, and a tab is fine")
	}
}
