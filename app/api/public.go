package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// The public read: what the site's public pages show of published (and
// cancelled, so a website can say so) events and their programme, for a
// website's script. No token, nothing personal, never a draft or a
// deleted event, never a hidden ticket type.

// PublicOrganization names the organization running an event.
type PublicOrganization struct {
	Slug string `json:"slug" doc:"Use as the organization filter."`
	Name string `json:"name" doc:"The organization's name."`
}

// PublicEvent is an event as anyone may read it.
type PublicEvent struct {
	Event
	Organization PublicOrganization `json:"organization" doc:"Who runs the event."`
}

// PublicEventDetail is a public event with its whole programme and the
// ticket types on offer, with their availability.
type PublicEventDetail struct {
	PublicEvent
	Sessions    []Session    `json:"sessions" doc:"By start time."`
	Rooms       []Room       `json:"rooms" doc:"Rooms of the venue."`
	Tracks      []Track      `json:"tracks" doc:"Themes."`
	Speakers    []Speaker    `json:"speakers" doc:"Speakers with their sessions."`
	TicketTypes []TicketType `json:"ticket_types" doc:"Visible ticket types, in display order."`
}

type publicEventsInput struct {
	Organization string `query:"organization" maxLength:"100" doc:"Only this organization's events (its slug)."`
	Past         bool   `query:"past" doc:"Events that have ended, newest first, instead of upcoming ones."`
	Cursor       string `query:"cursor" maxLength:"100" doc:"The next_cursor of the previous page; empty for the first."`
	Limit        int    `query:"limit" minimum:"1" maximum:"100" default:"50" doc:"Events per page."`
}

type publicEventInput struct {
	Slug string `path:"slug" maxLength:"100"`
}

type publicEventOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         PublicEventDetail
}

type publicEventsOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Items      []PublicEvent `json:"items"`
		NextCursor string        `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last."`
	}
}

// publicCache lets browsers and proxies keep a public answer a minute.
const publicCache = "public, max-age=60"

// publicStatuses are the statuses the public site shows.
var publicStatuses = []string{models.StatusPublished, models.StatusCancelled}

// allowAnyOrigin lets a script on any website read a public answer (they
// are all GET requests without credentials, so no preflight is needed).
func allowAnyOrigin(ctx huma.Context, next func(huma.Context)) {
	ctx.SetHeader("Access-Control-Allow-Origin", "*")
	next(ctx)
}

func (s *Server) publicRoutes() {
	huma.Register(s.api, huma.Operation{
		OperationID: "list-public-events", Method: http.MethodGet, Path: "/public/events", Tags: []string{"Public"},
		Summary:     "List published events (no token)",
		Description: "Upcoming events, soonest first (or past ones, newest first), of every organization or one. Cancelled events are listed with status cancelled, as the site shows them. Any website may read this (Access-Control-Allow-Origin: *).",
		Middlewares: huma.Middlewares{allowAnyOrigin},
	}, s.listPublicEvents)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-public-event", Method: http.MethodGet, Path: "/public/events/{slug}", Tags: []string{"Public"},
		Summary:     "Get a published event with its programme (no token)",
		Description: "The event, its sessions, rooms, tracks, speakers and visible ticket types with availability. Drafts and deleted events are 404.",
		Middlewares: huma.Middlewares{allowAnyOrigin},
	}, s.getPublicEvent)
}

