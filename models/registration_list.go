package models

import (
	"strings"

	"gorm.io/gorm"
)

// RegistrationFilter narrows the organizer's list of an event's attendees.
// Zero values mean "any".
type RegistrationFilter struct {
	Query        string // name, e-mail, organization or order code
	TicketTypeID uint
	Category     string
	OrderStatus  string
	// Status is the attendee's own status (active or cancelled).
	Status    string
	CheckedIn string // "yes", "no" or ""
	// Needs ("yes", "no" or "") narrows by whether people gave access needs.
	// It is applied only for a View that shows needs: filtering would tell
	// anyone else who has them.
	Needs   string
	View    SensitiveView
	Page    int // 1-based
	PerPage int
}

// hasNeedsSQL is true for an attendee with any access need or a note
// (Attendee.HasNeeds in SQL).
const hasNeedsSQL = `(attendees.need_step_free OR attendees.need_easy_read OR attendees.need_companion
	OR COALESCE(attendees.need_interpretation, '') <> '' OR COALESCE(attendees.need_dietary, '') <> ''
	OR COALESCE(attendees.needs_note, '') <> '')`

// likeEscaper makes a search term literal inside LIKE ... ESCAPE '\'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// ListRegistrations returns one page of the event's attendees matching f,
// newest first, with ticket type and order, and how many match in all.
func ListRegistrations(db *gorm.DB, eventID uint, f RegistrationFilter) ([]Attendee, int64, error) {
	q := EventAttendees(db, eventID, f)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	if f.PerPage <= 0 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	var as []Attendee
	err := q.Preload("TicketType").Preload("Order").Order("attendees.id DESC").
		Offset((f.Page - 1) * f.PerPage).Limit(f.PerPage).Find(&as).Error
	return as, total, err
}

// EventAttendees is the query of the event's attendees matching f (joined
// with their orders; Page and PerPage are not applied), for the caller to
// order and page: the organizer's list by page number, the API by change time.
func EventAttendees(db *gorm.DB, eventID uint, f RegistrationFilter) *gorm.DB {
	q := db.Model(&Attendee{}).Joins("JOIN orders ON orders.id = attendees.order_id").Where("attendees.event_id = ?", eventID)
	if s := strings.ToLower(strings.TrimSpace(f.Query)); s != "" {
		like := "%" + likeEscaper.Replace(s) + "%"
		q = q.Where(`(LOWER(attendees.name) LIKE ? ESCAPE '\' OR LOWER(attendees.email) LIKE ? ESCAPE '\'
			OR LOWER(attendees.organization) LIKE ? ESCAPE '\' OR orders.code = ?)`, like, like, like, orderCodeOf(s))
	}
	if f.TicketTypeID != 0 {
		q = q.Where("attendees.ticket_type_id = ?", f.TicketTypeID)
	}
	if f.Category != "" {
		q = q.Where("attendees.category = ?", f.Category)
	}
	if f.OrderStatus != "" {
		q = q.Where("orders.status = ?", f.OrderStatus)
	}
	if f.Status != "" {
		q = q.Where("attendees.status = ?", f.Status)
	}
	switch f.CheckedIn {
	case "yes":
		q = q.Where("attendees.checked_in_at IS NOT NULL")
	case "no":
		q = q.Where("attendees.checked_in_at IS NULL")
	}
	if f.View.Allowed() {
		switch f.Needs {
		case "yes":
			q = q.Where(hasNeedsSQL)
		case "no":
			q = q.Where("NOT " + hasNeedsSQL)
		}
	}
	return q
}

// RegistrationCounts are the attendees of one group by state. Cancelled
// includes attendees of expired orders; CheckedIn counts active ones.
type RegistrationCounts struct {
	Confirmed int
	Pending   int
	Cancelled int
	CheckedIn int
}

// RegistrationStats sums up an event's registrations for the organizer.
type RegistrationStats struct {
	Total        RegistrationCounts
	ByTicketType map[uint]*RegistrationCounts
	ByCategory   map[string]*RegistrationCounts
	Waiting      int // waitlist entries still waiting
	Offered      int // waitlist entries holding an offer
}

