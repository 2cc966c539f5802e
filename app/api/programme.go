package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

type programmeListInput struct {
	EventID uint `path:"event_id"`
	IDListQuery
}

type ticketTypesInput struct {
	EventID uint `path:"event_id"`
	ListQuery
}

// programmeRoutes declares the event's programme: sessions, rooms,
// speakers, tracks and ticket types with what is left of them.
func (s *Server) programmeRoutes() {
	op := func(id, path, summary, desc string) huma.Operation {
		return huma.Operation{OperationID: id, Method: http.MethodGet, Path: "/events/{event_id}/" + path, Tags: []string{"Programme"},
			Summary: summary, Description: desc, Security: needs(models.ScopeEventsRead)}
	}
	const byID = " Ordered by id; no changed_since, as these rows keep no change time (read the list again to sync)."
	huma.Register(s.api, op("list-sessions", "sessions", "List the event's sessions", "The programme's sessions with their speakers' ids."+byID), s.listSessions)
	huma.Register(s.api, op("list-rooms", "rooms", "List the event's rooms", "Rooms of the venue."+byID), s.listRooms)
	huma.Register(s.api, op("list-speakers", "speakers", "List the event's speakers", "Speakers with the sessions they speak in."+byID), s.listSpeakers)
	huma.Register(s.api, op("list-tracks", "tracks", "List the event's tracks", "Themes grouping sessions."+byID), s.listTracks)
	huma.Register(s.api, op("list-ticket-types", "ticket-types", "List the event's ticket types with availability",
		"Every ticket type, hidden ones included, with places left now. changed_since follows changes to the ticket type itself; "+
			"places taken change without touching updated_at, so read the list again for fresh availability."), s.listTicketTypes)
}

// eventContent loads an event of the token's organization and every
// translation of its texts.
func (s *Server) eventContent(ctx context.Context, id uint) (*models.Event, *models.Content, error) {
	e, err := s.orgEvent(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ct, err := models.LoadContent(s.d.DB.WithContext(ctx), e, "")
	if err != nil {
		return nil, nil, s.internal("event texts", err)
	}
	return e, ct, nil
}

// idPaged loads one page of the event's rows of table by id.
func idPaged[T any](ctx context.Context, s *Server, in IDListQuery, table string, eventID uint, prep func(*gorm.DB) *gorm.DB, id func(T) uint) ([]T, string, error) {
	q := s.d.DB.WithContext(ctx).Model(new(T)).Where(table+".event_id = ?", eventID)
	q, err := in.page(q, table)
	if err != nil {
		return nil, "", err
	}
	if prep != nil {
		q = prep(q)
	}
	var rows []T
	if err := q.Find(&rows).Error; err != nil {
		return nil, "", s.internal("list "+table, err)
	}
	rows, next := nextIDCursor(in, rows, id)
	return rows, next, nil
}

func (s *Server) listSessions(ctx context.Context, in *programmeListInput) (*pageOf[Session], error) {
	e, ct, err := s.eventContent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	rows, next, err := idPaged(ctx, s, in.IDListQuery, "sessions", e.ID, func(q *gorm.DB) *gorm.DB {
		return q.Preload("Speakers", func(db *gorm.DB) *gorm.DB { return db.Order("speakers.name, speakers.id") })
	}, func(x models.Session) uint { return x.ID })
	if err != nil {
		return nil, err
	}
	out := make([]Session, 0, len(rows))
	for _, x := range rows {
		out = append(out, sessionJSON(x, ct, e.LanguageList()))
	}
	return newPageOf(out, next), nil
}

func (s *Server) listRooms(ctx context.Context, in *programmeListInput) (*pageOf[Room], error) {
	e, ct, err := s.eventContent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	rows, next, err := idPaged(ctx, s, in.IDListQuery, "rooms", e.ID, nil, func(x models.Room) uint { return x.ID })
	if err != nil {
		return nil, err
	}
	out := make([]Room, 0, len(rows))
	for _, x := range rows {
		out = append(out, roomJSON(x, ct, e.LanguageList()))
	}
	return newPageOf(out, next), nil
}

func (s *Server) listTracks(ctx context.Context, in *programmeListInput) (*pageOf[Track], error) {
	e, ct, err := s.eventContent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	rows, next, err := idPaged(ctx, s, in.IDListQuery, "tracks", e.ID, nil, func(x models.Track) uint { return x.ID })
	if err != nil {
		return nil, err
	}
	out := make([]Track, 0, len(rows))
	for _, x := range rows {
		out = append(out, trackJSON(x, ct, e.LanguageList()))
	}
	return newPageOf(out, next), nil
}

func (s *Server) listSpeakers(ctx context.Context, in *programmeListInput) (*pageOf[Speaker], error) {
	e, ct, err := s.eventContent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	rows, next, err := idPaged(ctx, s, in.IDListQuery, "speakers", e.ID, nil, func(x models.Speaker) uint { return x.ID })
	if err != nil {
		return nil, err
	}
	ids := make([]uint, 0, len(rows))
	for _, x := range rows {
		ids = append(ids, x.ID)
	}
	sessions, err := s.speakerSessions(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Speaker, 0, len(rows))
	for _, x := range rows {
		out = append(out, speakerJSON(x, ct, e.LanguageList(), sessions[x.ID]))
	}
	return newPageOf(out, next), nil
}

// speakerSessions maps each speaker to the sessions they speak in.
func (s *Server) speakerSessions(ctx context.Context, speakerIDs []uint) (map[uint][]uint, error) {
	out := map[uint][]uint{}
	if len(speakerIDs) == 0 {
		return out, nil
	}
	var links []struct{ SessionID, SpeakerID uint }
	if err := s.d.DB.WithContext(ctx).Table("session_speakers").Select("session_id, speaker_id").
		Where("speaker_id IN ?", speakerIDs).Order("session_id").Scan(&links).Error; err != nil {
		return nil, s.internal("speakers' sessions", err)
	}
	for _, l := range links {
		out[l.SpeakerID] = append(out[l.SpeakerID], l.SessionID)
	}
	return out, nil
}

func (s *Server) listTicketTypes(ctx context.Context, in *ticketTypesInput) (*pageOf[TicketType], error) {
	e, ct, err := s.eventContent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	q, err := in.page(s.d.DB.WithContext(ctx).Model(&models.TicketType{}).Where("ticket_types.event_id = ?", e.ID), "ticket_types")
	if err != nil {
		return nil, err
	}
	var rows []models.TicketType
	if err := q.Find(&rows).Error; err != nil {
		return nil, s.internal("list ticket types", err)
	}
	rows, next := nextCursor(in.ListQuery, rows, func(t models.TicketType) (time.Time, uint) { return t.UpdatedAt, t.ID })
	out := make([]TicketType, 0, len(rows))
	for _, t := range rows {
		out = append(out, s.ticketTypeJSON(t, e, ct, e.LanguageList()))
	}
	return newPageOf(out, next), nil
}
