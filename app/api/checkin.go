package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Check-in through the API follows the door's rules (models.CheckInto,
// ResolveTicket, UndoCheckin): one live check-in per person and list
// however many scanners race, a repeat answered "already", and a ticket of
// another event, a cancelled or unpaid one refused.

// CheckinList is one door list of an event: a day, or a session with
// sign-up or counted attendance.
type CheckinList struct {
	ID           uint   `json:"id" doc:"The list's id."`
	Kind         string `json:"kind" enum:"day,session" doc:"A day of the event, or one session."`
	Day          string `json:"day,omitempty" doc:"YYYY-MM-DD in the event's time zone (day lists)."`
	SessionID    *uint  `json:"session_id,omitempty" doc:"The session (session lists)."`
	SessionTitle Texts  `json:"session_title,omitempty" doc:"The session's title in each language (session lists)."`
	CheckedIn    int64  `json:"checked_in" doc:"People expected on the list who are checked in."`
	Expected     int64  `json:"expected" doc:"People expected on the list: confirmed, active attendees (a sign-up session's sign-ups)."`
}

// Checkin is one person let in on one list.
type Checkin struct {
	ID           uint       `json:"id" doc:"The check-in's id."`
	ListID       uint       `json:"list_id" doc:"The list."`
	AttendeeID   uint       `json:"attendee_id" doc:"The person let in."`
	AttendeeName string     `json:"attendee_name" doc:"The person's name."`
	At           time.Time  `json:"at" doc:"When the person came in."`
	Source       string     `json:"source" enum:"api,door" doc:"Made through the API or at the door (page or phone)."`
	DeviceID     string     `json:"device_id,omitempty" doc:"The API client's device_id, or the door device's."`
	CheckedOutAt *time.Time `json:"checked_out_at,omitempty" doc:"When the person left, if recorded."`
	UndoneAt     *time.Time `json:"undone_at,omitempty" doc:"Taken back (a mistaken scan); the person is not checked in by this row."`
	CreatedAt    time.Time  `json:"created_at" doc:"When the record was made."`
	UpdatedAt    time.Time  `json:"updated_at" doc:"When the record last changed (the order of the list and of changed_since)."`
}

// CheckinPerson is what the door is told about the person, and no more.
type CheckinPerson struct {
	ID           uint   `json:"id" doc:"The attendee's id."`
	Name         string `json:"name" doc:"The person's name."`
	Organization string `json:"organization,omitempty" doc:"Where they come from."`
	TicketType   string `json:"ticket_type" doc:"The ticket type's name (default language)."`
	Code         string `json:"code" doc:"Order code and position (ABC123-1), as printed on the ticket."`
}

type checkinListsOutput struct {
	Body struct {
		Items []CheckinList `json:"items"`
	}
}

// CheckinListPath names a check-in list in a path (exported: huma reads
// the fields of embedded structs only when their type is exported).
type CheckinListPath struct {
	EventID uint `path:"event_id"`
	ListID  uint `path:"list_id"`
}

type checkinsInput struct {
	CheckinListPath
	ListQuery
}

type checkinCreateInput struct {
	CheckinListPath
	Body struct {
		QRSecret   string     `json:"qr_secret,omitempty" maxLength:"100" doc:"What the ticket's QR code holds (or the order code, or CODE-N). Give this or attendee_id."`
		AttendeeID uint       `json:"attendee_id,omitempty" doc:"The attendee, found by other means (a search). Give this or qr_secret."`
		DeviceID   string     `json:"device_id,omitempty" maxLength:"40" pattern:"^[A-Za-z0-9._:-]*$" doc:"Names the scanner; with local_id, a check-in sent twice is made once."`
		LocalID    string     `json:"local_id,omitempty" maxLength:"64" pattern:"^[A-Za-z0-9._:-]*$" doc:"The scanner's own number for this scan."`
		At         *time.Time `json:"at,omitempty" doc:"When the person came in (an offline scanner's time); now when absent, and never in the future or over 30 days ago."`
	}
}

// CheckinResult answers a check-in: checked_in (201) or already (200: the
// person was let in before; checkin is that first check-in).
type CheckinResult struct {
	Result   string        `json:"result" enum:"checked_in,already" doc:"checked_in: let in now; already: let in before."`
	Checkin  Checkin       `json:"checkin" doc:"The live check-in."`
	Attendee CheckinPerson `json:"attendee" doc:"Who it is, as the door shows them."`
}

type checkinCreateOutput struct {
	Status int
	Body   CheckinResult
}

type checkinUndoInput struct {
	CheckinListPath
	CheckinID uint `path:"checkin_id"`
}

type checkinOutput struct {
	Body Checkin
}

