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

// One-to-one meetings. Who may be seen follows the directory's rule
// (models.ListedParticipants): a participant who left networking or
// withdrew the directory consent is not listed, and in meetings and
// requests appears only by id, as not listed.

// Participant is a listed networking profile: what the directory shows.
type Participant struct {
	ID            uint      `json:"id" doc:"The participant's id (used in meetings and requests)."`
	AttendeeID    uint      `json:"attendee_id" doc:"The attendee (registration) this is about."`
	Name          string    `json:"name" doc:"The attendee's name."`
	Organization  string    `json:"organization,omitempty" doc:"As they wrote it in their profile."`
	Role          string    `json:"role,omitempty" doc:"As they wrote it."`
	Country       string    `json:"country,omitempty" doc:"As they wrote it."`
	Category      string    `json:"category,omitempty" doc:"Participant category of their registration."`
	Bio           string    `json:"bio,omitempty" doc:"About them, as they wrote it."`
	Interests     []string  `json:"interests" doc:"Topics from the event's list."`
	Offers        string    `json:"offers,omitempty" doc:"What they offer."`
	Needs         string    `json:"needs,omitempty" doc:"What they look for."`
	MeetingsCount int       `json:"meetings_count" doc:"Booked (active) meetings."`
	CreatedAt     time.Time `json:"created_at" doc:"When the record was made."`
	UpdatedAt     time.Time `json:"updated_at" doc:"When the record last changed (the order of the list and of changed_since)."`
}

// ParticipantRef names a side of a meeting or request: a listed
// participant by name, an unlisted one by id only.
type ParticipantRef struct {
	ID           uint   `json:"id" doc:"The participant's id."`
	Listed       bool   `json:"listed" doc:"False when the person left networking or withdrew the directory consent: no name is given."`
	Name         string `json:"name,omitempty" doc:"Given only when listed."`
	Organization string `json:"organization,omitempty" doc:"Given only when listed."`
}

// MeetingSlot is one time in which meetings happen.
type MeetingSlot struct {
	ID       uint      `json:"id" doc:"The slot's id."`
	BlockID  uint      `json:"block_id" doc:"The block the slot was cut from."`
	StartsAt time.Time `json:"starts_at" doc:"Start, UTC."`
	EndsAt   time.Time `json:"ends_at" doc:"End, UTC."`
}

// MeetingBlock is a time window cut into slots.
type MeetingBlock struct {
	ID           uint      `json:"id" doc:"The block's id."`
	StartsAt     time.Time `json:"starts_at" doc:"Start, UTC."`
	EndsAt       time.Time `json:"ends_at" doc:"End, UTC."`
	SlotMinutes  int       `json:"slot_minutes" doc:"Length of each slot."`
	BreakMinutes int       `json:"break_minutes" doc:"Break between slots."`
	CreatedAt    time.Time `json:"created_at" doc:"When the block was made."`
}

// MeetingLocation is a table or room, or an online location.
type MeetingLocation struct {
	ID       uint   `json:"id" doc:"The location's id."`
	Name     string `json:"name" doc:"'Table 4', a room, or an online location."`
	Online   bool   `json:"online" doc:"Each meeting there gets its own online room."`
	Position int    `json:"position" doc:"Display order."`
	// Only the locations listing fills it (read-only: organizers close tables on the site).
	ClosedSlotIDs []uint `json:"closed_slot_ids,omitempty" doc:"In the locations listing: the slots in which the organizer closed this table, so no meeting is placed there; absent when none."`
}

