package app

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The API is mounted behind the site's input check: a query value that
// cannot be stored is refused with a problem, not cleaned and answered.
func TestAPIRefusesAQueryTheInputCheckCleaned(t *testing.T) {
	app, _ := newTestApp(t)
	for path, want := range map[string]int{
		"/api/v1/events?status=%00published": http.StatusUnprocessableEntity,
		"/api/v1/events?status=%ff":          http.StatusUnprocessableEntity,
		"/api/v1/events":                     http.StatusUnauthorized,
		"/api/v1/openapi.json":               http.StatusOK,
	} {
		resp, err := app.Test(httptest.NewRequest("GET", path, nil), 10_000)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Errorf("%s: %d %s, want %d", path, resp.StatusCode, body, want)
		}
		if want != http.StatusOK && !json.Valid(body) {
			t.Errorf("%s: not JSON: %s", path, body)
		}
	}
}
