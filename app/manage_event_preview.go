package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// previewEvent shows the event's public page to its organizers before it is
// published, under a banner, with registration switched off. It is
// rendered for this request only: never from or into the public cache.
func (a *App) previewEvent(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	shown := *e
	if shown.Status == models.StatusDraft {
		shown.Status = models.StatusPublished // as the public will see it
	}
	data, err := a.eventPageData(c, &shown)
	if err != nil {
		return err
	}
	data["Public"], data["Preview"], data["Manage"] = false, true, eventURL(e)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, "public/event", data)
}
