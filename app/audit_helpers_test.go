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

// auditWorld is an app behind a trusted proxy (app.Test's peer, 0.0.0.0),
// organization A with an owner, a manager and check-in staff, a published
// event with one registration, and organization B with its own owner.
type auditWorld struct {
	app   *fiber.App
	db    *gorm.DB
	dsn   string
	orgA  *models.Organization
	orgB  *models.Organization
	owner *models.User
	fx    regFixture
}

func newAuditWorld(t *testing.T) *auditWorld {
	t.Helper()
	db, dsn := modeltest.NewDB(t)
	f, err := New(Config{BaseURL: "http://agora.test", TrustedProxies: "0.0.0.0"},
		Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w := &auditWorld{app: f, db: db, dsn: dsn}
	w.orgA, w.owner = modeltest.Organizer(t, db, "Org A", "owner@a.example", models.RoleOwner)
	modeltest.Organizer(t, db, "Org A", "manager@a.example", models.RoleManager)
	modeltest.Organizer(t, db, "Org A", "door@a.example", models.RoleCheckin)
	w.orgB, _ = modeltest.Organizer(t, db, "Org B", "owner@b.example", models.RoleOwner)
	e := modeltest.Event(t, db, w.orgA.ID, "audit-forum", models.StatusPublished)
	w.fx = newRegFixture(t, db, e)
	t.Cleanup(func() { checkCounters(t, db) })
	return w
}

func (w *auditWorld) signedIn(t *testing.T, email string) *client {
	t.Helper()
	c := newClient(t, w.app)
	c.signIn(email)
	return c
}

// postFrom is client.post with the address the proxy saw the client at.
func postFrom(c *client, path string, form url.Values, forwardedFor string) response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", c.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", forwardedFor)
	return c.do(req)
}

// auditOf lists the entries of action, oldest first.
func auditOf(t *testing.T, db *gorm.DB, action string) []models.AuditEntry {
	t.Helper()
	var es []models.AuditEntry
	if err := db.Where("action = ?", action).Order("id").Find(&es).Error; err != nil {
		t.Fatal(err)
	}
	return es
}

// oneAudit asserts exactly one entry of action and returns it.
func oneAudit(t *testing.T, db *gorm.DB, action string) models.AuditEntry {
	t.Helper()
	es := auditOf(t, db, action)
	if len(es) != 1 {
		t.Fatalf("%d %s entries, want 1: %+v", len(es), action, es)
	}
	return es[0]
}

// checkActor asserts the entry names user (nil = the system) and its event.
func checkActor(t *testing.T, e models.AuditEntry, user *models.User, orgID uint, eventID uint) {
	t.Helper()
	switch {
	case user == nil && (e.ActorUserID != nil || e.ActorEmail != ""):
		t.Errorf("%s: actor %v %q, want the system", e.Action, e.ActorUserID, e.ActorEmail)
	case user != nil && (e.ActorUserID == nil || *e.ActorUserID != user.ID || e.ActorEmail != user.Email):
		t.Errorf("%s: actor %v %q, want %d %q", e.Action, e.ActorUserID, e.ActorEmail, user.ID, user.Email)
	}
	if e.OrganizationID != orgID {
		t.Errorf("%s: organization %d, want %d", e.Action, e.OrganizationID, orgID)
	}
	if eventID != 0 && (e.EventID == nil || *e.EventID != eventID) {
		t.Errorf("%s: event %v, want %d", e.Action, e.EventID, eventID)
	}
}

func countAudit(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.AuditEntry{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func userByEmail(t *testing.T, db *gorm.DB, email string) *models.User {
	t.Helper()
	var u models.User
	if err := db.Where("email = ?", email).Take(&u).Error; err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	return &u
}

func eventPath(e *models.Event, rest string) string {
	return fmt.Sprintf("/manage/events/%d%s", e.ID, rest)
}
