package app

import (
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

func agendaURL(e *models.Event) string { return eventURL(e) + "/agenda" }

// agendaData holds what the agenda page shows besides its forms.
func (a *App) agendaData(e *models.Event) (fiber.Map, *models.Agenda, error) {
	ag, err := models.LoadAgenda(a.db, e.ID)
	if err != nil {
		return nil, nil, errInternal("load agenda", err)
	}
	clashes := models.Clashes(ag.Sessions)
	titles := map[uint]string{}
	for _, s := range ag.Sessions {
		titles[s.ID] = s.Title
	}
	clashTitles := map[uint][]string{}
	for id, others := range clashes {
		for _, o := range others {
			clashTitles[id] = append(clashTitles[id], titles[o])
		}
	}
	loc := e.Location()
	return fiber.Map{
		"Event": e, "Loc": loc, "Agenda": ag, "Days": models.GroupByDay(ag.Sessions, loc), "Clashes": clashTitles,
		"RoomForm": RoomForm{}, "TrackForm": TrackForm{}, "SpeakerForm": SpeakerForm{},
		"RoomErrors": FieldErrors{}, "TrackErrors": FieldErrors{}, "SpeakerErrors": FieldErrors{},
	}, ag, nil
}

// renderAgenda shows the agenda page; extra replaces one add form and its errors.
func (a *App) renderAgenda(c *fiber.Ctx, status int, e *models.Event, extra fiber.Map) error {
	data, _, err := a.agendaData(e)
	if err != nil {
		return err
	}
	for k, v := range extra {
		data[k] = v
	}
	return a.renderStatus(c, status, "manage/agenda", data)
}

func (a *App) agendaPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	return a.renderAgenda(c, fiber.StatusOK, e, nil)
}

// agendaKind describes one of the small agenda records (room, track, speaker)
// so their create, edit and delete handlers share one implementation.
type agendaKind struct {
	name     string // "room", "track", "speaker": route segment is name+"s"
	table    string
	validate func(c *fiber.Ctx) (form any, errs FieldErrors, cols map[string]any)
	load     func(db *gorm.DB, eventID, id uint) (form any, err error)
	newRow   func(eventID uint, cols map[string]any) any
	model    any
	delete   func(db *gorm.DB, eventID, id uint) error
}

var agendaKinds = []agendaKind{
	{
		name: "room", table: "rooms", model: &models.Room{}, delete: models.DeleteRoom,
		validate: func(c *fiber.Ctx) (any, FieldErrors, map[string]any) {
			f := parseRoomForm(c)
			return f, f.Validate(), f.Columns()
		},
		load: func(db *gorm.DB, eventID, id uint) (any, error) {
			var r models.Room
			err := db.Where("id = ? AND event_id = ?", id, eventID).First(&r).Error
			return roomFormFrom(r), err
		},
		newRow: func(eventID uint, cols map[string]any) any {
			return &models.Room{EventID: eventID, Name: cols["name"].(string), Capacity: cols["capacity"].(int)}
		},
	},
	{
		name: "track", table: "tracks", model: &models.Track{}, delete: models.DeleteTrack,
		validate: func(c *fiber.Ctx) (any, FieldErrors, map[string]any) {
			f := parseTrackForm(c)
			return f, f.Validate(), map[string]any{"name": f.Name}
		},
		load: func(db *gorm.DB, eventID, id uint) (any, error) {
			var t models.Track
			err := db.Where("id = ? AND event_id = ?", id, eventID).First(&t).Error
			return TrackForm{Name: t.Name}, err
		},
		newRow: func(eventID uint, cols map[string]any) any {
			return &models.Track{EventID: eventID, Name: cols["name"].(string)}
		},
	},
	{
		name: "speaker", table: "speakers", model: &models.Speaker{}, delete: models.DeleteSpeaker,
		validate: func(c *fiber.Ctx) (any, FieldErrors, map[string]any) {
			f := parseSpeakerForm(c)
			return f, f.Validate(), f.Columns()
		},
		load: func(db *gorm.DB, eventID, id uint) (any, error) {
			var s models.Speaker
			err := db.Where("id = ? AND event_id = ?", id, eventID).First(&s).Error
			return speakerFormFrom(s), err
		},
		newRow: func(eventID uint, cols map[string]any) any {
			return &models.Speaker{EventID: eventID, Name: cols["name"].(string), Role: cols["role"].(string),
				Organization: cols["organization"].(string), Bio: cols["bio"].(string)}
		},
	},
}

