package app

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models/demo"
)

// shortFormCeiling is half the 5,500 px a one-person free registration took
// on a phone before the form was shortened (issue 16).
const shortFormCeiling = 2750

// On a 375 px wide phone, a one-person free registration for the demo agora
// fits in under half its old height; the empty post comes back with the
// error summary focused and naming each field once; both pass axe.
func TestBrowserRegisterShortForm(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	base := startServer(t, func(db *gorm.DB) {
		if _, err := demo.Seed(db, time.Now()); err != nil {
			t.Fatalf("demo seed: %v", err)
		}
	})
	ctx := newBrowser(t)
	do(t, ctx, chromedp.EmulateViewport(375, 740))
	open(t, ctx, base+"/events/"+demo.AgoraSlug+"/register", 200)
	do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="ticket"]`)))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`form.ticket-choice button[type="submit"]`)))
	height := eval[int](t, ctx, `document.documentElement.scrollHeight`)
	t.Logf("one-person free registration at 375 px: %d px high (ceiling %d)", height, shortFormCeiling)
	if height >= shortFormCeiling {
		t.Errorf("the form is %d px high at 375 px, want under %d", height, shortFormCeiling)
	}
	checkAxe(t, ctx, axeJS, "short register form")

	// "I am registering someone else" shows the attendee's own name and
	// e-mail, with CSS alone (the site's pages work without JavaScript).
	shown := `getComputedStyle(document.querySelector('[name="attendees.0.name"]').closest(".revealed")).display !== "none"`
	if eval[bool](t, ctx, shown) {
		t.Error("the attendee's own name is asked before 'someone else' is ticked")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#f-someone_else`)))
	if !eval[bool](t, ctx, shown) {
		t.Error("ticking 'someone else' does not show the attendee's name and e-mail")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#f-someone_else`)))

	follow(t, ctx, 422, chromedp.Click(chromedp.CSS(`form.register-form button[type="submit"]`)))
	if !eval[bool](t, ctx, `document.activeElement === document.querySelector(".error-summary")`) {
		t.Error("the error summary does not have the focus")
	}
	entries := eval[[]string](t, ctx, `[...document.querySelectorAll(".error-summary li")].map(li => li.textContent.trim())`)
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e] {
			t.Errorf("the summary lists %q twice", e)
		}
		seen[e] = true
	}
	joined := strings.Join(entries, "\n")
	for _, want := range []string{"Full name: Please fill in this field.", "E-mail: Please fill in this field.", "Which best describes you?: "} {
		if !strings.Contains(joined, want) {
			t.Errorf("the summary lacks %q:\n%s", want, joined)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".optional [aria-invalid=true]").length`); n != 0 {
		t.Errorf("%d optional fields are marked invalid", n)
	}
	checkAxe(t, ctx, axeJS, "short register form with errors")

	do(t, ctx,
		setInput(`[name="buyer_name"]`, "Rosa Vidal"),
		setInput(`[name="buyer_email"]`, "rosa@example.org"),
		setInput(`select[name^="attendees.0.answers."]`, "Carer"),
		chromedp.Click(chromedp.CSS(`[name="attendees.0.consents.privacy"]`)),
	)
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`form.register-form button[type="submit"]`)))
	if page := pageText(t, ctx); !strings.Contains(page, "You are registered") || !strings.Contains(page, "Rosa Vidal") {
		t.Fatalf("registration did not end on the confirmation:\n%s", page)
	}
}
