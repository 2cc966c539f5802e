package app

import (
	"context"
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

	"github.com/agora-events/agora/app/jobs"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// webhookWorld is an app (private addresses allowed or not) with an
// organization's owner and manager, and another organization.
type webhookWorld struct {
	app         *fiber.App
	db          *gorm.DB
	org, other  *models.Organization
	ownerEmail  string
	allowedPriv bool
}

func newWebhookWorld(t *testing.T, allowPrivate bool) *webhookWorld {
	t.Helper()
	db, _ := modeltest.NewDB(t)
	f, err := New(Config{BaseURL: "http://agora.test", WebhooksAllowPrivate: allowPrivate},
		Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w := &webhookWorld{app: f, db: db, ownerEmail: "owner@hooks.example", allowedPriv: allowPrivate}
	w.org, _ = modeltest.Organizer(t, db, "Hooks", w.ownerEmail, models.RoleOwner)
	modeltest.Organizer(t, db, "Hooks", "manager@hooks.example", models.RoleManager)
	w.other, _ = modeltest.Organizer(t, db, "Elsewhere", "owner@elsewhere.example", models.RoleOwner)
	return w
}

func (w *webhookWorld) signedIn(t *testing.T, email string) *client {
	c := newClient(t, w.app)
	c.signIn(email)
	return c
}

var secretShown = regexp.MustCompile(`value="(whsec_[A-Za-z0-9_-]+)"`)

// An owner adds an endpoint (the secret is shown once), the log shows a
// test notice delivered, signed with that secret, and re-sent by hand;
// types and state change; the secret is rotated; the endpoint is deleted.
// Each change is in the audit log.
func TestWebhookOwnerPages(t *testing.T) {
	w := newWebhookWorld(t, true)
	var got []*http.Request
	var bodies []string
	rcv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got, bodies = append(got, r.Clone(context.Background())), append(bodies, string(b))
	}))
	defer rcv.Close()

	c := w.signedIn(t, w.ownerEmail)
	base := webhooksURL(w.org.ID)
	r := c.get(base)
	mustStatus(t, r, http.StatusOK, "webhooks page")
	mustContain(t, r.Body, "webhooks page", "No webhook addresses yet.", "Order placed", `name="types"`)

	// Nothing chosen and no address: both fields say so, what was typed stays.
	r = c.post(base, url.Values{"url": {"not a url"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "empty form")
	mustContain(t, r.Body, "empty form", "Choose at least one kind of notice.", `value="not a url"`)
	r = c.post(base, url.Values{"url": {"ftp://files.example/x"}, "types": {models.WebhookOrderPlaced}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "ftp")
	mustContain(t, r.Body, "ftp", "Enter a full web address", `id="f-url-error"`, `value="ftp://files.example/x"`)
	// An expired form saves nothing.
	r = c.post(base, url.Values{"_csrf": {"bad"}, "url": {rcv.URL}, "types": {models.WebhookOrderPlaced}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "bad csrf")
	if eps, _ := models.WebhookEndpoints(w.db, w.org.ID); len(eps) != 0 {
		t.Fatal("an endpoint was saved with a bad CSRF token")
	}

	c.get(base)
	r = c.post(base, url.Values{"url": {rcv.URL + "/in"}, "types": {models.WebhookOrderPlaced, models.WebhookCheckedIn, "bogus"}})
	mustStatus(t, r, http.StatusOK, "create")
	m := secretShown.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no secret shown:\n%s", r.Body)
	}
	secret := m[1]
	mustContain(t, r.Body, "create", "this is the only time it is shown")
	eps, _ := models.WebhookEndpoints(w.db, w.org.ID)
	if len(eps) != 1 || eps[0].EventTypes != "order.placed attendee.checked_in" || !eps[0].Active {
		t.Fatalf("endpoints %+v", eps)
	}
	ep := eps[0]
	page := webhookURL(w.org.ID, ep.ID)
	r = c.get(base)
	if strings.Contains(r.Body, secret) {
		t.Fatal("the list shows the secret again")
	}
	r = c.get(page)
	if strings.Contains(r.Body, secret) {
		t.Fatal("the endpoint page shows the secret again")
	}

	// A test notice: queued from the page, sent by the worker, in the log.
	mustStatus(t, c.post(page+"/test", nil), http.StatusSeeOther, "test")
	hooks := &jobs.Webhooks{DB: w.db, Policy: models.WebhookPolicy{AllowPrivate: true}, InstanceID: "test"}
	if _, err := hooks.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !strings.Contains(bodies[0], `"type":"ping"`) {
		t.Fatalf("receiver got %d posts %v", len(got), bodies)
	}
	ts := got[0].Header.Get("Agora-Webhook-Timestamp")
	if got[0].Header.Get("Agora-Webhook-Signature") != "v1="+jobs.SignWebhook(secret, ts, []byte(bodies[0])) {
		t.Fatal("the test notice is not signed with the secret shown")
	}
	r = c.get(page)
	mustContain(t, r.Body, "log", "<code>ping</code>", "Received", "<td>200</td>")
	// Re-sent by hand: the same delivery goes again.
	var d models.WebhookDelivery
	w.db.Take(&d, "endpoint_id = ?", ep.ID)
	mustStatus(t, c.post(page+"/deliveries/"+itoa(int(d.ID))+"/resend", nil), http.StatusSeeOther, "resend")
	hooks.RunOnce(context.Background())
	if len(got) != 2 || got[1].Header.Get("Agora-Webhook-Id") != got[0].Header.Get("Agora-Webhook-Id") {
		t.Fatalf("re-send: %d posts", len(got))
	}

	// Change types, turn off: saved; nothing chosen: the message beside the choices.
	c.get(page)
	r = c.post(page, url.Values{})
	mustStatus(t, r, http.StatusUnprocessableEntity, "no types")
	mustContain(t, r.Body, "no types", `id="f-types-error"`)
	mustStatus(t, c.post(page, url.Values{"types": {models.WebhookOrderPaid}}), http.StatusSeeOther, "save")
	w.db.Take(&ep, ep.ID)
	if ep.Active || ep.EventTypes != models.WebhookOrderPaid {
		t.Fatalf("after save %+v", ep)
	}

	// Rotate: a new secret, shown once.
	r = c.post(page+"/rotate", nil)
	mustStatus(t, r, http.StatusOK, "rotate")
	m = secretShown.FindStringSubmatch(r.Body)
	if m == nil || m[1] == secret {
		t.Fatal("no new secret after rotating")
	}
	w.db.Take(&ep, ep.ID)
	if s, _ := models.WebhookSecret(nil, ep); s != m[1] {
		t.Fatal("the stored secret is not the one shown")
	}

	mustStatus(t, c.post(page+"/delete", nil), http.StatusSeeOther, "delete")
	var left int64
	w.db.Model(&models.WebhookDelivery{}).Count(&left)
	if eps, _ := models.WebhookEndpoints(w.db, w.org.ID); len(eps) != 0 || left != 0 {
		t.Fatalf("after delete: %d endpoints, %d deliveries", len(eps), left)
	}
	var actions []string
	w.db.Model(&models.AuditEntry{}).Where("organization_id = ? AND action LIKE ?", w.org.ID, "webhook.%").Order("id").Pluck("action", &actions)
	if strings.Join(actions, " ") != "webhook.created webhook.changed webhook.secret_rotated webhook.deleted" {
		t.Fatalf("audit: %v", actions)
	}
}

// Only owners reach the pages; another organization's endpoint is a 404.
func TestWebhookPagesOwnersOnly(t *testing.T) {
	w := newWebhookWorld(t, false)
	_, ep, err := models.CreateWebhookEndpoint(w.db, nil, models.NewWebhookInput{OrganizationID: w.other.ID,
		URL: "https://hooks.example.org/", EventTypes: []string{models.WebhookOrderPlaced}}, models.AuditEntry{Action: models.AuditWebhookCreated})
	if err != nil {
		t.Fatal(err)
	}
	mgr := w.signedIn(t, "manager@hooks.example")
	if r := mgr.get(webhooksURL(w.org.ID)); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
		t.Fatalf("a manager got %d", r.Status)
	}
	owner := w.signedIn(t, w.ownerEmail)
	mustStatus(t, owner.get(webhookURL(w.org.ID, ep.ID)), http.StatusNotFound, "another org's endpoint under mine")
	owner.get(webhooksURL(w.org.ID))
	mustStatus(t, owner.post(webhookURL(w.org.ID, ep.ID)+"/delete", nil), http.StatusNotFound, "delete another org's endpoint")
	if _, err := models.WebhookEndpointOf(w.db, w.other.ID, ep.ID); err != nil {
		t.Fatal("another organization's endpoint was deleted")
	}
}

// Without the operator's permission, a private address is refused beside
// the field, and plain http is too.
func TestWebhookPrivateAddressRefusedOnTheForm(t *testing.T) {
	w := newWebhookWorld(t, false)
	c := w.signedIn(t, w.ownerEmail)
	base := webhooksURL(w.org.ID)
	for _, u := range []string{"https://127.0.0.1:8443/hook", "https://10.0.0.5/", "https://[::1]/", "https://169.254.169.254/"} {
		c.get(base)
		r := c.post(base, url.Values{"url": {u}, "types": {models.WebhookOrderPlaced}})
		mustStatus(t, r, http.StatusUnprocessableEntity, u)
		mustContain(t, r.Body, u, "on a private or local network", `id="f-url-error"`)
	}
	c.get(base)
	r := c.post(base, url.Values{"url": {"http://93.184.215.14/hook"}, "types": {models.WebhookOrderPlaced}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "plain http")
	mustContain(t, r.Body, "plain http", "must start with https://")
	if eps, _ := models.WebhookEndpoints(w.db, w.org.ID); len(eps) != 0 {
		t.Fatalf("%d endpoints saved", len(eps))
	}
}

// rolesWebhook is an endpoint of orgID with one (test) delivery, for the
// routes table's :hookID and :deliveryID.
func rolesWebhook(t *testing.T, db *gorm.DB, orgID uint) (uint, uint) {
	t.Helper()
	_, ep, err := models.CreateWebhookEndpoint(db, nil, models.NewWebhookInput{OrganizationID: orgID,
		URL: "https://hooks.example.org/", EventTypes: []string{models.WebhookOrderPlaced}}, models.AuditEntry{Action: models.AuditWebhookCreated})
	if err != nil {
		t.Fatal(err)
	}
	d, err := models.QueueTestWebhook(db, orgID, ep.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return ep.ID, d.ID
}
