package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// doorBrowserSetup starts a server with an event of n extra attendees and a
// check-in staff member, and signs them in on a phone-sized tab at the door.
func doorBrowserSetup(t *testing.T, n int) (context.Context, string, *gorm.DB, regFixture, []models.Attendee) {
	t.Helper()
	requireChromium(t)
	var fx regFixture
	var db *gorm.DB
	var extra []models.Attendee
	base := startServer(t, func(d *gorm.DB) {
		db = d
		org, _ := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
		modeltest.Organizer(t, db, "Org A", "door@example.org", models.RoleCheckin)
		e := modeltest.Event(t, db, org.ID, "door-forum", models.StatusPublished)
		fx = newRegFixture(t, db, e)
		fx.Ticket.Capacity = 0
		db.Model(fx.Ticket).Update("capacity", 0)
		for i := 0; i < n; i++ {
			name := fmt.Sprintf("Guest %02d", i+1)
			if i == 0 {
				name = "José Núñez"
			}
			o := placeRegistration(t, db, e, fx.Ticket, models.AttendeeInput{Name: name, Email: fmt.Sprintf("g%d@example.org", i),
				ConsentTextIDs: []uint{fx.Privacy.ID}})
			extra = append(extra, o.Attendees[0])
		}
	})
	ctx := newBrowser(t)
	do(t, ctx, chromedp.EmulateViewport(390, 844))
	open(t, ctx, base+"/manage/login", 200)
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#f-email"), "door@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), modeltest.Password),
	)
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	page := fmt.Sprintf("%s/manage/events/%d/checkin", base, fx.Event.ID)
	open(t, ctx, page, 200)
	await[bool](t, ctx, `window.agoraDoor.ready.then(() => true)`)
	return ctx, page, db, fx, extra
}

// waitFor polls js in the page until it is true.
func waitFor(t *testing.T, ctx context.Context, js, what string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if eval[bool](t, ctx, js) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("waited for %s (%s); page:\n%s", what, js, pageText(t, ctx))
}

// The vendored decoder reads our own tickets' QR codes (ticketQR, as on the
// ticket page) photographed-like: rotated, small, skewed, low contrast; the
// decoded secret checks the person in through the sync endpoint, and a
// second scan warns. axe passes on each verdict.
func TestBrowserDoorScannerReadsTickets(t *testing.T) {
	axeJS := axeSource(t)
	ctx, _, db, fx, _ := doorBrowserSetup(t, 0)
	checkAxe(t, ctx, axeJS, "door page with the scanner")
	img, err := ticketQR(fx.Attendee.QRSecret)
	if err != nil {
		t.Fatal(err)
	}
	for _, shot := range []struct{ name, draw string }{
		{"straight", `g.drawImage(im, 112, 112)`},
		{"rotated and small", `g.translate(240, 240); g.rotate(0.45); g.drawImage(im, -80, -80, 160, 160)`},
		{"skewed", `g.setTransform(1, 0.12, -0.1, 1, 90, 70); g.drawImage(im, 0, 0, 300, 300)`},
		{"low contrast", `g.drawImage(im, 112, 112); g.fillStyle = "rgba(150,150,150,0.6)"; g.fillRect(0, 0, 480, 480)`},
		{"dim, rotated, noisy", `g.translate(240, 240); g.rotate(-0.3); g.drawImage(im, -110, -110, 220, 220); g.setTransform(1,0,0,1,0,0);
			g.fillStyle = "rgba(40,40,40,0.55)"; g.fillRect(0, 0, 480, 480);
			for (let i = 0; i < 3000; i++) { g.fillStyle = i % 2 ? "#777" : "#555"; g.fillRect((i * 7919) % 480, (i * 104729) % 480, 1, 1); }`},
	} {
		js := `new Promise((resolve, reject) => { const im = new Image(); im.onload = () => {
			const c = document.createElement("canvas"); c.width = 480; c.height = 480; const g = c.getContext("2d");
			g.fillStyle = "#ddd"; g.fillRect(0, 0, 480, 480); ` + shot.draw + `;
			resolve(window.agoraDoor.decode(c) || ""); }; im.onerror = reject; im.src = ` + jsString(string(img)) + `; })`
		if got := await[string](t, ctx, js); got != fx.Attendee.QRSecret {
			t.Errorf("%s: decoded %q", shot.name, got)
		}
	}
	await[bool](t, ctx, `window.agoraDoor.checkIn(`+jsString(fx.Attendee.QRSecret)+`).then(() => true)`)
	waitFor(t, ctx, `!!document.querySelector('#checkin-result [data-result="ok"]')`, "the checked-in verdict")
	text := pageText(t, ctx)
	for _, want := range []string{"Checked in", fx.Attendee.Name, "Step-free access", "1 of 1 confirmed attendees checked in"} {
		if !strings.Contains(text, want) {
			t.Fatalf("after the scan the page lacks %q:\n%s", want, text)
		}
	}
	checkAxe(t, ctx, axeJS, "scanner verdict")
	await[bool](t, ctx, `window.agoraDoor.checkIn(`+jsString(fx.Attendee.QRSecret)+`).then(() => true)`)
	waitFor(t, ctx, `!!document.querySelector('#checkin-result [data-result="already"]')`, "the look-twice verdict")
	if text := pageText(t, ctx); !strings.Contains(text, "Already checked in at") {
		t.Fatalf("second scan:\n%s", text)
	}
	checkAxe(t, ctx, axeJS, "scanner repeat warning")
	await[bool](t, ctx, `window.agoraDoor.checkIn("NOT-A-TICKET").then(() => true)`)
	waitFor(t, ctx, `!!document.querySelector('#checkin-result [data-result="bad"]')`, "the refusal")
	var live int64
	db.Model(&models.Checkin{}).Where("attendee_id = ? AND undone_at IS NULL", fx.Attendee.ID).Count(&live)
	if live != 1 {
		t.Fatalf("%d live check-ins after two scans", live)
	}
}

