package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Event is an event as the API shows it. Texts the organizers wrote are
// given in every language the event is written in.
type Event struct {
	ID                   uint       `json:"id"`
	Slug                 string     `json:"slug"`
	URL                  string     `json:"url" doc:"The public event page."`
	Kind                 string     `json:"kind" enum:"forum,symposium,agora,other"`
	Status               string     `json:"status" enum:"draft,published,cancelled"`
	Languages            []string   `json:"languages" doc:"Content languages; the first is the default."`
	Title                Texts      `json:"title"`
	Summary              Texts      `json:"summary"`
	Description          Texts      `json:"description" doc:"Markdown."`
	Venue                Texts      `json:"venue"`
	Address              Texts      `json:"address"`
	OnlineURL            string     `json:"online_url,omitempty"`
	TimeZone             string     `json:"time_zone"`
	StartsAt             time.Time  `json:"starts_at"`
	EndsAt               time.Time  `json:"ends_at"`
	Capacity             int        `json:"capacity" doc:"0 = no overall limit."`
	PlacesTaken          int        `json:"places_taken"`
	RegistrationOpensAt  *time.Time `json:"registration_opens_at,omitempty"`
	RegistrationClosesAt *time.Time `json:"registration_closes_at,omitempty"`
	CreatedAt            time.Time  `json:"created_at"`
	UpdatedAt            time.Time  `json:"updated_at"`
}

func (s *Server) eventJSON(e models.Event, ct *models.Content) Event {
	langs := e.LanguageList()
	return Event{ID: e.ID, Slug: e.Slug, URL: s.d.BaseURL + "/events/" + e.Slug, Kind: e.Kind, Status: e.Status, Languages: langs,
		Title:       texts(ct, langs, models.OwnerEvent, e.ID, "title", e.Title),
		Summary:     texts(ct, langs, models.OwnerEvent, e.ID, "summary", e.Summary),
		Description: texts(ct, langs, models.OwnerEvent, e.ID, "description", e.Description),
		Venue:       texts(ct, langs, models.OwnerEvent, e.ID, "venue", e.Venue),
		Address:     texts(ct, langs, models.OwnerEvent, e.ID, "address", e.Address),
		OnlineURL:   e.OnlineURL, TimeZone: e.TimeZone, StartsAt: e.StartsAt.UTC(), EndsAt: e.EndsAt.UTC(),
		Capacity: e.Capacity, PlacesTaken: e.PlacesTaken, RegistrationOpensAt: e.RegistrationOpensAt, RegistrationClosesAt: e.RegistrationClosesAt,
		CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
}

type listEventsInput struct {
	ListQuery
	Status string `query:"status" enum:"draft,published,cancelled" doc:"Only events in this status."`
}

type eventPage struct {
	Body struct {
		Items      []Event `json:"items"`
		NextCursor string  `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last."`
	}
}

type eventInput struct {
	EventID uint `path:"event_id"`
}

type eventOutput struct {
	Body Event
}

func (s *Server) eventRoutes() {
	huma.Register(s.api, huma.Operation{
		OperationID: "list-events", Method: http.MethodGet, Path: "/events", Tags: []string{"Events"},
		Summary: "List the organization's events", Security: needs(models.ScopeEventsRead),
	}, s.listEvents)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-event", Method: http.MethodGet, Path: "/events/{event_id}", Tags: []string{"Events"},
		Summary: "Get one of the organization's events", Security: needs(models.ScopeEventsRead),
	}, s.getEvent)
}

func (s *Server) listEvents(ctx context.Context, in *listEventsInput) (*eventPage, error) {
	q := s.d.DB.WithContext(ctx).Model(&models.Event{}).Where("events.organization_id = ?", orgID(ctx))
	if in.Status != "" {
		q = q.Where("events.status = ?", in.Status)
	}
	q, err := in.page(q, "events")
	if err != nil {
		return nil, err
	}
	var evs []models.Event
	if err := q.Find(&evs).Error; err != nil {
		return nil, s.internal("list events", err)
	}
	evs, next := nextCursor(in.ListQuery, evs, func(e models.Event) (time.Time, uint) { return e.UpdatedAt, e.ID })
	cts, err := models.LoadContents(s.d.DB, evs, "")
	if err != nil {
		return nil, s.internal("list events: texts", err)
	}
	out := &eventPage{}
	out.Body.Items = make([]Event, 0, len(evs))
	for _, e := range evs {
		out.Body.Items = append(out.Body.Items, s.eventJSON(e, cts[e.ID]))
	}
	out.Body.NextCursor = next
	return out, nil
}

func (s *Server) getEvent(ctx context.Context, in *eventInput) (*eventOutput, error) {
	e, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	ct, err := models.LoadContent(s.d.DB, e, "")
	if err != nil {
		return nil, s.internal("event texts", err)
	}
	return &eventOutput{Body: s.eventJSON(*e, ct)}, nil
}

// orgEvent loads an event of the token's organization; any other id is 404,
// whether it exists elsewhere or not.
func (s *Server) orgEvent(ctx context.Context, id uint) (*models.Event, error) {
	var e models.Event
	err := s.d.DB.WithContext(ctx).Where("id = ? AND organization_id = ?", id, orgID(ctx)).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, huma.Error404NotFound("No event with this id in your organization.")
	}
	if err != nil {
		return nil, s.internal("load event", err)
	}
	return &e, nil
}

// internal logs err and answers 500 with nothing of the error in the body.
func (s *Server) internal(what string, err error) error {
	s.d.Logger.Error("api: "+what, "err", err)
	return huma.Error500InternalServerError("Something went wrong on our side; it has been logged.")
}
