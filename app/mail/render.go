package mail

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	netmail "net/mail"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/skip2/go-qrcode"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/calendar"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/views"
)

// Links in mails. The web side serves these paths.
const (
	OrderPathPrefix = "/orders/"   // + order secret: the self-service page
	OfferPathPrefix = "/waitlist/" // + offer secret: accept a waitlist offer
)

// Renderer turns outbox messages that name a kind into e-mails, from the
// rows they point at, in the recipient's language.
type Renderer struct {
	db      *gorm.DB
	baseURL string
	bundle  *i18n.Bundle
	html    *htmltemplate.Template
	text    *texttemplate.Template
}

// NewRenderer parses the mail templates (views/mail) and messages; an error
// here stops the process at start-up.
func NewRenderer(db *gorm.DB, baseURL string) (*Renderer, error) {
	b, err := loadBundle()
	if err != nil {
		return nil, err
	}
	h, err := htmltemplate.ParseFS(views.FS, "mail/*.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	t, err := texttemplate.ParseFS(views.FS, "mail/*.txt.tmpl")
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	return &Renderer{db: db, baseURL: strings.TrimRight(baseURL, "/"), bundle: b, html: h, text: t}, nil
}

// ticket is one attendee's ticket as a mail shows it.
type ticket struct {
	Name       string
	TicketType string
	Code       string
	QRCID      string
	Sessions   []string
	Needs      bool
}

// data is what every mail template gets.
type data struct {
	L            *translator
	Event        models.Event
	When         string
	Place        string
	EventURL     string
	Order        *models.Order
	Tickets      []ticket
	Link         string
	Name         string
	OfferExpires string
	TicketType   string
	Session      string
	Amount       string
	Reminder     *reminder
	// Buyer is who registered a delegate; Delegates says the buyer's
	// confirmation has tickets also mailed to their holders.
	Buyer     string
	Delegates bool
}

// Render returns the e-mail for m: its own content when it has no kind,
// else rendered from the rows it points at. ErrSkip means drop it.
func (r *Renderer) Render(m models.OutboxMessage) (Message, error) {
	if m.Kind == "" {
		out := Message{To: m.To, Subject: m.Subject, Text: m.TextBody, HTML: m.HTMLBody}
		for _, a := range m.Attachments {
			out.Attachments = append(out.Attachments, Attachment{a.Filename, a.ContentType, a.Content, a.ContentID})
		}
		return out, nil
	}
	L := newTranslator(r.bundle, m.Language)
	out, err := r.renderKind(L, m)
	if err != nil {
		return Message{}, err
	}
	if L.contactErr != nil {
		return Message{}, fmt.Errorf("mail reply-to: %w", L.contactErr)
	}
	if L.contentErr != nil {
		return Message{}, fmt.Errorf("mail content: %w", L.contentErr)
	}
	if c := L.contact; c != nil && c.Email != "" {
		out.ReplyTo = (&netmail.Address{Name: c.Name, Address: c.Email}).String()
	}
	return out, nil
}

// renderKind renders a message of a kind; whatever it renders for an event
// goes through eventData, which resolves the organizers' contact on L, so
// Render puts every event's Reply-To in one place.
func (r *Renderer) renderKind(L *translator, m models.OutboxMessage) (Message, error) {
	var (
		d    *data
		atts []Attachment
		name string
		subj string
		err  error
	)
	switch m.Kind {
	case models.MailMeetingNotice:
		return r.renderMeetingNotice(L, m)
	case models.MailEventDeleted:
		return r.renderEventDeleted(L, m)
	case models.MailEventReminder:
		d, atts, err = r.reminderData(L, m)
		name, subj = "reminder", "mail.reminder.subject"
	case models.MailEventMessage:
		return r.renderEventMessage(L, m)
	case models.MailEventCancelled:
		return r.renderEventCancelled(L, m)
	case models.MailEventCancelledWaitlist:
		return r.renderEventCancelledWaitlist(L, m)
	case models.MailOrganizerOrderCancelled:
		return r.renderOrganizerOrderCancelled(L, m)
	case models.MailCertificate:
		return r.renderCertificate(L, m)
	case models.MailFeedbackRequest:
		return r.renderFeedbackRequest(L, m)
	case models.MailOrderConfirmation:
		d, atts, err = r.orderData(L, m.RefID, true)
		name, subj = "confirmation", "mail.confirmation.subject"
	case models.MailAttendeeConfirmation:
		d, atts, err = r.attendeeData(L, m.RefID, true)
		name, subj = "ticket", "mail.ticket.subject"
	case models.MailAttendeeLink:
		d, _, err = r.attendeeData(L, m.RefID, false)
		name, subj = "ticket_link", "mail.ticket_link.subject"
	case models.MailAttendeeCancelled:
		d, err = r.attendeeCancelledData(L, m.RefID)
		name, subj = "ticket_cancelled", "mail.ticket_cancelled.subject"
	case models.MailOrderLink:
		d, _, err = r.orderData(L, m.RefID, false)
		name, subj = "link", "mail.link.subject"
	case models.MailOrderCancelled:
		d, _, err = r.orderData(L, m.RefID, false)
		name, subj = "cancelled", "mail.cancelled.subject"
	case models.MailWaitlistOffer:
		d, err = r.offerData(L, m.RefID)
		name, subj = "offer", "mail.offer.subject"
	case models.MailPaymentLateRefunded, models.MailOrderRefunded:
		d, err = r.refundData(L, m.RefID)
		name, subj = "refund", "mail.refund.subject"
		if m.Kind == models.MailPaymentLateRefunded {
			name, subj = "late_refund", "mail.late_refund.subject"
		}
	default:
		return Message{}, fmt.Errorf("%w: unknown mail kind %q", ErrSkip, m.Kind)
	}
	if err != nil {
		return Message{}, err
	}
	out, err := r.renderWith(L, m, L.T(subj, "Event", d.Event.Title), name, d)
	if err != nil {
		return Message{}, err
	}
	out.Attachments = atts
	return out, nil
}

// resolveContact looks up, once per message, the organizers' contact of the
// event: the footer names it and Render puts it in the Reply-To header.
func (r *Renderer) resolveContact(L *translator, eventID uint) {
	if L.contact == nil && L.contactErr == nil {
		c, err := models.EventContact(r.db, eventID)
		if err != nil {
			L.contactErr = err
		} else {
			L.contact = &c
		}
	}
}

// eventData is what every mail about e shows of it. It also resolves, once
// per message, the organizers' contact that the footer names and Render
// puts in the Reply-To header.
func (r *Renderer) eventData(L *translator, e models.Event) *data {
	r.resolveContact(L, e.ID)
	r.resolveContent(L, &e)
	loc := e.Location()
	start, end := e.StartsAt.In(loc), e.EndsAt.In(loc)
	when := L.DateTime(start) + " – "
	if start.Format("20060102") == end.Format("20060102") {
		when += end.Format("15:04")
	} else {
		when += L.DateTime(end)
	}
	return &data{L: L, Event: e, When: when + " (" + e.TimeZone + ")", Place: place(e), EventURL: r.baseURL + "/events/" + e.Slug}
}

// orderData loads an order for a mail; with tickets it also makes each
// active attendee's QR code (inline PNG) and the event's .ics file.
func (r *Renderer) orderData(L *translator, orderID uint, tickets bool) (*data, []Attachment, error) {
	var o models.Order
	err := r.db.Preload("Event").Preload("Attendees", func(db *gorm.DB) *gorm.DB {
		return db.Where("status = ?", models.AttendeeActive).Order("position, id")
	}).Preload("Attendees.TicketType").Take(&o, orderID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrSkip
	}
	if err != nil {
		return nil, nil, err
	}
	if tickets && o.Status != models.OrderConfirmed {
		return nil, nil, ErrSkip // cancelled before the mail went out
	}
	d := r.eventData(L, o.Event)
	d.Order, d.Name, d.Link = &o, o.BuyerName, r.baseURL+OrderPathPrefix+o.Secret
	if !tickets {
		return d, nil, nil
	}
	ts, atts, sessions, err := r.ticketsFor(L, o.Event, o.Attendees, func(models.Attendee) string { return o.Code })
	if err != nil {
		return nil, nil, err
	}
	d.Tickets = ts
	for _, a := range o.Attendees {
		d.Delegates = d.Delegates || models.IsDelegate(o, a)
	}
	atts = append(atts, Attachment{Filename: o.Event.Slug + ".ics", ContentType: "text/calendar", Data: []byte(r.calendar(d.Event, sessions))})
	return d, atts, nil
}

// ticketsFor makes each attendee's ticket with its QR code (an inline PNG)
// and lists the sessions they signed up for; orderCode gives the code of
// an attendee's order. The confirmation and the reminder share it.
func (r *Renderer) ticketsFor(L *translator, e models.Event, as []models.Attendee, orderCode func(models.Attendee) string) ([]ticket, []Attachment, []models.Session, error) {
	var (
		tickets  []ticket
		atts     []Attachment
		sessions []models.Session
	)
	seen := map[uint]bool{}
	for _, a := range as {
		png, err := qrcode.Encode(a.QRSecret, qrcode.Medium, 320)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("qr code: %w", err)
		}
		code := orderCode(a) + "-" + strconv.Itoa(a.Position)
		cid := "qr-" + strconv.FormatUint(uint64(a.ID), 10) + "@agora"
		atts = append(atts, Attachment{Filename: "ticket-" + code + ".png", ContentType: "image/png", Data: png, ContentID: cid})
		var ss []models.Session
		if err := r.db.Joins("JOIN session_signups ON session_signups.session_id = sessions.id").
			Where("session_signups.attendee_id = ?", a.ID).Order("starts_at, sessions.id").Find(&ss).Error; err != nil {
			return nil, nil, nil, err
		}
		tt := a.TicketType
		L.localise(func(c *models.Content) { c.TicketType(&tt) })
		t := ticket{Name: a.Name, TicketType: tt.Name, Code: code, QRCID: cid, Needs: a.Needs.Any()}
		L.localise(func(c *models.Content) { c.Sessions(ss) })
		for _, s := range ss {
			t.Sessions = append(t.Sessions, L.DateTime(s.StartsAt.In(e.Location()))+" · "+s.Title)
			if !seen[s.ID] {
				seen[s.ID] = true
				sessions = append(sessions, s)
			}
		}
		tickets = append(tickets, t)
	}
	return tickets, atts, sessions, nil
}

func (r *Renderer) offerData(L *translator, entryID uint) (*data, error) {
	var w models.WaitlistEntry
	if err := r.db.Take(&w, entryID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrSkip
		}
		return nil, err
	}
	if w.Status != models.WaitlistOffered || w.OfferSecret == nil || w.OfferExpiresAt == nil {
		return nil, ErrSkip
	}
	var e models.Event
	if err := r.db.Take(&e, w.EventID).Error; err != nil {
		return nil, err
	}
	d := r.eventData(L, e)
	d.Name, d.Link = w.Name, r.baseURL+OfferPathPrefix+*w.OfferSecret
	d.OfferExpires = L.DateTime(w.OfferExpiresAt.In(e.Location())) + " (" + e.TimeZone + ")"
	if w.TicketTypeID != nil {
		var tt models.TicketType
		if r.db.Take(&tt, *w.TicketTypeID).Error == nil {
			L.localise(func(c *models.Content) { c.TicketType(&tt) })
			d.TicketType = tt.Name
		}
	}
	if w.SessionID != nil {
		var s models.Session
		if r.db.Take(&s, *w.SessionID).Error == nil {
			L.localise(func(c *models.Content) { c.Session(&s) })
			d.Session = s.Title
		}
	}
	return d, nil
}

// calendar is the event, and the sessions signed up for, as one .ics file,
// with the same UIDs as the site's feeds and downloads.
func (r *Renderer) calendar(e models.Event, sessions []models.Session) string {
	cal := calendar.New(e.Title, time.Now())
	cal.Event(&e, r.baseURL, false)
	for i := range sessions {
		cal.Session(&e, &sessions[i], r.baseURL, "")
	}
	return cal.String()
}

func place(e models.Event) string { return calendar.Place(&e) }

// renderWith executes the html and text templates name with d: every mail
// kind ends here, and a message missing from the translations is an error.
func (r *Renderer) renderWith(L *translator, m models.OutboxMessage, subject, name string, d any) (Message, error) {
	out := Message{To: m.To, Subject: subject}
	var buf bytes.Buffer
	if err := r.html.ExecuteTemplate(&buf, name+".html.tmpl", d); err != nil {
		return Message{}, fmt.Errorf("render %s html: %w", name, err)
	}
	out.HTML = buf.String()
	buf.Reset()
	if err := r.text.ExecuteTemplate(&buf, name+".txt.tmpl", d); err != nil {
		return Message{}, fmt.Errorf("render %s text: %w", name, err)
	}
	out.Text = buf.String()
	if len(*L.missing) > 0 {
		return Message{}, fmt.Errorf("mail %s: missing messages %v", name, *L.missing)
	}
	return out, nil
}
