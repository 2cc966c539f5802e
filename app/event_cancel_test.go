package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agora-events/agora/app/jobs"
	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
)

// paidOrderBy pays an order of n (paidOrder) whose buyer is buyer ("" = the fixture's).
func (fx *payFixture) paidOrderBy(n int, buyer string) (*models.Order, models.Payment) {
	fx.t.Helper()
	o, p := fx.paidOrder(n)
	if buyer != "" {
		if err := fx.db.Model(o).Update("buyer_email", buyer).Error; err != nil {
			fx.t.Fatal(err)
		}
	}
	return o, p
}

// cancelThroughForm cancels the fixture's event as its owner would.
func (fx *payFixture) cancelThroughForm() *client {
	fx.t.Helper()
	c := newClient(fx.t, fx.app)
	c.signIn("owner@pay.example")
	base := fmt.Sprintf("/manage/events/%d/cancel", fx.event.ID)
	page := c.get(base)
	mustStatus(fx.t, page, 200, "cancel page")
	mustContain(fx.t, page.Body, "cancel page", "Cancelled: "+fx.event.Title)
	r := c.post(base, map[string][]string{"subject": {"The forum is cancelled"},
		"body": {"We are **sorry**: the venue closed. <script>alert(1)</script>"}, "confirm": {"yes"}})
	mustStatus(fx.t, r, http.StatusSeeOther, "cancel event")
	return c
}

func (fx *payFixture) sweepCancellations() {
	fx.t.Helper()
	if err := (&jobs.Cancellations{DB: fx.db, Pay: fx.pay}).Sweep(context.Background(), fx.clock()); err != nil {
		fx.t.Logf("cancellation job: %v", err)
	}
}

// refundKeys counts refund calls per idempotency key.
func (fx *payFixture) refundKeys() map[string]int {
	keys := map[string]int{}
	for _, r := range fx.stub.find("POST", "/v1/refunds") {
		keys[r.IdempotencyKey]++
	}
	return keys
}

