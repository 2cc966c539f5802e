package app

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// The cancel-event page (and its errors), the refund policy form and an
// attendee's cancel page stating a refund pass WCAG 2.2 AA (axe).
func TestBrowserAccessibilityCancellation(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	_, stripeBase := startStripeStub(t)
	pay := payment.New(payment.Config{SecretKey: testenv.StripeTestKey, WebhookSecret: testWebhookSecret, APIBase: stripeBase})
	var ev *models.Event
	var paid *models.Order
	base := startServerWith(t, Deps{Payments: pay}, func(db *gorm.DB) {
		org, _ := modeltest.Organizer(t, db, "Axe Org", "owner@axe-cancel.example", models.RoleOwner)
		ev = modeltest.Event(t, db, org.ID, "axe-cancel", models.StatusPublished)
		until := time.Now().Add(72 * time.Hour)
		if err := models.SaveRefundPolicy(db, models.EventRefundPolicy{ID: ev.ID, Policy: models.RefundPolicyFee, Until: &until, FeeFixed: 500}); err != nil {
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
		paid, err = models.PlaceOrder(db, models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: tt.ID, BuyerName: "Bea Buyer", BuyerEmail: "bea@example.org",
			Language: "en", Attendees: []models.AttendeeInput{{Name: "Bea Buyer", Email: "bea@example.org", ConsentTextIDs: []uint{ct.ID}}}})
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := models.PreparePayment(db, paid.ID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := models.AttachCheckoutSession(db, p.ID, "cs_test_axe_cancel", "https://checkout.stripe.test/c/pay/cs_test_axe_cancel", time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := models.FulfilCheckout(db, models.CheckoutSession{ID: "cs_test_axe_cancel", Status: "complete", PaymentStatus: "paid",
			AmountTotal: 2500, Currency: "eur", PaymentIntent: "pi_axe"}, time.Now()); err != nil {
			t.Fatal(err)
		}
	})
	ctx := newBrowser(t)
	open(t, ctx, base+"/orders/"+paid.Secret+"/cancel", 200)
	if got := eval[string](t, ctx, `document.getElementById("refund-statement").innerText`); got == "" {
		t.Error("the cancel page states no refund")
	}
	checkAxe(t, ctx, axeJS, "attendee cancel page")

	org := newBrowser(t)
	open(t, org, base+"/manage/login", 200)
	do(t, org, chromedp.SendKeys(chromedp.CSS("#f-email"), "owner@axe-cancel.example"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), modeltest.Password))
	follow(t, org, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	mbase := fmt.Sprintf("%s/manage/events/%d", base, ev.ID)
	open(t, org, mbase+"/refund-policy", 200)
	checkAxe(t, org, axeJS, "refund policy")
	open(t, org, mbase+"/cancel", 200)
	checkAxe(t, org, axeJS, "cancel event")
	// Sent without a message nor the confirmation: the errors pass too.
	follow(t, org, 422, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	checkAxe(t, org, axeJS, "cancel event with errors")
	do(t, org, chromedp.SendKeys(chromedp.CSS("#f-body"), "The venue closed."), chromedp.Click(chromedp.CSS("#f-confirm")))
	follow(t, org, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	checkAxe(t, org, axeJS, "cancellation progress")
	open(t, org, mbase, 200)
	checkAxe(t, org, axeJS, "cancelled event overview")
}
