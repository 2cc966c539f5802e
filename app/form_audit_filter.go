package app

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/agora-events/agora/models"
)

// auditPageSize is how many entries one page of the audit log shows.
const auditPageSize = 50

// maxAuditPerson bounds the typed e-mail fragment (an address's length).
const maxAuditPerson = 254

// AuditFilterForm is the audit log's filter as typed (a GET form).
type AuditFilterForm struct {
	Action string
	Person string
	Event  string
	From   string // YYYY-MM-DD, in the log's time zone
	To     string // YYYY-MM-DD, inclusive
	Before uint   // keyset cursor: the last entry of the previous page
}

// parseAuditFilter reads the query string, trimmed.
func parseAuditFilter(q url.Values) AuditFilterForm {
	f := AuditFilterForm{Action: strings.TrimSpace(q.Get("action")), Person: strings.TrimSpace(q.Get("person")),
		Event: strings.TrimSpace(q.Get("event")), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	f.Before = parseID(q.Get("before"))
	return f
}

// Validate turns the form into the model's filter: a field it cannot read
// gets a message beside it (and does not filter), the rest still apply.
// events are the organization's event ids; loc is the log's time zone.
func (f AuditFilterForm) Validate(events map[uint]bool, loc *time.Location) (models.AuditFilter, FieldErrors) {
	errs := FieldErrors{}
	var out models.AuditFilter
	if f.Action != "" {
		if models.KnownAuditAction(f.Action) {
			out.Action = f.Action
		} else {
			errs.Add("action", "audit.error.action")
		}
	}
	if len([]rune(f.Person)) > maxAuditPerson {
		errs.Add("person", "audit.error.person_long", "Max", maxAuditPerson)
	} else {
		out.Email = f.Person
	}
	if f.Event != "" {
		if id := parseID(f.Event); id != 0 && events[id] {
			out.EventID = id
		} else {
			errs.Add("event", "audit.error.event")
		}
	}
	from, okFrom := parseAuditDay(f.From, loc)
	if !okFrom {
		errs.Add("from", "audit.error.date")
	}
	to, okTo := parseAuditDay(f.To, loc)
	if !okTo {
		errs.Add("to", "audit.error.date")
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		errs.Add("to", "audit.error.to_before_from")
		okTo = false
	}
	if okFrom {
		out.From = from
	}
	if okTo && !to.IsZero() {
		out.To = to.AddDate(0, 0, 1) // the whole last day
	}
	return out, errs
}

// parseAuditDay reads a day typed as YYYY-MM-DD as its midnight in loc;
// "" is the zero time and fine. Years outside 2000–2999 are refused: no
// log line is older, and the database's time types need no more.
func parseAuditDay(s string, loc *time.Location) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil || t.Year() < 2000 || t.Year() > 2999 {
		return time.Time{}, false
	}
	return t, true
}

// Active reports whether any filter is set.
func (f AuditFilterForm) Active() bool {
	return f.Action != "" || f.Person != "" || f.Event != "" || f.From != "" || f.To != ""
}

// Query is the filter as a query string, without the page cursor.
func (f AuditFilterForm) Query() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"action": f.Action, "person": f.Person, "event": f.Event, "from": f.From, "to": f.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// PageURL is base with the filter and the cursor of the page after before.
func (f AuditFilterForm) PageURL(base string, before uint) string {
	v := f.Query()
	if before != 0 {
		v.Set("before", strconv.FormatUint(uint64(before), 10))
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}
