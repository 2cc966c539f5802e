package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/demo"
	"github.com/agora-events/agora/models/modeltest"
)

// The networking area (sign-in, home, directory, a profile, requests,
// agenda) and the organizer's networking, meetings, tickets and
// registrations pages pass axe-core's WCAG 2.2 AA rules.
func TestBrowserAccessibilityMeetingsAndManage(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	var db *gorm.DB
	var fx meetingFixture
	base := startServer(t, func(d *gorm.DB) {
		db = d
		fx = newMeetingFixture(t, d, "axe-forum", 2, models.ModeRequests)
	})
	area := base + "/events/" + fx.Event.Slug + "/meetings"
	ctx := newBrowser(t)

	open(t, ctx, area+"/signin", 200)
	checkAxe(t, ctx, axeJS, "meetings: sign-in")
	follow(t, ctx, 422, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	checkAxe(t, ctx, axeJS, "meetings: sign-in with errors")
	signInBrowser := func(ctx context.Context, a models.Attendee, org string) {
		open(t, ctx, area+"/signin", 200)
		do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), a.Email))
		follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
		var n models.MeetingNotice
		if err := db.Where("kind = ? AND participant_id = ? AND reason <> ''", models.NoticeSignIn, a.ID).Order("id DESC").Take(&n).Error; err != nil {
			t.Fatalf("no sign-in link for %s: %v", a.Email, err)
		}
		open(t, ctx, area+"/signin/"+n.Reason, 200)
		follow(t, ctx, 200, chromedp.Click(chromedp.CSS("#use-link")))
		do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-organization"), org), chromedp.Click(chromedp.CSS("#f-opt_in")))
		follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`form[action$="/profile"] button[type="submit"]`)))
	}
	other := newBrowser(t)
	signInBrowser(other, fx.Attendees[1], "Vallmar Hospital")
	open(t, ctx, area+"/signin", 200)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), fx.Attendees[0].Email))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	checkAxe(t, ctx, axeJS, "meetings: link sent")
	var n models.MeetingNotice
	if err := db.Where("kind = ? AND participant_id = ? AND reason <> ''", models.NoticeSignIn, fx.Attendees[0].ID).Order("id DESC").Take(&n).Error; err != nil {
		t.Fatal(err)
	}
	open(t, ctx, area+"/signin/"+n.Reason, 200)
	checkAxe(t, ctx, axeJS, "meetings: use the link")
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS("#use-link")))
	checkAxe(t, ctx, axeJS, "meetings: home before opting in")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-organization"), "Leuven Living Lab"), chromedp.Click(chromedp.CSS("#f-opt_in")))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`form[action$="/profile"] button[type="submit"]`)))
	checkAxe(t, ctx, axeJS, "meetings: home")
	open(t, ctx, area+"/directory", 200)
	checkAxe(t, ctx, axeJS, "meetings: directory")
	pb := participantOf(t, db, fx.Event, fx.Attendees[1])
	open(t, ctx, fmt.Sprintf("%s/people/%d", area, pb.ID), 200)
	checkAxe(t, ctx, axeJS, "meetings: a profile")
	do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="slot"]`)))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS("#send-request")))
	open(t, ctx, area+"/requests", 200)
	checkAxe(t, ctx, axeJS, "meetings: requests")
	open(t, other, area+"/requests", 200)
	follow(t, other, 200, chromedp.Click(chromedp.CSS(`button[id^="accept-"]`)))
	open(t, ctx, area+"/agenda", 200)
	if !strings.Contains(pageText(t, ctx), "Person B") {
		t.Fatalf("the agenda lacks the booked meeting:\n%s", pageText(t, ctx))
	}
	checkAxe(t, ctx, axeJS, "meetings: agenda with a meeting")

	// The organizer's pages, with that meeting booked.
	org := newBrowser(t)
	open(t, org, base+"/manage/login", 200)
	do(t, org, chromedp.SendKeys(chromedp.CSS("#f-email"), "owner-axe-forum@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), modeltest.Password))
	follow(t, org, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	mbase := fmt.Sprintf("%s/manage/events/%d", base, fx.Event.ID)
	for _, p := range []string{"", "/networking", "/meetings", "/meetings/plan", "/tickets", "/registrations", "/registrations/new", "/registrations/import"} {
		open(t, org, mbase+p, 200)
		checkAxe(t, org, axeJS, "manage"+p)
	}
}

// The payment page of a pending order and the receipt of a paid one pass
// the same rules; so do the register and order pages in Spanish.
func TestBrowserAccessibilityPaymentAndSpanish(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	_, stripeBase := startStripeStub(t)
	pay := payment.New(payment.Config{SecretKey: testenv.StripeTestKey, WebhookSecret: testWebhookSecret, APIBase: stripeBase})
	var pending, paid *models.Order
	base := startServerWith(t, Deps{Payments: pay}, func(db *gorm.DB) {
		if _, err := demo.Seed(db, time.Now()); err != nil {
			t.Fatalf("demo seed: %v", err)
		}
		org, _ := modeltest.Organizer(t, db, "Pay Org", "owner@pay.example", models.RoleOwner)
		if err := db.Model(org).Updates(map[string]any{"legal_name": "Pay Org S.L.", "address": "Calle Mayor 1, Madrid", "vat_id": "ESB12345678"}).Error; err != nil {
			t.Fatal(err)
		}
		ev := modeltest.Event(t, db, org.ID, "paid-forum", models.StatusPublished)
		if err := models.SavePaymentSettings(db, models.EventPaymentSettings{ID: ev.ID, InvoiceDays: 14, VATRateBP: 2100, AllowInvoice: true}); err != nil {
			t.Fatal(err)
		}
		ct, err := models.SetConsentText(db, ev.ID, models.ConsentPrivacy, "We keep your data.")
		if err != nil {
			t.Fatal(err)
		}
		tt := &models.TicketType{EventID: ev.ID, Name: "Industry", Price: 2500, Currency: "EUR", Category: models.CategoryIndustry, MaxPerOrder: 3}
		if err := db.Create(tt).Error; err != nil {
			t.Fatal(err)
		}
		place := func(email string) *models.Order {
			o, err := models.PlaceOrder(db, models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: tt.ID, BuyerName: "Bea Buyer", BuyerEmail: email,
				Language: "en", Attendees: []models.AttendeeInput{{Name: "Bea Buyer", Email: email, ConsentTextIDs: []uint{ct.ID}}}})
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		pending, paid = place("pending@example.org"), place("paid@example.org")
		// Pay the second order through the same rules the webhook uses.
		p, _, err := models.PreparePayment(db, paid.ID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := models.AttachCheckoutSession(db, p.ID, "cs_test_axe", "https://checkout.stripe.test/c/pay/cs_test_axe", time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := models.FulfilCheckout(db, models.CheckoutSession{ID: "cs_test_axe", Status: "complete", PaymentStatus: "paid",
			AmountTotal: 2500, Currency: "eur"}, time.Now()); err != nil {
			t.Fatal(err)
		}
	})
	ctx := newBrowser(t)
	open(t, ctx, base+"/orders/"+pending.Secret+"/payment", 200)
	checkAxe(t, ctx, axeJS, "payment page")
	open(t, ctx, base+"/orders/"+paid.Secret, 200)
	checkAxe(t, ctx, axeJS, "paid order page")
	open(t, ctx, base+"/orders/"+paid.Secret+"/receipt", 200)
	checkAxe(t, ctx, axeJS, "receipt")

	// Spanish: the register pages (choice, form, errors) and the order page.
	open(t, ctx, base+"/events/"+demo.AgoraSlug+"/register", 200)
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`.langs a[hreflang="es"]`)))
	if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "es" {
		t.Fatalf("html lang = %q after switching to Spanish", lang)
	}
	checkAxe(t, ctx, axeJS, "register (es): ticket choice")
	do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="ticket"]`)))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`form.ticket-choice button[type="submit"]`)))
	checkAxe(t, ctx, axeJS, "register (es): form")
	follow(t, ctx, 422, chromedp.Click(chromedp.CSS(`form.register-form button[type="submit"]`)))
	checkAxe(t, ctx, axeJS, "register (es): form with errors")
	open(t, ctx, base+"/orders/"+paid.Secret, 200)
	checkAxe(t, ctx, axeJS, "order (es)")
	open(t, ctx, base+"/orders/"+pending.Secret+"/payment", 200)
	checkAxe(t, ctx, axeJS, "payment page (es)")
	open(t, ctx, base+"/orders/"+paid.Secret+"/receipt", 200)
	checkAxe(t, ctx, axeJS, "receipt (es)")
}