// formKeys are the agenda page's data keys for kind's add form and its errors.
func (k agendaKind) formKeys() (string, string) {
	switch k.name {
	case "room":
		return "RoomForm", "RoomErrors"
	case "track":
		return "TrackForm", "TrackErrors"
	}
	return "SpeakerForm", "SpeakerErrors"
}

func (a *App) createAgendaItem(k agendaKind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		e, _, err := managedEvent(c)
		if err != nil {
			return err
		}
		errs := csrfErrors(c)
		form, ferrs, cols := k.validate(c)
		errs.merge(ferrs)
		if !errs.Any() {
			if err := models.CreateAgendaItem(a.db, e.ID, k.newRow(e.ID, cols)); err != nil {
				return errInternal("create "+k.name, err)
			}
			a.flash(c, k.name+".created")
			return c.Redirect(agendaURL(e)+"#"+k.table, fiber.StatusSeeOther)
		}
		fk, ek := k.formKeys()
		return a.renderAgenda(c, fiber.StatusUnprocessableEntity, e, fiber.Map{fk: form, ek: errs})
	}
}

func (a *App) renderItemEdit(c *fiber.Ctx, status int, e *models.Event, k agendaKind, id uint, form any, tr langTexts, errs FieldErrors) error {
	if tr == nil {
		var err error
		if tr, err = a.storedItemTexts(e, k, id); err != nil {
			return err
		}
	}
	return a.renderStatus(c, status, "manage/agenda_item", withMap(fiber.Map{
		"Event": e, "Kind": k.name, "Form": form, "Errors": errs,
		"Action": fmt.Sprintf("%s/%ss/%d/edit", eventURL(e), k.name, id),
	}, itemLangData(e, k, tr)))
}

func (a *App) editAgendaItem(k agendaKind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		e, _, err := managedEvent(c)
		if err != nil {
			return err
		}
		id := parseID(c.Params("itemID"))
		form, err := k.load(a.db, e.ID, id)
		if err != nil {
			return dbErr("load "+k.name, err)
		}
		return a.renderItemEdit(c, fiber.StatusOK, e, k, id, form, nil, FieldErrors{})
	}
}

func (a *App) updateAgendaItem(k agendaKind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		e, _, err := managedEvent(c)
		if err != nil {
			return err
		}
		id := parseID(c.Params("itemID"))
		if _, err := k.load(a.db, e.ID, id); err != nil {
			return dbErr("load "+k.name, err)
		}
		errs := csrfErrors(c)
		form, ferrs, cols := k.validate(c)
		errs.merge(ferrs)
		tr := parseItemTexts(c, e, k, errs)
		if !errs.Any() {
			if err := a.saveItem(e, k, id, cols, tr); err != nil {
				return dbErr("update "+k.name, err)
			}
			a.flash(c, k.name+".saved")
			return c.Redirect(agendaURL(e)+"#"+k.table, fiber.StatusSeeOther)
		}
		return a.renderItemEdit(c, fiber.StatusUnprocessableEntity, e, k, id, form, tr, errs)
	}
}

func (a *App) deleteAgendaItem(k agendaKind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		e, _, err := managedEvent(c)
		if err != nil {
			return err
		}
		if err := k.delete(a.db, e.ID, parseID(c.Params("itemID"))); err != nil {
			return dbErr("delete "+k.name, err)
		}
		a.flash(c, k.name+".deleted")
		return c.Redirect(agendaURL(e)+"#"+k.table, fiber.StatusSeeOther)
	}
}

// renderSessionForm shows the new or edit session form.
func (a *App) renderSessionForm(c *fiber.Ctx, status int, e *models.Event, ag *models.Agenda, s *models.Session, f SessionForm, errs FieldErrors) error {
	return a.renderSessionFormTr(c, status, e, ag, s, f, nil, errs)
}

// renderSessionFormTr is renderSessionForm with the other languages' texts
// as typed (nil: as stored).
func (a *App) renderSessionFormTr(c *fiber.Ctx, status int, e *models.Event, ag *models.Agenda, s *models.Session, f SessionForm, tr langTexts, errs FieldErrors) error {
	if tr == nil {
		var id uint
		if s != nil {
			id = s.ID
		}
		var err error
		if tr, err = a.storedLangTexts(e, models.OwnerSession, id, sessionTextFields...); err != nil {
			return err
		}
	}
	action := eventURL(e) + "/sessions"
	if s != nil {
		action = fmt.Sprintf("%s/sessions/%d/edit", eventURL(e), s.ID)
	}
	rooms := make([]selectOption, 0, len(ag.Rooms))
	for _, r := range ag.Rooms {
		rooms = append(rooms, selectOption{Value: itoa(int(r.ID)), Label: r.Name})
	}
	tracks := make([]selectOption, 0, len(ag.Tracks))
	for _, t := range ag.Tracks {
		tracks = append(tracks, selectOption{Value: itoa(int(t.ID)), Label: t.Name})
	}
	return a.renderStatus(c, status, "manage/session_form", fiber.Map{
		"Event": e, "Loc": e.Location(), "Session": s, "Form": f, "Errors": errs, "Action": action,
		"Formats": optionsOf(models.SessionFormats), "Rooms": rooms, "Tracks": tracks, "Speakers": ag.Speakers,
		"Tr": tr, "OtherLangs": e.OtherLanguages(), "LangNames": models.ContentLanguageNames,
	})
}