// Meeting is two participants at one location in one slot.
type Meeting struct {
	ID          uint            `json:"id" doc:"The meeting's id."`
	Status      string          `json:"status" enum:"active,cancelled" doc:"Booked (active) or cancelled."`
	Slot        MeetingSlot     `json:"slot" doc:"When."`
	Location    MeetingLocation `json:"location" doc:"Where."`
	A           ParticipantRef  `json:"a" doc:"One side."`
	B           ParticipantRef  `json:"b" doc:"The other side."`
	Source      string          `json:"source" enum:"request,organizer,scheduler" doc:"Booked by accepting a request, by the organizers, or by the scheduler."`
	RequestID   *uint           `json:"request_id,omitempty" doc:"The request that booked it."`
	NoShowA     bool            `json:"no_show_a" doc:"Side a did not come."`
	NoShowB     bool            `json:"no_show_b" doc:"Side b did not come."`
	CancelledAt *time.Time      `json:"cancelled_at,omitempty" doc:"When it was cancelled."`
	CreatedAt   time.Time       `json:"created_at" doc:"When the record was made."`
	UpdatedAt   time.Time       `json:"updated_at" doc:"When the record last changed (the order of the list and of changed_since)."`
}

// MeetingRequest is one participant asking another to meet in a slot. The
// message between them is theirs and is not given.
type MeetingRequest struct {
	ID         uint           `json:"id" doc:"The request's id."`
	From       ParticipantRef `json:"from" doc:"Who asks."`
	To         ParticipantRef `json:"to" doc:"Who is asked."`
	Slot       MeetingSlot    `json:"slot" doc:"The slot asked for."`
	Status     string         `json:"status" enum:"pending,accepted,declined,cancelled,expired,countered" doc:"Where the request stands."`
	ExpiresAt  time.Time      `json:"expires_at" doc:"A pending request expires then."`
	MeetingID  *uint          `json:"meeting_id,omitempty" doc:"The meeting an accepted request booked."`
	ReplacesID *uint          `json:"replaces_id,omitempty" doc:"The request this one answers with another slot."`
	CreatedAt  time.Time      `json:"created_at" doc:"When the record was made."`
	UpdatedAt  time.Time      `json:"updated_at" doc:"When the record last changed (the order of the list and of changed_since)."`
}

type meetingsListInput struct {
	EventID uint `path:"event_id"`
	ListQuery
	Status string `query:"status" enum:"active,cancelled" doc:"Only meetings in this status."`
}

type requestsListInput struct {
	EventID uint `path:"event_id"`
	ListQuery
	Status string `query:"status" enum:"pending,accepted,declined,cancelled,expired,countered" doc:"Only requests in this status."`
}

type participantsInput struct {
	EventID uint `path:"event_id"`
	ListQuery
}

type meetingCancelInput struct {
	EventID   uint `path:"event_id"`
	MeetingID uint `path:"meeting_id"`
	// Body is optional: a cancellation needs no reason.
	Body *struct {
		Reason string `json:"reason,omitempty" maxLength:"1000" doc:"Told to both people in the cancellation e-mail."`
	}
}

type noShowInput struct {
	EventID   uint `path:"event_id"`
	MeetingID uint `path:"meeting_id"`
	Body      struct {
		ParticipantID uint `json:"participant_id" doc:"One of the meeting's two participants."`
		NoShow        bool `json:"no_show" doc:"True: did not come; false: clears it."`
	}
}

type meetingOutput struct {
	Body Meeting
}

