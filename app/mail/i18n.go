package mail

import (
	htmltemplate "html/template"
	"net/url"
	"strings"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/views"
)

// languages mail is written in: the site's.
var languages = views.Languages

// loadBundle reads the site's messages, so mail shares its date and month names.
func loadBundle() (*i18n.Bundle, error) { return views.LoadMessages() }

// translator renders messages in one language; templates call {{.L.T "id"}}.
type translator struct {
	Lang string
	loc  *i18n.Localizer
	// missing collects ids without a message, so a test can insist on none.
	missing *[]string
	// contact is the organizers' contact of the message's event, which
	// eventData resolves (a translator is made per message): the footer
	// names it and Render makes it the Reply-To. contactErr keeps a failed
	// lookup for Render to retry the message.
	contact    *models.Contact
	contactErr error
	// ContentLang is the language the person registered in, which the
	// event's own texts are shown in (with fallback) even when the
	// interface is not offered in it; content is those texts, resolved
	// once per message by eventData.
	ContentLang string
	content     *models.Content
	contentErr  error
}

// Footer is the closing line of every mail: who sent it and how to reach
// the organizers, by name and address when the event has a contact.
func (t *translator) Footer() string {
	if c := t.contact; c != nil && c.Email != "" {
		return t.T("mail.footer_contact", "Name", c.Name, "Email", c.Email)
	}
	return t.T("mail.footer", "Contact", false)
}

// FooterHTML is Footer with the address as a mailto link.
func (t *translator) FooterHTML() htmltemplate.HTML {
	c := t.contact
	if c == nil || c.Email == "" {
		return htmltemplate.HTML(htmltemplate.HTMLEscapeString(t.T("mail.footer", "Contact", false)))
	}
	link := `<a href="mailto:` + htmltemplate.HTMLEscapeString(url.PathEscape(c.Email)) + `" style="color:#0b5394">` +
		htmltemplate.HTMLEscapeString(c.Email) + `</a>`
	const mark = "@@email@@"
	s := htmltemplate.HTMLEscapeString(t.T("mail.footer_contact", "Name", c.Name, "Email", mark))
	return htmltemplate.HTML(strings.Replace(s, htmltemplate.HTMLEscapeString(mark), link, 1))
}

func newTranslator(b *i18n.Bundle, lang string) *translator {
	contentLang := models.CanonicalContentLanguage(lang)
	ok := false
	for _, l := range languages {
		ok = ok || l == lang
	}
	if !ok {
		lang = languages[0]
	}
	if contentLang == "" {
		contentLang = lang
	}
	return &translator{Lang: lang, ContentLang: contentLang, loc: i18n.NewLocalizer(b, lang, "en"), missing: new([]string)}
}

// T translates id; args are name/value pairs for the message's template.
// "mail.footer" is the footer of the message's event: templates written as
// {{.L.T "mail.footer"}} name the organizers' contact too.
func (t *translator) T(id string, args ...any) string {
	if id == "mail.footer" && len(args) == 0 {
		return t.Footer()
	}
	s, err := views.LocalizeIn(t.Lang, t.loc, id, args...)
	if err != nil {
		*t.missing = append(*t.missing, id)
		return id
	}
	return s
}

// Date formats a day in the translator's language ("Tuesday 3 March 2026").
func (t *translator) Date(tm time.Time) string { return views.LongDate(t.T, tm) }

// DateTime formats a day and a 24-hour time.
func (t *translator) DateTime(tm time.Time) string { return views.LongDateTime(t.T, tm) }

// Money shows minor units with their currency as the mail's language
// writes them ("€12.50", "12,50 €"): views.FormatMoney.
func (t *translator) Money(amount int64, currency string) string {
	return views.FormatMoney(t.Lang, amount, currency)
}
