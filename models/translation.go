package models

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ContentLanguages are the languages an organizer may write an event's
// content in: the network's languages. They are independent of the
// languages the interface is offered in, so an event can be in Greek before
// the interface is.
var ContentLanguages = []string{"en", "es", "gl", "ca", "el", "fr", "nl"}

// ContentLanguageNames names each content language in itself, for the
// organizers' form labels and the list of an event's versions.
var ContentLanguageNames = map[string]string{
	"en": "English", "es": "Español", "gl": "Galego", "ca": "Català", "el": "Ελληνικά", "fr": "Français", "nl": "Nederlands",
}

// ValidContentLanguage reports whether l is one of ContentLanguages.
func ValidContentLanguage(l string) bool { return CanonicalContentLanguage(l) != "" }

// CanonicalContentLanguage returns the ContentLanguages constant equal to l,
// or "": callers keep the constant, never a borrowed request string.
func CanonicalContentLanguage(l string) string {
	for _, x := range ContentLanguages {
		if x == l {
			return x
		}
	}
	return ""
}

// Owner kinds of translated text.
const (
	OwnerEvent       = "event"
	OwnerSession     = "session"
	OwnerSpeaker     = "speaker"
	OwnerRoom        = "room"
	OwnerTrack       = "track"
	OwnerTicketType  = "ticket_type"
	OwnerQuestion    = "question"
	OwnerConsentText = "consent_text"
	// OwnerEventMail is an event's own mail texts (owner id = event id).
	OwnerEventMail = "event_mail"
)

// Translation is one organizer-written text of an owner in one language
// other than its event's default (whose text is the owner's own column).
// EventID lets all of an event's texts load in one query.
type Translation struct {
	ID        uint   `gorm:"primaryKey"`
	EventID   uint   `gorm:"not null;index"`
	OwnerKind string `gorm:"size:20;not null;uniqueIndex:idx_translation_key,priority:1"`
	OwnerID   uint   `gorm:"not null;uniqueIndex:idx_translation_key,priority:2"`
	Field     string `gorm:"size:40;not null;uniqueIndex:idx_translation_key,priority:3"`
	Lang      string `gorm:"size:8;not null;uniqueIndex:idx_translation_key,priority:4"`
	Text      string `gorm:"type:text;not null"`
	UpdatedAt time.Time
}

// LanguageList returns the event's content languages, default first; an
// event without a list has its default (or English) only.
func (e Event) LanguageList() []string {
	def := e.DefaultLang()
	out := []string{def}
	for _, l := range strings.Split(e.Languages, ",") {
		if c := CanonicalContentLanguage(strings.TrimSpace(l)); c != "" && c != def {
			dup := false
			for _, x := range out {
				dup = dup || x == c
			}
			if !dup {
				out = append(out, c)
			}
		}
	}
	return out
}

// OtherLanguages are the event's content languages besides the default.
func (e Event) OtherLanguages() []string { return e.LanguageList()[1:] }

// DefaultLang is the event's default content language (English when unset).
func (e Event) DefaultLang() string {
	if c := CanonicalContentLanguage(e.DefaultLanguage); c != "" {
		return c
	}
	return ContentLanguages[0]
}

// HasLanguage reports whether the event is written in l.
func (e Event) HasLanguage(l string) bool {
	for _, x := range e.LanguageList() {
		if x == l {
			return true
		}
	}
	return false
}

// JoinLanguages is the stored form of a language list.
func JoinLanguages(langs []string) string { return strings.Join(langs, ",") }

// tkey names one text of one owner.
type tkey struct {
	kind  string
	id    uint
	field string
}

// Content resolves an event's organizer-written texts in one language,
// with fallback to the event's default: the one place pages, e-mails, the
// .ics, CSV headers and the API ask "text X of Y in language L". It is
// loaded with one query per event (LoadContent) and then answers from
// memory, however many fields a page shows.
type Content struct {
	// Asked is the language asked for; Default is the event's default.
	Asked, Default string
	langs          []string
	texts          map[tkey]map[string]string // key → lang → text (translations only)
	base           map[tkey]string            // the default language's text, as seen
	fell           map[tkey]bool              // texts shown in the default instead of Asked
}

