package models_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

func voucher(t *testing.T, db *gorm.DB, v models.Voucher) *models.Voucher {
	t.Helper()
	if err := models.SaveVoucher(db, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

func voucherUses(t *testing.T, db *gorm.DB, id uint) int {
	t.Helper()
	var v models.Voucher
	if err := db.Take(&v, id).Error; err != nil {
		t.Fatal(err)
	}
	return v.Uses
}

// TestVoucherRace: 60 orders at once with a voucher of 7 uses. Exactly 7
// get the discount, the rest are told it is used up, uses never exceed
// the limit and the counters agree with the rows.
func TestVoucherRace(t *testing.T) {
	db, dsn := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 2000, 1)
	v := voucher(t, db, models.Voucher{EventID: ev.ID, Code: "race", Kind: models.VoucherFree, MaxUses: 7})
	pools := append([]*gorm.DB{db}, extraPools(t, dsn, 3)...)
	const racers = 60
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, usedUp := 0, 0
	var other []error
	start := make(chan struct{})
	for i := 0; i < racers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			in := orderInput(t, db, ev, tt, 1)
			in.VoucherCode = "RACE"
			<-start
			o, err := models.PlaceOrder(pools[i%len(pools)], in)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && o.Total == 0 && o.Status == models.OrderConfirmed:
				ok++
			case errors.Is(err, models.ErrVoucherUsedUp):
				usedUp++
			default:
				other = append(other, err)
			}
		}(i)
	}
	close(start)
	wg.Wait()
	if len(other) > 0 {
		t.Fatalf("unexpected results (%d), first: %v", len(other), other[0])
	}
	if ok != 7 || usedUp != racers-7 {
		t.Fatalf("ok=%d usedUp=%d, want 7 and %d", ok, usedUp, racers-7)
	}
	if n := voucherUses(t, db, v.ID); n != 7 {
		t.Fatalf("uses = %d, want 7", n)
	}
	var red int64
	db.Model(&models.VoucherRedemption{}).Where("voucher_id = ?", v.ID).Count(&red)
	if red != 7 {
		t.Fatalf("redemptions = %d, want 7", red)
	}
	if err := models.CheckCounters(db); err != nil {
		t.Fatal(err)
	}
}

// TestVoucherTotals: the server computes the price; the kinds differ.
func TestVoucherTotals(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 2550, 5) // 25.50 each
	voucher(t, db, models.Voucher{EventID: ev.ID, Code: "pct", Kind: models.VoucherPercent, Value: 15})
	voucher(t, db, models.Voucher{EventID: ev.ID, Code: "fix", Kind: models.VoucherFixed, Value: 1000})
	voucher(t, db, models.Voucher{EventID: ev.ID, Code: "big", Kind: models.VoucherFixed, Value: 999999})
	voucher(t, db, models.Voucher{EventID: ev.ID, Code: "free", Kind: models.VoucherFree})
	cases := []struct {
		code   string
		total  int64
		status string
	}{
		{"", 7650, models.OrderPending},
		{" pct ", 7650 - 1147, models.OrderPending}, // 15% of 76.50 = 11.475, discount rounded down
		{"FIX", 6650, models.OrderPending},
		{"big", 0, models.OrderConfirmed},
		{"Free", 0, models.OrderConfirmed},
	}
	for _, c := range cases {
		in := orderInput(t, db, ev, tt, 3)
		in.VoucherCode = c.code
		o := place(t, db, in)
		if o.Total != c.total || o.Status != c.status {
			t.Errorf("code %q: total %d status %s, want %d %s", c.code, o.Total, o.Status, c.total, c.status)
		}
		if c.code != "" {
			r, err := models.VoucherRedemptionOf(db, o.ID)
			if err != nil || r.Discount != 7650-c.total {
				t.Errorf("code %q: redemption %+v %v", c.code, r, err)
			}
		}
	}
	if n := outboxCount(t, db, models.MailOrderConfirmation); n != 2 {
		t.Fatalf("confirmation mails = %d, want 2 (the two free orders)", n)
	}
	if err := models.CheckCounters(db); err != nil {
		t.Fatal(err)
	}
}