func (s *Server) meetingRoutes() {
	op := func(id, method, path, summary, desc string) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: "/events/{event_id}/meetings" + path, Tags: []string{"Meetings"},
			Summary: summary, Description: desc, Security: needs(models.ScopeMeetings)}
	}
	const byID = " Ordered by id; no changed_since, as these rows keep no change time."
	huma.Register(s.api, op("list-meeting-participants", http.MethodGet, "/participants", "List the listed networking participants",
		"Profiles of people who opted in and are listed in the directory. Someone who leaves networking or withdraws the directory consent drops out of this list."), s.listParticipants)
	huma.Register(s.api, op("list-meeting-requests", http.MethodGet, "/requests", "List meeting requests",
		"Every request with its status; the people's message is not given."), s.listMeetingRequests)
	huma.Register(s.api, op("list-meetings", http.MethodGet, "", "List meetings", "Booked and cancelled meetings with slot time and location."), s.listMeetings)
	huma.Register(s.api, op("list-meeting-slots", http.MethodGet, "/slots", "List meeting slots", "The times meetings happen in."+byID), s.listMeetingSlots)
	huma.Register(s.api, op("list-meeting-blocks", http.MethodGet, "/blocks", "List meeting blocks", "Time windows cut into slots."+byID), s.listMeetingBlocks)
	huma.Register(s.api, op("list-meeting-locations", http.MethodGet, "/locations", "List meeting locations", "Tables, rooms and online locations."+byID), s.listMeetingLocations)
	huma.Register(s.api, op("cancel-meeting", http.MethodPost, "/{meeting_id}/cancel", "Cancel a meeting",
		"As the organizers cancel it: both people are told by e-mail and their slot is free again. A meeting already cancelled is 409."), s.cancelMeeting)
	huma.Register(s.api, op("set-meeting-no-show", http.MethodPost, "/{meeting_id}/no-show", "Record whether a participant came",
		"Marks (or clears) that one side of the meeting did not come; participant_id must be one of its two sides."), s.setNoShow)
}

func participantJSON(p models.MeetingParticipant) Participant {
	interests := p.InterestList()
	if interests == nil {
		interests = []string{}
	}
	return Participant{ID: p.ID, AttendeeID: p.AttendeeID, Name: p.Name, Organization: p.Organization, Role: p.Role, Country: p.Country,
		Category: p.Category, Bio: p.Bio, Interests: interests, Offers: p.Offers, Needs: p.Needs, MeetingsCount: p.MeetingsCount,
		CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC()}
}

func (s *Server) listParticipants(ctx context.Context, in *participantsInput) (*pageOf[Participant], error) {
	e, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	// Listed = active, the rule ListedParticipants reads.
	q, err := in.page(s.d.DB.WithContext(ctx).Model(&models.MeetingParticipant{}).
		Where("meeting_participants.event_id = ? AND meeting_participants.active = ?", e.ID, true), "meeting_participants")
	if err != nil {
		return nil, err
	}
	var rows []models.MeetingParticipant
	if err := q.Find(&rows).Error; err != nil {
		return nil, s.internal("list participants", err)
	}
	rows, next := nextCursor(in.ListQuery, rows, func(p models.MeetingParticipant) (time.Time, uint) { return p.UpdatedAt, p.ID })
	out := make([]Participant, 0, len(rows))
	for _, p := range rows {
		out = append(out, participantJSON(p))
	}
	return newPageOf(out, next), nil
}

// participantRefs loads the sides named by ids, listed ones with their name.
func (s *Server) participantRefs(ctx context.Context, eventID uint, ids []uint) (map[uint]ParticipantRef, error) {
	out := make(map[uint]ParticipantRef, len(ids))
	for _, id := range ids {
		out[id] = ParticipantRef{ID: id}
	}
	if len(ids) == 0 {
		return out, nil
	}
	var ps []models.MeetingParticipant
	if err := s.d.DB.WithContext(ctx).Select("id", "name", "organization").
		Where("event_id = ? AND active = ? AND id IN ?", eventID, true, ids).Find(&ps).Error; err != nil {
		return nil, s.internal("meeting participants", err)
	}
	for _, p := range ps {
		out[p.ID] = ParticipantRef{ID: p.ID, Listed: true, Name: p.Name, Organization: p.Organization}
	}
	return out, nil
}

func slotJSON(sl models.MeetingSlot) MeetingSlot {
	return MeetingSlot{ID: sl.ID, BlockID: sl.BlockID, StartsAt: sl.StartsAt.UTC(), EndsAt: sl.EndsAt.UTC()}
}

func locationJSON(l models.MeetingLocation) MeetingLocation {
	return MeetingLocation{ID: l.ID, Name: l.Name, Online: l.Online, Position: l.Position}
}

