package app

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// Pages with an event's content in another language, and with text that
// fell back to the default language (the note, lang marks), pass WCAG 2.2
// AA (axe); so do the organizers' forms with per-language fields.
func TestBrowserAccessibilityMultilingualContent(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	var ev *models.Event
	var tt models.TicketType
	base := startServer(t, func(d *gorm.DB) {
		org, _ := modeltest.Organizer(t, d, "Org Lang", "owner-lang@example.org", models.RoleOwner)
		ev = modeltest.Event(t, d, org.ID, "multilingual", models.StatusPublished)
		if err := models.SetEventLanguages(d, ev, "en", []string{"en", "el", "fr"}); err != nil {
			t.Fatal(err)
		}
		tt = models.TicketType{EventID: ev.ID, Name: "Citizen ticket", Category: models.CategoryPatientCitizen, MaxPerOrder: 2}
		s := models.Session{EventID: ev.ID, Title: "Workshop: carers", Format: models.FormatWorkshop, StartsAt: ev.StartsAt, EndsAt: ev.StartsAt.Add(time.Hour)}
		for _, x := range []any{&tt, &s} {
			if err := d.Create(x).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := models.SaveTranslations(d, ev.ID,
			models.TranslatedField{Kind: models.OwnerEvent, ID: ev.ID, Field: "title", Texts: map[string]string{"el": elTitle}},
			models.TranslatedField{Kind: models.OwnerTicketType, ID: tt.ID, Field: "name", Texts: map[string]string{"el": elTicket}}); err != nil {
			t.Fatal(err)
		}
		if _, err := models.SetConsentTextVersions(d, ev.ID, models.ConsentPrivacy, "We keep your data for the event.", map[string]string{"el": elPrivacy}); err != nil {
			t.Fatal(err)
		}
	})
	ctx := newBrowser(t)
	for _, p := range []string{"/events/multilingual?lang=el", "/events/multilingual?lang=fr",
		fmt.Sprintf("/events/multilingual/register?lang=el&ticket=%d&count=1", tt.ID)} {
		open(t, ctx, base+p, 200)
		checkAxe(t, ctx, axeJS, p)
	}
	// A Catalan interface over an event not written in Catalan: its text
	// falls back to English (lang marks, the note) inside a Catalan page.
	ca := newBrowser(t)
	open(t, ca, base+"/lang/ca?next=%2Fevents%2Fmultilingual", 200)
	for _, p := range []string{"/events/multilingual", fmt.Sprintf("/events/multilingual/register?ticket=%d&count=1", tt.ID)} {
		open(t, ca, base+p, 200)
		if lang := eval[string](t, ca, `document.documentElement.lang`); lang != "ca" {
			t.Errorf("%s: page language %q, want ca", p, lang)
		}
		if eval[bool](t, ca, `!document.querySelector('main [lang="en"]')`) {
			t.Errorf("%s: the English fallback text is not marked lang=en", p)
		}
		checkAxe(t, ca, axeJS, "ca "+p)
	}

	org := newBrowser(t)
	open(t, org, base+"/manage/login", 200)
	do(t, org, chromedp.SendKeys(chromedp.CSS("#f-email"), "owner-lang@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), modeltest.Password))
	follow(t, org, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	mbase := fmt.Sprintf("%s/manage/events/%d", base, ev.ID)
	for _, p := range []string{"/edit", "/consents", fmt.Sprintf("/tickets/%d/edit", tt.ID), "/messages"} {
		open(t, org, mbase+p, 200)
		checkAxe(t, org, axeJS, "manage"+p)
	}
}