// LoadContent loads every translation of the event at once, for lang.
// A language the event is not written in resolves to its default.
func LoadContent(db *gorm.DB, e *Event, lang string) (*Content, error) {
	c := NewContent(e, lang)
	var rows []Translation
	// Messages' versions are not page content (and may be long): not loaded.
	if err := db.Where("event_id = ? AND owner_kind <> ?", e.ID, OwnerMessage).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load translations: %w", err)
	}
	for _, r := range rows {
		c.add(r)
	}
	return c, nil
}

// NewContent is a Content with no translations yet (see LoadContent).
func NewContent(e *Event, lang string) *Content {
	asked := CanonicalContentLanguage(lang)
	if asked == "" {
		asked = e.DefaultLang()
	}
	return &Content{Asked: asked, Default: e.DefaultLang(), langs: e.LanguageList(),
		texts: map[tkey]map[string]string{}, base: map[tkey]string{}, fell: map[tkey]bool{}}
}

func (c *Content) add(r Translation) {
	k := tkey{r.OwnerKind, r.OwnerID, r.Field}
	if c.texts[k] == nil {
		c.texts[k] = map[string]string{}
	}
	c.texts[k][r.Lang] = r.Text
}

func (c *Content) offered(lang string) bool {
	for _, l := range c.langs {
		if l == lang {
			return true
		}
	}
	return false
}

// Text returns the text of field of owner (kind, id) in lang and the
// language it is in: the translation when the event is written in lang and
// it has one, else the default language's text. The default's text is the
// owner's own column, which the Apply helpers (or Base) record; it is never
// empty when that column has text.
func (c *Content) Text(kind string, id uint, field, lang string) (text, shownLang string) {
	k := tkey{kind, id, field}
	if lang != c.Default && c.offered(lang) {
		if t := c.texts[k][lang]; strings.TrimSpace(t) != "" {
			return t, lang
		}
	}
	return c.base[k], c.Default
}

// Translation returns the stored translation of field in lang ("" if none),
// whatever the event's languages: what the organizers' form shows.
func (c *Content) Translation(kind string, id uint, field, lang string) string {
	return c.texts[tkey{kind, id, field}][lang]
}

// Base records the default language's text of a field (the owner's column).
func (c *Content) Base(kind string, id uint, field, text string) {
	c.base[tkey{kind, id, field}] = text
}

// resolve replaces *s (the default's text) with the text in Asked and
// remembers when it fell back. An empty default stays empty: there is
// nothing to show in any language and nothing to note.
func (c *Content) resolve(kind string, id uint, field string, s *string) {
	k := tkey{kind, id, field}
	if _, seen := c.base[k]; !seen { // resolving twice keeps the default's text
		c.base[k] = *s
	}
	t, shown := c.Text(kind, id, field, c.Asked)
	*s = t
	if shown != c.Asked && strings.TrimSpace(t) != "" {
		c.fell[k] = true
	}
}

// FallbackLang is the language the field is shown in when that is not the
// one asked for (pages mark it with lang="…"), else "".
func (c *Content) FallbackLang(kind string, id uint, field string) string {
	if c != nil && c.fell[tkey{kind, id, field}] {
		return c.Default
	}
	return ""
}

// FellBack reports whether any text resolved so far is in the default
// language instead of the one asked: the page says so.
func (c *Content) FellBack() bool { return c != nil && len(c.fell) > 0 }

// ShownLang is the language field of (kind, id) is shown in for Asked.
func (c *Content) ShownLang(kind string, id uint, field string) string {
	k := tkey{kind, id, field}
	if c.Asked != c.Default && c.offered(c.Asked) && strings.TrimSpace(c.texts[k][c.Asked]) != "" {
		return c.Asked
	}
	return c.Default
}

