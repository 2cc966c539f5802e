package app

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// An upload over the site's body limit (2 MiB) is refused before any
// handler runs, with the friendly "too large" page, on a real server.
func TestImportOverTheBodyLimitGetsTheFriendlyPage(t *testing.T) {
	var eventID uint
	base := startServer(t, func(db *gorm.DB) {
		org, _ := modeltest.Organizer(t, db, "Org", "owner-limit@example.org", models.RoleOwner)
		eventID = modeltest.Event(t, db, org.ID, "limit-forum", models.StatusPublished).ID
	})
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("file", "huge.csv")
	_, _ = fw.Write(bytes.Repeat([]byte("name,email\n"), 300_000))
	_ = w.Close()
	// Announce the upload and read the answer before sending the body: the
	// server refuses on the Content-Length alone (sending the body first
	// races the server closing the connection, which can reset it before
	// the answer is read).
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /manage/events/%d/registrations/import HTTP/1.1\r\nHost: agora.test\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
		eventID, w.FormDataContentType(), body.Len())
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	defer res.Body.Close()
	page, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(page), "What you sent is too large.") {
		t.Fatalf("status %d\n%.500s", res.StatusCode, page)
	}
}

// The staff pages of one attendee and an import's preview pass axe-core's
// WCAG 2.2 AA rules, with and without errors.
func TestBrowserAccessibilityStaffRegistrationPages(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	var fx regFixture
	var imp *models.RegistrationImport
	base := startServer(t, func(db *gorm.DB) {
		org, _ := modeltest.Organizer(t, db, "Org", "owner-staff-axe@example.org", models.RoleOwner)
		e := modeltest.Event(t, db, org.ID, "staff-axe", models.StatusPublished)
		fx = newRegFixture(t, db, e)
		var err error
		imp, err = models.CreateImport(db, e.ID, models.Actor{Name: "Owner"}, "guests.csv", []models.ImportLine{
			{Line: 2, Name: "Ana Guest", Email: "ana@example.org"}, {Line: 3, Name: "", Email: "bad"}}, Languages, time.Now())
		if err != nil {
			t.Fatal(err)
		}
	})
	ctx := newBrowser(t)
	open(t, ctx, base+"/manage/login", 200)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), "owner-staff-axe@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), modeltest.Password))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	att := fmt.Sprintf("%s/manage/events/%d/registrations/%d", base, fx.Event.ID, fx.Attendee.ID)
	for _, p := range []string{att, att + "/edit", att + "/move", fmt.Sprintf("%s/manage/events/%d/registrations/import/%d", base, fx.Event.ID, imp.ID)} {
		open(t, ctx, p, 200)
		checkAxe(t, ctx, axeJS, p)
	}
	// The new registration form sent empty: every field says what is wrong.
	open(t, ctx, fmt.Sprintf("%s/manage/events/%d/registrations/new", base, fx.Event.ID), 200)
	follow(t, ctx, 422, chromedp.Click(chromedp.CSS(`form.register-form button[type="submit"]`)))
	checkAxe(t, ctx, axeJS, "new registration with errors")
}
