package app

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// An organizer uploads a picture from a real browser; the edit page (with
// an error too), the event page and the home page pass axe, and the
// browser shows the picture under the site's Content-Security-Policy.
func TestBrowserEventPictureUploadAndPages(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	var eventID uint
	base := startServer(t, func(db *gorm.DB) {
		org, _ := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
		eventID = modeltest.Event(t, db, org.ID, "pictured", models.StatusPublished).ID
		logo, err := models.ProcessImage(picture(t, 300, 120, "png"), models.PurposeLogo)
		if err != nil {
			t.Fatal(err)
		}
		if err := models.SetOrganizationLogo(db, org.ID, logo, time.Now()); err != nil {
			t.Fatal(err)
		}
	})
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "hall.jpg"), filepath.Join(dir, "letter.jpg")
	if err := os.WriteFile(good, picture(t, 1600, 1000, "jpeg"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("Not a picture at all.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	open(t, ctx, base+"/manage/login", 200)
	do(t, ctx, setInput("#f-email", "owner@example.org"), setInput("#f-password", modeltest.Password))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))

	edit := fmt.Sprintf("%s/manage/events/%d/edit", base, eventID)
	submit := chromedp.CSS(`#picture form[enctype] button[type="submit"]`)
	open(t, ctx, edit, 200)
	do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#f-image"), []string{bad}), setInput("#f-image_alt", "Kept as typed"))
	follow(t, ctx, 422, chromedp.Click(submit))
	if msg := eval[string](t, ctx, `document.querySelector("#f-image-error").innerText`); msg == "" {
		t.Fatal("no message beside the file field")
	}
	if v := eval[string](t, ctx, `document.querySelector("#f-image_alt").value`); v != "Kept as typed" {
		t.Fatalf("the text alternative came back as %q", v)
	}
	checkAxe(t, ctx, axeJS, "edit page, refused picture")

	do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#f-image"), []string{good}), setInput("#f-image_alt", "A bright hall with people talking"))
	follow(t, ctx, 200, chromedp.Click(submit))
	if n := eval[int](t, ctx, `document.querySelector(".picture-preview") ? document.querySelector(".picture-preview").naturalWidth : 0`); n != 400 {
		t.Fatalf("the preview on the edit page is %d px wide, want 400", n)
	}
	checkAxe(t, ctx, axeJS, "edit page with a picture")

	open(t, ctx, base+"/events/pictured", 200)
	if n := eval[int](t, ctx, `document.querySelector(".event-cover").naturalWidth`); n < 400 {
		t.Fatalf("the banner did not load (%d px)", n)
	}
	if n := eval[int](t, ctx, `document.querySelector(".org-logo").naturalWidth`); n == 0 {
		t.Fatal("the logo did not load")
	}
	checkAxe(t, ctx, axeJS, "/events/pictured")
	open(t, ctx, base+"/", 200)
	if n := eval[int](t, ctx, `document.querySelectorAll("img.card-cover").length`); n != 1 {
		t.Fatalf("%d card pictures on the home page", n)
	}
	checkAxe(t, ctx, axeJS, "/ with a picture")
}
