package mail

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/agora-events/agora/views"
)

// languages mail is written in, default first (the same as the site's).
var languages = []string{"en", "es"}

// loadBundle reads every views/i18n/<lang>/*.json file, as the site does,
// so mail shares the site's date and month names.
func loadBundle() (*i18n.Bundle, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, lang := range languages {
		paths, err := fs.Glob(views.FS, "i18n/"+lang+"/*.json")
		if err != nil || len(paths) == 0 {
			return nil, fmt.Errorf("mail i18n: no message files for %s", lang)
		}
		for _, p := range paths {
			buf, err := fs.ReadFile(views.FS, p)
			if err != nil {
				return nil, err
			}
			if _, err := b.ParseMessageFileBytes(buf, strings.TrimSuffix(p, ".json")+"."+lang+".json"); err != nil {
				return nil, fmt.Errorf("mail i18n %s: %w", p, err)
			}
		}
	}
	return b, nil
}

// translator renders messages in one language; templates call {{.L.T "id"}}.
type translator struct {
	Lang string
	loc  *i18n.Localizer
	// missing collects ids without a message, so a test can insist on none.
	missing *[]string
}

func newTranslator(b *i18n.Bundle, lang string) *translator {
	ok := false
	for _, l := range languages {
		ok = ok || l == lang
	}
	if !ok {
		lang = languages[0]
	}
	return &translator{Lang: lang, loc: i18n.NewLocalizer(b, lang, "en"), missing: new([]string)}
}

// T translates id; args are name/value pairs for the message's template.
func (t *translator) T(id string, args ...any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		data := map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			k, _ := args[i].(string)
			data[k] = args[i+1]
			if k == "Count" {
				cfg.PluralCount = args[i+1]
			}
		}
		cfg.TemplateData = data
	}
	s, err := t.loc.Localize(cfg)
	if err != nil {
		*t.missing = append(*t.missing, id)
		return id
	}
	return s
}

// Date formats a day in the translator's language ("Tuesday 3 March 2026").
func (t *translator) Date(tm time.Time) string {
	return t.T("date.long", "Weekday", t.T("weekday."+strings.ToLower(tm.Weekday().String())), "Day", tm.Day(),
		"Month", t.T("month."+strings.ToLower(tm.Month().String())), "Year", tm.Year())
}

// DateTime formats a day and a 24-hour time.
func (t *translator) DateTime(tm time.Time) string { return t.Date(tm) + ", " + tm.Format("15:04") }
