package app

import (
	"strings"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/agora-events/agora/views"
)

// Languages the interface is offered in, default first.
var Languages = views.Languages

var languageNames = map[string]string{"en": "English", "es": "Español"}

// loadBundle reads the site's messages (views/i18n/<lang>/<area>.json).
func loadBundle() (*i18n.Bundle, error) { return views.LoadMessages() }

// Translator renders messages and dates in one language. Templates call its
// methods: {{$.L.T "events.upcoming"}}, {{$.L.T "events.places" "Count" 3}}.
type Translator struct {
	Lang string
	loc  *i18n.Localizer
}

func newTranslator(b *i18n.Bundle, lang string) *Translator {
	return &Translator{Lang: lang, loc: i18n.NewLocalizer(b, lang, "en")}
}

// T translates id; args are name/value pairs for the message's template.
// "Count" also selects the plural form.
func (t *Translator) T(id string, args ...any) string {
	s, err := views.Localize(t.loc, id, args...)
	if err != nil {
		// A missing message shows its id rather than failing the page; a test
		// checks that every id used exists in every language.
		return id
	}
	return s
}

// Msg translates a form or flash message.
func (t *Translator) Msg(m Message) string {
	args := make([]any, 0, 2*len(m.Data))
	for k, v := range m.Data {
		args = append(args, k, v)
	}
	return t.T(m.ID, args...)
}

// Date formats a day as "Tuesday 3 March 2026" in the translator's language.
func (t *Translator) Date(tm time.Time) string {
	return t.T("date.long", "Weekday", t.T("weekday."+strings.ToLower(tm.Weekday().String())), "Day", tm.Day(),
		"Month", t.T("month."+strings.ToLower(tm.Month().String())), "Year", tm.Year())
}

// ShortDate formats a day as "3 Mar 2026".
func (t *Translator) ShortDate(tm time.Time) string {
	m := t.T("month." + strings.ToLower(tm.Month().String()))
	if r := []rune(m); len(r) > 3 {
		m = string(r[:3])
	}
	return t.T("date.short", "Day", tm.Day(), "Month", m, "Year", tm.Year())
}

// Clock formats a time of day, 24-hour, as used across Europe.
func (t *Translator) Clock(tm time.Time) string { return tm.Format("15:04") }

// pickLanguage chooses from an explicit choice (cookie), then Accept-Language.
func pickLanguage(cookie, acceptLanguage string) string {
	// The canonical string, not the cookie's: Fiber's cookie strings point
	// into a buffer reused by the next request, and the language is kept in
	// cache keys and e-mails.
	for _, l := range Languages {
		if l == cookie {
			return l
		}
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err == nil {
		for _, tag := range tags {
			base, _ := tag.Base()
			if isLanguage(base.String()) {
				return base.String()
			}
		}
	}
	return Languages[0]
}

func isLanguage(s string) bool {
	for _, l := range Languages {
		if l == s {
			return true
		}
	}
	return false
}