// A paid event cancelled through the form: every order cancelled, the
// waitlist closed, everyone mailed once with the organizer's message, every
// Stripe payment refunded in full once (the job run twice), the bank
// transfer listed to refund by hand, and the progress shown.
func TestCancelPaidEventRefundsEveryPaymentOnce(t *testing.T) {
	fx := newPayFixture(t, 5)
	var pays []models.Payment
	for i := 0; i < 3; i++ {
		_, p := fx.paidOrderBy(1, fmt.Sprintf("buyer%d@example.org", i))
		pays = append(pays, p)
	}
	byHand := fx.place(1)
	if _, err := models.MarkInvoicePaid(fx.db, byHand.ID, fx.clock()); err != nil {
		t.Fatal(err)
	}
	pending := fx.place(1)
	if _, err := models.JoinWaitlist(fx.db, models.JoinWaitlistInput{EventID: fx.event.ID, Name: "Wanda", Email: "wanda@example.org", Language: "en", Now: fx.clock()}); err != nil {
		t.Fatal(err)
	}

	c := fx.cancelThroughForm()
	var e models.Event
	fx.db.Take(&e, fx.event.ID)
	if e.Status != models.StatusCancelled {
		t.Fatalf("event is %s", e.Status)
	}
	var live, waiting int64
	fx.db.Model(&models.Order{}).Where("event_id = ? AND status IN ?", e.ID, []string{models.OrderPending, models.OrderConfirmed}).Count(&live)
	fx.db.Model(&models.WaitlistEntry{}).Where("event_id = ? AND status IN ?", e.ID, []string{models.WaitlistWaiting, models.WaitlistOffered}).Count(&waiting)
	if live != 0 || waiting != 0 || e.PlacesTaken != 0 {
		t.Fatalf("after cancelling: %d live orders, %d waiting, %d places taken", live, waiting, e.PlacesTaken)
	}
	if got := fx.order(pending.ID); got.Status != models.OrderCancelled {
		t.Errorf("the unpaid order is %s", got.Status)
	}

	fx.sweepCancellations()
	fx.sweepCancellations() // a restart: nothing is asked twice
	keys := fx.refundKeys()
	if len(keys) != 3 {
		t.Fatalf("refund calls by key %v, want one per Stripe payment (3)", keys)
	}
	for _, p := range pays {
		k := payment.RefundKey(p.ID, models.RefundEventCancelled, 0)
		if keys[k] != 1 {
			t.Errorf("payment %d: %d calls with key %s", p.ID, keys[k], k)
		}
		var got models.Payment
		fx.db.Take(&got, p.ID)
		if got.State != models.PaymentRefunded || got.RefundedAmount != got.Amount {
			t.Errorf("payment %d is %s, refunded %d of %d", p.ID, got.State, got.RefundedAmount, got.Amount)
		}
	}
	var refunds int64
	fx.db.Model(&models.Refund{}).Where("reason = ?", models.RefundEventCancelled).Count(&refunds)
	if refunds != 3 {
		t.Errorf("%d refunds recorded, want 3", refunds)
	}

	// One mail per person: the three buyers, the invoice and pending buyer
	// (bea@), and the attendee p1@ who is on every order.
	var msgs []models.OutboxMessage
	fx.db.Where("kind = ?", models.MailEventCancelled).Order("id").Find(&msgs)
	to := map[string]int{}
	for _, m := range msgs {
		to[m.To]++
	}
	want := []string{"buyer0@example.org", "buyer1@example.org", "buyer2@example.org", "bea@example.org", "p1@example.org"}
	if len(msgs) != len(want) {
		t.Errorf("%d cancellation mails to %v, want one to each of %v", len(msgs), to, want)
	}
	for _, w := range want {
		if to[w] != 1 {
			t.Errorf("%s got %d cancellation mails", w, to[w])
		}
	}
	if n := fx.mails(models.MailOrderCancelled) + fx.mails(models.MailOrderRefunded); n != 0 {
		t.Errorf("%d other mails besides the cancellation mail", n)
	}
	rd, err := mail.NewRenderer(fx.db, "http://agora.test")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		out, err := rd.Render(m)
		if err != nil {
			t.Fatalf("render mail to %s: %v", m.To, err)
		}
		if out.Subject != "The forum is cancelled" || !strings.Contains(out.HTML, "<strong>sorry</strong>") || strings.Contains(out.HTML, "<script>") {
			t.Errorf("mail to %s: subject %q, html %s", m.To, out.Subject, out.HTML)
		}
		if strings.HasPrefix(m.To, "buyer") && !strings.Contains(out.Text, "refunding your payment of €25.00 in full") {
			t.Errorf("mail to %s does not state the refund:\n%s", m.To, out.Text)
		}
	}

	var waitMsgs []models.OutboxMessage
	fx.db.Where("kind = ?", models.MailEventCancelledWaitlist).Find(&waitMsgs)
	if len(waitMsgs) != 1 || waitMsgs[0].To != "wanda@example.org" {
		t.Fatalf("waitlist mails %+v, want one to wanda@", waitMsgs)
	}
	if out, err := rd.Render(waitMsgs[0]); err != nil || !strings.Contains(out.Text, "Hello Wanda") || !strings.Contains(out.Text, "the waitlist is closed") {
		t.Errorf("waitlist mail: %v\n%s", err, out.Text)
	}

	page := c.get(fmt.Sprintf("/manage/events/%d/cancel", fx.event.ID))
	mustContain(t, page.Body, "progress", "Refunded 3 of 3 online payments.", "To refund by hand", byHand.Code, "The forum is cancelled")
	mustContain(t, c.get(fmt.Sprintf("/manage/events/%d", fx.event.ID)).Body, "overview", "Refunded 3 of 3 online payments.")
	var cn models.EventCancellation
	fx.db.Take(&cn, "event_id = ?", fx.event.ID)
	if cn.State != models.CancellationDone {
		t.Errorf("cancellation is %s, want done", cn.State)
	}
	// The event cannot be published again, nor cancelled twice.
	c.post(fmt.Sprintf("/manage/events/%d/publish", fx.event.ID), nil)
	if fx.db.Take(&e, fx.event.ID); e.Status != models.StatusCancelled {
		t.Errorf("a refunded event was published again: %s", e.Status)
	}
}

