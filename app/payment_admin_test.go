package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// paidOrder places an order of n and pays it through checkout and webhook.
func (fx *payFixture) paidOrder(n int) (*models.Order, models.Payment) {
	fx.t.Helper()
	o := fx.place(n)
	sid := fx.checkout(o)
	fx.stub.setSession(sid, "complete", "paid", fx.tt.Price*int64(n), "eur", o.ID)
	mustStatus(fx.t, fx.webhook("evt_"+sid, "checkout.session.completed", "checkout.session", sid, testWebhookSecret), 200, "paid")
	var p models.Payment
	if err := fx.db.Where("order_id = ? AND state = ?", o.ID, models.PaymentPaid).Take(&p).Error; err != nil {
		fx.t.Fatalf("no paid payment: %v", err)
	}
	return o, p
}

func (fx *payFixture) owner() *client {
	c := newClient(fx.t, fx.app)
	c.signIn("owner@pay.example")
	return c
}

func TestOrganizerRefundPartialThenFull(t *testing.T) {
	fx := newPayFixture(t, 10)
	o, p := fx.paidOrder(2) // €50.00
	c := fx.owner()
	page := fmt.Sprintf("/manage/events/%d/orders/%d", fx.event.ID, o.ID)
	r := c.get(page)
	mustStatus(t, r, 200, "order page")
	mustContain(t, r.Body, "order page", o.Code, "€50.00", "card (Stripe)", "paid", `name="amount"`, `value="50.00"`, `name="seq" value="0"`)

	// More than was paid: refused beside the field, nothing sent or recorded.
	r = c.post(page+"/refund", url.Values{"amount": {"50.01"}, "seq": {"0"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "over-refund")
	mustContain(t, r.Body, "over-refund", "more than what is left to refund (at most 50.00)", `value="50.01"`, `aria-describedby="f-amount-error"`)
	for _, bad := range []string{"", "-5", "abc", "0", strings.Repeat("9", 400)} {
		c.get(page)
		mustStatus(t, c.post(page+"/refund", url.Values{"amount": {bad}, "seq": {"0"}}), http.StatusUnprocessableEntity, "bad amount "+bad)
	}
	if n := len(fx.stub.find("POST", "/v1/refunds")); n != 0 {
		t.Fatalf("%d refund requests for refused forms", n)
	}

	// Partial refund, order kept.
	c.get(page)
	r = c.post(page+"/refund", url.Values{"amount": {"20.00"}, "seq": {"0"}})
	mustStatus(t, r, http.StatusSeeOther, "partial refund")
	reqs := fx.stub.find("POST", "/v1/refunds")
	if len(reqs) != 1 || reqs[0].IdempotencyKey != fmt.Sprintf("agora-refund-%d-organizer-0", p.ID) || !strings.Contains(reqs[0].Body, "amount=2000") {
		t.Fatalf("refund requests: %+v", reqs)
	}
	got := fx.order(o.ID)
	if got.Status != models.OrderConfirmed {
		t.Fatalf("order %s after a partial refund without cancel", got.Status)
	}
	if n := fx.mails(models.MailOrderRefunded); n != 1 {
		t.Fatalf("refund mails = %d", n)
	}
	// The same form posted again is stale: no second refund.
	r = c.post(page+"/refund", url.Values{"amount": {"20.00"}, "seq": {"0"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "stale form")
	mustContain(t, r.Body, "stale form", "The order changed since you opened this page")
	if n := len(fx.stub.find("POST", "/v1/refunds")); n != 1 {
		t.Fatalf("stale form sent a refund (%d requests)", n)
	}

	// The rest, with cancellation.
	r = c.get(page)
	mustContain(t, r.Body, "after partial", "€20.00", "partly refunded", `value="30.00"`, `name="seq" value="1"`)
	mustStatus(t, c.post(page+"/refund", url.Values{"amount": {"30.00"}, "seq": {"1"}, "cancel": {"1"}}), http.StatusSeeOther, "full refund")
	var pay models.Payment
	fx.db.Take(&pay, p.ID)
	if pay.State != models.PaymentRefunded || pay.RefundedAmount != 5000 {
		t.Fatalf("payment %s refunded %d", pay.State, pay.RefundedAmount)
	}
	var refunds []models.Refund
	fx.db.Where("order_id = ?", o.ID).Order("id").Find(&refunds)
	if len(refunds) != 2 || refunds[0].Amount != 2000 || refunds[1].Amount != 3000 || refunds[1].Reason != models.RefundOrganizer {
		t.Fatalf("refunds: %+v", refunds)
	}
	if got := fx.order(o.ID); got.Status != models.OrderCancelled {
		t.Fatalf("order %s after refund and cancel", got.Status)
	}
	if n := fx.mails(models.MailOrderRefunded); n != 2 {
		t.Fatalf("refund mails = %d", n)
	}
	if k := fx.stub.find("POST", "/v1/refunds")[1].IdempotencyKey; k != fmt.Sprintf("agora-refund-%d-organizer-1", p.ID) {
		t.Fatalf("second refund key %q", k)
	}
	r = c.get(page)
	mustContain(t, r.Body, "after full", "Cancelled", "by an organizer")
	if strings.Contains(r.Body, `action="`+page+`/refund"`) {
		t.Fatal("refund form shown for a fully refunded order")
	}
	// Nothing left: a forged post is refused.
	r = c.post(page+"/refund", url.Values{"amount": {"1.00"}, "seq": {"2"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "nothing left")
	mustContain(t, r.Body, "nothing left", "no card payment left to refund")
}

func TestOrganizerMarksBankTransferPaid(t *testing.T) {
	fx := newPayFixture(t, 10)
	if err := models.SavePaymentSettings(fx.db, models.EventPaymentSettings{ID: fx.event.ID, AllowInvoice: true, InvoiceDays: 10}); err != nil {
		t.Fatal(err)
	}
	o := fx.place(1)
	if _, err := models.ChooseInvoice(fx.db, o.ID, fx.clock()); err != nil {
		t.Fatal(err)
	}
	c := fx.owner()
	page := fmt.Sprintf("/manage/events/%d/orders/%d", fx.event.ID, o.ID)
	r := c.get(page)
	mustContain(t, r.Body, "pending order", "bank transfer or invoice", "Mark as paid", "places held until")
	mustStatus(t, c.post(page+"/mark-paid", nil), http.StatusSeeOther, "mark paid")
	if got := fx.order(o.ID); got.Status != models.OrderConfirmed {
		t.Fatalf("order %s after mark paid", got.Status)
	}
	if n := fx.mails(models.MailOrderConfirmation); n != 1 {
		t.Fatalf("confirmation mails = %d", n)
	}
	// Twice: nothing more.
	r = c.get(page)
	if strings.Contains(r.Body, "Mark as paid") {
		t.Fatal("mark paid offered for a confirmed order")
	}
	mustStatus(t, c.post(page+"/mark-paid", nil), http.StatusSeeOther, "mark paid again")
	if n := fx.mails(models.MailOrderConfirmation); n != 1 {
		t.Fatalf("confirmation mails after a second click = %d", n)
	}
	var paid int64
	fx.db.Model(&models.Payment{}).Where("order_id = ? AND state = ?", o.ID, models.PaymentPaid).Count(&paid)
	if paid != 1 {
		t.Fatalf("paid payments = %d", paid)
	}
	// Without a token: 403, nothing changes.
	o2 := fx.place(1)
	r = c.post(fmt.Sprintf("/manage/events/%d/orders/%d/mark-paid", fx.event.ID, o2.ID), url.Values{"_csrf": {"forged"}})
	mustStatus(t, r, http.StatusForbidden, "mark paid without token")
	if got := fx.order(o2.ID); got.Status != models.OrderPending {
		t.Fatalf("forged mark paid: %s", got.Status)
	}
}

func TestPaymentSettingsForm(t *testing.T) {
	fx := newPayFixture(t, 10)
	c := fx.owner()
	page := fmt.Sprintf("/manage/events/%d/payments", fx.event.ID)
	r := c.get(page)
	mustStatus(t, r, 200, "settings")
	mustContain(t, r.Body, "settings", `name="invoice_days"`, `value="14"`, `name="vat_rate"`)
	ev := c.get(fmt.Sprintf("/manage/events/%d", fx.event.ID))
	mustContain(t, ev.Body, "event page links", `href="`+page+`"`, fmt.Sprintf(`href="/manage/events/%d/vouchers"`, fx.event.ID))

	for _, bad := range []url.Values{
		{"invoice_days": {"0"}, "vat_rate": {"21"}},
		{"invoice_days": {"abc"}, "vat_rate": {"21"}},
		{"invoice_days": {"14"}, "vat_rate": {"101"}},
		{"invoice_days": {"14"}, "vat_rate": {"21.555"}},
		{"invoice_days": {"14"}, "vat_rate": {"-3"}},
		{"invoice_days": {"14"}, "vat_rate": {"0"}, "invoice_notice": {strings.Repeat("x", 2001)}},
	} {
		bad.Set("allow_invoice", "1")
		c.get(page)
		r := c.post(page, bad)
		mustStatus(t, r, http.StatusUnprocessableEntity, fmt.Sprint("bad settings ", bad))
		mustContain(t, r.Body, "bad settings", "field-error", `value="`+bad.Get("vat_rate")+`"`)
	}
	s, _ := models.PaymentSettings(fx.db, fx.event.ID)
	if s.AllowInvoice || s.InvoiceDays != 14 || s.VATRateBP != 0 {
		t.Fatalf("bad input saved: %+v", s)
	}
	c.get(page)
	r = c.post(page, url.Values{"allow_invoice": {"1"}, "invoice_days": {"21"}, "vat_rate": {"10,5"}, "invoice_notice": {"IBAN ES00 <b>1234</b>"}})
	mustStatus(t, r, http.StatusSeeOther, "save settings")
	s, _ = models.PaymentSettings(fx.db, fx.event.ID)
	if !s.AllowInvoice || s.InvoiceDays != 21 || s.VATRateBP != 1050 || s.InvoiceNotice != "IBAN ES00 <b>1234</b>" {
		t.Fatalf("saved: %+v", s)
	}
	r = c.get(page)
	mustContain(t, r.Body, "saved settings", `value="10.5"`, "IBAN ES00 &lt;b&gt;1234&lt;/b&gt;")
}

func TestVoucherPagesAndForm(t *testing.T) {
	fx := newPayFixture(t, 10)
	c := fx.owner()
	list := fmt.Sprintf("/manage/events/%d/vouchers", fx.event.ID)
	mustContain(t, c.get(list).Body, "empty list", "No vouchers yet.")
	c.get(list + "/new")
	r := c.post(list, url.Values{"code": {"bad code!"}, "kind": {"percent"}, "value": {"150"}, "max_uses": {"-1"},
		"valid_until": {"yesterday"}, "ticket_types": {"999999"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "bad voucher")
	mustContain(t, r.Body, "bad voucher", "Use only letters, digits and dashes", "from 1 to 100", `value="bad code!"`,
		"Choose ticket types of this event", `aria-describedby="f-code-error"`)
	c.get(list + "/new")
	r = c.post(list, url.Values{"code": {"patients-25"}, "kind": {"percent"}, "value": {"25"}, "max_uses": {"2"},
		"ticket_types": {fmt.Sprint(fx.tt.ID)}})
	mustStatus(t, r, http.StatusSeeOther, "create voucher")
	v, err := models.VoucherByCode(fx.db, fx.event.ID, "PATIENTS-25")
	if err != nil || v.Value != 25 || v.MaxUses != 2 || v.TicketTypeIDs != fmt.Sprint(fx.tt.ID) {
		t.Fatalf("saved voucher %+v %v", v, err)
	}
	// Same code again: message, not a second voucher.
	c.get(list + "/new")
	r = c.post(list, url.Values{"code": {"PATIENTS-25"}, "kind": {"free"}, "max_uses": {"0"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "duplicate code")
	mustContain(t, r.Body, "duplicate code", "already has this code")

	// Used once through a real order, then the maximum cannot go below it.
	cts, _ := models.CurrentConsentTexts(fx.db, fx.event.ID)
	o, err := models.PlaceOrder(fx.db, models.PlaceOrderInput{EventID: fx.event.ID, TicketTypeID: fx.tt.ID, BuyerName: "Pat", BuyerEmail: "pat@example.org",
		VoucherCode: "patients-25", Attendees: []models.AttendeeInput{{Name: "Pat", Email: "pat@example.org", ConsentTextIDs: []uint{cts[0].ID}}}})
	if err != nil || o.Total != 1875 {
		t.Fatalf("order with voucher: %v total %d", err, o.Total)
	}
	mustContain(t, c.get(list).Body, "list", "PATIENTS-25", "25% off", "1 of 2", "/events/paid-forum/register?voucher=PATIENTS-25")
	mustContain(t, c.get(fmt.Sprintf("/manage/events/%d/orders/%d", fx.event.ID, o.ID)).Body, "order with voucher", "PATIENTS-25", "€6.25 off", "€18.75")
	edit := fmt.Sprintf("%s/%d/edit", list, v.ID)
	c.get(edit)
	r = c.post(edit, url.Values{"code": {"PATIENTS-25"}, "kind": {"fixed"}, "value": {"5"}, "max_uses": {"0"}})
	mustStatus(t, r, http.StatusSeeOther, "edit to unlimited")
	c.get(edit)
	r = c.post(edit, url.Values{"code": {"PATIENTS-25"}, "kind": {"fixed"}, "value": {"5"}, "max_uses": {"0"}, "uses": {"0"}})
	mustStatus(t, r, http.StatusSeeOther, "forged uses ignored")
	fx.db.Take(v, v.ID)
	if v.Uses != 1 || v.Kind != models.VoucherFixed || v.Value != 500 || v.MaxUses != 0 {
		t.Fatalf("edited voucher %+v", v)
	}
	// A voucher of another event is 404 under this one.
	other := modeltest.Event(t, fx.db, fx.event.OrganizationID, "other-paid", models.StatusDraft)
	mustStatus(t, c.get(fmt.Sprintf("/manage/events/%d/vouchers/%d/edit", other.ID, v.ID)), http.StatusNotFound, "voucher under another event")
}