func (s *Server) checkinRoutes() {
	tags := []string{"Check-in"}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-checkin-lists", Method: http.MethodGet, Path: "/events/{event_id}/checkin-lists", Tags: tags,
		Summary: "List the event's check-in lists", Description: "One list per day of the event, and one per session with sign-up or counted attendance, with how many are in.",
		Security: needs(models.ScopeCheckin),
	}, s.listCheckinLists)
	huma.Register(s.api, huma.Operation{
		OperationID: "list-checkins", Method: http.MethodGet, Path: "/events/{event_id}/checkin-lists/{list_id}/checkins", Tags: tags,
		Summary: "List the check-ins of a list", Description: "Taken-back check-ins are listed too (with undone_at), so a client syncing with changed_since sees them.",
		Security: needs(models.ScopeCheckin),
	}, s.listCheckins)
	huma.Register(s.api, huma.Operation{
		OperationID: "create-checkin", Method: http.MethodPost, Path: "/events/{event_id}/checkin-lists/{list_id}/checkins", Tags: tags,
		Summary: "Check a person in", DefaultStatus: http.StatusCreated,
		Description: "By the ticket's QR value or by attendee id. 201 checked_in; 200 already (the person was let in before, from any device). " +
			"Refusals are 422 problems whose type names the reason: urn:agora:checkin:unknown, other_event, cancelled, not_confirmed, not_for_list.",
		Responses: map[string]*huma.Response{"200": {Description: "Already checked in: checkin is the first check-in.",
			Content: map[string]*huma.MediaType{"application/json": {Schema: &huma.Schema{Ref: "#/components/schemas/CheckinResult"}}}}},
		// Two success codes leave huma no room for its default error
		// response: the errors are declared (422 and 500 are added).
		Errors:   []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound},
		Security: needs(models.ScopeCheckin),
	}, s.createCheckin)
	huma.Register(s.api, huma.Operation{
		OperationID: "undo-checkin", Method: http.MethodDelete, Path: "/events/{event_id}/checkin-lists/{list_id}/checkins/{checkin_id}", Tags: tags,
		Summary: "Take a check-in back (a mistaken scan)", Description: "The row stays with undone_at set; the person can be checked in again.",
		Security: needs(models.ScopeCheckin),
	}, s.undoCheckin)
	huma.Register(s.api, huma.Operation{
		OperationID: "checkout-checkin", Method: http.MethodPost, Path: "/events/{event_id}/checkin-lists/{list_id}/checkins/{checkin_id}/checkout", Tags: tags,
		Summary: "Record that the person left", Description: "Sets checked_out_at (a session's end); checking the person in again opens the same check-in. 404 when it is not live or already out.",
		Security: needs(models.ScopeCheckin),
	}, s.checkoutCheckin)
}

func (s *Server) listCheckinLists(ctx context.Context, in *eventInput) (*checkinListsOutput, error) {
	e, ct, err := s.eventContent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	db := s.d.DB.WithContext(ctx)
	lists, err := models.CheckinLists(db, e)
	if err != nil {
		return nil, s.internal("check-in lists", err)
	}
	out := &checkinListsOutput{}
	out.Body.Items = make([]CheckinList, 0, len(lists))
	for i := range lists {
		l := &lists[i]
		n, err := models.CountCheckinList(db, l)
		if err != nil {
			return nil, s.internal("count check-ins", err)
		}
		item := CheckinList{ID: l.ID, Kind: l.Kind, Day: l.Day, SessionID: l.SessionID, CheckedIn: n.In, Expected: n.Expected}
		if l.Session != nil {
			item.SessionTitle = texts(ct, e.LanguageList(), models.OwnerSession, l.Session.ID, "title", l.Session.Title)
		}
		out.Body.Items = append(out.Body.Items, item)
	}
	return out, nil
}

// checkinList loads list id of an event of the token's organization.
func (s *Server) checkinList(ctx context.Context, in CheckinListPath) (*models.Event, *models.CheckinList, error) {
	e, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, nil, err
	}
	l, err := models.EventCheckinList(s.d.DB.WithContext(ctx), e, in.ListID)
	if errors.Is(err, models.ErrCheckinListNotFound) {
		return nil, nil, huma.Error404NotFound("No check-in list with this id in this event.")
	}
	if err != nil {
		return nil, nil, s.internal("load check-in list", err)
	}
	return e, l, nil
}

