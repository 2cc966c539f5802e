package app

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

var formKey = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)

// The blank form kept for anonymous visitors (app/register_cache.go): each
// visitor still gets a token of their own and a fresh key that both work,
// no marker is ever shown, and what the form shows follows every change at
// once: a new question, a ticket that became nearly full, a sold-out one.
func TestCachedBlankFormIsEveryVisitorsOwnAndNeverStale(t *testing.T) {
	r := newRegEnv(t)
	uri := fmt.Sprintf("%s?ticket=%d", r.path(), r.tt.ID)
	ana, ben := newClient(t, r.app.(*fiber.App)), newClient(t, r.app.(*fiber.App))
	pa, pb := ana.get(uri), ben.get(uri)
	pa2 := ana.get(uri)
	for _, p := range []response{pa, pb, pa2} {
		if p.Status != 200 || strings.Contains(p.Body, "agorahole") {
			t.Fatalf("form: %d, holes left: %v", p.Status, strings.Contains(p.Body, "agorahole"))
		}
	}
	ka, kb, ka2 := formKey.FindStringSubmatch(pa.Body), formKey.FindStringSubmatch(pb.Body), formKey.FindStringSubmatch(pa2.Body)
	ta, tb := csrfField.FindStringSubmatch(pa.Body), csrfField.FindStringSubmatch(pb.Body)
	if ka == nil || kb == nil || ta == nil || tb == nil || ka[1] == kb[1] || ka[1] == ka2[1] || ta[1] == tb[1] {
		t.Fatalf("each form needs its own key and token: keys %v %v %v", ka, kb, ka2)
	}
	// Each visitor's own form registers them; a token in the other's
	// browser does not.
	for i, who := range []*client{ana, ben} {
		v := r.form(t, r.tt.ID, 1)
		v.Set("buyer_email", fmt.Sprintf("cached%d@example.org", i))
		v.Set("attendees.0.email", fmt.Sprintf("cached%d@example.org", i))
		r.c = who
		r.register(t, v)
	}
	stolen := r.form(t, r.tt.ID, 1)
	stolen.Set("_csrf", ta[1])
	if res := newClient(t, r.app.(*fiber.App)).post(r.path(), stolen); res.Status == 303 {
		t.Fatal("a token from another browser's cached form registered someone")
	}

	// A question added by any path shows on the next view.
	q := models.Question{EventID: r.ev.ID, Kind: models.QuestionText, Label: "Dietary wishes", Position: 9}
	if err := r.db.Create(&q).Error; err != nil {
		t.Fatal(err)
	}
	if body := ana.get(uri).Body; !strings.Contains(body, "Dietary wishes") {
		t.Fatal("a new question did not show on the cached form")
	}
	// Places: 10 for this ticket, 2 taken; one more leaves 7, which is "few"
	// (10 or fewer), so the count shows and follows each registration.
	if body := ana.get(r.path()).Body; !strings.Contains(body, "Places left: 8") {
		t.Fatalf("ticket choice should say 8 places left")
	}
	v := r.form(t, r.tt.ID, 1)
	v.Set("buyer_email", "third@example.org")
	v.Set("attendees.0.email", "third@example.org")
	r.c = newClient(t, r.app.(*fiber.App))
	r.form(t, r.tt.ID, 1) // this client's cookie
	r.register(t, v)
	if body := ana.get(r.path()).Body; !strings.Contains(body, "Places left: 7") {
		t.Fatalf("after a registration the ticket choice should say 7 places left")
	}
	// The small ticket sells out: its choice is disabled at once.
	small := fmt.Sprintf("%s?ticket=%d", r.path(), r.small.ID)
	if body := ana.get(small).Body; strings.Contains(body, "Sold out") {
		t.Fatal("not sold out yet")
	}
	v = r.form(t, r.small.ID, 1)
	v.Set("buyer_email", "last@example.org")
	v.Set("attendees.0.email", "last@example.org")
	r.register(t, v)
	if body := ana.get(r.path()).Body; !strings.Contains(body, "Sold out") {
		t.Fatal("a sold-out ticket is not shown as sold out on the cached form")
	}
}

// However many slots are asked for, the cache keeps at most maxCachedForms.
func TestFormCacheIsBounded(t *testing.T) {
	fc := newFormCache()
	for i := 0; i < 3*maxCachedForms; i++ {
		fc.put(fmt.Sprint("slot-", i), &formCopy{version: "v"})
	}
	if n := len(fc.forms); n > maxCachedForms {
		t.Fatalf("%d forms kept, at most %d", n, maxCachedForms)
	}
	if fc.get(fmt.Sprint("slot-", 3*maxCachedForms-1), "v") == nil {
		t.Fatal("the form just stored was evicted")
	}
}
