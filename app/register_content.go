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