func (s *Server) listCheckins(ctx context.Context, in *checkinsInput) (*pageOf[Checkin], error) {
	_, l, err := s.checkinList(ctx, in.CheckinListPath)
	if err != nil {
		return nil, err
	}
	db := s.d.DB.WithContext(ctx)
	q, err := in.page(db.Model(&models.Checkin{}).Where("checkins.list_id = ?", l.ID), "checkins")
	if err != nil {
		return nil, err
	}
	var rows []models.Checkin
	if err := q.Find(&rows).Error; err != nil {
		return nil, s.internal("list check-ins", err)
	}
	rows, next := nextCursor(in.ListQuery, rows, func(k models.Checkin) (time.Time, uint) { return k.UpdatedAt, k.ID })
	ids := make([]uint, 0, len(rows))
	for _, k := range rows {
		ids = append(ids, k.AttendeeID)
	}
	names := map[uint]string{}
	if len(ids) > 0 {
		var people []struct {
			ID   uint
			Name string
		}
		if err := db.Model(&models.Attendee{}).Select("id, name").Where("id IN ?", ids).Scan(&people).Error; err != nil {
			return nil, s.internal("check-ins' names", err)
		}
		for _, p := range people {
			names[p.ID] = p.Name
		}
	}
	out := make([]Checkin, 0, len(rows))
	for _, k := range rows {
		out = append(out, s.checkinJSON(ctx, k, names[k.AttendeeID]))
	}
	return newPageOf(out, next), nil
}

// apiDevice is the stored device of a check-in made through the API: the
// organization's own namespace, so a device and local id chosen by one
// organization's client can never name another's check-in.
func apiDevice(orgID uint, device string) string {
	return "api:" + strconv.FormatUint(uint64(orgID), 10) + ":" + device
}

func (s *Server) checkinJSON(ctx context.Context, k models.Checkin, name string) Checkin {
	out := Checkin{ID: k.ID, ListID: k.ListID, AttendeeID: k.AttendeeID, AttendeeName: name, At: k.At.UTC(), Source: "door", DeviceID: k.DeviceID,
		CheckedOutAt: k.CheckedOutAt, UndoneAt: k.UndoneAt, CreatedAt: k.CreatedAt.UTC(), UpdatedAt: k.UpdatedAt.UTC()}
	if d, ok := strings.CutPrefix(k.DeviceID, apiDevice(orgID(ctx), "")); ok {
		out.Source, out.DeviceID = "api", d
	}
	return out
}

// checkinRefusal is a 422 problem naming why the door would refuse the person.
func checkinRefusal(reason, field string, value any, detail string) error {
	return &huma.ErrorModel{Type: "urn:agora:checkin:" + reason, Title: "Not checked in", Status: http.StatusUnprocessableEntity, Detail: detail,
		Errors: []*huma.ErrorDetail{{Location: field, Message: detail, Value: value}}}
}

var checkinRefusals = map[string]string{
	models.CheckinUnknown:      "No ticket of this event matches.",
	models.CheckinCancelled:    "This ticket was cancelled.",
	models.CheckinNotConfirmed: "This registration is not confirmed yet (payment pending).",
	models.CheckinNotOnList:    "This person is not expected on this list (not signed up for the session).",
}

func (s *Server) createCheckin(ctx context.Context, in *checkinCreateInput) (*checkinCreateOutput, error) {
	e, l, err := s.checkinList(ctx, in.CheckinListPath)
	if err != nil {
		return nil, err
	}
	b := in.Body
	code := strings.TrimSpace(b.QRSecret)
	if (code == "") == (b.AttendeeID == 0) {
		return nil, huma.Error422UnprocessableEntity("Give either qr_secret or attendee_id.",
			&huma.ErrorDetail{Location: "body.qr_secret", Message: "give either qr_secret or attendee_id, not both", Value: b.QRSecret})
	}
	field, value := "body.qr_secret", any(b.QRSecret)
	if code == "" {
		field, value = "body.attendee_id", any(b.AttendeeID)
	}
	att, err := s.checkinAttendee(ctx, e, code, b.AttendeeID, field, value)
	if err != nil {
		return nil, err
	}
	device := b.DeviceID
	if device == "" {
		device = "token-" + strconv.FormatUint(uint64(token(ctx).ID), 10)
	}
	at := time.Time{}
	if b.At != nil {
		at = *b.At
	}
	db := s.d.DB.WithContext(ctx)
	res, err := models.CheckInto(db, l, att, models.CheckinInput{DeviceID: apiDevice(orgID(ctx), device), LocalID: b.LocalID, At: at}, s.d.Now())
	if err != nil {
		return nil, s.internal("check in", err)
	}
	if msg, refused := checkinRefusals[res.Result]; refused {
		return nil, checkinRefusal(res.Result, field, value, msg)
	}
	p, ok, err := models.DoorPersonOn(db, l, att.ID)
	if err != nil {
		return nil, s.internal("check-in person", err)
	}
	if !ok {
		p = models.DoorPerson{AttendeeID: att.ID, Name: att.Name}
	}
	out := &checkinCreateOutput{Status: http.StatusCreated}
	if res.Result == models.CheckinAlready {
		out.Status = http.StatusOK
	}
	out.Body = CheckinResult{Result: res.Result, Checkin: s.checkinJSON(ctx, *res.Checkin, att.Name),
		Attendee: CheckinPerson{ID: p.AttendeeID, Name: p.Name, Organization: p.Organization, TicketType: p.TicketType, Code: p.Code}}
	return out, nil
}