func meetingJSON(m models.Meeting, refs map[uint]ParticipantRef) Meeting {
	return Meeting{ID: m.ID, Status: m.Status, Slot: slotJSON(m.Slot), Location: locationJSON(m.Location),
		A: refs[m.AParticipantID], B: refs[m.BParticipantID], Source: m.Source, RequestID: m.RequestID, NoShowA: m.NoShowA, NoShowB: m.NoShowB,
		CancelledAt: m.CancelledAt, CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC()}
}

func (s *Server) listMeetings(ctx context.Context, in *meetingsListInput) (*pageOf[Meeting], error) {
	e, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	q := s.d.DB.WithContext(ctx).Model(&models.Meeting{}).Where("meetings.event_id = ?", e.ID)
	if in.Status != "" {
		q = q.Where("meetings.status = ?", in.Status)
	}
	q, err = in.page(q, "meetings")
	if err != nil {
		return nil, err
	}
	var rows []models.Meeting
	if err := q.Preload("Slot").Preload("Location").Find(&rows).Error; err != nil {
		return nil, s.internal("list meetings", err)
	}
	rows, next := nextCursor(in.ListQuery, rows, func(m models.Meeting) (time.Time, uint) { return m.UpdatedAt, m.ID })
	ids := make([]uint, 0, 2*len(rows))
	for _, m := range rows {
		ids = append(ids, m.AParticipantID, m.BParticipantID)
	}
	refs, err := s.participantRefs(ctx, e.ID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Meeting, 0, len(rows))
	for _, m := range rows {
		out = append(out, meetingJSON(m, refs))
	}
	return newPageOf(out, next), nil
}

func (s *Server) listMeetingRequests(ctx context.Context, in *requestsListInput) (*pageOf[MeetingRequest], error) {
	e, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	q := s.d.DB.WithContext(ctx).Model(&models.MeetingRequest{}).Where("meeting_requests.event_id = ?", e.ID)
	if in.Status != "" {
		q = q.Where("meeting_requests.status = ?", in.Status)
	}
	q, err = in.page(q, "meeting_requests")
	if err != nil {
		return nil, err
	}
	var rows []models.MeetingRequest
	if err := q.Preload("Slot").Find(&rows).Error; err != nil {
		return nil, s.internal("list meeting requests", err)
	}
	rows, next := nextCursor(in.ListQuery, rows, func(r models.MeetingRequest) (time.Time, uint) { return r.UpdatedAt, r.ID })
	ids := make([]uint, 0, 2*len(rows))
	for _, r := range rows {
		ids = append(ids, r.FromParticipantID, r.ToParticipantID)
	}
	refs, err := s.participantRefs(ctx, e.ID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]MeetingRequest, 0, len(rows))
	for _, r := range rows {
		out = append(out, MeetingRequest{ID: r.ID, From: refs[r.FromParticipantID], To: refs[r.ToParticipantID], Slot: slotJSON(r.Slot),
			Status: r.Status, ExpiresAt: r.ExpiresAt.UTC(), MeetingID: r.MeetingID, ReplacesID: r.ReplacesID,
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()})
	}
	return newPageOf(out, next), nil
}

func (s *Server) listMeetingSlots(ctx context.Context, in *programmeListInput) (*pageOf[MeetingSlot], error) {
	e, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	rows, next, err := idPaged(ctx, s, in.IDListQuery, "meeting_slots", e.ID, nil, func(x models.MeetingSlot) uint { return x.ID })
	if err != nil {
		return nil, err
	}
	out := make([]MeetingSlot, 0, len(rows))
	for _, x := range rows {
		out = append(out, slotJSON(x))
	}
	return newPageOf(out, next), nil
}

