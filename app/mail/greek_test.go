package mail_test

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
	"github.com/agora-events/agora/views"
)

// greek reads the Greek catalogue's plain texts.
func greek(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	paths, _ := fs.Glob(views.FS, "i18n/el/*.json")
	for _, p := range paths {
		buf, _ := fs.ReadFile(views.FS, p)
		var m map[string]json.RawMessage
		if err := json.Unmarshal(buf, &m); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for k, raw := range m {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				out[k] = s
			}
		}
	}
	return out
}

// A person who registered in Greek gets their confirmation in Greek: the
// event's date with the month in the genitive ("Μαρτίου", not "Μάρτιος"),
// a 24-hour time, the Greek wording, no message id.
func TestConfirmationMailInGreek(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	o := registration(t, db, "el")
	r, err := mail.NewRenderer(db, "https://agora.example.org")
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.Render(models.OutboxMessage{To: o.BuyerEmail, Language: o.Language, Kind: models.MailOrderConfirmation, RefID: o.ID})
	if err != nil {
		t.Fatal(err)
	}
	if o.Language != "el" {
		t.Fatalf("the order's language is %q", o.Language)
	}
	el := greek(t)
	var ev models.Event
	if err := db.Take(&ev, o.EventID).Error; err != nil {
		t.Fatal(err)
	}
	start := ev.StartsAt.In(ev.Location())
	month := el["locale.month_in_date."+strings.ToLower(start.Month().String())]
	if month == "" {
		t.Fatal("views/i18n/el/locale.json has no month names")
	}
	for _, body := range []string{m.Text, m.HTML} {
		if !strings.Contains(body, month+" "+start.Format("2006")) || !strings.Contains(body, start.Format("15:04")) {
			t.Errorf("no Greek date (%s %d, %s) in:\n%s", month, start.Year(), start.Format("15:04"), body)
		}
	}
	// The wording: the subject's Greek text, once the translation is here.
	subject, ok := el["mail.confirmation.subject"]
	if !ok {
		t.Errorf("views/i18n/el has no mail.confirmation.subject yet (the Greek translator's files, branch i13-el): the mail is in English but for its date")
	} else {
		head, _, _ := strings.Cut(subject, "{{")
		if !strings.HasPrefix(m.Subject, strings.TrimSpace(head)) {
			t.Errorf("subject %q, want the Greek %q", m.Subject, subject)
		}
		if wd := el["weekday."+strings.ToLower(start.Weekday().String())]; !strings.Contains(m.Text, wd+" ") {
			t.Errorf("no Greek weekday %q in:\n%s", wd, m.Text)
		}
	}
	for _, id := range []string{"mail.", "locale.", "weekday.", "month."} {
		if strings.Contains(m.Text, id) {
			t.Errorf("a message id (%s…) in:\n%s", id, m.Text)
		}
	}
}
