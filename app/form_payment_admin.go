package app

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/agora-events/agora/models"
)

// Limits of the payment settings form.
const (
	maxInvoiceDays   = 90
	maxInvoiceNotice = 2000
)

// PaymentSettingsForm is the event's payment settings form as typed.
type PaymentSettingsForm struct {
	AllowInvoice  bool
	InvoiceDays   string
	InvoiceNotice string
	VATRate       string // percent, e.g. "21" or "10.5"
}

func parsePaymentSettingsForm(v url.Values) PaymentSettingsForm {
	return PaymentSettingsForm{AllowInvoice: v.Get("allow_invoice") != "", InvoiceDays: strings.TrimSpace(v.Get("invoice_days")),
		InvoiceNotice: strings.TrimSpace(v.Get("invoice_notice")), VATRate: strings.TrimSpace(v.Get("vat_rate"))}
}

func paymentSettingsFormFrom(s models.EventPaymentSettings) PaymentSettingsForm {
	return PaymentSettingsForm{AllowInvoice: s.AllowInvoice, InvoiceDays: itoa(s.InvoiceDays), InvoiceNotice: s.InvoiceNotice,
		VATRate: formatVATRate(s.VATRateBP)}
}

// formatVATRate shows basis points as a percentage: 2100 -> "21", 1050 -> "10.5".
func formatVATRate(bp int) string {
	s := strconv.Itoa(bp/100) + "." + strconv.Itoa(bp%100/10) + strconv.Itoa(bp%10)
	return strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(s, "0"), "0"), ".")
}

// parseVATRate reads a percentage with up to two decimals (0 to 100) as
// basis points; ok is false for anything else.
func parseVATRate(s string) (int, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(strings.Replace(s, ",", ".", 1)), "%")
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || len(whole) > 3 || !allDigits(whole) || (hasFrac && (frac == "" || len(frac) > 2 || !allDigits(frac))) {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi(frac)
	bp := w*100 + f
	return bp, bp <= 10000
}

// Validate checks the form and returns the settings to save (ID is the caller's).
func (f PaymentSettingsForm) Validate() (models.EventPaymentSettings, FieldErrors) {
	errs := FieldErrors{}
	s := models.EventPaymentSettings{AllowInvoice: f.AllowInvoice, InvoiceNotice: f.InvoiceNotice}
	if f.InvoiceDays == "" {
		errs.Add("invoice_days", "form.required")
	} else if n := parseCount(errs, "invoice_days", f.InvoiceDays, maxInvoiceDays); n < 1 {
		errs.Add("invoice_days", "payadmin.error.days_range", "Max", maxInvoiceDays)
	} else {
		s.InvoiceDays = n
	}
	checkLen(errs, "invoice_notice", f.InvoiceNotice, maxInvoiceNotice)
	if bp, ok := parseVATRate(f.VATRate); !ok {
		errs.Add("vat_rate", "payadmin.error.vat_rate")
	} else {
		s.VATRateBP = bp
	}
	return s, errs
}

// RefundForm is the organizer's refund form as typed.
type RefundForm struct {
	Amount string
	Cancel bool
	// Seq is how many refunds the payment had when the form was shown: a
	// form posted twice, or after another refund, is refused as stale, and
	// it names the refund's idempotency key.
	Seq string
}

func parseRefundForm(v url.Values) RefundForm {
	return RefundForm{Amount: strings.TrimSpace(v.Get("amount")), Cancel: v.Get("cancel") != "", Seq: strings.TrimSpace(v.Get("seq"))}
}

// Validate checks the amount against what is left to refund (minor units).
func (f RefundForm) Validate(left int64) (int64, FieldErrors) {
	errs := FieldErrors{}
	if f.Amount == "" {
		errs.Add("amount", "form.required")
		return 0, errs
	}
	amount, msg := parsePrice(f.Amount)
	switch {
	case msg != "":
		errs.Add("amount", msg)
	case amount <= 0:
		errs.Add("amount", "payadmin.error.amount_positive")
	case amount > left:
		errs.Add("amount", "payadmin.error.amount_too_big", "Max", formatPrice(left))
	}
	return amount, errs
}