// Event resolves the event's own texts in place.
func (c *Content) Event(e *Event) {
	c.resolve(OwnerEvent, e.ID, "title", &e.Title)
	c.resolve(OwnerEvent, e.ID, "summary", &e.Summary)
	c.resolve(OwnerEvent, e.ID, "description", &e.Description)
	// The venue's name and address: "Palais des Congrès" is
	// "Congrespaleis" to a Dutch speaker, and directions matter most to
	// those who need them in their language.
	c.resolve(OwnerEvent, e.ID, "venue", &e.Venue)
	c.resolve(OwnerEvent, e.ID, "address", &e.Address)
}

// Sessions resolves session titles and descriptions in place.
func (c *Content) Sessions(ss []Session) {
	for i := range ss {
		c.Session(&ss[i])
	}
}

// Session resolves one session's title and description in place.
func (c *Content) Session(s *Session) {
	c.resolve(OwnerSession, s.ID, "title", &s.Title)
	c.resolve(OwnerSession, s.ID, "description", &s.Description)
}

// TicketType resolves a ticket type's name and description in place.
func (c *Content) TicketType(t *TicketType) {
	c.resolve(OwnerTicketType, t.ID, "name", &t.Name)
	c.resolve(OwnerTicketType, t.ID, "description", &t.Description)
}

// Question resolves a question's label in place.
func (c *Content) Question(q *Question) {
	c.resolve(OwnerQuestion, q.ID, "label", &q.Label)
	c.questionChoices(q)
}

// ConsentText resolves a consent text version's body in place.
func (c *Content) ConsentText(t *ConsentText) {
	c.resolve(OwnerConsentText, t.ID, "body", &t.Body)
}

// TranslatedField is one field of one owner, in the languages besides the
// event's default (lang → text; an empty text removes that translation).
type TranslatedField struct {
	Kind  string
	ID    uint
	Field string
	Texts map[string]string
}

// SaveTranslations stores the fields' translations of the event in tx and,
// when that changed anything, bumps the event's version, so cached pages in
// every language render afresh. Empty texts delete their row (the language
// falls back).
func SaveTranslations(tx *gorm.DB, eventID uint, fields ...TranslatedField) error {
	now := time.Now().UTC()
	changed := false
	for _, f := range fields {
		for lang, text := range f.Texts {
			lang = CanonicalContentLanguage(lang)
			if lang == "" {
				continue
			}
			q := tx.Where("owner_kind = ? AND owner_id = ? AND field = ? AND lang = ?", f.Kind, f.ID, f.Field, lang)
			if strings.TrimSpace(text) == "" {
				res := q.Delete(&Translation{})
				if res.Error != nil {
					return fmt.Errorf("delete translation: %w", res.Error)
				}
				changed = changed || res.RowsAffected > 0
				continue
			}
			changed = true
			row := Translation{EventID: eventID, OwnerKind: f.Kind, OwnerID: f.ID, Field: f.Field, Lang: lang, Text: text, UpdatedAt: now}
			err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "owner_kind"}, {Name: "owner_id"}, {Name: "field"}, {Name: "lang"}},
				DoUpdates: clause.AssignmentColumns([]string{"text", "updated_at"}),
			}).Create(&row).Error
			if err != nil {
				return fmt.Errorf("save translation: %w", err)
			}
		}
	}
	if !changed {
		return nil
	}
	return BumpEventVersion(tx, eventID)
}

// SetEventLanguages stores the event's content languages and default.
// Translations of languages no longer listed are kept (not shown), so
// adding a language back brings its texts back.
func SetEventLanguages(tx *gorm.DB, e *Event, def string, langs []string) error {
	before := e.LanguageList()
	e.DefaultLanguage = def
	e.Languages = JoinLanguages(langs)
	e.Languages = JoinLanguages(e.LanguageList())
	if JoinLanguages(before) == e.Languages && e.DefaultLang() == before[0] {
		return nil
	}
	if err := tx.Model(&Event{}).Where("id = ?", e.ID).
		Updates(map[string]any{"languages": e.Languages, "default_language": e.DefaultLanguage}).Error; err != nil {
		return fmt.Errorf("save event languages: %w", err)
	}
	return BumpEventVersion(tx, e.ID)
}

