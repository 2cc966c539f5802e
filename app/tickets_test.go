package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
)

// delegation is a group order of three placed through the register form:
// attendee 1 is the buyer (no address of their own), 2 and 3 are
// delegates with theirs; 2 signed up for a session.
type delegation struct {
	*regEnv
	order     models.Order
	attendees []models.Attendee
}

func newDelegation(t *testing.T) *delegation {
	t.Helper()
	r := newRegEnv(t)
	v := r.form(t, r.tt.ID, 3)
	v.Del("someone_else") // the contact is attendee 1
	v.Del("attendees.0.email")
	v.Del("attendees.0.name")
	v.Set("attendees.1.name", "Berta Delegate")
	v.Set("attendees.1.organization", "Berta's Clinic")
	v.Set("attendees.1.sessions", fmt.Sprint(r.s2.ID))
	v.Set("attendees.2.name", "Carlos Delegate")
	v.Set("attendees.2.email", "carlos@example.org")
	secret := r.register(t, v)
	d := &delegation{regEnv: r}
	if err := r.db.Where("secret = ?", secret).Take(&d.order).Error; err != nil {
		t.Fatal(err)
	}
	if err := r.db.Where("order_id = ?", d.order.ID).Order("position").Find(&d.attendees).Error; err != nil {
		t.Fatal(err)
	}
	if len(d.attendees) != 3 || d.attendees[0].Email != "ana@example.org" || d.attendees[1].Email != "person2@example.org" {
		t.Fatalf("attendees %+v", d.attendees)
	}
	return d
}

func (d *delegation) link(i int) string { return "/tickets/" + d.attendees[i].LinkSecret }

type mailpitMessage struct {
	ID, Subject, Text, HTML string
	To                      []struct{ Address string }
	Inline                  []struct{ FileName, ContentType, ContentID string }
	Attachments             []struct{ FileName, ContentType string }
}

// deliverToMailpit sends the outbox to a real mailpit and reads every
// message back, by recipient.
func deliverToMailpit(t *testing.T, d *delegation, want int) map[string]mailpitMessage {
	t.Helper()
	out := map[string]mailpitMessage{}
	for _, m := range mailpitDelivery(t, d.db) {
		if len(m.To) != 1 {
			t.Fatalf("recipients %+v", m.To)
		}
		if _, dup := out[m.To[0].Address]; dup {
			t.Fatalf("two mails to %s", m.To[0].Address)
		}
		out[m.To[0].Address] = m
	}
	if len(out) != want {
		t.Fatalf("mailpit holds mails to %v, want %d people", out, want)
	}
	return out
}

// mailpitDelivery sends every pending mail of db's outbox, with one pass of
// the real worker, to a fresh mailpit and reads back all that arrived
// (waiting until as many as the worker sent are there).
func mailpitDelivery(t *testing.T, db *gorm.DB) []mailpitMessage {
	t.Helper()
	smtpAddr, api := testenv.StartMailpit(t)
	rnd, err := mail.NewRenderer(db, "http://agora.test")
	if err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender("smtp://"+smtpAddr, "Agora Test <agora@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	w := &mail.Worker{DB: db, Sender: sender, Renderer: rnd, InstanceID: "t", Batch: 10, Log: slog.New(slog.DiscardHandler)}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sent, err := w.RunOnce(ctx)
	if err != nil {
		t.Fatalf("worker sent %d: %v", sent, err)
	}
	get := func(u string, v any) {
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
	}
	var list struct {
		Messages []struct {
			ID string
			To []struct{ Address string }
		}
	}
	for deadline := time.Now().Add(10 * time.Second); len(list.Messages) < sent && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		get(api+"/api/v1/messages", &list)
	}
	if len(list.Messages) != sent {
		t.Fatalf("the worker sent %d mails, mailpit holds %d", sent, len(list.Messages))
	}
	out := make([]mailpitMessage, 0, sent)
	for _, s := range list.Messages {
		var m mailpitMessage
		get(api+"/api/v1/message/"+s.ID, &m)
		m.To = s.To
		out = append(out, m)
	}
	return out
}

