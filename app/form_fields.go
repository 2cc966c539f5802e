package app

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Small checks shared by the organizer forms. Each adds at most one message
// per field (FieldErrors keeps the first).

// localLayouts are what a datetime-local input sends (with or without seconds).
var localLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"}

// parseLocal reads a datetime-local value as a wall-clock time in loc.
func parseLocal(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// checkLen reports a field longer than max characters.
func checkLen(errs FieldErrors, field, value string, max int) {
	if utf8.RuneCountInString(value) > max {
		errs.Add(field, "form.too_long", "Max", max)
	}
}

// checkRequired reports an empty field.
func checkRequired(errs FieldErrors, field, value string) {
	if strings.TrimSpace(value) == "" {
		errs.Add(field, "form.required")
	}
}

// parseCount reads a non-negative whole number up to max; empty is 0.
func parseCount(errs FieldErrors, field, value string, max int) int {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0
	}
	n, err := strconv.Atoi(value)
	switch {
	case err != nil:
		errs.Add(field, "form.not_a_number")
	case n < 0:
		errs.Add(field, "form.negative")
	case n > max:
		errs.Add(field, "form.too_big", "Max", max)
	}
	return n
}

// validWebURL accepts only absolute http and https addresses with a host.
func validWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " \t\r\n")
}

// parseID reads a positive id from a form value; empty or bad is 0.
func parseID(s string) uint {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
	if err != nil {
		return 0
	}
	return uint(n)
}

func itoa(n int) string { return strconv.Itoa(n) }

// merge adds other's messages to e (keeping e's first message per field).
func (e FieldErrors) merge(other FieldErrors) FieldErrors {
	for k, m := range other {
		if _, ok := e[k]; !ok {
			e[k] = m
		}
	}
	return e
}

// selectOption is one choice of a select field. The "selectfield" partial
// translates Label when given a Prefix (e.g. "kind."), else shows it as is.
type selectOption struct {
	Value string
	Label string
}

// optionsOf makes options whose value and label are the same key.
func optionsOf(keys []string) []selectOption {
	out := make([]selectOption, len(keys))
	for i, k := range keys {
		out[i] = selectOption{Value: k, Label: k}
	}
	return out
}
