package app

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// Everything stored about the people on an order, as they may download it
// (the right of access): the order, each attendee with answers, needs,
// consents (with the words agreed to) and sessions, and waitlist entries of
// the buyer's address for this event.
type orderExport struct {
	Order     orderExportOrder      `json:"order"`
	Event     orderExportEvent      `json:"event"`
	Attendees []attendeeExport      `json:"attendees"`
	Waitlist  []waitlistEntryExport `json:"waitlist"`
}

type orderExportOrder struct {
	Code        string     `json:"code"`
	Status      string     `json:"status"`
	BuyerName   string     `json:"buyer_name"`
	BuyerEmail  string     `json:"buyer_email"`
	Language    string     `json:"language"`
	Total       int64      `json:"total_minor_units"`
	Currency    string     `json:"currency"`
	CreatedAt   time.Time  `json:"created_at"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
	CancelledAt *time.Time `json:"cancelled_at,omitempty"`
	ExpiresAt   *time.Time `json:"hold_expires_at,omitempty"`
}

type orderExportEvent struct {
	Title    string    `json:"title"`
	URL      string    `json:"url"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
}

type attendeeExport struct {
	Name         string             `json:"name"`
	Email        string             `json:"email"`
	Organization string             `json:"organization"`
	Category     string             `json:"category"`
	TicketType   string             `json:"ticket_type"`
	Status       string             `json:"status"`
	Needs        models.AccessNeeds `json:"needs"`
	NeedsNote    string             `json:"needs_note"`
	Answers      []answerExport     `json:"answers"`
	Consents     []consentExport    `json:"consents"`
	Sessions     []sessionExport    `json:"sessions"`
	CheckedInAt  *time.Time         `json:"checked_in_at,omitempty"`
	AnonymisedAt *time.Time         `json:"anonymised_at,omitempty"`
	CreatedAt    time.Time          `json:"created_at"`
}

type answerExport struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

type consentExport struct {
	Kind        string     `json:"kind"`
	Version     int        `json:"version"`
	Language    string     `json:"language"` // the language version agreed to
	Text        string     `json:"text"`
	GivenAt     time.Time  `json:"given_at"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
}

type sessionExport struct {
	Title    string    `json:"title"`
	StartsAt time.Time `json:"starts_at"`
}

type waitlistEntryExport struct {
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// orderData serves the order's personal data as a JSON download.
func (a *App) orderData(c *fiber.Ctx) error {
	o, err := a.orderFromLink(c)
	if err != nil {
		return err
	}
	tickets, err := a.ticketViews(o)
	if err != nil {
		return errInternal("order tickets", err)
	}
	x := orderExport{
		Order: orderExportOrder{Code: o.Code, Status: o.Status, BuyerName: o.BuyerName, BuyerEmail: o.BuyerEmail, Language: o.Language,
			Total: o.Total, Currency: o.Currency, CreatedAt: o.CreatedAt, ConfirmedAt: o.ConfirmedAt, CancelledAt: o.CancelledAt, ExpiresAt: o.ExpiresAt},
		Event:     orderExportEvent{Title: o.Event.Title, URL: a.cfg.BaseURL + "/events/" + o.Event.Slug, StartsAt: o.Event.StartsAt, EndsAt: o.Event.EndsAt},
		Attendees: []attendeeExport{},
		Waitlist:  []waitlistEntryExport{},
	}
	for _, t := range tickets {
		x.Attendees = append(x.Attendees, attendeeExportOf(t))
	}
	if x.Waitlist, err = a.waitlistExport(o.EventID, o.BuyerEmail); err != nil {
		return err
	}
	return sendJSONDownload(c, x, "agora-"+strings.ToLower(o.Code)+".json")
}

// attendeeExportOf is one attendee's part of a data download.
func attendeeExportOf(t ticketView) attendeeExport {
	ae := attendeeExport{Name: t.Name, Email: t.Email, Organization: t.Organization, Category: t.Category, TicketType: t.TicketType.Name,
		Status: t.Status, Needs: t.Needs, NeedsNote: t.NeedsNote, CheckedInAt: t.CheckedInAt, AnonymisedAt: t.AnonymisedAt, CreatedAt: t.CreatedAt,
		Answers: []answerExport{}, Consents: []consentExport{}, Sessions: []sessionExport{}}
	for _, an := range t.Answers {
		ae.Answers = append(ae.Answers, answerExport{an.Question, an.Value})
	}
	for _, cr := range t.Consents {
		ae.Consents = append(ae.Consents, consentExport{Kind: cr.ConsentText.Kind, Version: cr.ConsentText.Version, Language: cr.Language, Text: cr.ConsentText.Body,
			GivenAt: cr.GivenAt, WithdrawnAt: cr.WithdrawnAt})
	}
	for _, s := range t.Sessions {
		ae.Sessions = append(ae.Sessions, sessionExport{s.Title, s.StartsAt})
	}
	return ae
}

// waitlistExport lists the waitlist entries of an address for an event.
func (a *App) waitlistExport(eventID uint, email string) ([]waitlistEntryExport, error) {
	out := []waitlistEntryExport{}
	if email == "" {
		return out, nil
	}
	var ws []models.WaitlistEntry
	if err := a.db.Where("event_id = ? AND email = ?", eventID, email).Order("id").Find(&ws).Error; err != nil {
		return nil, errInternal("waitlist entries", err)
	}
	for _, w := range ws {
		out = append(out, waitlistEntryExport{w.Name, w.Email, w.Status, w.CreatedAt})
	}
	return out, nil
}

// sendJSONDownload sends v as a JSON file to download.
func sendJSONDownload(c *fiber.Ctx, v any, filename string) error {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return errInternal("encode data", err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	return c.Send(body)
}
