package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

func ticketsURL(e *models.Event) string { return eventURL(e) + "/tickets" }

// ticketRow is a ticket type with what the list shows beside it.
type ticketRow struct {
	models.TicketType
	PriceText string
}

// ticketTypesPage lists the event's ticket types with price, capacity and
// places taken, and warns when a paid type cannot be sold yet.
func (a *App) ticketTypesPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	ts, err := models.TicketTypesOf(a.db, e.ID)
	if err != nil {
		return errInternal("list ticket types", err)
	}
	rows := make([]ticketRow, len(ts))
	paid := false
	for i, t := range ts {
		rows[i] = ticketRow{TicketType: t, PriceText: formatMoney(a.lang(c), t.Price, t.Currency)}
		paid = paid || t.Price > 0
	}
	return a.render(c, "manage/tickets", fiber.Map{"Event": e, "Loc": e.Location(), "Tickets": rows,
		"NeedsStripe": paid && !a.paymentsConfigured()})
}

// renderTicketForm shows the new or edit form with the person's input.
func (a *App) renderTicketForm(c *fiber.Ctx, status int, e *models.Event, t *models.TicketType, f TicketTypeForm, errs FieldErrors) error {
	return a.renderTicketFormTr(c, status, e, t, f, nil, errs)
}

// renderTicketFormTr is renderTicketForm with the other languages' texts
// as typed (nil: as stored).
func (a *App) renderTicketFormTr(c *fiber.Ctx, status int, e *models.Event, t *models.TicketType, f TicketTypeForm, tr langTexts, errs FieldErrors) error {
	if tr == nil {
		var id uint
		if t != nil {
			id = t.ID
		}
		var err error
		if tr, err = a.storedLangTexts(e, models.OwnerTicketType, id, ticketTextFields...); err != nil {
			return err
		}
	}
	action := ticketsURL(e)
	if t != nil {
		action = fmt.Sprintf("%s/%d/edit", ticketsURL(e), t.ID)
	}
	return a.renderStatus(c, status, "manage/ticket_form", fiber.Map{
		"Event": e, "Ticket": t, "Form": f, "Errors": errs, "Action": action,
		"Currencies": optionsOf(Currencies), "Categories": optionsOf(models.Categories),
		"NeedsStripe": f.IsPaid() && !a.paymentsConfigured(),
		"Tr":          tr, "OtherLangs": e.OtherLanguages(), "LangNames": models.ContentLanguageNames,
	})
}

func (a *App) newTicketType(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	return a.renderTicketForm(c, fiber.StatusOK, e, nil, newTicketTypeForm(), FieldErrors{})
}

func (a *App) editTicketType(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	t, err := models.TicketTypeOf(a.db, e.ID, parseID(c.Params("tid")))
	if err != nil {
		return dbErr("load ticket type", err)
	}
	return a.renderTicketForm(c, fiber.StatusOK, e, t, ticketTypeFormFrom(t, e.Location()), FieldErrors{})
}

// saveTicketType creates (no :tid) or updates a ticket type. The capacity
// check against places taken is repeated inside the update statement, so a
// registration arriving meanwhile cannot slip past it.
func (a *App) saveTicketType(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	var t *models.TicketType
	if c.Params("tid") != "" {
		if t, err = models.TicketTypeOf(a.db, e.ID, parseID(c.Params("tid"))); err != nil {
			return dbErr("load ticket type", err)
		}
	}
	errs := csrfErrors(c)
	f := parseTicketTypeForm(c)
	taken := 0
	if t != nil {
		taken = t.PlacesTaken
	}
	errs.merge(f.Validate(e.Location(), taken))
	tr := parseLangTexts(c, e.OtherLanguages(), ticketTextFields...)
	tr.validate(errs, map[string]int{"name": maxTicketName, "description": maxTicketDescription})
	if !errs.Any() {
		row := &models.TicketType{EventID: e.ID}
		if t != nil {
			cp := *t
			row = &cp
		}
		f.Apply(row, e.Location())
		err = a.db.Transaction(func(tx *gorm.DB) error {
			var err error
			if t == nil {
				err = models.CreateTicketType(tx, row)
			} else {
				err = models.UpdateTicketType(tx, row)
			}
			if err != nil {
				return err
			}
			return models.SaveTranslations(tx, e.ID, tr.fields(models.OwnerTicketType, row.ID)...)
		})
		switch {
		case err == nil:
			a.flash(c, "tickettype.saved")
			return c.Redirect(ticketsURL(e), fiber.StatusSeeOther)
		case errors.Is(err, models.ErrCapacityBelowTaken):
			if fresh, ferr := models.TicketTypeOf(a.db, e.ID, t.ID); ferr == nil {
				taken = fresh.PlacesTaken
			}
			errs.Add("capacity", "tickettype.capacity_below_taken", "Taken", taken)
		default:
			return dbErr("save ticket type", err)
		}
	}
	return a.renderTicketFormTr(c, fiber.StatusUnprocessableEntity, e, t, f, tr, errs)
}

// ticketTextFields are a ticket type's texts written per language.
var ticketTextFields = []string{"name", "description"}

// deleteTicketType deletes a ticket type nobody registered for.
func (a *App) deleteTicketType(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	err = models.DeleteTicketType(a.db, e.ID, parseID(c.Params("tid")))
	switch {
	case err == nil:
		a.flash(c, "tickettype.deleted")
	case errors.Is(err, models.ErrTicketTypeSold):
		a.flash(c, "tickettype.delete_sold")
	default:
		return dbErr("delete ticket type", err)
	}
	return c.Redirect(ticketsURL(e), fiber.StatusSeeOther)
}
