package app

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
)

// shortForm is a one-person registration as a person registering
// themselves sends it: their name and e-mail once, no attendee name.
func (r *regEnv) shortForm(t *testing.T) url.Values {
	t.Helper()
	v := r.form(t, r.tt.ID, 1)
	v.Del("someone_else")
	v.Del("attendees.0.name")
	v.Del("attendees.0.email")
	v.Set("buyer_name", "Rosa Vidal")
	v.Set("buyer_email", "rosa@example.org")
	return v
}

func (r *regEnv) attendeesOf(t *testing.T, secret string) []models.Attendee {
	t.Helper()
	var o models.Order
	if err := r.db.Where("secret = ?", secret).Take(&o).Error; err != nil {
		t.Fatal(err)
	}
	var as []models.Attendee
	if err := r.db.Where("order_id = ?", o.ID).Order("position").Find(&as).Error; err != nil {
		t.Fatal(err)
	}
	return as
}

// The page asks for the contact's name and e-mail once, and the contact is
// the attendee; what was typed in the hidden attendee fields is ignored.
func TestRegisterContactIsTheAttendee(t *testing.T) {
	r := newRegEnv(t)
	page := r.c.get(fmt.Sprintf("%s?ticket=%d", r.path(), r.tt.ID))
	mustContain(t, page.Body, "short form", `name="someone_else" type="checkbox" value="yes"`, `<details class="optional">`, "(optional)")
	if n := strings.Count(page.Body, `name="buyer_name"`); n != 1 {
		t.Fatalf("buyer_name asked %d times", n)
	}
	if strings.Contains(page.Body, `name="ticket" type="radio"`) && !strings.Contains(page.Body, `<details class="change-ticket">`) {
		t.Fatal("the ticket choice is repeated above the form, not folded")
	}
	v := r.shortForm(t)
	v.Set("attendees.0.name", "Left over")
	as := r.attendeesOf(t, r.register(t, v))
	if len(as) != 1 || as[0].Name != "Rosa Vidal" || as[0].Email != "rosa@example.org" {
		t.Fatalf("attendees %+v, want the contact", as)
	}
}

// Ticking "I am registering someone else" registers the person named in
// the attendee fields; left empty, they are asked for, once each.
func TestRegisterSomeoneElse(t *testing.T) {
	r := newRegEnv(t)
	v := r.shortForm(t)
	v.Set("someone_else", "yes")
	res := r.c.post(r.path(), v)
	mustStatus(t, res, http.StatusUnprocessableEntity, "someone else without a name")
	mustContain(t, res.Body, "someone else errors", `id="f-attendees.0.name-error"`, `id="f-attendees.0.email-error"`,
		`name="someone_else" type="checkbox" value="yes" class="reveal-toggle" checked`)
	if strings.Contains(res.Body, `id="f-buyer_name-error"`) {
		t.Fatal("the contact's name is marked wrong because the attendee's is missing")
	}
	v.Set("attendees.0.name", "Pablo Vidal")
	v.Set("attendees.0.email", "pablo@example.org")
	as := r.attendeesOf(t, r.register(t, v))
	if len(as) != 1 || as[0].Name != "Pablo Vidal" || as[0].Email != "pablo@example.org" {
		t.Fatalf("attendees %+v, want the person named", as)
	}
	var o models.Order
	r.db.Take(&o, as[0].OrderID)
	if o.BuyerName != "Rosa Vidal" {
		t.Fatalf("contact %q", o.BuyerName)
	}
}

var summaryEntry = regexp.MustCompile(`<li><a href="#f-([^"]+)">([^<]*)</a></li>`)

// The summary names each field once, with the field's label, and an
// optional block in error is open; a missing contact name is not also an
// error on the (hidden) attendee name.
func TestRegisterErrorSummaryNamesEachFieldOnce(t *testing.T) {
	r := newRegEnv(t)
	v := r.shortForm(t)
	v.Set("buyer_name", " ")
	v.Set("buyer_email", "rosa-at-example")
	v.Del(fmt.Sprintf("attendees.0.answers.%d", r.qText.ID))
	v.Set("attendees.0.needs.dietary", strings.Repeat("d", 501))
	v.Set("attendees.0.organization", "Kept & <Typed>")
	v.Add("attendees.0.sessions", fmt.Sprint(r.s2.ID))
	res := r.c.post(r.path(), v)
	mustStatus(t, res, http.StatusUnprocessableEntity, "bad short form")
	got := map[string]string{}
	for _, m := range summaryEntry.FindAllStringSubmatch(res.Body, -1) {
		if _, dup := got[m[1]]; dup {
			t.Errorf("%s listed twice", m[1])
		}
		got[m[1]] = m[2]
	}
	want := map[string]string{
		"buyer_name":  "Full name: Please fill in this field.",
		"buyer_email": "E-mail: Please enter an e-mail address like name@example.org.",
		fmt.Sprintf("attendees.0.answers.%d", r.qText.ID): "Your role: Please fill in this field.",
		"attendees.0.needs.dietary":                       "Dietary needs: Please keep this to 500 characters or fewer.",
	}
	for f, text := range want {
		if got[f] != text {
			t.Errorf("summary entry for %s = %q, want %q", f, got[f], text)
		}
	}
	if len(got) != len(want) {
		t.Errorf("summary lists %v, want only %v", got, want)
	}
	mustContain(t, res.Body, "kept input", `tabindex="-1" autofocus`, `value="Kept &amp; &lt;Typed&gt;"`, `value="rosa-at-example"`,
		`<details class="optional" open>`, fmt.Sprintf(`value="%d" checked`, r.s2.ID))
	for _, wrong := range []string{`id="f-attendees.0.name-error"`, `id="f-attendees.0.email-error"`, `id="f-voucher_code-error"`} {
		if strings.Contains(res.Body, wrong) {
			t.Errorf("a field not in error is marked: %s", wrong)
		}
	}
	if r.orders(t) != 0 {
		t.Fatal("an order was saved")
	}
}
