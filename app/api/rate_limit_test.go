package api

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

type pingOutput struct {
	Body struct {
		OK bool `json:"ok"`
	}
}

// registerPublicPing adds a test-only public operation (none is public on
// this branch yet).
func registerPublicPing(s *Server) {
	huma.Register(s.api, huma.Operation{OperationID: "test-ping", Method: http.MethodGet, Path: "/test/ping", Summary: "Test-only public read"},
		func(ctx context.Context, _ *struct{}) (*pingOutput, error) {
			out := &pingOutput{}
			out.Body.OK = true
			return out, nil
		})
}

func TestRateLimitPerTokenWithHeaders(t *testing.T) {
	ta := newTestAPI(t)
	ta.now = time.Date(2026, 5, 4, 10, 0, 18, 0, time.UTC) // 42 s before the minute's window ends
	ta.remount(func(d *Deps) { d.TokenLimit = 3 })
	org, _ := modeltest.Organizer(t, ta.db, "Cluster", "owner@example.org", models.RoleOwner)
	tok := ta.token(org.ID, models.ScopeEventsRead)
	other := ta.token(org.ID, models.ScopeEventsRead)

	for i := 1; i <= 3; i++ {
		r := ta.do("GET", "/api/v1/events", tok, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("request %d: %d %s", i, r.Status, r.Body)
		}
		if got, want := r.Header.Get("RateLimit-Policy"), `"token";q=3;w=60`; got != want {
			t.Fatalf("RateLimit-Policy %q, want %q", got, want)
		}
		if got, want := r.Header.Get("RateLimit"), `"token";r=`+strconv.Itoa(3-i)+`;t=42`; got != want {
			t.Fatalf("request %d: RateLimit %q, want %q", i, got, want)
		}
	}
	r := ta.do("GET", "/api/v1/events", tok, nil)
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "42" || r.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("over the limit: %d Retry-After %q %s %s", r.Status, r.Header.Get("Retry-After"), r.Header.Get("Content-Type"), r.Body)
	}
	if r.JSON["status"] != float64(429) || r.Header.Get("RateLimit") != `"token";r=0;t=42` {
		t.Fatalf("429 body/header: %s %q", r.Body, r.Header.Get("RateLimit"))
	}
	if r := ta.do("GET", "/api/v1/events", other, nil); r.Status != http.StatusOK {
		t.Fatalf("another token is limited too: %d", r.Status)
	}

	// A second instance shares the count (the store is the database).
	two := ta.otherInstance(func(d *Deps) { d.TokenLimit = 3 })
	if r := two.do("GET", "/api/v1/events", tok, nil); r.Status != http.StatusTooManyRequests {
		t.Fatalf("second instance: %d, want the shared limit", r.Status)
	}

	// The next window starts afresh.
	ta.now = ta.now.Add(42 * time.Second)
	r = ta.do("GET", "/api/v1/events", tok, nil)
	if r.Status != http.StatusOK || r.Header.Get("RateLimit") != `"token";r=2;t=60` {
		t.Fatalf("next window: %d %q", r.Status, r.Header.Get("RateLimit"))
	}
}

func TestRateLimitPerAddressOnPublicOperations(t *testing.T) {
	ta := newTestAPI(t)
	ta.remount(func(d *Deps) {
		d.AddressLimit = 2
		d.ClientAddr = func(c *fiber.Ctx) string { return c.Get("X-Test-Client") }
	})
	registerPublicPing(ta.srv)
	for i := 0; i < 2; i++ {
		if r := ta.do("GET", "/api/v1/test/ping", "", nil, "X-Test-Client", "192.0.2.1"); r.Status != http.StatusOK ||
			r.Header.Get("RateLimit-Policy") != `"address";q=2;w=60` {
			t.Fatalf("public %d: %d %q", i, r.Status, r.Header.Get("RateLimit-Policy"))
		}
	}
	if r := ta.do("GET", "/api/v1/test/ping", "", nil, "X-Test-Client", "192.0.2.1"); r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("public over the limit: %d", r.Status)
	}
	if r := ta.do("GET", "/api/v1/test/ping", "", nil, "X-Test-Client", "192.0.2.2"); r.Status != http.StatusOK {
		t.Fatalf("another address: %d", r.Status)
	}
}

func TestEveryOperationDocumentsTheRateLimit(t *testing.T) {
	ta := newTestAPI(t)
	for path, item := range ta.srv.OpenAPI().Paths {
		for _, op := range operationsOf(item) {
			r := op.Responses["429"]
			if r == nil || r.Headers["Retry-After"] == nil || r.Content["application/problem+json"] == nil {
				t.Errorf("%s %s: no documented 429", op.Method, path)
			}
		}
	}
}

// operationsOf lists a path's operations.
func operationsOf(item *huma.PathItem) []*huma.Operation {
	var out []*huma.Operation
	for _, op := range []*huma.Operation{item.Get, item.Put, item.Post, item.Delete, item.Options, item.Head, item.Patch, item.Trace} {
		if op != nil {
			out = append(out, op)
		}
	}
	return out
}
