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
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

type certWorld struct {
	app     *fiber.App
	db      *gorm.DB
	event   *models.Event
	orders  []*models.Order // 0 and 1 checked in, 2 not
	session models.Session
}

var certNames = []string{"Παναγιώτης Οικονόμου", "Zoë Ødegård", "Never Came"}

// newCertWorld registers three people for a 90-minute session with
// sign-up, checks the first two in, and (with over) moves the event into
// the past.
func newCertWorld(t *testing.T, over bool) certWorld {
	t.Helper()
	f, db := newTestApp(t)
	w := seedCertWorld(t, db, over)
	w.app = f
	return w
}

func seedCertWorld(t *testing.T, db *gorm.DB, over bool) certWorld {
	t.Helper()
	org, _ := modeltest.Organizer(t, db, "Cert Org", "owner-cert@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "cert-forum", models.StatusPublished)
	w := certWorld{db: db, event: e}
	tt := &models.TicketType{EventID: e.ID, Name: "Delegate", Currency: "EUR", Category: models.CategoryClinician, MaxPerOrder: 3}
	if err := models.CreateTicketType(db, tt); err != nil {
		t.Fatal(err)
	}
	w.session = models.Session{EventID: e.ID, Title: "Telecare in rural areas", Format: "workshop", SignUp: true,
		StartsAt: e.StartsAt.Add(time.Hour), EndsAt: e.StartsAt.Add(150 * time.Minute)}
	if err := models.CreateSession(db, &w.session, nil); err != nil {
		t.Fatal(err)
	}
	privacy, err := models.SetConsentText(db, e.ID, models.ConsentPrivacy, "We keep your data.")
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range certNames {
		o := placeRegistration(t, db, e, tt, models.AttendeeInput{Name: name, Email: fmt.Sprintf("cert%d@example.org", i),
			ConsentTextIDs: []uint{privacy.ID}, SessionIDs: []uint{w.session.ID}})
		w.orders = append(w.orders, o)
		if i < 2 {
			if _, _, err := models.CheckIn(db, e.ID, o.Attendees[0].QRSecret, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	if over {
		w.endEvent(t)
	}
	return w
}

func (w certWorld) endEvent(t *testing.T) {
	t.Helper()
	start := time.Now().UTC().Add(-72 * time.Hour)
	if err := w.db.Model(&models.Event{}).Where("id = ?", w.event.ID).
		Updates(map[string]any{"starts_at": start, "ends_at": start.Add(48 * time.Hour)}).Error; err != nil {
		t.Fatal(err)
	}
}

func (w certWorld) certURL(i int) string {
	o := w.orders[i]
	return fmt.Sprintf("/orders/%s/attendees/%d/certificate.pdf", o.Secret, o.Attendees[0].ID)
}

// A checked-in person downloads their certificate from their link once
// the event is over: name, event, the session with its hours, the
// signatory and the verification address, in any script.
func TestCertificateForCheckedInAttendees(t *testing.T) {
	w := newCertWorld(t, false)
	c := newClient(t, w.app)
	mustStatus(t, c.get(w.certURL(0)), 404, "certificate before the event is over")
	w.endEvent(t)
	if err := models.SaveCertificateSettings(w.db, models.CertificateSettings{EventID: w.event.ID, SignatoryName: "Dra. Núria Puig", SignatoryRole: "Chair of the committee"}); err != nil {
		t.Fatal(err)
	}
	doc := mustPDF(t, c.get(w.certURL(0)), "certificate")
	if n := testenv.PDFPages(t, doc); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
	text := strings.Join(strings.Fields(testenv.PDFText(t, doc)), " ")
	mustContain(t, text, "certificate text", "Certificate of attendance", "Παναγιώτης Οικονόμου", "Event cert-forum", "Cert Org",
		"Telecare in rural areas", "1.5 h", "Dra. Núria Puig", "Chair of the committee", "http://agora.test/certificates/")
	// The same certificate every time: one row, one code.
	mustPDF(t, c.get(w.certURL(0)), "certificate again")
	var n int64
	w.db.Model(&models.Certificate{}).Count(&n)
	if n != 1 {
		t.Errorf("%d certificate rows, want 1", n)
	}
	mustStatus(t, c.get(w.certURL(2)), 404, "certificate of someone never checked in")
	// Another order's attendee through this order's link is a 404 too.
	mustStatus(t, c.get(fmt.Sprintf("/orders/%s/attendees/%d/certificate.pdf", w.orders[0].Secret, w.orders[1].Attendees[0].ID)), 404, "other order")
	// The order page links to it for the checked-in person only.
	page := c.get("/orders/" + w.orders[0].Secret)
	mustContain(t, page.Body, "order page", w.certURL(0))
	if strings.Contains(c.get("/orders/"+w.orders[2].Secret).Body, "certificate.pdf") {
		t.Error("the order page of someone never checked in offers a certificate")
	}
	// A person's own ticket page (their personal link) offers theirs too.
	att := w.orders[0].Attendees[0]
	w.db.Take(&att, att.ID)
	ticket := "/tickets/" + att.LinkSecret
	mustContain(t, c.get(ticket).Body, "ticket page", ticket+"/certificate.pdf")
	mustPDF(t, c.get(ticket+"/certificate.pdf"), "certificate from the ticket page")
	never := w.orders[2].Attendees[0]
	w.db.Take(&never, never.ID)
	if strings.Contains(c.get("/tickets/"+never.LinkSecret).Body, "certificate.pdf") {
		t.Error("the ticket page of someone never checked in offers a certificate")
	}
	mustStatus(t, c.get("/tickets/"+never.LinkSecret+"/certificate.pdf"), 404, "ticket certificate of someone never checked in")
}

// The verification page shows the stored facts; unknown codes are a 404.
func TestCertificateVerificationPage(t *testing.T) {
	w := newCertWorld(t, true)
	c := newClient(t, w.app)
	mustPDF(t, c.get(w.certURL(1)), "certificate")
	var cert models.Certificate
	if err := w.db.Take(&cert).Error; err != nil {
		t.Fatal(err)
	}
	if !models.LooksLikeSecret(cert.Code) {
		t.Errorf("code %q is not an unguessable secret", cert.Code)
	}
	r := c.get("/certificates/" + cert.Code)
	mustStatus(t, r, 200, "verify")
	mustContain(t, r.Body, "verify", "is genuine", "Zoë Ødegård", "Event cert-forum", "Cert Org", "noindex")
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("verification page cached: %q", r.Header.Get("Cache-Control"))
	}
	for _, bad := range []string{models.NewSecret(), "nope", cert.Code[:20]} {
		mustStatus(t, c.get("/certificates/"+bad), 404, "unknown code "+bad)
	}
}

// The organizer sets the signatory (with a message beside a bad field)
// and e-mails everyone checked in once, however often the button is
// pressed.
func TestCertificatesPageAndSendingOnce(t *testing.T) {
	w := newCertWorld(t, true)
	c := newClient(t, w.app)
	c.signIn("owner-cert@example.org")
	base := fmt.Sprintf("/manage/events/%d/certificates", w.event.ID)
	page := c.get(base)
	mustStatus(t, page, 200, "certificates page")
	mustContain(t, page.Body, "certificates page", "E-mail the certificates (people checked in: 2)")
	r := c.post(base, url.Values{"signatory_name": {strings.Repeat("x", 121)}, "signatory_role": {"Chair"}})
	mustStatus(t, r, 422, "too long")
	mustContain(t, r.Body, "too long", "Use at most 120 characters.", "Chair")
	c.get(base)
	r = c.post(base, url.Values{"signatory_name": {"Dra. Núria Puig"}, "signatory_role": {"Chair"}})
	mustStatus(t, r, 303, "save signatory")
	if s, _ := models.CertificateSettingsOf(w.db, w.event.ID); s.SignatoryName != "Dra. Núria Puig" || s.SignatoryRole != "Chair" {
		t.Errorf("settings %+v", s)
	}
	for range 2 {
		c.get(base)
		mustStatus(t, c.post(base+"/send", nil), 303, "send")
	}
	var rows []models.OutboxMessage
	w.db.Where("kind = ?", models.MailCertificate).Order("to_addr").Find(&rows)
	if len(rows) != 2 || rows[0].To != "cert0@example.org" || rows[1].To != "cert1@example.org" {
		t.Fatalf("certificate mails %+v, want one to each checked-in person", rows)
	}
	mustContain(t, c.get(base).Body, "counts", "<dd>2</dd>")
}

// Two organizers pressing "send" at once still mail each person once, and
// each has one certificate.
func TestCertificateMailsRacedOnce(t *testing.T) {
	w := newCertWorld(t, true)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = models.EnqueueCertificateMails(w.db, w.event.ID, time.Now())
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Errorf("enqueue: %v", err)
		}
	}
	var mails, certs int64
	w.db.Model(&models.OutboxMessage{}).Where("kind = ?", models.MailCertificate).Count(&mails)
	w.db.Model(&models.Certificate{}).Count(&certs)
	if mails != 2 || certs != 2 {
		t.Errorf("%d mails and %d certificates, want 2 and 2 (%s)", mails, certs, modeltest.Engine())
	}
}

// The mail reaches a real mailpit with the certificate attached as a PDF
// that names the person.
func TestCertificateMailDeliveredWithThePDF(t *testing.T) {
	smtpAddr, api := testenv.StartMailpit(t)
	w := newCertWorld(t, true)
	// Only the certificates go to this mailpit (the confirmations count as sent).
	w.db.Model(&models.OutboxMessage{}).Where("1 = 1").Update("status", models.OutboxSent)
	if _, err := models.EnqueueCertificateMails(w.db, w.event.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender("smtp://"+smtpAddr, "Agora Test <agora@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	r, err := mail.NewRenderer(w.db, "https://agora.example.org")
	if err != nil {
		t.Fatal(err)
	}
	worker := &mail.Worker{DB: w.db, Sender: sender, Renderer: r, InstanceID: "cert", Batch: 10, Log: slog.New(slog.DiscardHandler)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if n, err := worker.RunOnce(ctx); err != nil || n != 2 {
		t.Fatalf("worker: %d %v", n, err)
	}
	if n, _ := worker.RunOnce(ctx); n != 0 {
		t.Fatalf("a second run sent %d more", n)
	}
	var list struct {
		Messages []struct {
			ID      string
			Subject string
			To      []struct{ Address string }
		}
	}
	for deadline := time.Now().Add(10 * time.Second); len(list.Messages) < 2 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		getJSONURL(t, api+"/api/v1/messages", &list)
	}
	if len(list.Messages) != 2 {
		t.Fatalf("mailpit holds %d messages, want 2", len(list.Messages))
	}
	found := map[string]bool{}
	for _, m := range list.Messages {
		if m.Subject != "Your certificate of attendance: Event cert-forum" {
			t.Errorf("subject %q", m.Subject)
		}
		var msg struct {
			Text        string
			Attachments []struct{ FileName, ContentType, PartID string }
		}
		getJSONURL(t, api+"/api/v1/message/"+m.ID, &msg)
		if !strings.Contains(msg.Text, "https://agora.example.org/certificates/") {
			t.Errorf("text lacks the verification link:\n%s", msg.Text)
		}
		for _, a := range msg.Attachments {
			if a.ContentType != "application/pdf" {
				continue
			}
			resp, err := http.Get(api + "/api/v1/message/" + m.ID + "/part/" + a.PartID)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			text := testenv.PDFText(t, body)
			for _, name := range certNames {
				if strings.Contains(text, name) {
					found[name] = true
				}
			}
		}
	}
	if !found[certNames[0]] || !found[certNames[1]] || found[certNames[2]] {
		t.Errorf("certificates attached for %v, want the two checked-in people", found)
	}
}

func getJSONURL(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// The mail and its PDF are in the buyer's language.
func TestCertificateMailInTheBuyersLanguage(t *testing.T) {
	w := newCertWorld(t, true)
	w.db.Model(&models.Order{}).Where("id = ?", w.orders[1].ID).Update("language", "es")
	if _, err := models.EnqueueCertificateMails(w.db, w.event.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	var m models.OutboxMessage
	if err := w.db.Where("kind = ? AND to_addr = ?", models.MailCertificate, "cert1@example.org").Take(&m).Error; err != nil {
		t.Fatal(err)
	}
	r, err := mail.NewRenderer(w.db, "https://agora.example.org")
	if err != nil {
		t.Fatal(err)
	}
	msg, err := r.Render(m)
	if err != nil {
		t.Fatal(err)
	}
	if msg.Subject != "Su certificado de asistencia: Event cert-forum" || len(msg.Attachments) != 1 {
		t.Fatalf("subject %q, %d attachments", msg.Subject, len(msg.Attachments))
	}
	text := strings.Join(strings.Fields(testenv.PDFText(t, msg.Attachments[0].Data)), " ")
	mustContain(t, text, "spanish certificate", "Certificado de asistencia", "Zoë Ødegård", "Se certifica que")
}

// A checked-in person whose data was erased, or who was cancelled, has no
// certificate any more:
// sending skips them (instead of failing on their empty address), their
// link and verification page are a 404, and they get no badge.
func TestCertificatesLeaveOutAnonymisedPeople(t *testing.T) {
	w := newCertWorld(t, true)
	c := newClient(t, w.app)
	mustPDF(t, c.get(w.certURL(0)), "certificate before erasure")
	var cert models.Certificate
	if err := w.db.Take(&cert).Error; err != nil {
		t.Fatal(err)
	}
	if err := models.AnonymiseAttendee(w.db, w.orders[0].Attendees[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	n, err := models.EnqueueCertificateMails(w.db, w.event.ID, time.Now())
	if err != nil || n != 1 {
		t.Fatalf("queued %d, %v; want 1 (the other checked-in person)", n, err)
	}
	mustStatus(t, c.get(w.certURL(0)), 404, "certificate after erasure")
	mustStatus(t, c.get("/certificates/"+cert.Code), 404, "verification after erasure")
	hs, err := models.BadgeHolders(w.db, w.event.ID, models.BadgeSelection{})
	if err != nil || len(hs) != 2 {
		t.Errorf("%d badges, %v; want 2 (not the erased person)", len(hs), err)
	}
	// Cancelled after the certificate was issued: no longer verified.
	mustPDF(t, c.get(w.certURL(1)), "second certificate")
	var second models.Certificate
	w.db.Where("attendee_id = ?", w.orders[1].Attendees[0].ID).Take(&second)
	mustStatus(t, c.get("/certificates/"+second.Code), 200, "verification")
	if _, err := models.CancelAttendee(w.db, w.orders[1].Attendees[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, c.get("/certificates/"+second.Code), 404, "verification after cancelling")
}
