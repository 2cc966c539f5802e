package app

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

func vouchersURL(e *models.Event) string { return eventURL(e) + "/vouchers" }

// voucherRow is a voucher as the list shows it.
type voucherRow struct {
	models.Voucher
	Discount Message
	Tickets  []string // names; empty = all
	Link     string
}

// discountMessage says what a voucher takes off, in the event's currency.
func discountMessage(lang string, v models.Voucher, currency string) Message {
	switch v.Kind {
	case models.VoucherPercent:
		return Message{ID: "vouchers.discount.percent", Data: map[string]any{"Value": v.Value}}
	case models.VoucherFixed:
		return Message{ID: "vouchers.discount.fixed", Data: map[string]any{"Value": formatMoney(lang, v.Value, currency)}}
	}
	return Message{ID: "vouchers.discount.free"}
}

// eventCurrency is the currency of the event's first ticket type (vouchers
// are per event; the form shows amounts in it).
func eventCurrency(tts []models.TicketType) string {
	for _, t := range tts {
		if t.Currency != "" {
			return t.Currency
		}
	}
	return "EUR"
}

// vouchersPage lists the event's vouchers with their uses and share links.
func (a *App) vouchersPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	vs, err := models.VouchersOf(a.db, e.ID)
	if err != nil {
		return errInternal("list vouchers", err)
	}
	tts, err := models.TicketTypesOf(a.db, e.ID)
	if err != nil {
		return errInternal("list ticket types", err)
	}
	names := map[uint]string{}
	for _, t := range tts {
		names[t.ID] = t.Name
	}
	cur := eventCurrency(tts)
	rows := make([]voucherRow, len(vs))
	for i, v := range vs {
		rows[i] = voucherRow{Voucher: v, Discount: discountMessage(a.lang(c), v, cur), Link: a.voucherLink(e, v.Code)}
		for _, id := range v.TicketTypes() {
			rows[i].Tickets = append(rows[i].Tickets, names[id])
		}
	}
	return a.render(c, "manage/vouchers", fiber.Map{"Event": e, "Loc": e.Location(), "Vouchers": rows,
		"ExampleLink": a.voucherLink(e, "CODE")})
}

// voucherLink is the register page with the code filled in.
func (a *App) voucherLink(e *models.Event, code string) string {
	return a.cfg.BaseURL + "/events/" + url.PathEscape(e.Slug) + "/register?voucher=" + url.QueryEscape(code)
}

func (a *App) renderVoucherForm(c *fiber.Ctx, status int, e *models.Event, v *models.Voucher, f VoucherForm, errs FieldErrors) error {
	tts, err := models.TicketTypesOf(a.db, e.ID)
	if err != nil {
		return errInternal("list ticket types", err)
	}
	action := vouchersURL(e)
	if v != nil {
		action = fmt.Sprintf("%s/%d/edit", vouchersURL(e), v.ID)
	}
	kinds := make([]selectOption, 0, len(models.VoucherKinds))
	for _, k := range models.VoucherKinds {
		kinds = append(kinds, selectOption{Value: k, Label: k})
	}
	return a.renderStatus(c, status, "manage/voucher_form", fiber.Map{"Event": e, "Voucher": v, "Form": f, "Errors": errs,
		"Action": action, "Tickets": tts, "Kinds": kinds, "Currency": eventCurrency(tts)})
}

func (a *App) newVoucher(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	return a.renderVoucherForm(c, fiber.StatusOK, e, nil, newVoucherForm(), FieldErrors{})
}

func (a *App) editVoucher(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	v, err := models.VoucherOf(a.db, e.ID, parseID(c.Params("vid")))
	if err != nil {
		return dbErr("load voucher", err)
	}
	return a.renderVoucherForm(c, fiber.StatusOK, e, v, voucherFormFrom(v, e.Location()), FieldErrors{})
}

// saveVoucher creates (no :vid) or updates a voucher; its uses are never
// changed here.
func (a *App) saveVoucher(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	var old *models.Voucher
	if c.Params("vid") != "" {
		if old, err = models.VoucherOf(a.db, e.ID, parseID(c.Params("vid"))); err != nil {
			return dbErr("load voucher", err)
		}
	}
	tts, err := models.TicketTypesOf(a.db, e.ID)
	if err != nil {
		return errInternal("list ticket types", err)
	}
	ids := make([]uint, len(tts))
	for i, t := range tts {
		ids[i] = t.ID
	}
	errs := csrfErrors(c)
	f := parseVoucherForm(postValues(c))
	uses := 0
	if old != nil {
		uses = old.Uses
	}
	v, ferrs := f.Validate(e.Location(), ids, uses)
	errs.merge(ferrs)
	if !errs.Any() {
		v.EventID = e.ID
		if old != nil {
			v.ID = old.ID
		}
		err := models.SaveVoucher(a.db, &v)
		switch {
		case err == nil:
			a.flash(c, "vouchers.saved")
			return c.Redirect(vouchersURL(e), fiber.StatusSeeOther)
		case errors.Is(err, models.ErrVoucherCodeTaken):
			errs.Add("code", "vouchers.error.code_taken")
		default:
			return dbErr("save voucher", err)
		}
	}
	f.Code = strings.TrimSpace(f.Code)
	return a.renderVoucherForm(c, fiber.StatusUnprocessableEntity, e, old, f, errs)
}
