package app

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/agora-events/agora/models"
)

// registrationsPerPage is how many attendees one page of the list shows.
const registrationsPerPage = 50

// orderStatuses are the order states the list can be filtered by.
var orderStatuses = []string{models.OrderConfirmed, models.OrderPending, models.OrderCancelled, models.OrderExpired}

// RegistrationFilterForm is the list's search form as typed (a GET form).
type RegistrationFilterForm struct {
	Q          string
	TicketType string
	Category   string
	Status     string
	CheckedIn  string
	Needs      string // "yes", "no" or ""; offered to access coordinators only
	Page       int
}

// parseRegistrationFilter reads the query string; unknown values are
// dropped rather than refused, since a filter link should never break.
func parseRegistrationFilter(q url.Values) RegistrationFilterForm {
	f := RegistrationFilterForm{Q: strings.TrimSpace(q.Get("q")), TicketType: strings.TrimSpace(q.Get("ticket_type")),
		Category: q.Get("category"), Status: q.Get("status"), CheckedIn: q.Get("checked_in"), Needs: q.Get("needs")}
	if len([]rune(f.Q)) > 200 {
		f.Q = string([]rune(f.Q)[:200])
	}
	if parseID(f.TicketType) == 0 {
		f.TicketType = ""
	}
	if !models.ValidCategory(f.Category) {
		f.Category = ""
	}
	valid := false
	for _, s := range orderStatuses {
		valid = valid || s == f.Status
	}
	if !valid {
		f.Status = ""
	}
	if f.CheckedIn != "yes" && f.CheckedIn != "no" {
		f.CheckedIn = ""
	}
	if f.Needs != "yes" && f.Needs != "no" {
		f.Needs = ""
	}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	if f.Page < 1 || f.Page > 100000 {
		f.Page = 1
	}
	return f
}

// Filter is the form as the model's query takes it, for a member with view
// (the needs filter counts only for one who sees needs).
func (f RegistrationFilterForm) Filter(view models.SensitiveView) models.RegistrationFilter {
	return models.RegistrationFilter{Query: f.Q, TicketTypeID: parseID(f.TicketType), Category: f.Category,
		OrderStatus: f.Status, CheckedIn: f.CheckedIn, Needs: f.Needs, View: view, Page: f.Page, PerPage: registrationsPerPage}
}

// PageURL is the list's address for page n with the same filters.
func (f RegistrationFilterForm) PageURL(base string, n int) string {
	v := url.Values{}
	for k, val := range map[string]string{"q": f.Q, "ticket_type": f.TicketType, "category": f.Category, "status": f.Status, "checked_in": f.CheckedIn, "needs": f.Needs} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

// Active reports whether any filter or search is set.
func (f RegistrationFilterForm) Active() bool {
	return f.Q != "" || f.TicketType != "" || f.Category != "" || f.Status != "" || f.CheckedIn != "" || f.Needs != ""
}
