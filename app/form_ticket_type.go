package app

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// Field limits of the ticket type form, matching the columns.
const (
	maxTicketName        = 200
	maxTicketDescription = 2000
	maxTicketCapacity    = 1000000
	maxTicketPerOrder    = models.MaxAttendeeCap
	maxPosition          = 10000
)

// TicketTypeForm is the ticket type form as typed.
type TicketTypeForm struct {
	Name         string
	Description  string
	Price        string
	Currency     string
	Capacity     string
	SalesStartAt string
	SalesEndAt   string
	Category     string
	MaxPerOrder  string
	Hidden       bool
	Position     string
}

func parseTicketTypeForm(c *fiber.Ctx) TicketTypeForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	return TicketTypeForm{Name: v("name"), Description: strings.TrimRight(c.FormValue("description"), " \t\r\n"),
		Price: v("price"), Currency: v("currency"), Capacity: v("capacity"), SalesStartAt: v("sales_start_at"),
		SalesEndAt: v("sales_end_at"), Category: v("category"), MaxPerOrder: v("max_per_order"),
		Hidden: c.FormValue("hidden") != "", Position: v("position")}
}

// newTicketTypeForm is the blank form: a free ticket for one person.
func newTicketTypeForm() TicketTypeForm {
	return TicketTypeForm{Price: "0.00", Currency: "EUR", Capacity: "0", Category: models.CategoryOther, MaxPerOrder: "1", Position: "0"}
}

func ticketTypeFormFrom(t *models.TicketType, loc *time.Location) TicketTypeForm {
	local := func(p *time.Time) string {
		if p == nil {
			return ""
		}
		return p.In(loc).Format("2006-01-02T15:04")
	}
	return TicketTypeForm{Name: t.Name, Description: t.Description, Price: formatPrice(t.Price), Currency: t.Currency,
		Capacity: itoa(t.Capacity), SalesStartAt: local(t.SalesStartAt), SalesEndAt: local(t.SalesEndAt),
		Category: t.Category, MaxPerOrder: itoa(t.MaxPerOrder), Hidden: t.Hidden, Position: itoa(t.Position)}
}

// Validate checks every field; times are read in the event's zone loc.
// placesTaken is what the type already holds (0 for a new one): the
// capacity may not go below it.
func (f TicketTypeForm) Validate(loc *time.Location, placesTaken int) FieldErrors {
	errs := FieldErrors{}
	checkRequired(errs, "name", f.Name)
	checkLen(errs, "name", f.Name, maxTicketName)
	checkLen(errs, "description", f.Description, maxTicketDescription)
	if _, msg := parsePrice(f.Price); msg != "" {
		errs.Add("price", msg)
	}
	if !validCurrency(f.Currency) {
		errs.Add("currency", "form.choose")
	}
	capacity := parseCount(errs, "capacity", f.Capacity, maxTicketCapacity)
	if _, bad := errs["capacity"]; !bad && capacity != 0 && capacity < placesTaken {
		errs.Add("capacity", "tickettype.capacity_below_taken", "Taken", placesTaken)
	}
	start, okStart := optionalLocal(errs, "sales_start_at", f.SalesStartAt, loc)
	end, okEnd := optionalLocal(errs, "sales_end_at", f.SalesEndAt, loc)
	if okStart && okEnd && start != nil && end != nil && !end.After(*start) {
		errs.Add("sales_end_at", "tickettype.sales_end_before_start")
	}
	if !models.ValidCategory(f.Category) {
		errs.Add("category", "form.choose")
	}
	if strings.TrimSpace(f.MaxPerOrder) == "" {
		errs.Add("max_per_order", "form.required")
	} else if n := parseCount(errs, "max_per_order", f.MaxPerOrder, maxTicketPerOrder); n < 1 {
		errs.Add("max_per_order", "tickettype.max_per_order_min")
	}
	parseCount(errs, "position", f.Position, maxPosition)
	return errs
}

// optionalLocal reads an optional datetime-local field.
func optionalLocal(errs FieldErrors, field, value string, loc *time.Location) (*time.Time, bool) {
	if value == "" {
		return nil, true
	}
	t, ok := parseLocal(value, loc)
	if !ok {
		errs.Add(field, "form.bad_datetime")
		return nil, false
	}
	t = t.UTC()
	return &t, true
}

// Apply copies a validated form onto t.
func (f TicketTypeForm) Apply(t *models.TicketType, loc *time.Location) {
	t.Name, t.Description, t.Currency, t.Category, t.Hidden = f.Name, f.Description, f.Currency, f.Category, f.Hidden
	t.Price, _ = parsePrice(f.Price)
	t.Capacity = parseCount(FieldErrors{}, "", f.Capacity, maxTicketCapacity)
	t.SalesStartAt, _ = optionalLocal(FieldErrors{}, "", f.SalesStartAt, loc)
	t.SalesEndAt, _ = optionalLocal(FieldErrors{}, "", f.SalesEndAt, loc)
	t.MaxPerOrder = parseCount(FieldErrors{}, "", f.MaxPerOrder, maxTicketPerOrder)
	t.Position = parseCount(FieldErrors{}, "", f.Position, maxPosition)
}

// IsPaid reports whether the typed price is above zero.
func (f TicketTypeForm) IsPaid() bool {
	n, msg := parsePrice(f.Price)
	return msg == "" && n > 0
}
