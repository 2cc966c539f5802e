package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func eventMailFixture(t *testing.T) (*client, *gorm.DB, *models.Event) {
	t.Helper()
	app, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Health Cluster", "owner@example.org", models.RoleOwner)
	ev := modeltest.Event(t, db, org.ID, "forum-mail", models.StatusPublished)
	c := newClient(t, app)
	c.signIn("owner@example.org")
	return c, db, ev
}

func mailSettingsValues(hours, text, name, email string) url.Values {
	return url.Values{"reminders_enabled": {"yes"}, "reminder_hours": {hours}, "reminder_text": {text},
		"contact_name": {name}, "contact_email": {email}}
}

// The reminders page saves good settings and refuses bad ones with a
// message beside the field, keeping what was typed and saving nothing.
func TestReminderSettingsForm(t *testing.T) {
	c, db, ev := eventMailFixture(t)
	page := fmt.Sprintf("/manage/events/%d/reminders", ev.ID)
	overview := c.get(fmt.Sprintf("/manage/events/%d", ev.ID))
	mustContain(t, overview.Body, "overview", `href="`+page+`"`)
	r := c.get(page)
	mustStatus(t, r, http.StatusOK, "reminders page")
	mustContain(t, r.Body, "defaults", `name="reminder_hours" type="number" value="48"`, `name="reminders_enabled" value="yes" checked`)

	huge := strings.Repeat("a", 1<<20)
	cases := []struct {
		name, field, kept string
		v                 url.Values
	}{
		{"negative hours", "reminder_hours", `value="-5"`, mailSettingsValues("-5", "", "", "")},
		{"zero hours", "reminder_hours", `value="0"`, mailSettingsValues("0", "", "", "")},
		{"huge hours", "reminder_hours", `value="99999999999999999999"`, mailSettingsValues("99999999999999999999", "", "", "")},
		{"not a number", "reminder_hours", `value="two days"`, mailSettingsValues("two days", "", "", "")},
		{"1 MB text", "reminder_text", strings.Repeat("a", 1000), mailSettingsValues("48", huge, "", "")},
		{"header injection in the e-mail", "contact_email", "desk@example.org\r\nBcc: x@example.org",
			mailSettingsValues("48", "", "Desk", "desk@example.org\r\nBcc: x@example.org")},
		{"hostile bytes", "contact_email", "&lt;script&gt;alert(1)&lt;/script&gt;\ufffd",
			mailSettingsValues("48", "Bring\x00 your \xffticket", "<b>Desk</b>", "<script>alert(1)</script>\xff")},
		{"name too long", "contact_name", strings.Repeat("n", 300), mailSettingsValues("48", "", strings.Repeat("n", 300), "")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.get(page)
			r := c.post(page, tc.v)
			mustStatus(t, r, http.StatusUnprocessableEntity, tc.name)
			mustContain(t, r.Body, tc.name, `id="f-`+tc.field+`-error"`, tc.kept)
			if strings.Contains(r.Body, "<script>alert(1)") || strings.Contains(r.Body, "<b>Desk</b>") {
				t.Fatal("input shown unescaped")
			}
			var n int64
			db.Model(&models.EventMailSetting{}).Where("event_id = ?", ev.ID).Count(&n)
			if n != 0 {
				t.Fatal("refused settings were saved")
			}
		})
	}

	c.get(page)
	r = c.post(page, url.Values{"reminder_hours": {"24"}, "reminder_text": {"Use the north entrance."},
		"contact_name": {"Forum desk"}, "contact_email": {"desk@example.org"}})
	mustStatus(t, r, http.StatusSeeOther, "save")
	s, err := models.EventMailSettingFor(db, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s.RemindersEnabled || s.ReminderHours != 24 || s.ReminderText != "Use the north entrance." || s.ContactEmail != "desk@example.org" {
		t.Fatalf("saved %+v", s)
	}
	r = c.get(page)
	mustContain(t, r.Body, "after saving", `value="24"`, "Use the north entrance.", "Forum desk &lt;desk@example.org&gt;")
	if strings.Contains(r.Body, `name="reminders_enabled" value="yes" checked`) {
		t.Fatal("reminders shown on after turning them off")
	}
}

// The owner sets the organization's contact; a bad address is refused
// beside the field.
func TestOrganizationContactForm(t *testing.T) {
	c, db, ev := eventMailFixture(t)
	page := fmt.Sprintf("/manage/orgs/%d/settings", ev.OrganizationID)
	mustContain(t, c.get("/manage/").Body, "dashboard link", `href="`+page+`"`)
	mustContain(t, c.get(page).Body, "settings page", "Health Cluster", `name="contact_email"`)
	for _, bad := range []string{"not an address", "Team <team@example.org>", "team@example.org, other@example.org", strings.Repeat("x", 300) + "@example.org"} {
		c.get(page)
		r := c.post(page, url.Values{"contact_name": {"Team"}, "contact_email": {bad}})
		mustStatus(t, r, http.StatusUnprocessableEntity, bad)
		mustContain(t, r.Body, bad, `id="f-contact_email-error"`, `value="Team"`)
	}
	var org models.Organization
	db.Take(&org, ev.OrganizationID)
	if org.ContactEmail != "" {
		t.Fatalf("a bad contact was saved: %q", org.ContactEmail)
	}
	c.get(page)
	mustStatus(t, c.post(page, url.Values{"contact_name": {"Forum team"}, "contact_email": {"team@example.org"}}), http.StatusSeeOther, "save contact")
	db.Take(&org, ev.OrganizationID)
	if org.ContactName != "Forum team" || org.ContactEmail != "team@example.org" {
		t.Fatalf("contact %q %q", org.ContactName, org.ContactEmail)
	}
}

// The contact form's rules without HTTP.
func TestContactValidation(t *testing.T) {
	for email, ok := range map[string]bool{"": true, "team@example.org": true, "team@example": false, "a@b.org\nBcc: c@d.org": false,
		"Team <team@example.org>": false, "team@@example.org": false} {
		errs := orgContactForm{ContactName: "Team", ContactEmail: email}.Validate()
		if _, bad := errs["contact_email"]; bad == ok {
			t.Errorf("%q: errors %v", email, errs)
		}
		// The site admin's organization form checks it the same way.
		errs = OrgForm{Name: "Org", Slug: "org", ContactEmail: email}.Validate()
		if _, bad := errs["contact_email"]; bad == ok {
			t.Errorf("admin form, %q: errors %v", email, errs)
		}
	}
}