// Two instances (two database pools) run the cancellation job at the same
// time while Stripe is slow: each payment is refunded by one call.
func TestCancellationRefundsRacedByTwoInstances(t *testing.T) {
	fx := newPayFixture(t, 10)
	const n = 4
	for i := 0; i < n; i++ {
		fx.paidOrderBy(1, fmt.Sprintf("race%d@example.org", i))
	}
	fx.cancelThroughForm()
	fx.stub.beforeRefund = func(int) int { time.Sleep(50 * time.Millisecond); return 0 }
	other, err := models.Open(fx.dsn, models.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(other) })
	var wg sync.WaitGroup
	for _, inst := range []*jobs.Cancellations{{DB: fx.db, Pay: fx.pay}, {DB: other, Pay: fx.pay}} {
		wg.Add(1)
		go func(j *jobs.Cancellations) {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				_ = j.Sweep(context.Background(), fx.clock())
			}
		}(inst)
	}
	wg.Wait()
	fx.sweepCancellations()
	keys := fx.refundKeys()
	total := 0
	for k, c := range keys {
		total += c
		if c != 1 {
			t.Errorf("key %s used by %d calls", k, c)
		}
	}
	if total != n || len(keys) != n {
		t.Fatalf("%d refund calls over %d keys, want %d", total, len(keys), n)
	}
	var refunded int64
	fx.db.Model(&models.Payment{}).Where("state = ?", models.PaymentRefunded).Count(&refunded)
	if refunded != n {
		t.Errorf("%d payments refunded, want %d", refunded, n)
	}
	p, err := models.CancellationOf(fx.db, fx.event.ID)
	if err != nil || p.Refunded != n || p.Failed != 0 || p.Pending != 0 {
		t.Errorf("progress %+v (%v)", p, err)
	}
}

// Stripe fails once (503): that refund shows as failed with a retry button;
// the retry asks again with the same key and succeeds.
func TestCancellationRefundFailureRetriedWithSameKey(t *testing.T) {
	fx := newPayFixture(t, 10)
	var pays []models.Payment
	for i := 0; i < 3; i++ {
		_, p := fx.paidOrderBy(1, fmt.Sprintf("fail%d@example.org", i))
		pays = append(pays, p)
	}
	c := fx.cancelThroughForm()
	fx.stub.beforeRefund = func(n int) int {
		if n == 2 {
			return http.StatusServiceUnavailable
		}
		return 0
	}
	fx.sweepCancellations()
	fx.sweepCancellations() // a failed refund waits for the retry button
	if n := len(fx.stub.find("POST", "/v1/refunds")); n != 3 {
		t.Fatalf("%d refund calls, want 3 (one failed)", n)
	}
	base := fmt.Sprintf("/manage/events/%d/cancel", fx.event.ID)
	page := c.get(base)
	mustContain(t, page.Body, "failure shown", "Refunded 2 of 3 online payments.", "1 failed.", "Retry the failed refunds", "/cancel/retry")
	// The late-refunds job leaves a cancelled event's refunds alone.
	if err := (&jobs.LateRefunds{DB: fx.db, Pay: fx.pay}).Sweep(context.Background(), fx.clock()); err != nil {
		t.Fatal(err)
	}
	if n := len(fx.stub.find("POST", "/v1/refunds")); n != 3 {
		t.Fatalf("the late-refunds job asked again (%d calls)", n)
	}

	mustStatus(t, c.post(base+"/retry", nil), http.StatusSeeOther, "retry")
	fx.sweepCancellations()
	calls := fx.stub.find("POST", "/v1/refunds")
	if len(calls) != 4 || calls[3].IdempotencyKey != calls[1].IdempotencyKey {
		t.Fatalf("retry calls %+v: want a fourth call with the failed one's key", calls)
	}
	mustContain(t, c.get(base).Body, "after retry", "Refunded 3 of 3 online payments.")
	for _, p := range pays {
		var got models.Payment
		fx.db.Take(&got, p.ID)
		if got.State != models.PaymentRefunded {
			t.Errorf("payment %d is %s", p.ID, got.State)
		}
	}
}

