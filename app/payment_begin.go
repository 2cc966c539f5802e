package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// beginPayment hands a pending (paid) order to the payment step. This first
// version sends the person to the order's page, which shows that it awaits
// payment and until when its places are held; the Stripe integration
// replaces it with a checkout.
func (a *App) beginPayment(c *fiber.Ctx, o *models.Order) error {
	return c.Redirect("/orders/"+o.Secret+"?welcome=1", fiber.StatusSeeOther)
}
