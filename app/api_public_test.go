package app

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// TestPublicAPIThroughTheWholeApp reads the public API through the site's
// own middleware (security headers, input check, sessions): no token, any
// origin, no session cookie, and a draft stays hidden.
func TestPublicAPIThroughTheWholeApp(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Cluster", "owner@example.org", models.RoleOwner)
	modeltest.Event(t, db, org.ID, "open-forum", models.StatusPublished)
	modeltest.Event(t, db, org.ID, "secret-draft", models.StatusDraft)

	for _, c := range []struct {
		path   string
		status int
	}{{"/api/v1/public/events", http.StatusOK}, {"/api/v1/public/events/open-forum", http.StatusOK},
		{"/api/v1/public/events/secret-draft", http.StatusNotFound}, {"/api/v1/public/events?organization=%27%22%3Cx%3E", http.StatusOK}} {
		req := httptest.NewRequest(http.MethodGet, c.path, nil)
		req.Header.Set("Origin", "https://www.example.org")
		resp, err := f.Test(req, 10_000)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: %d, allow-origin %q", c.path, resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
		}
		if len(resp.Header.Values("Set-Cookie")) != 0 {
			t.Errorf("%s sets a cookie: %v", c.path, resp.Header.Values("Set-Cookie"))
		}
	}
}
