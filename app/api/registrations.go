package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// registrationRoutes declares the orders and attendees of an event: lists
// with filters and change-time paging (for a CRM's incremental sync), one
// record, and the writes (registrations_write.go).
func (s *Server) registrationRoutes() {
	read := needs(models.ScopeRegistrationsRead)
	tags := []string{"Registrations"}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-orders", Method: http.MethodGet, Path: "/events/{event_id}/orders", Tags: tags,
		Summary: "List an event's orders with their attendees", Security: read,
		Description: "Ordered by last change, then id; follow next_cursor to the end. For an incremental sync pass " +
			"changed_since (an order's updated_at moves with its status, payment and buyer; follow attendees for " +
			"changes to people). " + sensitiveNote,
	}, s.listOrders)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-order", Method: http.MethodGet, Path: "/events/{event_id}/orders/{code}", Tags: tags,
		Summary: "Get one order by its code", Security: read, Description: sensitiveNote,
	}, s.getOrder)
	huma.Register(s.api, huma.Operation{
		OperationID: "list-attendees", Method: http.MethodGet, Path: "/events/{event_id}/attendees", Tags: tags,
		Summary: "List an event's attendees", Security: read,
		Description: "Ordered by last change, then id; follow next_cursor to the end; pass changed_since for an " +
			"incremental sync. " + sensitiveNote,
	}, s.listAttendees)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-attendee", Method: http.MethodGet, Path: "/events/{event_id}/attendees/{attendee_id}", Tags: tags,
		Summary: "Get one attendee", Security: read, Description: sensitiveNote,
	}, s.getAttendee)
	s.registrationWriteRoutes()
}

type listOrdersInput struct {
	ListQuery
	EventID      uint   `path:"event_id"`
	Status       string `query:"status" enum:"pending,confirmed,cancelled,expired" doc:"Only orders in this status."`
	TicketTypeID uint   `query:"ticket_type_id" doc:"Only orders with someone of this ticket type."`
	Q            string `query:"q" maxLength:"200" doc:"Search: the buyer's name or e-mail contains it, or it is the order's code."`
}

type orderPage struct {
	Body struct {
		Items      []Order `json:"items"`
		NextCursor string  `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last."`
	}
}

type orderInput struct {
	EventID uint   `path:"event_id"`
	Code    string `path:"code" maxLength:"40" doc:"The order's code (any case)."`
}

type orderOutput struct {
	Body Order
}

type listAttendeesInput struct {
	ListQuery
	EventID      uint   `path:"event_id"`
	Status       string `query:"status" enum:"active,cancelled" doc:"Only attendees in this status."`
	OrderStatus  string `query:"order_status" enum:"pending,confirmed,cancelled,expired" doc:"Only attendees of orders in this status."`
	TicketTypeID uint   `query:"ticket_type_id" doc:"Only attendees of this ticket type."`
	Category     string `query:"category" enum:"patient_citizen,carer,clinician,researcher,industry,public_authority,other"`
	CheckedIn    string `query:"checked_in" enum:"yes,no" doc:"Only people checked in (yes) or not (no)."`
	Q            string `query:"q" maxLength:"200" doc:"Search: name, e-mail or organization contains it, or it is the order's code."`
}

type attendeePage struct {
	Body struct {
		Items      []Attendee `json:"items"`
		NextCursor string     `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last."`
	}
}

type attendeeInput struct {
	EventID    uint `path:"event_id"`
	AttendeeID uint `path:"attendee_id"`
}

type attendeeOutput struct {
	Body Attendee
}

// withPeople preloads an order's attendees as the JSON shows them.
func withPeople(q *gorm.DB) *gorm.DB {
	return q.Preload("Attendees", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }).
		Preload("Attendees.TicketType").Preload("Attendees.Answers")
}

func (s *Server) listOrders(ctx context.Context, in *listOrdersInput) (*orderPage, error) {
	ev, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	db := s.d.DB.WithContext(ctx)
	q, err := in.page(models.EventOrders(db, ev.ID, models.OrderFilter{Status: in.Status, TicketTypeID: in.TicketTypeID, Query: in.Q}), "orders")
	if err != nil {
		return nil, err
	}
	var os []models.Order
	if err := withPeople(q).Find(&os).Error; err != nil {
		return nil, s.internal("list orders", err)
	}
	os, next := nextCursor(in.ListQuery, os, func(o models.Order) (time.Time, uint) { return o.UpdatedAt, o.ID })
	out := &orderPage{}
	out.Body.Items, err = s.ordersJSON(db, ev.ID, os)
	if err != nil {
		return nil, s.internal("list orders", err)
	}
	out.Body.NextCursor = next
	return out, nil
}

