package app

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models/modeltest"
)

// newTestApp builds the whole app on a fresh database of the suite's engine.
func newTestApp(t *testing.T) (*fiber.App, *gorm.DB) {
	t.Helper()
	db, _ := modeltest.NewDB(t)
	f, err := New(Config{BaseURL: "http://agora.test"}, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	return f, db
}

// client drives the app like a browser: it keeps cookies and sends back the
// CSRF token of the last form it saw.
type client struct {
	t       *testing.T
	app     *fiber.App
	cookies map[string]string
	csrf    string
	lang    string
}

func newClient(t *testing.T, app *fiber.App) *client {
	return &client{t: t, app: app, cookies: map[string]string{}}
}

// response is what a request returned.
type response struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	res, err := c.app.Test(req, int((30 * time.Second).Milliseconds()))
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	if m := csrfField.FindSubmatch(body); m != nil {
		c.csrf = string(m[1])
	}
	return response{Status: res.StatusCode, Body: string(body), Location: res.Header.Get("Location"), Header: res.Header}
}

// get fetches path.
func (c *client) get(path string) response {
	c.t.Helper()
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends form with the CSRF token of the last page seen (unless the form
// sets _csrf itself).
func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", c.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// As the pages' scripts do for their JSON posts (the door's sync); form
	// routes read the field and ignore the header.
	req.Header.Set("X-CSRF-Token", form.Get("_csrf"))
	return c.do(req)
}

// signIn signs in through the form, as a person would.
func (c *client) signIn(email string) {
	c.t.Helper()
	c.get("/manage/login")
	r := c.post("/manage/login", url.Values{"email": {email}, "password": {modeltest.Password}})
	if r.Status != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: status %d\n%s", email, r.Status, r.Body)
	}
}
