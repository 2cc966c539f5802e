package app

import (
	"net/url"
	"strings"
	"time"

	"github.com/agora-events/agora/models"
)

// RefundPolicyForm is an event's refund policy for self-cancellation as typed.
type RefundPolicyForm struct {
	Policy     string
	Until      string // datetime-local in the event's zone; empty = until the event starts
	FeeFixed   string // amount, e.g. "5" or "5.50"
	FeePercent string // e.g. "10" or "7.5"
}

func parseRefundPolicyForm(v url.Values) RefundPolicyForm {
	return RefundPolicyForm{Policy: strings.TrimSpace(v.Get("policy")), Until: strings.TrimSpace(v.Get("until")),
		FeeFixed: strings.TrimSpace(v.Get("fee_fixed")), FeePercent: strings.TrimSpace(v.Get("fee_percent"))}
}

func refundPolicyFormFrom(p models.EventRefundPolicy, loc *time.Location) RefundPolicyForm {
	f := RefundPolicyForm{Policy: p.Policy}
	if f.Policy == "" {
		f.Policy = models.RefundPolicyNone
	}
	if p.Until != nil {
		f.Until = p.Until.In(loc).Format("2006-01-02T15:04")
	}
	if p.FeeFixed > 0 {
		f.FeeFixed = formatPrice(p.FeeFixed)
	}
	if p.FeeBP > 0 {
		f.FeePercent = formatVATRate(p.FeeBP)
	}
	return f
}

// Validate checks the form and returns the policy to save (ID is the caller's).
func (f RefundPolicyForm) Validate(loc *time.Location) (models.EventRefundPolicy, FieldErrors) {
	errs := FieldErrors{}
	p := models.EventRefundPolicy{Policy: f.Policy}
	valid := false
	for _, k := range models.RefundPolicies {
		valid = valid || k == f.Policy
	}
	if !valid {
		errs.Add("policy", "refundpolicy.error.policy")
	}
	if f.Until != "" {
		t, ok := parseLocal(f.Until, loc)
		if !ok {
			errs.Add("until", "form.bad_datetime")
		} else {
			p.Until = &t
		}
	}
	if n, msg := parsePrice(f.FeeFixed); msg != "" {
		errs.Add("fee_fixed", msg)
	} else {
		p.FeeFixed = n
	}
	if bp, ok := parseVATRate(f.FeePercent); !ok {
		errs.Add("fee_percent", "refundpolicy.error.percent")
	} else {
		p.FeeBP = bp
	}
	if f.Policy == models.RefundPolicyFee && p.FeeFixed == 0 && p.FeeBP == 0 && errs["fee_fixed"].ID == "" && errs["fee_percent"].ID == "" {
		errs.Add("fee_fixed", "refundpolicy.error.fee_required")
	}
	if f.Policy != models.RefundPolicyFee {
		p.FeeFixed, p.FeeBP = 0, 0
	}
	return p, errs
}
