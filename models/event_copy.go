package models

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// CopyEventInput names the new event: its title, slug and start. StartsAt
// is an instant (UTC or any zone); every other date of the copy moves with it.
type CopyEventInput struct {
	Title    string
	Slug     string
	StartsAt time.Time
}

// Errors of CopyEvent beside ErrSlugTaken; each is a message beside a field.
var (
	ErrCopyTitleRequired = errors.New("the copy needs a title")
	ErrCopySlugInvalid   = errors.New("the slug is not a valid slug")
	ErrCopyStartRequired = errors.New("the copy needs a start")
)

// dateShift moves times by the wall-clock distance between two starts in
// one time zone, so 09:00 stays 09:00 even when the copy falls on the other
// side of a daylight-saving change.
type dateShift struct {
	loc   *time.Location
	delta time.Duration // between the two starts as wall-clock readings
}

// wall reads t in the zone as if those digits were UTC.
func (s dateShift) wall(t time.Time) time.Time {
	l := t.In(s.loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
}

func newDateShift(loc *time.Location, from, to time.Time) dateShift {
	s := dateShift{loc: loc}
	s.delta = s.wall(to).Sub(s.wall(from))
	return s
}

// at returns t moved, in UTC.
func (s dateShift) at(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	w := s.wall(t).Add(s.delta)
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), s.loc).UTC()
}

func (s dateShift) ptr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := s.at(*t)
	return &v
}

