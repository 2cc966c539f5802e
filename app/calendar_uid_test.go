package app

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
)

// uidsOf lists the UIDs of a calendar, checking its lines are CRLF.
func uidsOf(t *testing.T, what, body string) []string {
	t.Helper()
	checkICSLines(t, body)
	var ids []string
	for _, ev := range parseICS(t, body).Events() {
		ids = append(ids, ev.Id())
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		t.Fatalf("%s has no entries:\n%s", what, body)
	}
	return ids
}

// The event and a session chosen have one UID each in the public feeds,
// the order's calendar, the delegate's and the confirmation e-mail's file:
// a person who adds several of them sees each thing once.
func TestCalendarsShareOneUIDPerThing(t *testing.T) {
	r := newRegEnv(t)
	v := r.form(t, r.tt.ID, 1)
	v.Add("attendees.0.sessions", fmt.Sprint(r.s1.ID))
	secret := r.register(t, v)
	eventUID := fmt.Sprintf("event-%d@agora.test", r.ev.ID)
	sessionUID := fmt.Sprintf("session-%d@agora.test", r.s1.ID)
	want := strings.Join([]string{eventUID, sessionUID}, " ")

	order := uidsOf(t, "order calendar", r.c.get("/orders/"+secret+"/calendar.ics").Body)
	if got := strings.Join(order, " "); got != want {
		t.Errorf("order calendar UIDs %s, want %s", got, want)
	}
	if got := uidsOf(t, "event download", r.c.get("/events/"+r.ev.Slug+".ics").Body); got[0] != eventUID {
		t.Errorf("event download UID %v, want %s", got, eventUID)
	}
	prog := uidsOf(t, "programme feed", r.c.get("/events/"+r.ev.Slug+"/programme.ics").Body)
	if i := sort.SearchStrings(prog, sessionUID); i == len(prog) || prog[i] != sessionUID {
		t.Errorf("programme feed UIDs %v lack %s", prog, sessionUID)
	}
	if got := uidsOf(t, "session download", r.c.get(fmt.Sprintf("/events/%s/sessions/%d.ics", r.ev.Slug, r.s1.ID)).Body); got[0] != sessionUID {
		t.Errorf("session download UID %v", got)
	}

	var o models.Order
	r.db.Where("secret = ?", secret).Take(&o)
	var at models.Attendee
	r.db.Where("order_id = ?", o.ID).Take(&at)
	if got := strings.Join(uidsOf(t, "ticket calendar", r.c.get("/tickets/"+at.LinkSecret+"/calendar.ics").Body), " "); got != want {
		t.Errorf("delegate calendar UIDs %s, want %s", got, want)
	}
	var row models.OutboxMessage
	if err := r.db.Where("kind = ? AND ref_id = ?", models.MailOrderConfirmation, o.ID).Take(&row).Error; err != nil {
		t.Fatal(err)
	}
	rd, err := mail.NewRenderer(r.db, "http://agora.test")
	if err != nil {
		t.Fatal(err)
	}
	msg, err := rd.Render(row)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range msg.Attachments {
		if strings.HasSuffix(a.Filename, ".ics") {
			found = true
			if got := strings.Join(uidsOf(t, "mail attachment", string(a.Data)), " "); got != want {
				t.Errorf("e-mail attachment UIDs %s, want %s", got, want)
			}
		}
	}
	if !found {
		t.Fatal("the confirmation has no .ics")
	}
}
