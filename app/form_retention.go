package app

import (
	"strconv"
	"strings"

	"github.com/agora-events/agora/models"
)

// retentionForm is a retention period as typed: months, or (for an event)
// the organization's default.
type retentionForm struct {
	Months     string
	UseDefault bool
}

func parseRetentionForm(get func(string) string) retentionForm {
	return retentionForm{Months: strings.TrimSpace(get("months")), UseDefault: get("use_default") == "1"}
}

// Validate returns the period (nil = the organization's default when
// allowDefault) or the message beside the field.
func (f retentionForm) Validate(allowDefault bool) (*int, FieldErrors) {
	errs := FieldErrors{}
	if allowDefault && f.UseDefault {
		return nil, errs
	}
	n, err := strconv.Atoi(f.Months)
	switch {
	case f.Months == "":
		errs.Add("months", "form.required")
	case err != nil || !models.ValidRetentionMonths(n):
		errs.Add("months", "retention.months_invalid", "Min", models.MinRetentionMonths, "Max", models.MaxRetentionMonths)
	default:
		return &n, errs
	}
	return nil, errs
}
