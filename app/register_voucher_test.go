package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// voucherEnv is the registration fixture plus a paid ticket, a hidden
// speaker ticket and vouchers of every situation.
type voucherEnv struct {
	*regEnv
	paid, speaker models.TicketType
}

func newVoucherEnv(t *testing.T) *voucherEnv {
	t.Helper()
	r := newRegEnv(t)
	v := &voucherEnv{regEnv: r}
	v.paid = models.TicketType{EventID: r.ev.ID, Name: "Industry ticket", Price: 4000, Currency: "EUR", Category: models.CategoryIndustry, MaxPerOrder: 2, Position: 2}
	v.speaker = models.TicketType{EventID: r.ev.ID, Name: "Speaker pass", Price: 4000, Currency: "EUR", Category: models.CategoryOther, MaxPerOrder: 1, Hidden: true, Position: 3}
	for _, x := range []*models.TicketType{&v.paid, &v.speaker} {
		if err := r.db.Create(x).Error; err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-time.Hour)
	other := modeltest.Event(t, r.db, r.ev.OrganizationID, "other-forum", models.StatusPublished)
	for _, vc := range []models.Voucher{
		{EventID: r.ev.ID, Code: "FREEPASS", Kind: models.VoucherFree, MaxUses: 3},
		{EventID: r.ev.ID, Code: "SPEAKER", Kind: models.VoucherFree, UnlockHidden: true, TicketTypeIDs: fmt.Sprint(v.speaker.ID)},
		{EventID: r.ev.ID, Code: "OLD", Kind: models.VoucherFree, ValidUntil: &past},
		{EventID: r.ev.ID, Code: "GONE", Kind: models.VoucherFree, MaxUses: 1},
		{EventID: other.ID, Code: "THEIRS", Kind: models.VoucherFree},
	} {
		vc := vc
		if err := models.SaveVoucher(r.db, &vc); err != nil {
			t.Fatal(err)
		}
	}
	r.db.Model(&models.Voucher{}).Where("code = ?", "GONE").Update("uses", 1)
	return v
}

func TestVoucherFieldMessagesKeepInput(t *testing.T) {
	v := newVoucherEnv(t)
	for code, want := range map[string]string{
		"nope-123":               "We do not know this code",
		"old":                    "no longer valid",
		"GONE":                   "already been used as many times",
		"THEIRS":                 "We do not know this code", // another event's code
		"SPEAKER":                "cannot be used for the ticket you chose",
		strings.Repeat("Z", 500): "We do not know this code",
	} {
		form := v.form(t, v.paid.ID, 1)
		form.Set("voucher_code", code)
		res := v.c.post(v.path(), form)
		mustStatus(t, res, http.StatusUnprocessableEntity, "voucher "+code)
		kept := code
		if len(kept) > 200 {
			kept = kept[:200]
		}
		mustContain(t, res.Body, "voucher "+code, want, `id="f-voucher_code-error"`, `aria-describedby="f-voucher_code-error"`,
			`value="`+kept+`"`, `value="Ana Buyer"`, `value="Person 1"`)
	}
	if n := v.orders(t); n != 0 {
		t.Fatalf("%d orders saved from refused vouchers", n)
	}
	var uses int
	v.db.Model(&models.Voucher{}).Where("code = ?", "GONE").Pluck("uses", &uses)
	if uses != 1 {
		t.Fatalf("used-up voucher uses = %d", uses)
	}
}

func TestFreeVoucherConfirmsPaidTicketWithoutStripe(t *testing.T) {
	v := newVoucherEnv(t)
	form := v.form(t, v.paid.ID, 2)
	form.Set("voucher_code", " freepass ")
	form.Set("total", "1") // a forged price is ignored: the server computes it
	secret := v.register(t, form)
	o, err := models.OrderBySecret(v.db, secret)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != models.OrderConfirmed || o.Total != 0 {
		t.Fatalf("order %s total %d, want confirmed and 0", o.Status, o.Total)
	}
	var p int64
	v.db.Model(&models.Payment{}).Count(&p)
	if p != 0 {
		t.Fatal("a free-voucher order made a payment")
	}
	var uses int
	v.db.Model(&models.Voucher{}).Where("code = ?", "FREEPASS").Pluck("uses", &uses)
	if uses != 1 {
		t.Fatalf("uses = %d, want 1", uses)
	}
}

func TestVoucherLinkUnlocksHiddenTicket(t *testing.T) {
	v := newVoucherEnv(t)
	plain := v.c.get(v.path())
	if strings.Contains(plain.Body, "Speaker pass") {
		t.Fatal("hidden ticket shown without a voucher")
	}
	res := v.c.get(v.path() + "?voucher=speaker")
	mustStatus(t, res, 200, "register with voucher")
	mustContain(t, res.Body, "voucher link", "Speaker pass", `name="voucher" value="speaker"`)
	res = v.c.get(fmt.Sprintf("%s?voucher=speaker&ticket=%d", v.path(), v.speaker.ID))
	mustContain(t, res.Body, "speaker form", `name="voucher_code" type="text" value="speaker"`, "Speaker pass")
	// Without the code, the hidden ticket cannot be registered for.
	form := v.form(t, v.paid.ID, 1)
	form.Set("ticket_type_id", fmt.Sprint(v.speaker.ID))
	mustStatus(t, v.c.post(v.path(), form), http.StatusUnprocessableEntity, "hidden ticket without code")
	form.Set("voucher_code", "SPEAKER")
	secret := v.register(t, form)
	o, _ := models.OrderBySecret(v.db, secret)
	if o.Status != models.OrderConfirmed || o.Total != 0 {
		t.Fatalf("speaker order %s %d", o.Status, o.Total)
	}
	// A link with a code that no longer works says so.
	res = v.c.get(fmt.Sprintf("%s?voucher=old&ticket=%d", v.path(), v.paid.ID))
	mustContain(t, res.Body, "old link", "no longer valid", `value="old"`)
}