// ordersJSON shows orders (their people preloaded by withPeople).
func (s *Server) ordersJSON(db *gorm.DB, eventID uint, os []models.Order) ([]Order, error) {
	var as []models.Attendee
	for _, o := range os {
		as = append(as, o.Attendees...)
	}
	p, err := loadPeople(db, eventID, as)
	if err != nil {
		return nil, err
	}
	x, err := loadOrderExtras(db, os)
	if err != nil {
		return nil, err
	}
	out := make([]Order, 0, len(os))
	for _, o := range os {
		out = append(out, orderJSON(o, x, p))
	}
	return out, nil
}

func (s *Server) getOrder(ctx context.Context, in *orderInput) (*orderOutput, error) {
	ev, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	o, err := s.eventOrder(ctx, ev.ID, in.Code)
	if err != nil {
		return nil, err
	}
	return s.orderOutput(ctx, ev.ID, o)
}

// eventOrder loads the event's order with code (any case) and its people;
// any other code is 404.
func (s *Server) eventOrder(ctx context.Context, eventID uint, code string) (*models.Order, error) {
	var o models.Order
	err := withPeople(s.d.DB.WithContext(ctx)).Where("event_id = ? AND code = ?", eventID, strings.ToUpper(strings.TrimSpace(code))).Take(&o).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, huma.Error404NotFound("No order with this code at this event.")
	}
	if err != nil {
		return nil, s.internal("load order", err)
	}
	return &o, nil
}

// orderOutput shows one order, loaded by eventOrder.
func (s *Server) orderOutput(ctx context.Context, eventID uint, o *models.Order) (*orderOutput, error) {
	items, err := s.ordersJSON(s.d.DB.WithContext(ctx), eventID, []models.Order{*o})
	if err != nil {
		return nil, s.internal("show order", err)
	}
	return &orderOutput{Body: items[0]}, nil
}

func (s *Server) listAttendees(ctx context.Context, in *listAttendeesInput) (*attendeePage, error) {
	ev, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	db := s.d.DB.WithContext(ctx)
	f := models.RegistrationFilter{Query: in.Q, TicketTypeID: in.TicketTypeID, Category: in.Category, OrderStatus: in.OrderStatus,
		Status: in.Status, CheckedIn: in.CheckedIn}
	q, err := in.page(models.EventAttendees(db, ev.ID, f), "attendees")
	if err != nil {
		return nil, err
	}
	var as []models.Attendee
	if err := q.Preload("TicketType").Preload("Order").Preload("Answers").Find(&as).Error; err != nil {
		return nil, s.internal("list attendees", err)
	}
	as, next := nextCursor(in.ListQuery, as, func(a models.Attendee) (time.Time, uint) { return a.UpdatedAt, a.ID })
	p, err := loadPeople(db, ev.ID, as)
	if err != nil {
		return nil, s.internal("list attendees", err)
	}
	out := &attendeePage{}
	out.Body.Items = make([]Attendee, 0, len(as))
	for _, a := range as {
		out.Body.Items = append(out.Body.Items, p.attendeeJSON(a, a.Order))
	}
	out.Body.NextCursor = next
	return out, nil
}

func (s *Server) getAttendee(ctx context.Context, in *attendeeInput) (*attendeeOutput, error) {
	ev, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	return s.attendeeOutput(ctx, ev.ID, in.AttendeeID)
}

// eventAttendee loads the event's attendee (with ticket type, order and
// answers); any other id is 404.
func (s *Server) eventAttendee(ctx context.Context, eventID, id uint) (*models.Attendee, error) {
	at, err := models.AttendeeOfEvent(s.d.DB.WithContext(ctx), eventID, id)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, huma.Error404NotFound("No attendee with this id at this event.")
	}
	if err != nil {
		return nil, s.internal("load attendee", err)
	}
	return at, nil
}

func (s *Server) attendeeOutput(ctx context.Context, eventID, id uint) (*attendeeOutput, error) {
	at, err := s.eventAttendee(ctx, eventID, id)
	if err != nil {
		return nil, err
	}
	p, err := loadPeople(s.d.DB.WithContext(ctx), eventID, []models.Attendee{*at})
	if err != nil {
		return nil, s.internal("show attendee", err)
	}
	return &attendeeOutput{Body: p.attendeeJSON(*at, at.Order)}, nil
}