// goOffline cuts (or restores) the tab's network, navigator.onLine included.
func goOffline(t *testing.T, ctx context.Context, off bool) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &off,
		MatchedNetworkConditions:    []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatal(err)
	}
}

// With the network cut, staff scan 20 tickets, find a person by name
// without accents, and see the counts move; another phone checks in one of
// the same people meanwhile. When the network returns everything arrives
// once, and the duplicate ends as one check-in.
func TestBrowserDoorOffline(t *testing.T) {
	axeJS := axeSource(t)
	ctx, page, db, fx, guests := doorBrowserSetup(t, 21)
	// The service worker holds the page before the network goes.
	deadline := time.Now().Add(15 * time.Second)
	for !await[bool](t, ctx, `caches.open("agora-door-v1").then(c => c.match(location.href)).then(r => !!r && !!navigator.serviceWorker.controller)`) {
		if time.Now().After(deadline) {
			t.Fatal("the service worker did not keep the page")
		}
		time.Sleep(200 * time.Millisecond)
	}
	goOffline(t, ctx, true)
	waitFor(t, ctx, `!document.getElementById("checkin-net").hidden`, "the offline notice")
	// The page reloads from the service worker's copy, offline.
	do(t, ctx, chromedp.Reload())
	waitFor(t, ctx, `!!window.agoraDoor && !!document.getElementById("f-code")`, "the page offline")
	await[bool](t, ctx, `window.agoraDoor.ready.then(() => true)`)
	for _, g := range guests[1:] {
		await[bool](t, ctx, `window.agoraDoor.checkIn(`+jsString(g.QRSecret)+`).then(() => true)`)
	}
	if n := eval[int](t, ctx, `window.agoraDoor.queued()`); n != 20 {
		t.Fatalf("%d check-ins queued, want 20", n)
	}
	text := pageText(t, ctx)
	for _, want := range []string{"Offline — 20 check-ins waiting", "20 of 22 confirmed attendees checked in"} {
		if !strings.Contains(text, want) {
			t.Fatalf("offline page lacks %q:\n%s", want, text)
		}
	}
	// Another phone, online, lets José in; this one finds him by "jose".
	var l models.CheckinList
	db.Where("event_id = ? AND kind = ?", fx.Event.ID, models.CheckinListDay).Order("id").Take(&l)
	jose := guests[0]
	if out, err := models.CheckInto(db, &l, &jose, models.CheckinInput{DeviceID: "phone-b", LocalID: "1"}, time.Now()); err != nil || out.Result != models.CheckinOK {
		t.Fatalf("other phone: %+v %v", out, err)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-q"), "jose"))
	waitFor(t, ctx, `document.getElementById("checkin-people").innerText.includes("José Núñez")`, "José in the offline search")
	checkAxe(t, ctx, axeJS, "offline door with search results")
	do(t, ctx, chromedp.Click(chromedp.CSS("#checkin-people button")))
	waitFor(t, ctx, `window.agoraDoor.queued() === 21`, "José queued")

	goOffline(t, ctx, false)
	await[bool](t, ctx, `window.agoraDoor.flush().then(() => true)`)
	waitFor(t, ctx, `window.agoraDoor.queued() === 0`, "the queue sent")
	waitFor(t, ctx, `document.getElementById("checkin-net").hidden`, "the notice gone")
	var live, mine int64
	db.Model(&models.Checkin{}).Where("list_id = ? AND undone_at IS NULL", l.ID).Count(&live)
	db.Model(&models.Checkin{}).Where("list_id = ? AND device_id <> ?", l.ID, "phone-b").Count(&mine)
	if live != 21 || mine != 20 {
		t.Fatalf("after sync: %d live check-ins (want 21), %d from this phone (want 20)", live, mine)
	}
	var joseRows int64
	db.Model(&models.Checkin{}).Where("attendee_id = ?", jose.ID).Count(&joseRows)
	if joseRows != 1 {
		t.Fatalf("José has %d check-ins", joseRows)
	}
	// Sent again (a lost answer), nothing changes.
	await[bool](t, ctx, `window.agoraDoor.flush().then(() => true)`)
	db.Model(&models.Checkin{}).Where("list_id = ?", l.ID).Count(&live)
	if live != 21 {
		t.Fatalf("%d rows after a second flush", live)
	}
	open(t, ctx, page, 200)
	if text := pageText(t, ctx); !strings.Contains(text, "21 of 22 confirmed attendees checked in") {
		t.Fatalf("counts after sync:\n%s", text)
	}
	// The service worker kept the door page and static files, nothing else,
	// though other organizer pages were open in the same tab.
	open(t, ctx, page[:strings.Index(page, "/manage")]+"/manage/", 200)
	open(t, ctx, page+"/people.json", 200)
	open(t, ctx, page, 200)
	keys := await[[]string](t, ctx, `caches.open("agora-door-v1").then(c => c.keys()).then(ks => ks.map(r => new URL(r.url).pathname))`)
	pagePath := page[strings.Index(page, "/manage"):]
	for _, k := range keys {
		if k != pagePath && !strings.HasPrefix(k, "/static/") {
			t.Errorf("the service worker cached %s", k)
		}
	}
	if len(keys) < 3 {
		t.Errorf("cached: %v", keys)
	}
}

// await runs JavaScript that returns a promise and returns what it resolves to.
func await[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}
