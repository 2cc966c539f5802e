package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// localiseQuestions shows questions' labels and choices in the staff
// member's content language when the event has it, else the default. The
// posted and stored values stay the default language's choices.
func (a *App) localiseQuestions(c *fiber.Ctx, e *models.Event, qs []models.Question) error {
	ct, err := models.LoadContent(a.db, e, a.contentLang(c))
	if err != nil {
		return errInternal("load content", err)
	}
	for i := range qs {
		ct.Question(&qs[i])
	}
	return nil
}
