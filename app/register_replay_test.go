package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

var keyField = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)

// TestRegisterKeyFromAnotherBrowserRevealsNoOrder: someone who posts the
// register form with another person's idempotency key (with any name and
// e-mail, even the other person's CSRF token) is not sent to that order:
// they get the form back with their input and a new key, and sending it
// registers them. The first browser posting again still lands on its order.
func TestRegisterKeyFromAnotherBrowserRevealsNoOrder(t *testing.T) {
	r := newRegEnv(t)
	v := r.form(t, r.tt.ID, 1)
	victimKey := v.Get("idempotency_key")
	victim := r.register(t, v)
	victimCSRF := v.Get("_csrf")

	mallory := newClient(t, r.app.(*fiber.App))
	mallory.get(r.path() + "?ticket=" + v.Get("ticket_type_id"))
	forged := func(email string) url.Values {
		m := url.Values{}
		for k, vs := range v {
			m[k] = append([]string(nil), vs...)
		}
		m.Del("_csrf")
		m.Set("buyer_name", "Mallory Other")
		m.Set("buyer_email", email)
		m.Set("attendees.0.name", "Mallory Other")
		m.Set("attendees.0.email", email)
		return m
	}
	for name, form := range map[string]url.Values{
		"own e-mail":    forged("mallory@example.org"),
		"victim e-mail": forged(v.Get("buyer_email")),
	} {
		res := mallory.post(r.path(), form)
		if res.Location != "" || strings.Contains(res.Body, victim) || res.Status != http.StatusConflict {
			t.Fatalf("%s: status %d, location %q; the victim's order must not be reachable\n%s", name, res.Status, res.Location, res.Body)
		}
		if !strings.Contains(res.Body, "Please check your details and send the form again.") || !strings.Contains(res.Body, `value="Mallory Other"`) {
			t.Fatalf("%s: no message or input lost\n%s", name, res.Body)
		}
		if k := keyField.FindStringSubmatch(res.Body); k == nil || k[1] == victimKey {
			t.Fatalf("%s: the form came back without a new key", name)
		}
	}
	stolen := forged("mallory@example.org")
	stolen.Set("_csrf", victimCSRF) // the token alone does not make another browser the victim's
	if res := mallory.post(r.path(), stolen); res.Location != "" || strings.Contains(res.Body, victim) {
		t.Fatalf("stolen token: status %d, location %q", res.Status, res.Location)
	}

	// The fresh form registers the other person as anyone else.
	res := mallory.post(r.path(), forged("mallory@example.org"))
	fresh := forged("mallory@example.org")
	fresh.Set("idempotency_key", keyField.FindStringSubmatch(res.Body)[1])
	res = mallory.post(r.path(), fresh)
	m := orderLocation.FindStringSubmatch(res.Location)
	if res.Status != http.StatusSeeOther || m == nil || m[1] == victim {
		t.Fatalf("fresh key: status %d, location %q\n%s", res.Status, res.Location, res.Body)
	}
	// The victim's own browser, posting the same form again, is one order.
	v.Del("_csrf")
	if again := r.register(t, v); again != victim || r.orders(t) != 2 {
		t.Fatalf("same browser again: %s vs %s, %d orders", again, victim, r.orders(t))
	}
}
