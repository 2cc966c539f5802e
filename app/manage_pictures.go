package app

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/app/chart"
	"github.com/agora-events/agora/models"
)

// placeBars draws how full an event is, as a whole and per ticket type.
// caption heads the list (the dashboard names the event; empty = none).
func placeBars(L *Translator, caption string, e models.Event, ts []models.TicketType) template.HTML {
	row := func(label string, capacity, taken int, few bool) chart.Bar {
		text := L.T("pictures.unlimited", "Taken", taken)
		if capacity > 0 {
			text = L.T("pictures.taken_left", "Taken", taken, "Capacity", capacity, "Left", max(capacity-taken, 0))
		}
		if few {
			text += " · " + L.T("pictures.few_left")
		}
		return chart.Bar{Label: label, Text: text, Value: taken, Max: capacity, Few: few}
	}
	bars := []chart.Bar{row(L.T("pictures.whole_event"), e.Capacity, e.PlacesTaken, e.FewLeft())}
	for _, t := range ts {
		label := t.Name
		if t.Hidden {
			label += " (" + L.T("pictures.hidden") + ")"
		}
		bars = append(bars, row(label, t.Capacity, t.PlacesTaken, t.FewLeft()))
	}
	return chart.Bars(caption, bars)
}

// registrationsChart draws the people registered per day, with its words.
func registrationsChart(L *Translator, days []models.DayCount) template.HTML {
	cols := make([]chart.Column, 0, len(days))
	total, peak := 0, models.DayCount{}
	for _, d := range days {
		cols = append(cols, chart.Column{Label: L.ShortDate(d.Day), Value: d.N})
		total += d.N
		if d.N > peak.N {
			peak = d
		}
	}
	return chart.Columns(chart.ColumnText{
		Title:     L.T("pictures.reg_chart_title"),
		LabelHead: L.T("pictures.reg_chart_day"),
		ValueHead: L.T("pictures.reg_chart_people"),
		Figures:   L.T("pictures.reg_chart_figures"),
		Summary:   L.T("pictures.reg_chart_summary", "Total", total, "Peak", peak.N, "Day", L.ShortDate(peak.Day)),
	}, cols)
}

// dashboardPlaces draws places taken per event and ticket type for the
// organizer's events that have not ended, in the organizations they edit.
func (a *App) dashboardPlaces(c *fiber.Ctx, events []models.Event, editable map[uint]bool) ([]template.HTML, error) {
	var shown []models.Event
	ids := []uint{}
	for _, e := range events {
		if editable[e.OrganizationID] && !e.IsPast(a.now()) && e.Status != models.StatusCancelled {
			shown = append(shown, e)
			ids = append(ids, e.ID)
		}
	}
	byEvent, err := models.TicketTypesOfEvents(a.db, ids)
	if err != nil {
		return nil, errInternal("dashboard ticket types", err)
	}
	L := newTranslator(a.bundle, a.lang(c))
	out := make([]template.HTML, 0, len(shown))
	for _, e := range shown {
		out = append(out, placeBars(L, e.Title, e, byEvent[e.ID]))
	}
	return out, nil
}

// eventPictures are the organizer's event page's charts: places per ticket
// type and registrations per day.
func (a *App) eventPictures(c *fiber.Ctx, e *models.Event) (places, perDay template.HTML, err error) {
	ts, err := models.TicketTypesOf(a.db, e.ID)
	if err != nil {
		return "", "", errInternal("ticket types", err)
	}
	days, err := models.RegistrationsPerDay(a.db, *e, a.now())
	if err != nil {
		return "", "", errInternal("registrations per day", err)
	}
	L := newTranslator(a.bundle, a.lang(c))
	places = placeBars(L, "", *e, ts)
	if len(days) > 0 {
		perDay = registrationsChart(L, days)
	}
	return places, perDay, nil
}
