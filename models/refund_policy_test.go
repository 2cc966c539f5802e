package models

import (
	"testing"
	"time"
)

func TestRefundableUnderPolicy(t *testing.T) {
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	// The deadline as an organizer typed it: 30 June, 23:59 in Madrid.
	until := time.Date(2026, 6, 30, 23, 59, 0, 0, madrid).UTC()
	full := EventRefundPolicy{Policy: RefundPolicyFull, Until: &until}
	fixed := EventRefundPolicy{Policy: RefundPolicyFee, Until: &until, FeeFixed: 500}
	pct := EventRefundPolicy{Policy: RefundPolicyFee, Until: &until, FeeBP: 1000}
	none := EventRefundPolicy{Policy: RefundPolicyNone}
	before := until.Add(-time.Hour)
	cases := []struct {
		name           string
		p              EventRefundPolicy
		paid, refunded int64
		at             time.Time
		amount, fee    int64
		expired        bool
	}{
		{"full before the deadline", full, 2500, 0, before, 2500, 0, false},
		{"full at the exact deadline", full, 2500, 0, until, 2500, 0, false},
		{"full one second after", full, 2500, 0, until.Add(time.Second), 0, 2500, true},
		{"the deadline is Madrid's, not UTC's", full, 2500, 0, time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC), 0, 2500, true},
		{"fixed fee", fixed, 2500, 0, before, 2000, 500, false},
		{"percentage fee", pct, 2500, 0, before, 2250, 250, false},
		{"fee larger than paid", fixed, 300, 0, before, 0, 300, false},
		{"partly refunded: only the rest", full, 2500, 1000, before, 1500, 0, false},
		{"partly refunded counts towards the fee", fixed, 2500, 2200, before, 0, 300, false},
		{"refunded in full already", full, 2500, 2500, before, 0, 0, false},
		{"free order", full, 0, 0, before, 0, 0, false},
		{"no refund policy", none, 2500, 0, before, 0, 2500, false},
		{"no deadline", EventRefundPolicy{Policy: RefundPolicyFull}, 2500, 0, until.Add(1000 * time.Hour), 2500, 0, false},
	}
	for _, c := range cases {
		got := c.p.Refundable(c.paid, c.refunded, c.at)
		if got.Amount != c.amount || got.Fee != c.fee || got.Expired != c.expired {
			t.Errorf("%s: got %+v, want amount %d fee %d expired %v", c.name, got, c.amount, c.fee, c.expired)
		}
		if got.Amount > c.paid-c.refunded || got.Amount < 0 {
			t.Errorf("%s: refund %d out of bounds", c.name, got.Amount)
		}
	}
}