func (s *Server) listMeetingBlocks(ctx context.Context, in *programmeListInput) (*pageOf[MeetingBlock], error) {
	e, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	rows, next, err := idPaged(ctx, s, in.IDListQuery, "meeting_blocks", e.ID, nil, func(x models.MeetingBlock) uint { return x.ID })
	if err != nil {
		return nil, err
	}
	out := make([]MeetingBlock, 0, len(rows))
	for _, x := range rows {
		out = append(out, MeetingBlock{ID: x.ID, StartsAt: x.StartsAt.UTC(), EndsAt: x.EndsAt.UTC(), SlotMinutes: x.SlotMinutes,
			BreakMinutes: x.BreakMinutes, CreatedAt: x.CreatedAt.UTC()})
	}
	return newPageOf(out, next), nil
}

func (s *Server) listMeetingLocations(ctx context.Context, in *programmeListInput) (*pageOf[MeetingLocation], error) {
	e, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	rows, next, err := idPaged(ctx, s, in.IDListQuery, "meeting_locations", e.ID, nil, func(x models.MeetingLocation) uint { return x.ID })
	if err != nil {
		return nil, err
	}
	closures, err := models.EventClosures(s.d.DB.WithContext(ctx), e.ID)
	if err != nil {
		return nil, err
	}
	closed := map[uint][]uint{}
	for _, c := range closures {
		closed[c.LocationID] = append(closed[c.LocationID], c.SlotID)
	}
	out := make([]MeetingLocation, 0, len(rows))
	for _, x := range rows {
		l := locationJSON(x)
		l.ClosedSlotIDs = closed[x.ID]
		out = append(out, l)
	}
	return newPageOf(out, next), nil
}

func (s *Server) cancelMeeting(ctx context.Context, in *meetingCancelInput) (*meetingOutput, error) {
	e, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	db := s.d.DB.WithContext(ctx)
	reason := ""
	if in.Body != nil {
		reason = in.Body.Reason
	}
	err = models.CancelMeeting(db, e.ID, 0, in.MeetingID, reason, s.d.Now())
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return nil, huma.Error404NotFound("No meeting with this id in this event.")
	case errors.Is(err, models.ErrMeetingNotActive):
		return nil, huma.Error409Conflict("This meeting is cancelled already.")
	case err != nil:
		return nil, s.internal("cancel meeting", err)
	}
	return s.meetingAnswer(ctx, e.ID, in.MeetingID)
}

// meetingAnswer loads meeting id of the event as the API shows it.
func (s *Server) meetingAnswer(ctx context.Context, eventID, id uint) (*meetingOutput, error) {
	var m models.Meeting
	if err := s.d.DB.WithContext(ctx).Preload("Slot").Preload("Location").Where("id = ? AND event_id = ?", id, eventID).Take(&m).Error; err != nil {
		return nil, s.internal("load meeting", err)
	}
	refs, err := s.participantRefs(ctx, eventID, []uint{m.AParticipantID, m.BParticipantID})
	if err != nil {
		return nil, err
	}
	return &meetingOutput{Body: meetingJSON(m, refs)}, nil
}

func (s *Server) setNoShow(ctx context.Context, in *noShowInput) (*meetingOutput, error) {
	e, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	db := s.d.DB.WithContext(ctx)
	var m models.Meeting
	err = db.Where("id = ? AND event_id = ?", in.MeetingID, e.ID).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, huma.Error404NotFound("No meeting with this id in this event.")
	}
	if err != nil {
		return nil, s.internal("load meeting", err)
	}
	err = models.SetNoShow(db, e.ID, m.ID, in.Body.ParticipantID, in.Body.NoShow)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, huma.Error422UnprocessableEntity("This participant is not one of the meeting's two sides.",
			&huma.ErrorDetail{Location: "body.participant_id", Message: "not a side of this meeting", Value: in.Body.ParticipantID})
	}
	if err != nil {
		return nil, s.internal("set no-show", err)
	}
	return s.meetingAnswer(ctx, e.ID, m.ID)
}
