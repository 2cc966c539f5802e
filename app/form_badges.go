package app

import (
	"net/url"
	"strings"

	"github.com/agora-events/agora/models"
)

// badgeWho are the ways to choose whose badges to print.
var badgeWho = []string{"all", "ticket", "category", "ids"}

// maxBadgeIDs bounds a typed list of attendee ids.
const maxBadgeIDs = 5000

// badgeForm is the badges page's choice, as typed (a GET form, so a
// selection can be bookmarked or linked from the registrations list with
// repeated id= values).
type badgeForm struct {
	Layout   string
	Who      string
	Ticket   string
	Category string
	IDs      string
}

// parseBadgeForm reads the query; repeated id values join the typed list.
func parseBadgeForm(q url.Values) badgeForm {
	f := badgeForm{Layout: strings.TrimSpace(q.Get("layout")), Who: strings.TrimSpace(q.Get("who")),
		Ticket: strings.TrimSpace(q.Get("ticket")), Category: strings.TrimSpace(q.Get("category")), IDs: strings.TrimSpace(q.Get("ids"))}
	if extra := q["id"]; len(extra) > 0 {
		f.IDs = strings.TrimSpace(f.IDs + " " + strings.Join(extra, " "))
		if f.Who == "" {
			f.Who = "ids"
		}
	}
	if f.Layout == "" {
		f.Layout = badgeLayouts[0].Key
	}
	if f.Who == "" {
		f.Who = "all"
	}
	return f
}

// Validate checks the choice against the event's ticket types and returns
// the selection it names.
func (f badgeForm) Validate(ticketTypes []models.TicketType) (models.BadgeSelection, FieldErrors) {
	errs := FieldErrors{}
	var sel models.BadgeSelection
	if _, ok := badgeLayoutOf(f.Layout); !ok {
		errs.Add("layout", "badges.error.layout")
	}
	switch f.Who {
	case "all":
	case "ticket":
		id := parseID(f.Ticket)
		for _, t := range ticketTypes {
			if t.ID == id {
				sel.TicketTypeID = id
			}
		}
		if sel.TicketTypeID == 0 {
			errs.Add("ticket", "badges.error.ticket")
		}
	case "category":
		if !models.ValidCategory(f.Category) {
			errs.Add("category", "badges.error.category")
		}
		sel.Category = f.Category
	case "ids":
		ids, ok := parseIDList(f.IDs)
		if !ok || len(ids) == 0 || len(ids) > maxBadgeIDs {
			errs.Add("ids", "badges.error.ids", "Max", maxBadgeIDs)
		}
		sel.AttendeeIDs = ids
	default:
		errs.Add("who", "badges.error.who")
	}
	return sel, errs
}

// parseIDList reads ids separated by commas, spaces or line breaks.
func parseIDList(s string) ([]uint, bool) {
	var ids []uint
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		id := parseID(p)
		if id == 0 {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}
