package app

import (
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// The header lists every offered language in its own name, each link
// marked with lang and hreflang so a screen reader says it right.
func TestLanguageSwitcherNamesEachLanguageInItself(t *testing.T) {
	f, _ := newTestApp(t)
	body := newClient(t, f).get("/").Body
	for code, name := range map[string]string{"en": "English", "es": "Español", "gl": "Galego", "ca": "Català",
		"el": "Ελληνικά", "fr": "Français", "nl": "Nederlands"} {
		link := regexp.MustCompile(`<a href="/lang/` + code + `\?next=[^"]*" lang="` + code + `" hreflang="` + code + `"[^>]*>` + name + `</a>`)
		if !link.MatchString(body) {
			t.Errorf("no switcher link to %s named %s", code, name)
		}
	}
}

// Accept-Language chooses the page's language by CLDR's matching; a choice
// made with the switcher is remembered over it.
func TestAcceptLanguageAndTheRememberedChoice(t *testing.T) {
	f, _ := newTestApp(t)
	for accept, want := range map[string]string{"ca-ES,ca;q=0.9": "ca", "nl-BE": "nl", "el-GR": "el", "fr-BE": "fr",
		"gl": "gl", "es-419": "es", "de-DE": "en", "": "en"} {
		c := newClient(t, f)
		c.lang = accept
		if body := c.get("/").Body; !strings.Contains(body, `<html lang="`+want+`"`) {
			t.Errorf("Accept-Language %q: want lang=%q, got %.80s", accept, want, body)
		}
	}
	c := newClient(t, f)
	c.lang = "es-ES"
	r := c.get("/lang/el?next=/events")
	mustStatus(t, r, 303, "switch to Greek")
	if r.Location != "/events" || c.cookies[langCookie] != "el" {
		t.Fatalf("switch: to %q, cookie %q", r.Location, c.cookies[langCookie])
	}
	if body := c.get("/").Body; !strings.Contains(body, `<html lang="el"`) || !strings.Contains(body, `hreflang="el" aria-current="true"`) {
		t.Errorf("the Greek choice was not kept over Accept-Language es: %.200s", body)
	}
}

// An operator offering fewer languages (AGORA_LANGUAGES) gets only those:
// in the switcher, by Accept-Language, by the switch link; the first is the
// default. An unknown code stops New with a message naming it.
func TestOperatorLimitsTheLanguages(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := New(Config{BaseURL: "http://agora.test", Languages: "es,de"}, Deps{DB: db, Logger: log}); err == nil ||
		!strings.Contains(err.Error(), `unknown language "de"`) || !strings.Contains(err.Error(), "AGORA_LANGUAGES") {
		t.Fatalf("New with an unknown language: %v", err)
	}
	f, err := New(Config{BaseURL: "http://agora.test", Languages: "gl,es"}, Deps{DB: db, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f)
	c.lang = "de-DE,fr;q=0.8"
	body := c.get("/").Body
	if !strings.Contains(body, `<html lang="gl"`) || !strings.Contains(body, ">Galego</a>") || !strings.Contains(body, ">Español</a>") {
		t.Errorf("gl,es: not Galician by default with both links: %.300s", body)
	}
	for _, other := range []string{">English</a>", ">Français</a>", ">Català</a>"} {
		if strings.Contains(body, other) {
			t.Errorf("gl,es: the switcher offers %s", other)
		}
	}
	c.lang = "es-ES"
	if body := c.get("/").Body; !strings.Contains(body, `<html lang="es"`) {
		t.Errorf("gl,es with Accept-Language es: %.100s", body)
	}
	mustStatus(t, c.get("/lang/fr?next=/"), 303, "switch to a language not offered")
	if _, set := c.cookies[langCookie]; set {
		t.Errorf("a language not offered was remembered: %q", c.cookies[langCookie])
	}
}

// Prices on the registration page follow the page's language.
func TestTicketPriceInThePagesLanguage(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org", "owner-prices@example.org", models.RoleOwner)
	ev := modeltest.Event(t, db, org.ID, "prices", models.StatusPublished)
	now := time.Now()
	if err := db.Model(ev).Updates(map[string]any{"registration_opens_at": now.Add(-time.Hour)}).Error; err != nil {
		t.Fatal(err)
	}
	tt := &models.TicketType{EventID: ev.ID, Name: "Industry", Price: 123450, Currency: "EUR", Category: models.CategoryIndustry, MaxPerOrder: 2}
	if err := models.CreateTicketType(db, tt); err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"en": "€1,234.50", "es": "1.234,50\u00a0€", "el": "1.234,50\u00a0€",
		"fr": "1\u202f234,50\u00a0€", "nl": "€\u00a01.234,50", "ca": "1.234,50\u00a0€", "gl": "1.234,50\u00a0€"} {
		c := newClient(t, f)
		c.lang = lang
		r := c.get("/events/prices/register")
		mustStatus(t, r, 200, "register page")
		if !strings.Contains(r.Body, want) {
			t.Errorf("%s: no %q on the register page", lang, want)
		}
	}
}

// The receipt, page and PDF, writes its amounts, rate and date the way the
// reader's language does.
func TestReceiptInTheReadersLanguage(t *testing.T) {
	fx := newPayFixture(t, 10)
	if err := models.SavePaymentSettings(fx.db, models.EventPaymentSettings{ID: fx.event.ID, InvoiceDays: 14, VATRateBP: 2100}); err != nil {
		t.Fatal(err)
	}
	o := fx.place(1)
	sid := fx.checkout(o)
	fx.stub.setSession(sid, "complete", "paid", 2500, "eur", o.ID)
	mustStatus(t, fx.webhook("evt_r", "checkout.session.completed", "checkout.session", sid, testWebhookSecret), 200, "paid")
	c := newClient(t, fx.app)
	c.lang = "es"
	r := c.get("/orders/" + o.Secret + "/receipt")
	mustStatus(t, r, 200, "receipt")
	mustContain(t, r.Body, "Spanish receipt", "20,66\u00a0€", "4,34\u00a0€", "25,00\u00a0€", "21\u00a0%")
	var p models.Payment
	if err := fx.db.Where("order_id = ?", o.ID).Take(&p).Error; err != nil {
		t.Fatal(err)
	}
	c.lang = "el"
	r = c.get("/orders/" + o.Secret + "/receipt.pdf")
	mustStatus(t, r, 200, "Greek receipt pdf")
	text := testenv.PDFText(t, []byte(r.Body))
	month := map[time.Month]string{1: "Ιανουαρίου", 2: "Φεβρουαρίου", 3: "Μαρτίου", 4: "Απριλίου", 5: "Μαΐου", 6: "Ιουνίου",
		7: "Ιουλίου", 8: "Αυγούστου", 9: "Σεπτεμβρίου", 10: "Οκτωβρίου", 11: "Νοεμβρίου", 12: "Δεκεμβρίου"}[p.UpdatedAt.In(fx.event.Location()).Month()]
	mustContain(t, text, "Greek receipt pdf text", "25,00", "€", month)
}