// CopyEvent makes a new draft event of the source's organization from
// event srcID: its texts, place, capacity, time zone and payment settings;
// ticket types (no places taken), questions, the current consent texts
// (version 1 of the copy), rooms, tracks, speakers, sessions with their
// speakers, and the networking set-up (settings, blocks with their slots
// made again, tables and rooms). Every date moves by the wall-clock
// distance from the old start to in.StartsAt in the event's time zone.
// People are never copied: no orders, attendees, waitlist, participants,
// meetings or check-ins. Vouchers are not copied either: their codes are
// handed to particular people for a particular edition.
// All of it happens in one transaction; a slug in use is ErrSlugTaken.
func CopyEvent(db *gorm.DB, srcID uint, in CopyEventInput) (*Event, error) {
	in.Title, in.Slug = strings.TrimSpace(in.Title), strings.TrimSpace(in.Slug)
	switch {
	case in.Title == "":
		return nil, ErrCopyTitleRequired
	case !ValidSlug(in.Slug):
		return nil, ErrCopySlugInvalid
	case in.StartsAt.IsZero():
		return nil, ErrCopyStartRequired
	}
	var out *Event
	err := db.Transaction(func(tx *gorm.DB) error {
		var src Event
		if err := tx.Take(&src, srcID).Error; err != nil {
			return err
		}
		shift := newDateShift(src.Location(), src.StartsAt, in.StartsAt)
		e := &Event{
			OrganizationID: src.OrganizationID, Slug: in.Slug, Kind: src.Kind, Title: in.Title,
			Summary: src.Summary, Description: src.Description, Venue: src.Venue, Address: src.Address, Locality: src.Locality, PostalCode: src.PostalCode, Country: src.Country,
			OnlineURL: src.OnlineURL, TimeZone: src.TimeZone, StartsAt: shift.at(src.StartsAt),
			EndsAt: shift.at(src.EndsAt), Status: StatusDraft, Capacity: src.Capacity,
			RegistrationOpensAt: shift.ptr(src.RegistrationOpensAt), RegistrationClosesAt: shift.ptr(src.RegistrationClosesAt),
			Languages: src.Languages, DefaultLanguage: src.DefaultLanguage,
		}
		if err := CreateEvent(tx, e); err != nil {
			return err
		}
		if err := copyEventTexts(tx, src.ID, e.ID); err != nil {
			return err
		}
		c := eventCopier{tx: tx, src: src.ID, dst: e.ID, shift: shift, ids: map[string]map[uint]uint{OwnerEventMail: {src.ID: e.ID}}}
		for _, step := range []func() error{c.paymentSettings, c.mailSettings, c.refundPolicy, c.ticketTypes, c.questions, c.consents, c.agenda, c.networking, c.translations, c.picture} {
			if err := step(); err != nil {
				return err
			}
		}
		out = e
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eventCopier copies one kind of row at a time from src to dst, keeping the
// old → new ids of what later rows point at.
type eventCopier struct {
	tx       *gorm.DB
	src, dst uint
	shift    dateShift
	tickets  map[uint]uint
	// ids maps, per translated owner kind, each copied row's old id to its
	// new one, so the copy's texts in other languages follow it.
	ids map[string]map[uint]uint
}

// copied records that the row old of owner kind became to.
func (c *eventCopier) copied(kind string, old, to uint) {
	if c.ids[kind] == nil {
		c.ids[kind] = map[uint]uint{}
	}
	c.ids[kind][old] = to
}

func (c *eventCopier) paymentSettings() error {
	s, err := PaymentSettings(c.tx, c.src)
	if err != nil {
		return fmt.Errorf("copy payment settings: %w", err)
	}
	s.ID = c.dst
	return SavePaymentSettings(c.tx, s)
}

func (c *eventCopier) ticketTypes() error {
	ts, err := TicketTypesOf(c.tx, c.src)
	if err != nil {
		return err
	}
	c.tickets = map[uint]uint{}
	for _, t := range ts {
		old := t.ID
		t.ID, t.EventID, t.PlacesTaken = 0, c.dst, 0
		t.SalesStartAt, t.SalesEndAt = c.shift.ptr(t.SalesStartAt), c.shift.ptr(t.SalesEndAt)
		t.CreatedAt, t.UpdatedAt = time.Time{}, time.Time{}
		if err := c.tx.Create(&t).Error; err != nil {
			return fmt.Errorf("copy ticket type: %w", err)
		}
		c.tickets[old] = t.ID
		c.copied(OwnerTicketType, old, t.ID)
	}
	return nil
}

func (c *eventCopier) questions() error {
	qs, err := QuestionsOf(c.tx, c.src)
	if err != nil {
		return err
	}
	for _, q := range qs {
		old := q.ID
		q.ID, q.EventID = 0, c.dst
		q.CreatedAt, q.UpdatedAt = time.Time{}, time.Time{}
		if err := c.tx.Create(&q).Error; err != nil {
			return fmt.Errorf("copy question: %w", err)
		}
		c.copied(OwnerQuestion, old, q.ID)
	}
	return nil
}

// consents copies the current text of each kind as the copy's version 1:
// what people agree to next year starts its own history.
func (c *eventCopier) consents() error {
	cs, err := CurrentConsentTexts(c.tx, c.src)
	if err != nil {
		return err
	}
	for _, ct := range cs {
		n := ConsentText{EventID: c.dst, Kind: ct.Kind, Version: 1, Body: ct.Body}
		if err := c.tx.Create(&n).Error; err != nil {
			return fmt.Errorf("copy consent text: %w", err)
		}
		c.copied(OwnerConsentText, ct.ID, n.ID)
	}
	return nil
}

func (c *eventCopier) agenda() error {
	ag, err := LoadAgenda(c.tx, c.src)
	if err != nil {
		return err
	}
	rooms, tracks, speakers := map[uint]uint{}, map[uint]uint{}, map[uint]uint{}
	for _, r := range ag.Rooms {
		old := r.ID
		r.ID, r.EventID = 0, c.dst
		if err := c.tx.Create(&r).Error; err != nil {
			return fmt.Errorf("copy room: %w", err)
		}
		rooms[old] = r.ID
		c.copied(OwnerRoom, old, r.ID)
	}
	for _, t := range ag.Tracks {
		old := t.ID
		t.ID, t.EventID = 0, c.dst
		if err := c.tx.Create(&t).Error; err != nil {
			return fmt.Errorf("copy track: %w", err)
		}
		tracks[old] = t.ID
		c.copied(OwnerTrack, old, t.ID)
	}
	for _, s := range ag.Speakers {
		old := s.ID
		s.ID, s.EventID = 0, c.dst
		if err := c.tx.Create(&s).Error; err != nil {
			return fmt.Errorf("copy speaker: %w", err)
		}
		speakers[old] = s.ID
		c.copied(OwnerSpeaker, old, s.ID)
	}
	remap := func(id *uint, m map[uint]uint) *uint {
		if id == nil {
			return nil
		}
		if n, ok := m[*id]; ok {
			return &n
		}
		return nil
	}
	for _, s := range ag.Sessions {
		n := Session{EventID: c.dst, Title: s.Title, Description: s.Description, Format: s.Format,
			StartsAt: c.shift.at(s.StartsAt), EndsAt: c.shift.at(s.EndsAt), RoomID: remap(s.RoomID, rooms),
			TrackID: remap(s.TrackID, tracks), Capacity: s.Capacity, SignUp: s.SignUp}
		if err := c.tx.Omit("Room", "Track", "Speakers").Create(&n).Error; err != nil {
			return fmt.Errorf("copy session: %w", err)
		}
		c.copied(OwnerSession, s.ID, n.ID)
		var ids []uint
		for _, sp := range s.Speakers {
			if id, ok := speakers[sp.ID]; ok {
				ids = append(ids, id)
			}
		}
		if err := setSessionSpeakers(c.tx, n.ID, ids); err != nil {
			return fmt.Errorf("copy session speakers: %w", err)
		}
	}
	return nil
}

// networking copies the settings (eligible ticket types remapped), the
// blocks, whose slots are cut again by SlotTimes, and the locations.
func (c *eventCopier) networking() error {
	var set NetworkingSetting
	err := c.tx.Where("event_id = ?", c.src).Take(&set).Error
	switch {
	case err == nil:
		var ids []string
		for _, id := range set.TicketTypeList() {
			if n, ok := c.tickets[id]; ok {
				ids = append(ids, strconv.FormatUint(uint64(n), 10))
			}
		}
		set.EventID, set.TicketTypeIDs, set.UpdatedAt = c.dst, strings.Join(ids, ","), time.Time{}
		if err := c.tx.Create(&set).Error; err != nil {
			return fmt.Errorf("copy networking settings: %w", err)
		}
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return err
	}
	blocks, err := EventBlocks(c.tx, c.src)
	if err != nil {
		return err
	}
	for _, b := range blocks {
		nb := MeetingBlock{EventID: c.dst, StartsAt: c.shift.at(b.StartsAt), EndsAt: c.shift.at(b.EndsAt),
			SlotMinutes: b.SlotMinutes, BreakMinutes: b.BreakMinutes}
		if len(SlotTimes(nb.StartsAt, nb.EndsAt, time.Duration(nb.SlotMinutes)*time.Minute, time.Duration(nb.BreakMinutes)*time.Minute)) == 0 {
			continue // shrunk by a clock change to less than a slot: nothing to meet in
		}
		if err := AddMeetingBlock(c.tx, &nb); err != nil {
			return fmt.Errorf("copy meeting block: %w", err)
		}
	}
	locs, err := EventLocations(c.tx, c.src)
	if err != nil {
		return err
	}
	for _, l := range locs {
		l.ID, l.EventID = 0, c.dst
		if err := c.tx.Create(&l).Error; err != nil {
			return fmt.Errorf("copy meeting location: %w", err)
		}
	}
	return nil
}

// translations copies the other-language texts of every row copied above
// (sessions, speakers, rooms, tracks, ticket types, questions and their
// choices, consent texts, mail texts) onto the copies. The event's own
// summary and description came with the event (copyEventTexts); messages are
// not copied, nor their versions.
func (c *eventCopier) translations() error {
	var rows []Translation
	if err := c.tx.Where("event_id = ? AND owner_kind <> ?", c.src, OwnerEvent).Order("id").Find(&rows).Error; err != nil {
		return fmt.Errorf("copy translations: %w", err)
	}
	for _, r := range rows {
		n, ok := c.ids[r.OwnerKind][r.OwnerID]
		if !ok {
			continue
		}
		r.ID, r.EventID, r.OwnerID, r.UpdatedAt = 0, c.dst, n, time.Time{}
		if err := c.tx.Create(&r).Error; err != nil {
			return fmt.Errorf("copy translations: %w", err)
		}
	}
	return nil
}