// The buyer's mail holds the whole order; each delegate's holds their own
// ticket (QR code, .ics) and personal link, and nothing of the others.
func TestDelegatesGetTheirOwnConfirmation(t *testing.T) {
	d := newDelegation(t)
	mails := deliverToMailpit(t, d, 3)
	buyer := mails["ana@example.org"]
	for _, want := range []string{"Ana Buyer", "Berta Delegate", "Carlos Delegate", "/orders/" + d.order.Secret, "own ticket and personal link"} {
		if !strings.Contains(buyer.Text, want) {
			t.Errorf("buyer's mail lacks %q:\n%s", want, buyer.Text)
		}
	}
	if len(buyer.Inline) != 3 {
		t.Errorf("buyer's mail has %d QR codes, want 3", len(buyer.Inline))
	}
	for i, addr := range map[int]string{1: "person2@example.org", 2: "carlos@example.org"} {
		m, ok := mails[addr]
		if !ok {
			t.Fatalf("no mail to %s", addr)
		}
		me, other := d.attendees[i], d.attendees[3-i]
		if !strings.Contains(m.Subject, "Your ticket") || !strings.Contains(m.Text, me.Name) || !strings.Contains(m.Text, "Ana Buyer has registered you") {
			t.Errorf("%s: subject %q text:\n%s", addr, m.Subject, m.Text)
		}
		if !strings.Contains(m.Text, "http://agora.test"+d.link(i)) || !strings.Contains(m.HTML, d.link(i)) {
			t.Errorf("%s: no personal link in\n%s", addr, m.Text)
		}
		for _, leak := range []string{other.Name, other.Email, d.order.Secret, other.LinkSecret} {
			if strings.Contains(m.Text, leak) || strings.Contains(m.HTML, leak) {
				t.Errorf("%s: mail shows %q", addr, leak)
			}
		}
		code := fmt.Sprintf("%s-%d", d.order.Code, me.Position)
		if len(m.Inline) != 1 || m.Inline[0].ContentType != "image/png" || !strings.Contains(m.HTML, "cid:"+m.Inline[0].ContentID) || !strings.Contains(m.Text, code) {
			t.Errorf("%s: QR parts %+v", addr, m.Inline)
		}
		if len(m.Attachments) != 1 || !strings.HasSuffix(m.Attachments[0].FileName, ".ics") {
			t.Errorf("%s: attachments %+v", addr, m.Attachments)
		}
		if (i == 1) != strings.Contains(m.Text, d.s2.Title) {
			t.Errorf("%s: sessions wrong in\n%s", addr, m.Text)
		}
	}
}

func (d *delegation) client(t *testing.T) *client { return newClient(t, d.app.(*fiber.App)) }

func (d *delegation) reload(t *testing.T) {
	t.Helper()
	d.db.Take(&d.order, d.order.ID)
	d.db.Where("order_id = ?", d.order.ID).Order("position").Find(&d.attendees)
}

