package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// apiReference is the REST API's readable reference, rendered here from the
// generated OpenAPI document (app/api's Reference), with the site's layout
// and no third-party scripts. It is the same for every visitor.
func (a *App) apiReference(c *fiber.Ctx) error {
	return a.render(c, "public/api_reference", fiber.Map{"Public": true, "Ref": a.api.Reference(), "Scopes": models.APIScopes,
		"Indexable": true, "Description": newTranslator(a.bundle, a.lang(c)).T("seo.api_description"), "Canonical": a.cfg.BaseURL + "/docs/api"})
}
