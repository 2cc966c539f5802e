package app

import (
	"strings"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/agora-events/agora/views"
)

// Languages the interface can be written in (English first); each App
// offers cfg.Languages of them, see languageChooser.
var Languages = views.Languages

var languageNames = views.LanguageNames

// loadBundle reads the site's messages (views/i18n/<lang>/<area>.json).
func loadBundle() (*i18n.Bundle, error) { return views.LoadMessages() }

// Translator renders messages and dates in one language. Templates call its
// methods: {{$.L.T "events.upcoming"}}, {{$.L.T "events.places" "Count" 3}}.
type Translator struct {
	Lang   string
	bundle *i18n.Bundle
	loc    *i18n.Localizer // made on the first message not in plainMessages
}

func newTranslator(b *i18n.Bundle, lang string) *Translator {
	return &Translator{Lang: lang, bundle: b}
}

// plainMessages keeps each message without arguments once translated: a
// page shows dozens of labels, and go-i18n runs its template machinery for
// each (a tenth of the registration form's time, issue 17). The bundle is
// read once and never changes, so a translation never goes stale.
var plainMessages sync.Map // plainKey → string

type plainKey struct {
	bundle   *i18n.Bundle
	lang, id string
}

// T translates id; args are name/value pairs for the message's template.
// "Count" also selects the plural form.
func (t *Translator) T(id string, args ...any) string {
	if len(args) == 0 {
		key := plainKey{t.bundle, t.Lang, id}
		if s, ok := plainMessages.Load(key); ok {
			return s.(string)
		}
		s, err := t.localize(id)
		if err == nil {
			// Only ids of the bundle are kept, so the map stays bounded;
			// cloned, since an id may be built from a request's bytes.
			plainMessages.Store(plainKey{t.bundle, t.Lang, strings.Clone(id)}, s)
		}
		return s
	}
	s, _ := t.localize(id, args...)
	return s
}

func (t *Translator) localize(id string, args ...any) (string, error) {
	if t.loc == nil {
		t.loc = i18n.NewLocalizer(t.bundle, t.Lang, "en")
	}
	s, err := views.LocalizeIn(t.Lang, t.loc, id, args...)
	if err != nil {
		// A missing message shows its id rather than failing the page; a test
		// checks that every id used exists in every language.
		return id, err
	}
	return s, nil
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
func (t *Translator) Date(tm time.Time) string { return views.LongDate(t.T, tm) }

// ShortDate formats a day as "3 Mar 2026".
func (t *Translator) ShortDate(tm time.Time) string { return views.ShortDate(t.T, tm) }

// Clock formats a time of day, 24-hour, as used across Europe.
func (t *Translator) Clock(tm time.Time) string { return views.Clock(tm) }

// Money formats minor units with their currency as the language writes
// it: {{$.L.Money .Total .Currency}} shows "1.234,50 €" in Spanish.
func (t *Translator) Money(amount int64, currency string) string {
	return views.FormatMoney(t.Lang, amount, currency)
}

// Number formats a whole number with the language's digit groups.
func (t *Translator) Number(n int64) string { return views.FormatNumber(t.Lang, n) }

// languageChooser picks the language of a request among those the site
// offers (cfg.Languages, default first).
type languageChooser struct {
	offered []string
	matcher language.Matcher
}

func newLanguageChooser(offered []string) languageChooser {
	tags := make([]language.Tag, len(offered))
	for i, l := range offered {
		tags[i] = language.MustParse(l)
	}
	return languageChooser{offered: offered, matcher: language.NewMatcher(tags)}
}

// offers reports whether l is one of the offered languages.
func (lc languageChooser) offers(l string) bool { return contains(lc.offered, l) }

// pick chooses from an explicit choice (cookie), then Accept-Language
// matched by CLDR's rules ("ca-ES" is Catalan, "nl-BE" Dutch), then the
// default. It returns the offered list's own string, not the cookie's:
// Fiber's cookie strings point into a buffer reused by the next request,
// and the language is kept in cache keys and e-mails.
func (lc languageChooser) pick(cookie, acceptLanguage string) string {
	for _, l := range lc.offered {
		if l == cookie {
			return l
		}
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err == nil && len(tags) > 0 {
		if _, i, conf := lc.matcher.Match(tags...); conf != language.No && i >= 0 && i < len(lc.offered) {
			return lc.offered[i]
		}
	}
	return lc.offered[0]
}
