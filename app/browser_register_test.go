package app

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models/demo"
)

// A person registers for the demo agora in a real browser, without the
// site's JavaScript: event page, ticket choice, an empty post that comes
// back with errors, the filled form, and the confirmation with its QR code.
// Each page passes axe-core's WCAG 2.2 AA rules.
func TestBrowserRegistrationJourney(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	base := startServer(t, func(db *gorm.DB) {
		if _, err := demo.Seed(db, time.Now()); err != nil {
			t.Fatalf("demo seed: %v", err)
		}
	})
	ctx := newBrowser(t)

	open(t, ctx, base+"/events/"+demo.AgoraSlug, 200)
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`a[href="/events/`+demo.AgoraSlug+`/register"]`)))
	checkAxe(t, ctx, axeJS, "register: ticket choice")

	do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="ticket"]`)))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`form.ticket-choice button[type="submit"]`)))
	checkAxe(t, ctx, axeJS, "register: form")

	follow(t, ctx, 422, chromedp.Click(chromedp.CSS(`form.register-form button[type="submit"]`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("[aria-invalid=true]").length`); n == 0 {
		t.Fatal("the empty form came back without marked fields")
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".error-summary a[href^='#f-']").length`); n == 0 {
		t.Fatal("no error summary with links")
	}
	checkAxe(t, ctx, axeJS, "register: form with errors")

	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`[name="buyer_name"]`), "Rosa Vidal"),
		chromedp.SendKeys(chromedp.CSS(`[name="buyer_email"]`), "rosa@example.org"),
		setInput(`select[name^="attendees.0.answers."]`, "Carer"),
		// The optional blocks (access needs, sessions) are folded: open them as a person would.
		chromedp.Click(chromedp.CSS(`details.optional:has([name="attendees.0.needs.step_free"]) > summary`)),
		chromedp.Click(chromedp.CSS(`[name="attendees.0.needs.step_free"]`)),
		chromedp.Click(chromedp.CSS(`details.optional:has([name="attendees.0.sessions"]) > summary`)),
		chromedp.Click(chromedp.CSS(`[name="attendees.0.sessions"]`)),
		chromedp.Click(chromedp.CSS(`[name="attendees.0.consents.privacy"]`)),
	)
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`form.register-form button[type="submit"]`)))
	if u := currentURL(t, ctx); !strings.Contains(u, "/orders/") || !strings.HasSuffix(u, "?welcome=1") {
		t.Fatalf("registration ended on %s\n%s", u, pageText(t, ctx))
	}
	page := pageText(t, ctx)
	for _, want := range []string{"You are registered", "Rosa Vidal", "Step-free access"} {
		if !strings.Contains(page, want) {
			t.Fatalf("confirmation lacks %q:\n%s", want, page)
		}
	}
	if ok := eval[bool](t, ctx, `(() => { const i = document.querySelector("img.qr"); return !!i && i.complete && i.naturalWidth > 100; })()`); !ok {
		t.Fatal("the QR code image is missing or did not load")
	}
	checkAxe(t, ctx, axeJS, "order page")
}
