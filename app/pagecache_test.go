package app

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestEventPageCacheRevalidatesAndFollowsEdits(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "cached", models.StatusPublished)
	c := newClient(t, f)

	first := c.get("/events/cached")
	etag := first.Header.Get("ETag")
	if first.Status != http.StatusOK || etag == "" {
		t.Fatalf("first: %d etag %q", first.Status, etag)
	}
	req := httptest.NewRequest(http.MethodGet, "/events/cached", nil)
	req.Header.Set("If-None-Match", etag)
	if r := c.do(req); r.Status != http.StatusNotModified {
		t.Fatalf("revalidation: %d, want 304", r.Status)
	}

	// An edit, wherever it was made, changes the version in the database.
	e.Title = "Renamed <b>forum</b>"
	if err := models.SaveEvent(db, e); err != nil {
		t.Fatal(err)
	}
	req = httptest.NewRequest(http.MethodGet, "/events/cached", nil)
	req.Header.Set("If-None-Match", etag)
	r := c.do(req)
	if r.Status != http.StatusOK || r.Header.Get("ETag") == etag || !strings.Contains(r.Body, "Renamed &lt;b&gt;forum&lt;/b&gt;") {
		t.Fatalf("after edit: %d etag %q", r.Status, r.Header.Get("ETag"))
	}

	// Spanish is cached apart from English.
	c.lang = "es"
	if r := c.get("/events/cached"); !strings.Contains(r.Body, "Programa") {
		t.Fatal("Spanish page served from the English cache")
	}

	// gzip when accepted.
	req = httptest.NewRequest(http.MethodGet, "/events/cached", nil)
	req.Header.Set("Accept-Encoding", "gzip") // brotli first when both are accepted: compress_test.go
	r = c.do(req)
	if r.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("no gzip: %v", r.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader([]byte(r.Body)))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !strings.Contains(string(plain), "Renamed") {
		t.Fatal("gzip body is not the page")
	}

	// Unpublishing makes it disappear at once.
	if err := models.SetEventStatus(db, e, models.StatusDraft); err != nil {
		t.Fatal(err)
	}
	if r := c.get("/events/cached"); r.Status != http.StatusNotFound {
		t.Fatalf("unpublished page: %d", r.Status)
	}
}
