package views

import (
	"strings"
	"testing"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

func TestFormatMoneyFollowsTheLanguage(t *testing.T) {
	cases := []struct {
		lang     string
		minor    int64
		currency string
		want     string
	}{
		{"en", 123450, "EUR", "€1,234.50"},
		{"es", 123450, "EUR", "1.234,50\u00a0€"},
		{"gl", 123450, "EUR", "1.234,50\u00a0€"},
		{"ca", 123450, "EUR", "1.234,50\u00a0€"},
		{"el", 123450, "EUR", "1.234,50\u00a0€"},
		{"fr", 123450, "EUR", "1\u202f234,50\u00a0€"},
		{"nl", 123450, "EUR", "€\u00a01.234,50"},
		{"en", 5, "EUR", "€0.05"},
		{"es", 1250, "eur", "12,50\u00a0€"},
		{"fr", 100000000, "EUR", "1\u202f000\u202f000,00\u00a0€"},
		{"en", -123450, "EUR", "-€1,234.50"},
		{"es", -123450, "EUR", "-1.234,50\u00a0€"},
		{"nl", -123450, "EUR", "€\u00a0-1.234,50"},
		// Other currencies by their CLDR symbol in the language.
		{"en", 123450, "GBP", "£1,234.50"},
		{"fr", 123450, "GBP", "1\u202f234,50\u00a0£GB"},
		{"en", 123450, "CHF", "CHF\u00a01,234.50"},
		{"es", 123450, "USD", "1.234,50\u00a0US$"},
		{"fr", 123450, "USD", "1\u202f234,50\u00a0$US"},
		{"nl", 123450, "SEK", "SEK\u00a01.234,50"},
		{"el", 999, "PLN", "9,99\u00a0PLN"},
		{"en", 1500, "JPY", "¥1,500"},
		{"xx", 123450, "EUR", "€1,234.50"}, // an unknown language writes English
	}
	for _, c := range cases {
		if got := FormatMoney(c.lang, c.minor, c.currency); got != c.want {
			t.Errorf("FormatMoney(%s, %d, %s) = %q, want %q", c.lang, c.minor, c.currency, got, c.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	for _, c := range []struct {
		lang string
		bp   int64
		want string
	}{
		{"en", 2100, "21%"}, {"es", 2100, "21\u00a0%"}, {"fr", 550, "5,5\u202f%"}, {"nl", 1050, "10,5%"},
		{"el", 2400, "24%"}, {"ca", 1005, "10,05\u00a0%"}, {"en", 0, "0%"},
	} {
		if got := FormatPercent(c.lang, c.bp); got != c.want {
			t.Errorf("FormatPercent(%s, %d) = %q, want %q", c.lang, c.bp, got, c.want)
		}
	}
}

func TestFormatNumberGroupsDigits(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 0, "0"}, {"en", 999, "999"}, {"en", 1234, "1,234"}, {"en", -1234567, "-1,234,567"},
		{"es", 1234, "1.234"}, {"nl", 1234567, "1.234.567"}, {"fr", 1234, "1\u202f234"},
		{"en", -9223372036854775808, "-9,223,372,036,854,775,808"},
	} {
		if got := FormatNumber(c.lang, c.n); got != c.want {
			t.Errorf("FormatNumber(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}

// translate is a translator's T on the site's catalogue.
func translate(t *testing.T, lang string) Translate {
	t.Helper()
	b, err := LoadMessages()
	if err != nil {
		t.Fatal(err)
	}
	loc := i18n.NewLocalizer(b, lang, "en")
	return func(id string, args ...any) string {
		s, err := Localize(loc, id, args...)
		if err != nil {
			t.Errorf("%s: %s: %v", lang, id, err)
			return id
		}
		return s
	}
}

func TestDatesInEachLanguage(t *testing.T) {
	march3 := time.Date(2026, 3, 3, 9, 5, 0, 0, time.UTC) // a Tuesday
	april1 := time.Date(2026, 4, 1, 18, 30, 0, 0, time.UTC)
	july14 := time.Date(2026, 7, 14, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		lang, got, want string
	}{
		{"en", LongDate(translate(t, "en"), march3), "Tuesday 3 March 2026"},
		{"es", LongDate(translate(t, "es"), march3), "martes, 3 de marzo de 2026"},
		// Greek writes the month in the genitive inside a date.
		{"el", LongDate(translate(t, "el"), march3), " 3 Μαρτίου 2026"},
		{"el", LongDate(translate(t, "el"), time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)), " 20 Μαΐου 2026"},
		// Catalan elides "de" before a vowel.
		{"ca", LongDate(translate(t, "ca"), april1), ", 1 d’abril de 2026"},
		{"ca", LongDate(translate(t, "ca"), march3), ", 3 de març de 2026"},
		{"gl", LongDate(translate(t, "gl"), july14), ", 14 de xullo de 2026"},
		{"fr", LongDate(translate(t, "fr"), march3), " 3 mars 2026"},
		{"nl", LongDate(translate(t, "nl"), march3), " 3 maart 2026"},
		// Abbreviations are CLDR's, not the first three letters ("juin"
		// and "juillet" would both be "jui").
		{"fr", ShortDate(translate(t, "fr"), july14), "14 juil. 2026"},
		{"nl", ShortDate(translate(t, "nl"), march3), "3 mrt 2026"},
		{"en", ShortDate(translate(t, "en"), march3), "3 Mar 2026"},
		{"el", ShortDate(translate(t, "el"), march3), "3 Μαρ 2026"},
		{"en", LongDateTime(translate(t, "en"), april1), "Wednesday 1 April 2026, 18:30"},
		{"fr", LongDateTime(translate(t, "fr"), april1), " 1 avril 2026 à 18:30"},
		{"en", Clock(march3), "09:05"},
	}
	for _, c := range cases {
		if !strings.HasSuffix(c.got, c.want) {
			t.Errorf("%s: %q, want it to end in %q", c.lang, c.got, c.want)
		}
	}
}

// A translation may give a message CLDR plural forms; Count chooses among
// them by the language's rules. French "one" covers 0 and 1, Greek's only 1.
func TestCountChoosesThePluralFormOfTheLanguage(t *testing.T) {
	b := i18n.NewBundle(language.English)
	for file, body := range map[string]string{
		"places.en.json": `{"places": {"one": "{{.Count}} place left", "other": "{{.Count}} places left"}, "plain": "Places left: {{.Count}}"}`,
		"places.fr.json": `{"places": {"one": "{{.Count}} place restante", "other": "{{.Count}} places restantes"}, "plain": "Places restantes : {{.Count}}"}`,
		"places.el.json": `{"places": {"one": "Απομένει {{.Count}} θέση", "other": "Απομένουν {{.Count}} θέσεις"}, "plain": "Θέσεις: {{.Count}}"}`,
	} {
		if _, err := b.ParseMessageFileBytes([]byte(body), file); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		lang  string
		count any
		want  string
	}{
		{"fr", 0, "0 place restante"},
		{"fr", 1, "1 place restante"},
		{"fr", 2, "2 places restantes"},
		{"fr", 21, "21 places restantes"},
		{"el", 0, "Απομένουν 0 θέσεις"},
		{"el", 1, "Απομένει 1 θέση"},
		{"el", 2, "Απομένουν 2 θέσεις"},
		{"en", 0, "0 places left"},
		{"en", 1, "1 place left"},
		{"en", int64(5), "5 places left"},
	} {
		got, err := Localize(i18n.NewLocalizer(b, c.lang, "en"), "places", "Count", c.count)
		if err != nil || got != c.want {
			t.Errorf("%s, Count %v: %q, %v; want %q", c.lang, c.count, got, err, c.want)
		}
	}
	// A count shows with the language's digit groups; its form is still the number's.
	for lang, want := range map[string]string{"fr": "1\u202f234 places restantes", "el": "Απομένουν 1.234 θέσεις", "en": "1,234 places left"} {
		if got, err := LocalizeIn(lang, i18n.NewLocalizer(b, lang, "en"), "places", "Count", 1234); err != nil || got != want {
			t.Errorf("%s, Count 1234: %q, %v; want %q", lang, got, err, want)
		}
	}
	// A message written as one plain string still serves every count.
	for _, lang := range []string{"fr", "el", "en"} {
		for _, n := range []int{0, 1, 2} {
			if got, err := Localize(i18n.NewLocalizer(b, lang, "en"), "plain", "Count", n); err != nil || !strings.HasSuffix(got, " "+string(rune('0'+n))) {
				t.Errorf("%s plain, Count %d: %q, %v", lang, n, got, err)
			}
		}
	}
}

func TestParseLanguages(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{"", "en,es,gl,ca,el,fr,nl", ""},
		{"gl, es ,EN", "gl,es,en", ""},
		{"fr,nl,", "fr,nl", ""},
		{"es,de", "", `unknown language "de"`},
		{"es,es", "", `"es" is listed twice`},
		{" , ", "", "no language"},
	} {
		got, err := ParseLanguages(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseLanguages(%q) = %v, %v; want an error with %q", c.in, got, err, c.err)
			}
			continue
		}
		if err != nil || strings.Join(got, ",") != c.want {
			t.Errorf("ParseLanguages(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
}