// EventRegistrationStats counts the event's attendees by ticket type and
// category in one grouped query.
func EventRegistrationStats(db *gorm.DB, eventID uint) (*RegistrationStats, error) {
	var rows []struct {
		TicketTypeID   uint
		Category       string
		AttendeeStatus string
		OrderStatus    string
		Checked        int
		N              int
	}
	err := db.Raw(`SELECT attendees.ticket_type_id, attendees.category, attendees.status AS attendee_status,
			orders.status AS order_status, CASE WHEN attendees.checked_in_at IS NULL THEN 0 ELSE 1 END AS checked, COUNT(*) AS n
		FROM attendees JOIN orders ON orders.id = attendees.order_id
		WHERE attendees.event_id = ? GROUP BY 1, 2, 3, 4, 5`, eventID).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	st := &RegistrationStats{ByTicketType: map[uint]*RegistrationCounts{}, ByCategory: map[string]*RegistrationCounts{}}
	for _, r := range rows {
		tt, cat := st.ByTicketType[r.TicketTypeID], st.ByCategory[r.Category]
		if tt == nil {
			tt = &RegistrationCounts{}
			st.ByTicketType[r.TicketTypeID] = tt
		}
		if cat == nil {
			cat = &RegistrationCounts{}
			st.ByCategory[r.Category] = cat
		}
		for _, c := range []*RegistrationCounts{&st.Total, tt, cat} {
			switch {
			case r.AttendeeStatus != AttendeeActive || !(Order{Status: r.OrderStatus}).IsLive():
				c.Cancelled += r.N
			case r.OrderStatus == OrderConfirmed:
				c.Confirmed += r.N
				if r.Checked == 1 {
					c.CheckedIn += r.N
				}
			default:
				c.Pending += r.N
			}
		}
	}
	var w []struct {
		Status string
		N      int
	}
	if err := db.Raw("SELECT status, COUNT(*) AS n FROM waitlist_entries WHERE event_id = ? GROUP BY status", eventID).Scan(&w).Error; err != nil {
		return nil, err
	}
	for _, x := range w {
		switch x.Status {
		case WaitlistWaiting:
			st.Waiting = x.N
		case WaitlistOffered:
			st.Offered = x.N
		}
	}
	return st, nil
}

// AttendeeOfEvent returns the event's attendee id with order, ticket type
// and answers, or gorm.ErrRecordNotFound.
func AttendeeOfEvent(db *gorm.DB, eventID, id uint) (*Attendee, error) {
	var a Attendee
	err := db.Preload("TicketType").Preload("Order").Preload("Answers").
		Where("id = ? AND event_id = ?", id, eventID).Take(&a).Error
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// EventAttendeesForExport returns every attendee of the event in order of
// registration, with ticket type, order and answers, for the CSV export.
// The related rows are read by event, not by a list of ids as Preload
// does: an event of 100,000 people passed SQLite's limit of variables in
// one statement, and the export failed.
func EventAttendeesForExport(db *gorm.DB, eventID uint) ([]Attendee, error) {
	var as []Attendee
	if err := db.Where("event_id = ?", eventID).Order("order_id, position, id").Find(&as).Error; err != nil {
		return nil, err
	}
	var tts []TicketType
	if err := db.Where("event_id = ?", eventID).Find(&tts).Error; err != nil {
		return nil, err
	}
	var orders []Order
	if err := db.Where("event_id = ?", eventID).Find(&orders).Error; err != nil {
		return nil, err
	}
	var answers []Answer
	if err := db.Where("attendee_id IN (SELECT id FROM attendees WHERE event_id = ?)", eventID).Order("id").Find(&answers).Error; err != nil {
		return nil, err
	}
	ttOf := make(map[uint]TicketType, len(tts))
	for _, t := range tts {
		ttOf[t.ID] = t
	}
	orderOf := make(map[uint]*Order, len(orders))
	for i := range orders {
		orderOf[orders[i].ID] = &orders[i]
	}
	answersOf := make(map[uint][]Answer, len(as))
	for _, a := range answers {
		answersOf[a.AttendeeID] = append(answersOf[a.AttendeeID], a)
	}
	for i := range as {
		as[i].TicketType, as[i].Order, as[i].Answers = ttOf[as[i].TicketTypeID], orderOf[as[i].OrderID], answersOf[as[i].ID]
	}
	return as, nil
}

// EventConsentRecords returns the consent records of the event's attendees
// with their texts, grouped by attendee id.
func EventConsentRecords(db *gorm.DB, eventID uint) (map[uint][]ConsentRecord, error) {
	var rs []ConsentRecord
	err := db.Preload("ConsentText").Joins("JOIN attendees ON attendees.id = consent_records.attendee_id").
		Where("attendees.event_id = ?", eventID).Order("consent_records.id").Find(&rs).Error
	if err != nil {
		return nil, err
	}
	out := map[uint][]ConsentRecord{}
	for _, r := range rs {
		out[r.AttendeeID] = append(out[r.AttendeeID], r)
	}
	return out, nil
}

// EventWaitlist returns the event's waitlist entries in the order they are served.
func EventWaitlist(db *gorm.DB, eventID uint) ([]WaitlistEntry, error) {
	var ws []WaitlistEntry
	err := db.Where("event_id = ?", eventID).Order("id").Find(&ws).Error
	return ws, err
}

// TicketEventID finds which event a ticket code (QR secret, order code, or
// CODE-N) belongs to, so the door can say "this ticket is for another event".
func TicketEventID(db *gorm.DB, code string) (uint, bool) {
	code = strings.TrimSpace(code)
	if code == "" || len(code) > 100 {
		return 0, false
	}
	var ids []uint
	if LooksLikeSecret(code) {
		db.Model(&Attendee{}).Where("qr_secret = ?", code).Limit(1).Pluck("event_id", &ids)
		if len(ids) == 1 {
			return ids[0], true
		}
	}
	oc := strings.ToUpper(code)
	if i := strings.LastIndexByte(oc, '-'); i > 0 {
		oc = oc[:i]
	}
	db.Model(&Order{}).Where("code = ?", oc).Limit(1).Pluck("event_id", &ids)
	if len(ids) == 1 {
		return ids[0], true
	}
	return 0, false
}
