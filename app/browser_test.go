package app

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/demo"
	"github.com/agora-events/agora/models/modeltest"
)

// A visitor finds a published event on the home page, opens its agenda,
// switches the site to Spanish, and can skip the header with the keyboard.
func TestBrowserPublicJourney(t *testing.T) {
	requireChromium(t)
	var ev *models.Event
	base := startServer(t, func(db *gorm.DB) {
		org, _ := modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
		ev = modeltest.Event(t, db, org.ID, "open-forum", models.StatusPublished)
		s := models.Session{EventID: ev.ID, Title: "Opening keynote on integrated care", Format: models.FormatTalk,
			StartsAt: ev.StartsAt.Add(time.Hour), EndsAt: ev.StartsAt.Add(2 * time.Hour)}
		if err := db.Create(&s).Error; err != nil {
			t.Fatalf("session: %v", err)
		}
		modeltest.Event(t, db, org.ID, "hidden-draft", models.StatusDraft)
	})
	ctx := newBrowser(t)

	open(t, ctx, base+"/", 200)
	home := pageText(t, ctx)
	if !strings.Contains(home, ev.Title) || strings.Contains(home, "hidden-draft") {
		t.Fatalf("home page should list %q and no draft:\n%s", ev.Title, home)
	}

	// Keyboard only: the first Tab from the top lands on the skip link, and
	// following it moves focus to the main content.
	do(t, ctx, chromedp.KeyEvent(kb.Tab))
	if got := eval[string](t, ctx, `document.activeElement.textContent.trim()`); got != "Skip to main content" {
		t.Fatalf("first Tab focused %q, want the skip link", got)
	}
	if visible := eval[bool](t, ctx, `(() => { const r = document.activeElement.getBoundingClientRect(); return r.left >= 0 && r.width > 0; })()`); !visible {
		t.Fatal("the focused skip link is off screen")
	}
	do(t, ctx, chromedp.KeyEvent(kb.Enter))
	if got := eval[string](t, ctx, `document.activeElement.id`); got != "main" {
		t.Fatalf("after the skip link, focus is on %q, want main", got)
	}

	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`a[href="/events/open-forum"]`)))
	if u := currentURL(t, ctx); !strings.HasSuffix(u, "/events/open-forum") {
		t.Fatalf("link led to %s", u)
	}
	page := pageText(t, ctx)
	for _, want := range []string{ev.Title, "Agenda", "Opening keynote on integrated care"} {
		if !strings.Contains(page, want) {
			t.Fatalf("event page lacks %q:\n%s", want, page)
		}
	}

	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`.langs a[hreflang="es"]`)))
	if u := currentURL(t, ctx); !strings.HasSuffix(u, "/events/open-forum") {
		t.Fatalf("language switch did not return to the event: %s", u)
	}
	if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "es" {
		t.Fatalf("html lang = %q after switching to Spanish", lang)
	}
	es := pageText(t, ctx)
	for _, want := range []string{"Programa", "Saltar al contenido principal", "Opening keynote on integrated care"} {
		if !strings.Contains(es+eval[string](t, ctx, `document.querySelector(".skip").textContent`), want) {
			t.Fatalf("Spanish page lacks %q:\n%s", want, es)
		}
	}
	if strings.Contains(es, "Agenda\n") {
		t.Fatalf("Spanish page still shows the English heading:\n%s", es)
	}
}

// Public pages and the sign-in page pass axe-core's WCAG 2.2 AA rules with
// no violation, on the demo data a newcomer sees first.
func TestBrowserAccessibilityWCAG22AA(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	base := startServer(t, func(db *gorm.DB) {
		if _, err := demo.Seed(db, time.Now()); err != nil {
			t.Fatalf("demo seed: %v", err)
		}
	})
	ctx := newBrowser(t)
	for _, path := range []string{"/", "/events/" + demo.ForumSlug, "/events/" + demo.SymposiumSlug, "/manage/login"} {
		open(t, ctx, base+path, 200)
		checkAxe(t, ctx, axeJS, path)
	}
	// The sign-in form with its error messages shown (aria-invalid, aria-describedby).
	follow(t, ctx, 422, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("[aria-invalid=true]").length`); n == 0 {
		t.Fatal("the empty sign-in form came back without marked fields")
	}
	checkAxe(t, ctx, axeJS, "/manage/login with errors")
	// The same pages in Spanish: longer words, other language attribute.
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`.langs a[hreflang="es"]`)))
	checkAxe(t, ctx, axeJS, "/manage/login (es)")
	open(t, ctx, base+"/events/"+demo.AgoraSlug, 200)
	checkAxe(t, ctx, axeJS, "/events/"+demo.AgoraSlug+" (es)")
}

// The axe check can fail: a page with an unlabelled image and low-contrast
// text gives violations, so a green accessibility test means something.
func TestBrowserAxeFindsViolations(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	base := startServer(t, nil)
	ctx := newBrowser(t)
	open(t, ctx, base+"/", 200)
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
	  const img = document.createElement("img"); img.src = "/missing.png"; document.querySelector("main").append(img);
	  const p = document.createElement("p"); p.textContent = "faint text"; p.style.color = "#eee"; document.querySelector("main").append(p);
	})()`))
	found := map[string]bool{}
	for _, v := range runAxe(t, ctx, axeJS) {
		found[v.ID] = true
	}
	if !found["image-alt"] || !found["color-contrast"] {
		t.Fatalf("axe did not report the planted problems: %v", found)
	}
}
