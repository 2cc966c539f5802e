package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestCSRFTokenMaskedAfreshOnEveryPage(t *testing.T) {
	if got := unmaskCSRF(maskCSRF("a.secret-token")); got != "a.secret-token" {
		t.Fatalf("round trip: %q", got)
	}
	for _, bad := range []string{"m.", "m.!!", "m.YWJj"} {
		if got := unmaskCSRF(bad); got != "" {
			t.Fatalf("%q unmasked to %q", bad, got)
		}
	}
	f, db := newTestApp(t)
	modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
	c := newClient(t, f)
	c.signIn("a@example.org")
	c.get("/manage/account")
	first := c.csrf
	c.get("/manage/account")
	second := c.csrf
	if first == second || !strings.HasPrefix(first, maskedPrefix) || unmaskCSRF(first) != unmaskCSRF(second) {
		t.Fatalf("tokens %q and %q: the same secret should look different on each page", first, second)
	}
	// An older page's token still works; the plain secret is never in a page.
	c.csrf = first
	if r := c.post("/manage/logout", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("sign out with an earlier page's token: %d", r.Status)
	}
}
