package views

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages the site and its e-mails can be written in, English (the
// catalogue every other language is checked against) first. An operator
// may offer fewer (AGORA_LANGUAGES); see docs/TRANSLATING.md to add one.
var Languages = []string{"en", "es", "gl", "ca", "el", "fr", "nl"}

// LanguageNames names each language in itself, as the switcher lists it.
var LanguageNames = map[string]string{
	"en": "English", "es": "Español", "gl": "Galego", "ca": "Català",
	"el": "Ελληνικά", "fr": "Français", "nl": "Nederlands",
}

// ParseLanguages reads an operator's list of offered languages ("es,en":
// comma-separated codes, the first the default). Empty means all of them.
// An unknown or repeated code is an error that names it.
func ParseLanguages(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return append([]string(nil), Languages...), nil
	}
	var out []string
	seen := map[string]bool{}
	for _, part := range strings.Split(list, ",") {
		code := strings.ToLower(strings.TrimSpace(part))
		if code == "" {
			continue
		}
		if LanguageNames[code] == "" {
			return nil, fmt.Errorf("unknown language %q: choose from %s", code, strings.Join(Languages, ","))
		}
		if seen[code] {
			return nil, fmt.Errorf("language %q is listed twice", code)
		}
		seen[code] = true
		out = append(out, code)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no language in %q: choose from %s", list, strings.Join(Languages, ","))
	}
	return out, nil
}

// LoadMessages reads every i18n/<lang>/<area>.json message file into one
// bundle; one file per area keeps each part of the site's texts together.
func LoadMessages() (*i18n.Bundle, error) { return loadedMessages() }

// loadedMessages parses the embedded files once per process: they cannot
// change, a bundle is only read once made, and parsing them took a tenth of
// the CPU of a test suite that builds an app per test.
var loadedMessages = sync.OnceValues(parseMessages)

func parseMessages() (*i18n.Bundle, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, lang := range Languages {
		paths, err := fs.Glob(FS, "i18n/"+lang+"/*.json")
		if err != nil || len(paths) == 0 {
			return nil, fmt.Errorf("i18n: no message files for %s", lang)
		}
		for _, p := range paths {
			buf, err := fs.ReadFile(FS, p)
			if err != nil {
				return nil, fmt.Errorf("i18n: %w", err)
			}
			// go-i18n takes the language from the file name: <area>.<lang>.json.
			if _, err := b.ParseMessageFileBytes(buf, strings.TrimSuffix(p, ".json")+"."+lang+".json"); err != nil {
				return nil, fmt.Errorf("i18n %s: %w", p, err)
			}
		}
	}
	return b, nil
}

// Localize renders message id in loc's language. args are name/value pairs
// for the message's template; "Count" also selects the plural form.
func Localize(loc *i18n.Localizer, id string, args ...any) (string, error) {
	return LocalizeIn("", loc, id, args...)
}

// LocalizeIn is Localize for a page or mail in lang: a whole-number Count
// also shows with lang's digit groups ("1 234 places" in French), while
// the plural form is still chosen from the number itself.
func LocalizeIn(lang string, loc *i18n.Localizer, id string, args ...any) (string, error) {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		data := map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			k, _ := args[i].(string)
			data[k] = args[i+1]
			if k == "Count" {
				cfg.PluralCount = args[i+1]
				if n, ok := wholeNumber(args[i+1]); ok && lang != "" && (n >= 1000 || n <= -1000) {
					data[k] = FormatNumber(lang, n)
				}
			}
		}
		cfg.TemplateData = data
	}
	out, err := loc.Localize(cfg)
	var notHere *i18n.MessageNotFoundErr
	if errors.As(err, &notHere) && out != "" {
		// Not translated yet: go-i18n gave the English text, which a person
		// can read better than the id (the catalogue test names the gap).
		return out, nil
	}
	if err != nil && cfg.PluralCount != nil {
		// A message written as one plain string has only the "other" form;
		// a count that asks for "one" (or "few"…) must still find it.
		cfg.PluralCount = nil
		if plain, perr := loc.Localize(cfg); perr == nil {
			return plain, nil
		}
	}
	return out, err
}

func wholeNumber(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case uint:
		return int64(n), true
	}
	return 0, false
}