func (s *Server) listPublicEvents(ctx context.Context, in *publicEventsInput) (*publicEventsOutput, error) {
	db := s.d.DB.WithContext(ctx)
	now := s.d.Now().UTC()
	q := db.Preload("Organization").Where("events.status IN ?", publicStatuses)
	if in.Organization != "" {
		q = q.Where("events.organization_id IN (?)", db.Model(&models.Organization{}).Select("id").Where("slug = ?", in.Organization))
	}
	cmp, dir := ">", "ASC"
	if in.Past {
		q, cmp, dir = q.Where("events.ends_at < ?", now), "<", "DESC"
	} else {
		q = q.Where("events.ends_at >= ?", now)
	}
	if in.Cursor != "" {
		c, err := parseCursor(in.Cursor)
		if err != nil {
			return nil, huma.Error422UnprocessableEntity("The cursor is not one this API gave.", &huma.ErrorDetail{Location: "query.cursor", Message: "not a cursor from next_cursor", Value: in.Cursor})
		}
		q = q.Where("(events.starts_at "+cmp+" ? OR (events.starts_at = ? AND events.id "+cmp+" ?))", c.at, c.at, c.id)
	}
	limit := in.Limit
	if limit <= 0 {
		limit = 50
	}
	var evs []models.Event
	if err := q.Order("events.starts_at " + dir).Order("events.id " + dir).Limit(limit + 1).Find(&evs).Error; err != nil {
		return nil, s.internal("public events", err)
	}
	out := &publicEventsOutput{CacheControl: publicCache}
	if len(evs) > limit {
		evs = evs[:limit]
		last := evs[len(evs)-1]
		out.Body.NextCursor = cursor{at: last.StartsAt.UTC(), id: last.ID}.String()
	}
	cts, err := models.LoadContents(db, evs, "")
	if err != nil {
		return nil, s.internal("public events: texts", err)
	}
	out.Body.Items = make([]PublicEvent, 0, len(evs))
	for _, e := range evs {
		out.Body.Items = append(out.Body.Items, s.publicEventJSON(e, cts[e.ID]))
	}
	return out, nil
}

func (s *Server) publicEventJSON(e models.Event, ct *models.Content) PublicEvent {
	return PublicEvent{Event: s.eventJSON(e, ct), Organization: PublicOrganization{Slug: e.Organization.Slug, Name: e.Organization.Name}}
}

func (s *Server) getPublicEvent(ctx context.Context, in *publicEventInput) (*publicEventOutput, error) {
	db := s.d.DB.WithContext(ctx)
	e, err := models.PublicEventBySlug(db, in.Slug)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, huma.Error404NotFound("No published event with this slug.")
	}
	if err != nil {
		return nil, s.internal("public event", err)
	}
	ct, err := models.LoadContent(db, e, "")
	if err != nil {
		return nil, s.internal("public event texts", err)
	}
	ag, err := models.LoadAgenda(db, e.ID)
	if err != nil {
		return nil, s.internal("public event agenda", err)
	}
	tts, err := models.TicketTypesOf(db, e.ID)
	if err != nil {
		return nil, s.internal("public event tickets", err)
	}
	langs := e.LanguageList()
	d := PublicEventDetail{PublicEvent: s.publicEventJSON(*e, ct), Sessions: make([]Session, 0, len(ag.Sessions)), Rooms: make([]Room, 0, len(ag.Rooms)),
		Tracks: make([]Track, 0, len(ag.Tracks)), Speakers: make([]Speaker, 0, len(ag.Speakers)), TicketTypes: []TicketType{}}
	bySpeaker := map[uint][]uint{}
	for _, x := range ag.Sessions {
		d.Sessions = append(d.Sessions, sessionJSON(x, ct, langs))
		for _, sp := range x.Speakers {
			bySpeaker[sp.ID] = append(bySpeaker[sp.ID], x.ID)
		}
	}
	for _, x := range ag.Rooms {
		d.Rooms = append(d.Rooms, roomJSON(x, ct, langs))
	}
	for _, x := range ag.Tracks {
		d.Tracks = append(d.Tracks, trackJSON(x, ct, langs))
	}
	for _, x := range ag.Speakers {
		d.Speakers = append(d.Speakers, speakerJSON(x, ct, langs, bySpeaker[x.ID]))
	}
	for _, t := range tts {
		if !t.Hidden {
			d.TicketTypes = append(d.TicketTypes, s.ticketTypeJSON(t, e, ct, langs))
		}
	}
	return &publicEventOutput{CacheControl: publicCache, Body: d}, nil
}