// The cancel form with bad input comes back with a message beside the field
// and what was typed; nothing is cancelled.
func TestCancelEventFormBadInput(t *testing.T) {
	fx := newPayFixture(t, 10)
	fx.paidOrderBy(1, "")
	c := newClient(t, fx.app)
	c.signIn("owner@pay.example")
	base := fmt.Sprintf("/manage/events/%d/cancel", fx.event.ID)
	cases := []struct {
		name       string
		subj, body string
		status     int
		msg        string
	}{
		{"empty body", "Cancelled", "", 422, "Please fill in this field."},
		{"blank body", "Cancelled", "   \n  ", 422, "Please fill in this field."},
		{"empty subject", "", "Sorry", 422, "Please fill in this field."},
		{"1 MB body", "Cancelled", strings.Repeat("Sorry. ", 150000), 422, "Please keep this under"},
		{"long subject", strings.Repeat("S", 301), "Sorry", 422, "under 300 characters"},
	}
	for _, k := range cases {
		c.get(base)
		r := c.post(base, map[string][]string{"subject": {k.subj}, "body": {k.body}, "confirm": {"yes"}})
		if r.Status != k.status || !strings.Contains(r.Body, k.msg) {
			t.Errorf("%s: status %d, want %d with %q: %s", k.name, r.Status, k.status, k.msg, errorLines(r.Body))
		}
		if k.subj != "" && !strings.Contains(r.Body, k.subj[:1]) {
			t.Errorf("%s: the subject typed is lost", k.name)
		}
	}
	// Hostile bytes without the confirmation: a message, never a 500.
	c.get(base)
	r := c.post(base, map[string][]string{"subject": {"Bad\x00\xff subject"}, "body": {"<img src=x onerror=alert(1)>\x00\xfe body"}})
	mustStatus(t, r, 422, "hostile, unconfirmed")
	mustContain(t, r.Body, "hostile", "Tick the box to confirm")
	if strings.Contains(r.Body, "<img src=x") {
		t.Error("the typed body is not escaped")
	}
	var e models.Event
	if fx.db.Take(&e, fx.event.ID); e.Status == models.StatusCancelled {
		t.Fatal("bad input cancelled the event")
	}
	// Hostile bytes confirmed: removed, and the form asks to check what is
	// left; sent again, the message is stored sanitised.
	c.get(base)
	r = c.post(base, map[string][]string{"subject": {"Bad\x00\xff subject"}, "body": {"<img src=x onerror=alert(1)>\x00\xfe body"}, "confirm": {"yes"}})
	mustStatus(t, r, 422, "hostile, confirmed")
	mustContain(t, r.Body, "hostile, confirmed", "we removed them", "Bad\ufffd subject")
	if fx.db.Take(&e, fx.event.ID); e.Status == models.StatusCancelled {
		t.Fatal("hostile bytes cancelled the event before the person checked the message")
	}
	if r := c.post(base, map[string][]string{"subject": {"Bad\ufffd subject"}, "body": {"<img src=x onerror=alert(1)> body"}, "confirm": {"yes"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("sent again: %d\n%s", r.Status, errorLines(r.Body))
	}
	var cn models.EventCancellation
	fx.db.Take(&cn, "event_id = ?", fx.event.ID)
	if strings.ContainsRune(cn.Subject, 0) || strings.Contains(cn.BodyHTML, "onerror") {
		t.Errorf("stored %q / %q", cn.Subject, cn.BodyHTML)
	}
}

// errorLines picks the form's messages out of a page, for failure output.
func errorLines(body string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.Contains(l, "field-error") || strings.Contains(l, "error-summary") || strings.Contains(l, "<p>") && len(l) < 300 {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return strings.Join(out, "\n")
}

// The cancellation mails reach a real mailpit once per person, even when
// two workers send the outbox.
func TestEventCancellationMailDeliveredOnce(t *testing.T) {
	smtpAddr, api := testenv.StartMailpit(t)
	fx := newPayFixture(t, 10)
	fx.paidOrderBy(1, "one@example.org")
	fx.paidOrderBy(1, "two@example.org")
	fx.cancelThroughForm()
	sender, err := mail.NewSMTPSender("smtp://"+smtpAddr, "Agora Test <agora@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	rd, err := mail.NewRenderer(fx.db, "http://agora.test")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, id := range []string{"a", "b"} {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			w := &mail.Worker{DB: fx.db, Sender: sender, Renderer: rd, InstanceID: id, Batch: 2}
			for i := 0; i < 5; i++ {
				if _, err := w.RunOnce(context.Background()); err != nil {
					t.Errorf("worker %s: %v", id, err)
				}
			}
		}(id)
	}
	wg.Wait()
	var list struct {
		Messages []struct {
			Subject string
			To      []struct{ Address string }
		}
	}
	want := map[string]bool{"one@example.org": true, "two@example.org": true, "p1@example.org": true}
	for deadline := time.Now().Add(10 * time.Second); len(list.Messages) < len(want) && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(api + "/api/v1/messages")
		if err != nil {
			t.Fatal(err)
		}
		_ = json.NewDecoder(resp.Body).Decode(&list)
		resp.Body.Close()
	}
	got := map[string]int{}
	for _, m := range list.Messages {
		if m.Subject == "The forum is cancelled" {
			for _, a := range m.To {
				got[a.Address]++
			}
		}
	}
	for addr := range want {
		if got[addr] != 1 {
			t.Errorf("%s received %d cancellation mails, want 1 (all: %v)", addr, got[addr], got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("cancellation mails went to %v, want %v", got, want)
	}
}

// An order placed by a registration that read the event as open just
// before it was cancelled (it commits after the cancellation) is cancelled
// by the job like the others: place back, person mailed, payment refunded.
func TestOrderPlacedDuringCancellationIsCancelledByJob(t *testing.T) {
	fx := newPayFixture(t, 10)
	fx.paidOrderBy(1, "early@example.org")
	fx.cancelThroughForm()
	// The race, replayed: the registration saw the event open.
	fx.db.Model(&models.Event{}).Where("id = ?", fx.event.ID).Update("status", models.StatusPublished)
	late, p := fx.paidOrderBy(1, "late@example.org")
	fx.db.Model(&models.Event{}).Where("id = ?", fx.event.ID).Update("status", models.StatusCancelled)

	fx.sweepCancellations()
	if got := fx.order(late.ID); got.Status != models.OrderCancelled {
		t.Fatalf("the late order is %s", got.Status)
	}
	var got models.Payment
	fx.db.Take(&got, p.ID)
	if got.State != models.PaymentRefunded {
		t.Errorf("the late order's payment is %s", got.State)
	}
	var mails int64
	fx.db.Model(&models.OutboxMessage{}).Where("kind = ? AND to_addr = ?", models.MailEventCancelled, "late@example.org").Count(&mails)
	if mails != 1 {
		t.Errorf("%d mails to the late buyer, want 1", mails)
	}
	if n := len(fx.stub.find("POST", "/v1/refunds")); n != 2 {
		t.Errorf("%d refund calls, want 2", n)
	}
	mustContain(t, fx.owner().get(fmt.Sprintf("/manage/events/%d/cancel", fx.event.ID)).Body, "progress", "Refunded 2 of 2 online payments.")
}
