package app

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// testClock is a clock tests move forward; every instance of a test shares it.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// accountsWorld is two instances of the app on one database with one clock,
// and an owner who belongs to two organizations.
type accountsWorld struct {
	a, b  *fiber.App
	db    *gorm.DB
	clock *testClock
	user  *models.User
	orgs  []uint
}

const (
	firefoxWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
	chromeAndroid  = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)

func newAccountsWorld(t *testing.T, cfg Config) *accountsWorld {
	t.Helper()
	db, _ := modeltest.NewDB(t)
	w := &accountsWorld{db: db, clock: &testClock{t: time.Now().UTC().Truncate(time.Second)}}
	cfg.BaseURL = "http://agora.test"
	for _, f := range []**fiber.App{&w.a, &w.b} {
		app, err := New(cfg, Deps{DB: db, Now: w.clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		*f = app
	}
	org1, u := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	org2, err := models.FindOrCreateOrganization(db, "Org B")
	if err != nil {
		t.Fatal(err)
	}
	if err := models.AddMember(db, org2.ID, u.ID, models.RoleManager); err != nil {
		t.Fatal(err)
	}
	w.user, w.orgs = u, []uint{org1.ID, org2.ID}
	return w
}

// signInWith signs c in through the form as a browser with user agent ua.
func signInWith(t *testing.T, c *client, email, password, ua string) response {
	t.Helper()
	c.get("/manage/login")
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {c.csrf}}
	req := httptest.NewRequest(http.MethodPost, "/manage/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", ua)
	return c.do(req)
}

// mustBeSignedOut checks that c is sent to the sign-in page from path.
func mustBeSignedOut(t *testing.T, c *client, path, what string) {
	t.Helper()
	r := c.get(path)
	if r.Status != http.StatusSeeOther || r.Location != "/manage/login?next="+url.QueryEscape(path) {
		t.Fatalf("%s: GET %s = %d to %q, want the sign-in page with next", what, path, r.Status, r.Location)
	}
}

// mustBeSignedIn checks that c sees the dashboard.
func mustBeSignedIn(t *testing.T, c *client, what string) {
	t.Helper()
	r := c.get("/manage")
	if r.Status != http.StatusOK {
		t.Fatalf("%s: GET /manage = %d to %q, want the dashboard", what, r.Status, r.Location)
	}
}

// auditActions counts the entries of action per organization.
func auditActions(t *testing.T, db *gorm.DB, action string) map[uint]int {
	t.Helper()
	var es []models.AuditEntry
	if err := db.Where("action = ?", action).Find(&es).Error; err != nil {
		t.Fatal(err)
	}
	out := map[uint]int{}
	for _, e := range es {
		out[e.OrganizationID]++
	}
	return out
}

// mustAuditEachOrg checks that action was written n times to each of w's organizations.
func (w *accountsWorld) mustAuditEachOrg(t *testing.T, action string, n int) {
	t.Helper()
	got := auditActions(t, w.db, action)
	for _, id := range w.orgs {
		if got[id] != n {
			t.Errorf("%s: %d entries in organization %d, want %d (all: %v)", action, got[id], id, n, got)
		}
	}
}