// checkinAttendee finds the person to check in, by ticket code or id, with
// the door's answers for a ticket that is not this event's.
func (s *Server) checkinAttendee(ctx context.Context, e *models.Event, code string, id uint, field string, value any) (*models.Attendee, error) {
	db := s.d.DB.WithContext(ctx)
	if code != "" {
		att, err := models.ResolveTicket(db, e.ID, code)
		switch {
		case att != nil:
			return att, nil // cancelled or unpaid: CheckInto names it
		case errors.Is(err, models.ErrNotCheckedIn):
			if other, ok := models.TicketEventID(db, code); ok && other != e.ID && s.sameOrganization(ctx, other) {
				return nil, checkinRefusal("other_event", field, value, "This ticket is for another of your events.")
			}
			return nil, checkinRefusal(models.CheckinUnknown, field, value, checkinRefusals[models.CheckinUnknown])
		case errors.Is(err, models.ErrAmbiguousCode):
			return nil, checkinRefusal(models.CheckinUnknown, field, value, "This order has several people: scan the person's own ticket (or give CODE-N).")
		default:
			return nil, s.internal("resolve ticket", err)
		}
	}
	var att models.Attendee
	err := db.Where("event_id = ?", e.ID).Take(&att, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		var other models.Attendee
		if db.Select("id", "event_id").Take(&other, id).Error == nil && s.sameOrganization(ctx, other.EventID) {
			return nil, checkinRefusal("other_event", field, value, "This attendee is registered for another of your events.")
		}
		return nil, huma.Error404NotFound("No attendee with this id in this event.")
	}
	if err != nil {
		return nil, s.internal("load attendee", err)
	}
	return &att, nil
}

// sameOrganization reports whether event id belongs to the token's organization.
func (s *Server) sameOrganization(ctx context.Context, eventID uint) bool {
	var n int64
	s.d.DB.WithContext(ctx).Model(&models.Event{}).Where("id = ? AND organization_id = ?", eventID, orgID(ctx)).Count(&n)
	return n > 0
}

func (s *Server) undoCheckin(ctx context.Context, in *checkinUndoInput) (*checkinOutput, error) {
	_, l, err := s.checkinList(ctx, in.CheckinListPath)
	if err != nil {
		return nil, err
	}
	db := s.d.DB.WithContext(ctx)
	k, err := models.UndoCheckin(db, l, in.CheckinID, 0, s.d.Now())
	if errors.Is(err, models.ErrCheckinNotFound) {
		return nil, huma.Error404NotFound("No live check-in with this id on this list.")
	}
	if err != nil {
		return nil, s.internal("undo check-in", err)
	}
	return &checkinOutput{Body: s.checkinJSON(ctx, *k, s.attendeeName(ctx, k.AttendeeID))}, nil
}

func (s *Server) checkoutCheckin(ctx context.Context, in *checkinUndoInput) (*checkinOutput, error) {
	_, l, err := s.checkinList(ctx, in.CheckinListPath)
	if err != nil {
		return nil, err
	}
	db := s.d.DB.WithContext(ctx)
	err = models.CheckOut(db, l, in.CheckinID, s.d.Now())
	if errors.Is(err, models.ErrCheckinNotFound) {
		return nil, huma.Error404NotFound("No live check-in with this id on this list that is not out already.")
	}
	if err != nil {
		return nil, s.internal("check out", err)
	}
	var k models.Checkin
	if err := db.Take(&k, in.CheckinID).Error; err != nil {
		return nil, s.internal("load check-in", err)
	}
	return &checkinOutput{Body: s.checkinJSON(ctx, k, s.attendeeName(ctx, k.AttendeeID))}, nil
}

// attendeeName is the attendee's name for a check-in answer ("" if gone).
func (s *Server) attendeeName(ctx context.Context, id uint) string {
	var names []string
	if err := s.d.DB.WithContext(ctx).Model(&models.Attendee{}).Where("id = ?", id).Pluck("name", &names).Error; err != nil || len(names) == 0 {
		return ""
	}
	return names[0]
}
