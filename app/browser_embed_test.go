package app

import (
	"context"
	"math"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// hostPage serves, on its own listener, an organization's web page that
// carries the snippet; it is reached as http://localhost:PORT, another site
// than the Agora server on http://127.0.0.1:PORT. It returns the page's
// origin and a way to change the page.
func hostPage(t *testing.T, html string) (origin string, setHTML func(string)) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	origin = "http://localhost:" + strings.TrimPrefix(ln.Addr().String(), "127.0.0.1:")
	page := make(chan string, 1)
	page <- html
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		html := <-page
		page <- html
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(html))
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return origin, func(s string) { <-page; page <- s }
}

// hostHTML wraps the snippet in a page that also counts the height messages
// it hears, whoever they come from.
func hostHTML(snippet string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Living Lab Norte</title></head><body>
<script>window.heights = []; addEventListener("message", function (e) { window.heights.push(e.data && e.data.height); });</script>
<h1>Our autumn forum</h1>
` + snippet + `
<p>Footer of the host site.</p></body></html>`
}

// embedFrame waits for the cross-site frame showing prefix and returns a
// context that acts inside it (Chromium runs it in a process of its own).
func embedFrame(t *testing.T, ctx context.Context, prefix string) context.Context {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range infos {
			if info.Type == "iframe" && strings.HasPrefix(info.URL, prefix) {
				fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID))
				t.Cleanup(cancel)
				// The first Run ties the attachment to fctx itself, not to a
				// shorter-lived child a later wait may use.
				eval[bool](t, fctx, `true`)
				return fctx
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no frame showing %s", prefix)
	return nil
}

// waitVisible waits a while for sel to show in the page of ctx.
func waitVisible(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		t.Fatalf("waiting for %s: %v\n%s", sel, err, pageText(t, ctx))
	}
}

// frameFollowsContent waits until the host page's frame is as tall as the
// framed page's content, and returns that height.
func frameFollowsContent(t *testing.T, ctx, fctx context.Context) float64 {
	t.Helper()
	var frameH, contentH float64
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		contentH = eval[float64](t, fctx, `Math.ceil(document.documentElement.getBoundingClientRect().height)`)
		frameH = eval[float64](t, ctx, `document.querySelector("iframe[data-agora-embed]").getBoundingClientRect().height`)
		if math.Abs(frameH-contentH) <= 1 {
			return frameH
		}
	}
	t.Fatalf("the frame is %.0f px tall, its content %.0f px", frameH, contentH)
	return 0
}

// An organization's site embeds the registration form; the browser blocks
// third-party cookies, so the framed pages get no cookie at all. A person
// registers inside the frame, which grows and shrinks with its content, and
// the pages pass axe. A site not on the organization's list gets nothing.
func TestBrowserEmbeddedRegistrationWithoutThirdPartyCookies(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	hostOrigin, setHost := hostPage(t, "")
	var db *gorm.DB
	base := startServer(t, func(d *gorm.DB) {
		db = d
		org, _ := modeltest.Organizer(t, d, "Living Lab Norte", "owner@norte.example", models.RoleOwner)
		ev := modeltest.Event(t, d, org.ID, "norte-forum", models.StatusPublished)
		tt := models.TicketType{EventID: ev.ID, Name: "Citizen ticket", Category: models.CategoryPatientCitizen, MaxPerOrder: 2}
		q := models.Question{EventID: ev.ID, Kind: models.QuestionText, Label: "Your role", Required: true}
		room := models.Room{EventID: ev.ID, Name: "Sala Mar"}
		if err := d.Create(&room).Error; err != nil {
			t.Fatal(err)
		}
		s := models.Session{EventID: ev.ID, Title: "Co-creation: nights at home", Format: models.FormatAgora, RoomID: &room.ID,
			StartsAt: ev.StartsAt, EndsAt: ev.StartsAt.Add(time.Hour)}
		for _, x := range []any{&tt, &q, &s} {
			if err := d.Create(x).Error; err != nil {
				t.Fatal(err)
			}
		}
		if _, err := models.SetConsentText(d, ev.ID, models.ConsentPrivacy, "We keep your data for the event."); err != nil {
			t.Fatal(err)
		}
		if _, err := models.SetEmbedOrigins(d, models.AuditEntry{OrganizationID: org.ID, Action: models.AuditEmbedOriginsChanged}, []string{hostOrigin}); err != nil {
			t.Fatal(err)
		}
	})
	snippet := embedSnippetHTML(base, "/embed/events/norte-forum/register", "/events/norte-forum/register",
		"Register: Norte forum", "Register on the event's page", "40rem")
	setHost(hostHTML(snippet)) // now that the site's address is known

	ctx := newBrowser(t, chromedp.Flag("test-third-party-cookie-phaseout", true))
	if _, err := chromedp.Call(ctx, network.SetCookieControls, network.SetCookieControlsParams{EnableThirdPartyCookieRestriction: true}); err != nil {
		t.Fatalf("block third-party cookies: %v", err)
	}
	// A first-party visit leaves a language cookie (Spanish) on the site.
	open(t, ctx, base+"/lang/es?next=/", 200)

	open(t, ctx, hostOrigin+"/", 200)
	fctx := embedFrame(t, ctx, base+"/embed/events/norte-forum/register")
	waitVisible(t, fctx, `form.register-form`)
	if l := eval[string](t, fctx, `document.documentElement.lang`); l != "en" {
		t.Errorf("the frame is in %q: it got the site's language cookie", l)
	}
	formH := frameFollowsContent(t, ctx, fctx)
	if n := eval[int](t, ctx, `window.heights.length`); n == 0 {
		t.Error("the listed site heard no height from its frame")
	}
	checkAxe(t, fctx, axeJS, "embedded registration form")

	do(t, fctx,
		setInput(`[name="buyer_name"]`, "Rosa Vidal"),
		setInput(`[name="buyer_email"]`, "rosa@example.org"),
		setInput(`[name^="attendees.0.answers."]`, "Carer"),
		chromedp.Click(chromedp.CSS(`[name="attendees.0.consents.privacy"]`)),
		chromedp.Click(chromedp.CSS(`form.register-form button[type="submit"]`)),
	)
	waitVisible(t, fctx, `.embed-done, .error-summary`)
	text := pageText(t, fctx)
	if !strings.Contains(text, "You are registered") || !strings.Contains(text, "rosa@example.org") {
		t.Fatalf("confirmation in the frame:\n%s", text)
	}
	if n := eval[int](t, fctx, `document.querySelectorAll('a[href^="/orders/"][target="_blank"][rel="noopener"]').length`); n != 1 {
		t.Error("the confirmation does not open the order's page in a new tab")
	}
	var o models.Order
	if err := db.Where("buyer_email = ?", "rosa@example.org").Take(&o).Error; err != nil || o.Status != models.OrderConfirmed {
		t.Fatalf("order: %+v %v", o, err)
	}
	doneH := frameFollowsContent(t, ctx, fctx)
	if doneH >= formH {
		t.Errorf("the frame did not shrink to the confirmation: %.0f px, the form was %.0f px", doneH, formH)
	}
	checkAxe(t, fctx, axeJS, "embedded confirmation")

	// The programme snippet on the same page: shown, sized, accessible.
	setHost(hostHTML(embedSnippetHTML(base, "/embed/events/norte-forum/programme", "/events/norte-forum",
		"Programme: Norte forum", "See the programme on the event's page", "30rem")))
	open(t, ctx, hostOrigin+"/", 200)
	pctx := embedFrame(t, ctx, base+"/embed/events/norte-forum/programme")
	waitVisible(t, pctx, `section.agenda`)
	frameFollowsContent(t, ctx, pctx)
	checkAxe(t, pctx, axeJS, "embedded programme")

	// A site that is not on the list: Chromium refuses to show the page in
	// its frame, so no height ever comes and no form is there.
	otherOrigin, _ := hostPage(t, hostHTML(snippet))
	open(t, ctx, otherOrigin+"/", 200)
	time.Sleep(2 * time.Second)
	if n := eval[int](t, ctx, `window.heights.length`); n != 0 {
		t.Errorf("the frame on a site not listed reported %d heights: it was shown", n)
	}
	infos, err := chromedp.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, info := range infos {
		if info.Type == "iframe" && strings.HasPrefix(info.URL, base) {
			octx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID))
			if n := eval[int](t, octx, `document.querySelectorAll("form").length`); n != 0 {
				t.Errorf("the registration form shows on a site not listed (%s)", info.URL)
			}
			cancel()
		}
	}
}
