package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// localiseRegisterPage shows the register page's organizer-written texts
// (event, ticket types, questions, consent texts, sessions) in the
// visitor's content language, with fallback. Only what is shown changes:
// validation and the order use ids, and PlaceOrder loads its own rows.
func (a *App) localiseRegisterPage(c *fiber.Ctx, p *registerPage) (*models.Content, error) {
	ct, err := a.eventContent(c, p.Event)
	if err != nil {
		return nil, err
	}
	for i := range p.Tickets {
		ct.TicketType(&p.Tickets[i].TicketType)
	}
	if p.Reg != nil {
		ct.TicketType(&p.Reg.TicketType)
		for i := range p.Reg.Questions {
			ct.Question(&p.Reg.Questions[i])
		}
	}
	for i := range p.Consents {
		ct.ConsentText(&p.Consents[i])
	}
	for i := range p.Sessions {
		ct.Session(&p.Sessions[i].Session)
	}
	return ct, nil
}

// orderContent loads the event's texts for an order's pages: in the
// language asked (?lang=) or else the one the person registered in, and
// resolves the event's own texts and each ticket's type and sessions.
func (a *App) orderContent(c *fiber.Ctx, o *models.Order, tickets []ticketView) (*models.Content, error) {
	lang := askedLang(c)
	if lang == "" {
		lang = o.Language
	}
	ct, err := models.LoadContent(a.db, &o.Event, lang)
	if err != nil {
		return nil, errInternal("load content", err)
	}
	ct.Event(&o.Event)
	for i := range tickets {
		ct.TicketType(&tickets[i].TicketType)
		ct.Sessions(tickets[i].Sessions)
		for j := range tickets[i].Answers {
			an := &tickets[i].Answers[j]
			ct.Question(&an.q)
			an.Question, an.Value = an.q.Label, an.q.ChoiceLabel(an.Value)
		}
	}
	return ct, nil
}

// offerLang is the content language of a waitlist offer's page and of the
// order it makes: the one asked (?lang=), else the one the person joined
// the waitlist in.
func offerLang(c *fiber.Ctx, w *models.WaitlistEntry) string {
	if l := askedLang(c); l != "" {
		return l
	}
	return w.Language
}

// localiseOffer shows an offer page's organizer-written texts in the
// offer's content language, with fallback.
func (a *App) localiseOffer(c *fiber.Ctx, p *offerPage) (*models.Content, error) {
	ct, err := models.LoadContent(a.db, &p.Event, offerLang(c, p.Entry))
	if err != nil {
		return nil, errInternal("load content", err)
	}
	ct.Event(&p.Event)
	if p.Ticket != nil {
		ct.TicketType(p.Ticket)
	}
	for i := range p.Tickets {
		ct.TicketType(&p.Tickets[i])
	}
	if p.Session != nil {
		ct.Session(p.Session)
	}
	if p.Reg != nil {
		for i := range p.Reg.Questions {
			ct.Question(&p.Reg.Questions[i])
		}
	}
	for i := range p.Consent {
		ct.ConsentText(&p.Consent[i])
	}
	for i := range p.Choices {
		ct.Session(&p.Choices[i].Session)
	}
	return ct, nil
}
