package app

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

func TestVoucherFormValidate(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Madrid")
	tts := []uint{3, 7}
	cases := []struct {
		name   string
		v      url.Values
		uses   int
		fields []string
	}{
		{"ok percent", url.Values{"code": {"spring-25"}, "kind": {"percent"}, "value": {"25"}, "max_uses": {"10"}}, 0, nil},
		{"ok free unlimited", url.Values{"code": {"SPEAKER"}, "kind": {"free"}, "max_uses": {"0"}, "ticket_types": {"7"}, "unlock_hidden": {"1"}}, 0, nil},
		{"empty", url.Values{}, 0, []string{"code", "kind", "max_uses"}},
		{"hostile code", url.Values{"code": {"<script>"}, "kind": {"free"}, "max_uses": {"1"}}, 0, []string{"code"}},
		{"long code", url.Values{"code": {strings.Repeat("A", 41)}, "kind": {"free"}, "max_uses": {"1"}}, 0, []string{"code"}},
		{"percent 0", url.Values{"code": {"A"}, "kind": {"percent"}, "value": {"0"}, "max_uses": {"1"}}, 0, []string{"value"}},
		{"percent 101", url.Values{"code": {"A"}, "kind": {"percent"}, "value": {"101"}, "max_uses": {"1"}}, 0, []string{"value"}},
		{"percent text", url.Values{"code": {"A"}, "kind": {"percent"}, "value": {"ten"}, "max_uses": {"1"}}, 0, []string{"value"}},
		{"fixed 0", url.Values{"code": {"A"}, "kind": {"fixed"}, "value": {"0.00"}, "max_uses": {"1"}}, 0, []string{"value"}},
		{"fixed bad", url.Values{"code": {"A"}, "kind": {"fixed"}, "value": {"1.234"}, "max_uses": {"1"}}, 0, []string{"value"}},
		{"unknown kind", url.Values{"code": {"A"}, "kind": {"gift"}, "max_uses": {"1"}}, 0, []string{"kind"}},
		{"max below uses", url.Values{"code": {"A"}, "kind": {"free"}, "max_uses": {"2"}}, 3, []string{"max_uses"}},
		{"huge max", url.Values{"code": {"A"}, "kind": {"free"}, "max_uses": {"99999999999"}}, 0, []string{"max_uses"}},
		{"bad date", url.Values{"code": {"A"}, "kind": {"free"}, "max_uses": {"1"}, "valid_until": {"31/12/2026"}}, 0, []string{"valid_until"}},
		{"foreign ticket", url.Values{"code": {"A"}, "kind": {"free"}, "max_uses": {"1"}, "ticket_types": {"3", "8"}}, 0, []string{"ticket_types"}},
		{"long note", url.Values{"code": {"A"}, "kind": {"free"}, "max_uses": {"1"}, "note": {strings.Repeat("n", 201)}}, 0, []string{"note"}},
	}
	for _, c := range cases {
		v, errs := parseVoucherForm(c.v).Validate(loc, tts, c.uses)
		if len(errs) != len(c.fields) {
			t.Errorf("%s: errors %v, want on %v", c.name, errs, c.fields)
		}
		for _, f := range c.fields {
			if _, ok := errs[f]; !ok {
				t.Errorf("%s: no error on %s (%v)", c.name, f, errs)
			}
		}
		if c.name == "ok percent" && (v.Code != "SPRING-25" || v.Value != 25 || v.MaxUses != 10) {
			t.Errorf("ok percent: %+v", v)
		}
		if c.name == "ok free unlimited" && (v.TicketTypeIDs != "7" || !v.UnlockHidden || v.Kind != models.VoucherFree) {
			t.Errorf("ok free: %+v", v)
		}
	}
	v, errs := parseVoucherForm(url.Values{"code": {"A"}, "kind": {"fixed"}, "value": {"12,50"}, "max_uses": {"1"},
		"valid_until": {"2026-12-31T23:59"}}).Validate(loc, tts, 0)
	if len(errs) != 0 || v.Value != 1250 || v.ValidUntil == nil || v.ValidUntil.Format(time.RFC3339) != "2026-12-31T22:59:00Z" {
		t.Fatalf("fixed with date: %+v %v", v, errs)
	}
}

func TestPaymentSettingsAndRefundForms(t *testing.T) {
	for in, want := range map[string]int{"": 0, "0": 0, "21": 2100, "10.5": 1050, "10,25": 1025, "7%": 700, "100": 10000} {
		if bp, ok := parseVATRate(in); !ok || bp != want {
			t.Errorf("parseVATRate(%q) = %d %v, want %d", in, bp, ok, want)
		}
	}
	for _, in := range []string{"100.01", "-1", "abc", "1.234", "1e3", ".5", "1000"} {
		if _, ok := parseVATRate(in); ok {
			t.Errorf("parseVATRate(%q) accepted", in)
		}
	}
	for bp, want := range map[int]string{0: "0", 2100: "21", 1050: "10.5", 1025: "10.25"} {
		if got := formatVATRate(bp); got != want {
			t.Errorf("formatVATRate(%d) = %q, want %q", bp, got, want)
		}
	}
	s, errs := parsePaymentSettingsForm(url.Values{"allow_invoice": {"1"}, "invoice_days": {"30"}, "vat_rate": {"21"}}).Validate()
	if len(errs) != 0 || !s.AllowInvoice || s.InvoiceDays != 30 || s.VATRateBP != 2100 {
		t.Fatalf("settings %+v %v", s, errs)
	}
	if _, errs := parsePaymentSettingsForm(url.Values{"invoice_days": {"91"}, "vat_rate": {"x"}}).Validate(); len(errs) != 2 {
		t.Fatalf("bad settings: %v", errs)
	}
	for amount, ok := range map[string]bool{"25": true, "25.00": true, "0.01": true, "25.01": false, "0": false, "": false, "-1": false, "x": false} {
		_, errs := RefundForm{Amount: amount}.Validate(2500)
		if (len(errs) == 0) != ok {
			t.Errorf("refund %q: %v", amount, errs)
		}
	}
}