// A delegate's link shows, changes and cancels that delegate only; the
// buyer's page still shows everyone.
func TestDelegateLinkIsOnlyTheirs(t *testing.T) {
	d := newDelegation(t)
	c := d.client(t)
	me, other := d.attendees[1], d.attendees[2]
	page := c.get(d.link(1))
	mustStatus(t, page, 200, "ticket page")
	for _, want := range []string{"Berta Delegate", "Berta&#39;s Clinic", d.s2.Title, "data:image/svg", d.order.Code + "-2", "/edit", "/cancel"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
	for _, leak := range []string{"Ana Buyer", "ana@example.org", other.Name, other.Email, "Person 1", d.order.Secret, other.LinkSecret, "receipt"} {
		if strings.Contains(page.Body, leak) {
			t.Errorf("ticket page shows %q", leak)
		}
	}
	data := c.get(d.link(1) + "/data.json")
	mustStatus(t, data, 200, "data")
	if !strings.Contains(data.Body, "person2@example.org") || strings.Contains(data.Body, "ana@example.org") || strings.Contains(data.Body, other.Name) || strings.Contains(data.Body, "total") {
		t.Errorf("data.json:\n%s", data.Body)
	}
	ics := c.get(d.link(1) + "/calendar.ics")
	if ics.Status != 200 || !strings.Contains(ics.Body, "BEGIN:VCALENDAR") || !strings.Contains(ics.Body, d.s2.Title) {
		t.Errorf("calendar %d:\n%s", ics.Status, ics.Body)
	}

	// Another attendee of the order, an order secret, junk: all 404.
	if r := c.get(d.link(1) + "/edit"); r.Status != 200 || !strings.Contains(r.Body, "Back to your ticket") || strings.Contains(r.Body, other.Name) {
		t.Errorf("edit page %d", r.Status)
	}
	for _, p := range []string{
		fmt.Sprintf("%s/attendees/%d", d.link(1), other.ID),
		fmt.Sprintf("/orders/%s/attendees/%d", me.LinkSecret, other.ID),
		"/orders/" + me.LinkSecret,
		"/tickets/" + d.order.Secret,
		"/tickets/" + me.QRSecret,
		"/tickets/" + me.LinkSecret[:42] + "x",
		"/tickets/nope",
	} {
		if r := c.get(p); r.Status != 404 {
			t.Errorf("GET %s: %d, want 404", p, r.Status)
		}
	}
	for _, p := range []string{
		fmt.Sprintf("%s/attendees/%d/details", d.link(1), other.ID),
		fmt.Sprintf("/orders/%s/attendees/%d/details", me.LinkSecret, other.ID),
		"/tickets/" + d.order.Secret + "/details",
		"/tickets/" + d.order.Secret + "/cancel",
	} {
		if r := c.post(p, url.Values{"name": {"Mallory"}}); r.Status != 404 {
			t.Errorf("POST %s: %d, want 404", p, r.Status)
		}
	}
	// A consent record of another attendee cannot be withdrawn through the link.
	var rec models.ConsentRecord
	d.db.Where("attendee_id = ?", other.ID).Take(&rec)
	if r := c.post(fmt.Sprintf("%s/consents/%d/withdraw", d.link(1), rec.ID), nil); r.Status != 404 {
		t.Errorf("withdraw another's consent: %d", r.Status)
	}

	// Edits change the delegate only.
	c.get(d.link(1) + "/edit")
	r := c.post(d.link(1)+"/details", url.Values{"name": {"Berta Renamed"}, "organization": {"Valencia Lab"}, "needs.step_free": {"yes"}, "needs.note": {"Hearing loop"}})
	if r.Status != 303 || r.Location != d.link(1) {
		t.Fatalf("details: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	c.get(d.link(1) + "/edit")
	r = c.post(d.link(1)+"/answers", url.Values{fmt.Sprintf("answers.%d", d.qText.ID): {"Nurse"}})
	mustStatus(t, r, 303, "answers")
	d.reload(t)
	if a := d.attendees[1]; a.Name != "Berta Renamed" || a.Organization != "Valencia Lab" || !a.Needs.StepFree || a.NeedsNote != "Hearing loop" || a.Email != "person2@example.org" {
		t.Fatalf("saved %+v", a)
	}
	if d.attendees[2].Name != "Carlos Delegate" || d.attendees[0].Name != "Ana Buyer" {
		t.Fatalf("others changed: %+v", d.attendees)
	}
	if page := c.get(d.link(1)); !strings.Contains(page.Body, "Nurse") || !strings.Contains(page.Body, "Berta Renamed") {
		t.Fatalf("page after edit:\n%s", page.Body)
	}

	// Cancelling frees the delegate's place only; the order stays confirmed.
	mustStatus(t, c.get(d.link(1)+"/cancel"), 200, "cancel page")
	r = c.post(d.link(1)+"/cancel", nil)
	if r.Status != 303 || r.Location != d.link(1) {
		t.Fatalf("cancel: %d %q", r.Status, r.Location)
	}
	d.reload(t)
	if d.order.Status != models.OrderConfirmed || d.attendees[1].Status != models.AttendeeCancelled ||
		d.attendees[0].Status != models.AttendeeActive || d.attendees[2].Status != models.AttendeeActive {
		t.Fatalf("after cancel: order %s, attendees %s %s %s", d.order.Status, d.attendees[0].Status, d.attendees[1].Status, d.attendees[2].Status)
	}
	var told models.OutboxMessage
	if err := d.db.Where("kind = ? AND ref_id = ?", models.MailAttendeeCancelled, me.ID).Take(&told).Error; err != nil || told.To != "person2@example.org" {
		t.Fatalf("no cancellation mail to the delegate: %v %+v", err, told)
	}
	rnd, err := mail.NewRenderer(d.db, "http://agora.test")
	if err != nil {
		t.Fatal(err)
	}
	if m, err := rnd.Render(told); err != nil || !strings.Contains(m.Subject, "Your place is cancelled") || strings.Contains(m.Text, other.Name) {
		t.Fatalf("cancellation mail %v: %q\n%s", err, m.Subject, m.Text)
	}
	if n := placesOf(t, d, "ticket_types", d.tt.ID); n != 2 {
		t.Fatalf("ticket type places %d, want 2", n)
	}
	if n := placesOf(t, d, "sessions", d.s2.ID); n != 0 {
		t.Fatalf("session places %d, want 0", n)
	}
	page = c.get(d.link(1))
	if !strings.Contains(page.Body, "Your place has been cancelled") || strings.Contains(page.Body, "data:image/png") || strings.Contains(page.Body, "/edit") {
		t.Errorf("cancelled ticket page:\n%s", page.Body)
	}
	if r := c.post(d.link(1)+"/details", url.Values{"name": {"Back again"}}); r.Status != 422 {
		t.Errorf("details after cancel: %d", r.Status)
	}

	// The buyer still sees the whole order.
	buyer := d.client(t).get("/orders/" + d.order.Secret)
	for _, want := range []string{"Ana Buyer", "Berta Renamed", "Carlos Delegate", "ana@example.org", "carlos@example.org has been sent this ticket"} {
		if !strings.Contains(buyer.Body, want) {
			t.Errorf("buyer's page lacks %q", want)
		}
	}
}

func placesOf(t *testing.T, d *delegation, table string, id uint) int {
	t.Helper()
	var n int
	if err := d.db.Raw("SELECT places_taken FROM "+table+" WHERE id = ?", id).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// The last active person cancelling through their own link ends the order,
// as cancelling the last attendee always does.
func TestLastDelegateCancellingEndsTheOrder(t *testing.T) {
	d := newDelegation(t)
	for _, at := range d.attendees[:2] {
		if _, err := models.CancelAttendee(d.db, at.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	c := d.client(t)
	c.get(d.link(2) + "/cancel")
	mustStatus(t, c.post(d.link(2)+"/cancel", nil), 303, "cancel")
	d.reload(t)
	if d.order.Status != models.OrderCancelled {
		t.Fatalf("order %s", d.order.Status)
	}
	if n := placesOf(t, d, "ticket_types", d.tt.ID); n != 0 {
		t.Fatalf("places %d", n)
	}
}

// Bad input on a delegate's details form comes back beside the field with
// what was typed; nothing is saved.
func TestDelegateDetailsHostileInput(t *testing.T) {
	d := newDelegation(t)
	c := d.client(t)
	cases := []struct {
		form  url.Values
		field string
		kept  string
	}{
		{url.Values{"name": {"   "}}, "f-name-error", ""},
		{url.Values{"name": {strings.Repeat("é", 201)}}, "f-name-error", strings.Repeat("é", 201)},
		{url.Values{"name": {"Ok"}, "organization": {"<script>alert(1)</script>" + strings.Repeat("x", 200)}}, "f-organization-error", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{url.Values{"name": {"Ok"}, "needs.note": {strings.Repeat("n", 2001)}}, "f-needs.note-error", strings.Repeat("n", 2001)},
		{url.Values{"name": {strings.Repeat("z", 100_001)}}, "f-name-error", ""},
	}
	for i, tc := range cases {
		c.get(d.link(1) + "/edit")
		r := c.post(d.link(1)+"/details", tc.form)
		if r.Status != 422 || !strings.Contains(r.Body, tc.field) || !strings.Contains(r.Body, tc.kept) || strings.Contains(r.Body, "<script>alert") {
			t.Errorf("case %d: status %d\n%.2000s", i, r.Status, r.Body)
		}
	}
	// NUL and control bytes are taken out and the person asked to check.
	c.get(d.link(1) + "/edit")
	if r := c.post(d.link(1)+"/details", url.Values{"name": {"Ber\x00ta\x07"}}); r.Status != 422 || !strings.Contains(r.Body, `value="Berta"`) {
		t.Fatalf("control bytes: %d\n%s", r.Status, r.Body)
	}
	// A stale form (bad CSRF token) keeps the input and saves nothing.
	r := c.post(d.link(1)+"/details", url.Values{"name": {"Stale"}, "_csrf": {"bad"}})
	if r.Status != 422 || !strings.Contains(r.Body, "Stale") {
		t.Errorf("bad token: %d", r.Status)
	}
	d.reload(t)
	if d.attendees[1].Name != "Berta Delegate" {
		t.Fatalf("name %q", d.attendees[1].Name)
	}
}

// The lost-link form sends a delegate their own link.
func TestLostLinkSendsDelegatesTheirOwn(t *testing.T) {
	d := newDelegation(t)
	d.db.Where("1 = 1").Delete(&models.OutboxMessage{})
	c := d.client(t)
	c.get("/orders/lost?event=" + d.ev.Slug)
	mustStatus(t, c.post("/orders/lost", url.Values{"event": {d.ev.Slug}, "email": {"Carlos@Example.org"}}), 200, "lost link")
	var ms []models.OutboxMessage
	d.db.Find(&ms)
	if len(ms) != 1 || ms[0].Kind != models.MailAttendeeLink || ms[0].To != "carlos@example.org" || ms[0].RefID != d.attendees[2].ID {
		t.Fatalf("outbox %+v", ms)
	}
	rnd, err := mail.NewRenderer(d.db, "http://agora.test")
	if err != nil {
		t.Fatal(err)
	}
	m, err := rnd.Render(ms[0])
	if err != nil || !strings.Contains(m.Text, "http://agora.test"+d.link(2)) || strings.Contains(m.Text, d.order.Secret) {
		t.Fatalf("rendered %v:\n%s", err, m.Text)
	}
}

// delegateLink is the personal link of the last attendee of an order, for
// tests that crawl a delegate's pages.
func delegateLink(t *testing.T, db *gorm.DB, orderID uint) string {
	t.Helper()
	var a models.Attendee
	if err := db.Where("order_id = ?", orderID).Order("position DESC").Take(&a).Error; err != nil {
		t.Fatal(err)
	}
	return a.LinkSecret
}

// A delegate's link signs that delegate in to the event's meetings (as the
// e-mail sign-in does), and shows the way there on their page; a person
// whose place is cancelled is not let in.
func TestDelegateLinkSignsInToMeetings(t *testing.T) {
	f, db := newTestApp(t)
	mf := newMeetingFixture(t, db, "deleg-meet", 3, models.ModeRequests)
	me := mf.Attendees[1]
	c := newClient(t, f)
	page := c.get("/tickets/" + me.LinkSecret)
	if page.Status != 200 || !strings.Contains(page.Body, "/tickets/"+me.LinkSecret+"/meetings") {
		t.Fatalf("ticket page %d lacks the meetings link", page.Status)
	}
	base := "/events/" + mf.Event.Slug + "/meetings"
	r := c.get("/tickets/" + me.LinkSecret + "/meetings")
	if r.Status != 303 || r.Location != base {
		t.Fatalf("meetings from ticket: %d %q", r.Status, r.Location)
	}
	if home := c.get(base); home.Status != 200 || !strings.Contains(home.Body, me.Name) {
		t.Fatalf("meetings home %d", home.Status)
	}
	// The e-mail sign-in still finds the delegate by their own address.
	signInToMeetings(t, newClient(t, f), db, mf.Event, mf.Attendees[2])

	if _, err := models.CancelAttendee(db, me.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if r := newClient(t, f).get("/tickets/" + me.LinkSecret + "/meetings"); r.Status != 404 {
		t.Fatalf("cancelled delegate into meetings: %d", r.Status)
	}
}

// A paid group order mails its delegates once it is paid (through the
// webhook's fulfilment), once each however often Stripe repeats itself.
func TestPaidDelegationMailsDelegatesOnPayment(t *testing.T) {
	fx := newPayFixture(t, 10)
	o := fx.place(2) // p1@ and p2@, bought by bea@: two delegates
	sid := fx.checkout(o)
	if n := fx.mails(models.MailAttendeeConfirmation); n != 0 {
		t.Fatalf("%d delegate mails before payment", n)
	}
	fx.stub.setSession(sid, "complete", "paid", 5000, "eur", o.ID)
	for _, id := range []string{"evt_d1", "evt_d2"} {
		mustStatus(t, fx.webhook(id, "checkout.session.completed", "checkout.session", sid, testWebhookSecret), 200, "paid")
	}
	if n := fx.mails(models.MailAttendeeConfirmation); n != 2 {
		t.Fatalf("%d delegate mails after payment, want 2", n)
	}
	if n := fx.mails(models.MailOrderConfirmation); n != 1 {
		t.Fatalf("%d buyer mails, want 1", n)
	}
}