func (a *App) newSession(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	ag, err := models.LoadAgenda(a.db, e.ID)
	if err != nil {
		return errInternal("load agenda", err)
	}
	loc := e.Location()
	f := SessionForm{Format: models.FormatTalk, StartsAt: e.StartsAt.In(loc).Format("2006-01-02T15:04"),
		EndsAt: e.StartsAt.Add(time.Hour).In(loc).Format("2006-01-02T15:04")}
	return a.renderSessionForm(c, fiber.StatusOK, e, ag, nil, f, FieldErrors{})
}

func (a *App) editSession(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	s, err := models.SessionOfEvent(a.db, e.ID, parseID(c.Params("sid")))
	if err != nil {
		return dbErr("load session", err)
	}
	ag, err := models.LoadAgenda(a.db, e.ID)
	if err != nil {
		return errInternal("load agenda", err)
	}
	return a.renderSessionForm(c, fiber.StatusOK, e, ag, s, sessionFormFrom(s, e.Location()), FieldErrors{})
}

// saveSession handles both the new and the edit form: existing is nil for a new session.
func (a *App) saveSession(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	var existing *models.Session
	if c.Params("sid") != "" {
		if existing, err = models.SessionOfEvent(a.db, e.ID, parseID(c.Params("sid"))); err != nil {
			return dbErr("load session", err)
		}
	}
	ag, err := models.LoadAgenda(a.db, e.ID)
	if err != nil {
		return errInternal("load agenda", err)
	}
	errs := csrfErrors(c)
	f := parseSessionForm(c)
	errs.merge(f.Validate(e, ag))
	tr := parseLangTexts(c, e.OtherLanguages(), sessionTextFields...)
	tr.validate(errs, map[string]int{"title": maxSessionTitle, "description": maxSessionDescription})
	if !errs.Any() {
		s := &models.Session{}
		if existing != nil {
			s.ID = existing.ID
		}
		ids := f.Apply(e, s)
		err = a.db.Transaction(func(tx *gorm.DB) error {
			var err error
			if existing == nil {
				err = models.CreateSession(tx, s, ids)
			} else {
				err = models.UpdateSession(tx, s, ids)
			}
			if err != nil {
				return err
			}
			return models.SaveTranslations(tx, e.ID, tr.fields(models.OwnerSession, s.ID)...)
		})
		switch {
		case errors.Is(err, models.ErrNotInEvent):
			// A room, track or speaker vanished (or was never the event's) between the check and the write.
			errs.Add(formErrorKey, "session.links_changed")
		case err != nil:
			return errInternal("save session", err)
		default:
			a.flash(c, a.sessionSavedFlash(e.ID, s.ID))
			return c.Redirect(agendaURL(e)+fmt.Sprintf("#s-%d", s.ID), fiber.StatusSeeOther)
		}
	}
	return a.renderSessionFormTr(c, fiber.StatusUnprocessableEntity, e, ag, existing, f, tr, errs)
}

// sessionTextFields are a session's texts written per language.
var sessionTextFields = []string{"title", "description"}

// sessionSavedFlash warns when the saved session shares its room with
// another at the same time: allowed, but rarely meant.
func (a *App) sessionSavedFlash(eventID, sessionID uint) string {
	ag, err := models.LoadAgenda(a.db, eventID)
	if err == nil && len(models.Clashes(ag.Sessions)[sessionID]) > 0 {
		return "session.saved_with_clash"
	}
	return "session.saved"
}

func (a *App) deleteSession(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	if err := models.DeleteSession(a.db, e.ID, parseID(c.Params("sid"))); err != nil {
		return dbErr("delete session", err)
	}
	a.flash(c, "session.deleted")
	return c.Redirect(agendaURL(e), fiber.StatusSeeOther)
}