// Agenda resolves the agenda's sessions, rooms, tracks and speaker bios in
// place (also the rooms, tracks and speakers each session carries).
func (c *Content) Agenda(ag *Agenda) {
	room, track, speaker := c.Room, c.Track, c.Speaker
	c.Sessions(ag.Sessions)
	for i := range ag.Sessions {
		s := &ag.Sessions[i]
		if s.Room != nil {
			room(s.Room)
		}
		if s.Track != nil {
			track(s.Track)
		}
		for j := range s.Speakers {
			speaker(&s.Speakers[j])
		}
	}
	for i := range ag.Rooms {
		room(&ag.Rooms[i])
	}
	for i := range ag.Tracks {
		track(&ag.Tracks[i])
	}
	for i := range ag.Speakers {
		speaker(&ag.Speakers[i])
	}
}

// Mark is the language to put in a lang="…" attribute on the field: the
// language it is shown in when that differs from the page's (ui), else "".
// A screen reader then reads a fallback (or a text in a language the
// interface does not offer) with the right voice.
func (c *Content) Mark(kind string, id uint, field, ui string) string {
	if c == nil {
		return ""
	}
	k := tkey{kind, id, field}
	shown := c.Default
	if !c.fell[k] {
		shown = c.ShownLang(kind, id, field)
	}
	if shown == ui {
		return ""
	}
	return shown
}

// Room resolves a room's name in place.
func (c *Content) Room(r *Room) { c.resolve(OwnerRoom, r.ID, "name", &r.Name) }

// Track resolves a track's name in place.
func (c *Content) Track(t *Track) { c.resolve(OwnerTrack, t.ID, "name", &t.Name) }

// Speaker resolves a speaker's bio in place.
func (c *Content) Speaker(s *Speaker) { c.resolve(OwnerSpeaker, s.ID, "bio", &s.Bio) }

// ReminderText resolves the organizers' text of the event's reminder mail.
func (c *Content) ReminderText(eventID uint, text *string) {
	c.resolve(OwnerEventMail, eventID, "reminder_text", text)
}

// copyEventTexts gives a copied event the other languages of its source's
// summary, description, venue and address (the copy's title is new, so its versions are
// not copied). The agenda's, tickets', questions' and consents' versions
// follow their rows (eventCopier.translations).
func copyEventTexts(tx *gorm.DB, srcID, dstID uint) error {
	var rows []Translation
	if err := tx.Where("event_id = ? AND owner_kind = ? AND owner_id = ? AND field IN ?", srcID, OwnerEvent, srcID,
		[]string{"summary", "description", "venue", "address"}).Find(&rows).Error; err != nil {
		return fmt.Errorf("copy translations: %w", err)
	}
	for _, r := range rows {
		r.ID, r.EventID, r.OwnerID = 0, dstID, dstID
		if err := tx.Create(&r).Error; err != nil {
			return fmt.Errorf("copy translations: %w", err)
		}
	}
	return nil
}

// LoadContents is LoadContent for a list of events (a listing page), with
// one query for all of them.
func LoadContents(db *gorm.DB, events []Event, lang string) (map[uint]*Content, error) {
	out := make(map[uint]*Content, len(events))
	ids := make([]uint, 0, len(events))
	for i := range events {
		out[events[i].ID] = NewContent(&events[i], lang)
		ids = append(ids, events[i].ID)
	}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Translation
	if err := db.Where("event_id IN ? AND owner_kind = ?", ids, OwnerEvent).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load translations: %w", err)
	}
	for _, r := range rows {
		out[r.EventID].add(r)
	}
	return out, nil
}