// TestVoucherRules: hidden types, limits to types, expiry and unknown codes.
func TestVoucherRules(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 2000, 1)
	hidden := ticketType(t, db, ev.ID, 0, 5000, 1)
	db.Model(hidden).Update("hidden", true)
	past := time.Now().Add(-time.Hour)
	voucher(t, db, models.Voucher{EventID: ev.ID, Code: "SPEAKER", Kind: models.VoucherFree, UnlockHidden: true, TicketTypeIDs: itoa(hidden.ID)})
	voucher(t, db, models.Voucher{EventID: ev.ID, Code: "NOUNLOCK", Kind: models.VoucherFree})
	voucher(t, db, models.Voucher{EventID: ev.ID, Code: "OLD", Kind: models.VoucherFree, ValidUntil: &past})

	in := orderInput(t, db, ev, hidden, 1)
	if _, err := models.PlaceOrder(db, in); !errors.Is(err, models.ErrInvalidTicketType) {
		t.Fatalf("hidden without voucher: %v", err)
	}
	in.VoucherCode = "NOUNLOCK"
	if _, err := models.PlaceOrder(db, in); !errors.Is(err, models.ErrInvalidTicketType) {
		t.Fatalf("hidden with a voucher that does not unlock: %v", err)
	}
	in.VoucherCode = "speaker"
	if o := place(t, db, in); o.Total != 0 || o.Status != models.OrderConfirmed {
		t.Fatalf("speaker order: %+v", o)
	}
	in = orderInput(t, db, ev, tt, 1)
	for code, want := range map[string]error{"SPEAKER": models.ErrVoucherNotApplicable, "OLD": models.ErrVoucherExpired,
		"NOPE": models.ErrVoucherUnknown} {
		in.VoucherCode = code
		if _, err := models.PlaceOrder(db, in); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", code, err, want)
		}
	}
	// Another event's code is unknown here.
	other := openEvent(t, db, 0)
	voucher(t, db, models.Voucher{EventID: other.ID, Code: "THEIRS", Kind: models.VoucherFree})
	in.VoucherCode = "THEIRS"
	if _, err := models.PlaceOrder(db, in); !errors.Is(err, models.ErrVoucherUnknown) {
		t.Fatalf("foreign code: %v", err)
	}
}

// TestVoucherUseGivenBack: cancelling (twice) or expiring an order gives
// its use back exactly once, so another person may use it.
func TestVoucherUseGivenBack(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 2000, 1)
	v := voucher(t, db, models.Voucher{EventID: ev.ID, Code: "ONE", Kind: models.VoucherPercent, Value: 50, MaxUses: 1})
	in := orderInput(t, db, ev, tt, 1)
	in.VoucherCode = "ONE"
	o := place(t, db, in)
	if _, err := models.PlaceOrder(db, in); !errors.Is(err, models.ErrVoucherUsedUp) {
		t.Fatalf("second use: %v", err)
	}
	for i := 0; i < 2; i++ {
		if _, err := models.CancelOrder(db, o.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if n := voucherUses(t, db, v.ID); n != 0 {
			t.Fatalf("after cancel %d: uses = %d, want 0", i+1, n)
		}
	}
	// Used again, then the hold runs out.
	o2 := place(t, db, in)
	if n := voucherUses(t, db, v.ID); n != 1 || o2.Total != 1000 {
		t.Fatalf("uses = %d total = %d", n, o2.Total)
	}
	if _, err := models.ExpireHolds(db, time.Now().Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := models.ExpireHolds(db, time.Now().Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := voucherUses(t, db, v.ID); n != 0 {
		t.Fatalf("after expiry: uses = %d, want 0", n)
	}
	if err := models.CheckCounters(db); err != nil {
		t.Fatal(err)
	}
}

// TestVoucherUseGivenBackByLastAttendeeAndReleasedHold covers the other two
// ways an order ends.
func TestVoucherUseGivenBackByLastAttendeeAndReleasedHold(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 2000, 2)
	v := voucher(t, db, models.Voucher{EventID: ev.ID, Code: "TWO", Kind: models.VoucherFixed, Value: 500, MaxUses: 2})
	in := orderInput(t, db, ev, tt, 2)
	in.VoucherCode = "two"
	o := place(t, db, in)
	if o.Total != 3500 {
		t.Fatalf("total %d", o.Total)
	}
	if _, err := models.CancelAttendee(db, o.Attendees[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := voucherUses(t, db, v.ID); n != 1 {
		t.Fatalf("one attendee of two cancelled: uses = %d, want 1", n)
	}
	for i := 0; i < 2; i++ {
		if _, err := models.CancelAttendee(db, o.Attendees[1].ID, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if n := voucherUses(t, db, v.ID); n != 0 {
		t.Fatalf("last attendee cancelled: uses = %d, want 0", n)
	}
	o2 := place(t, db, in)
	for i := 0; i < 2; i++ {
		if _, err := models.ReleaseHold(db, o2.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if n := voucherUses(t, db, v.ID); n != 0 {
		t.Fatalf("hold released: uses = %d, want 0", n)
	}
	if err := models.CheckCounters(db); err != nil {
		t.Fatal(err)
	}
}
