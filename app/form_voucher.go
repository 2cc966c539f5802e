package app

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/agora-events/agora/models"
)

// Limits of the voucher form.
const (
	maxVoucherUses = 1_000_000
	maxVoucherNote = 200
)

// voucherCodeRe is what a code may be once upper-cased: easy to read out
// and to put in a link.
var voucherCodeRe = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,39}$`)

// VoucherForm is the voucher form as typed.
type VoucherForm struct {
	Code         string
	Kind         string
	Value        string
	MaxUses      string
	ValidUntil   string
	TicketTypes  map[string]bool // ticket type id -> ticked
	UnlockHidden bool
	Note         string
}

func parseVoucherForm(v url.Values) VoucherForm {
	f := VoucherForm{Code: strings.TrimSpace(v.Get("code")), Kind: strings.TrimSpace(v.Get("kind")),
		Value: strings.TrimSpace(v.Get("value")), MaxUses: strings.TrimSpace(v.Get("max_uses")),
		ValidUntil: strings.TrimSpace(v.Get("valid_until")), TicketTypes: map[string]bool{},
		UnlockHidden: v.Get("unlock_hidden") != "", Note: strings.TrimSpace(v.Get("note"))}
	for _, s := range v["ticket_types"] {
		f.TicketTypes[strings.TrimSpace(s)] = true
	}
	return f
}

func newVoucherForm() VoucherForm {
	return VoucherForm{Kind: models.VoucherPercent, MaxUses: "1", TicketTypes: map[string]bool{}}
}

func voucherFormFrom(v *models.Voucher, loc *time.Location) VoucherForm {
	f := VoucherForm{Code: v.Code, Kind: v.Kind, MaxUses: itoa(v.MaxUses), TicketTypes: map[string]bool{},
		UnlockHidden: v.UnlockHidden, Note: v.Note}
	switch v.Kind {
	case models.VoucherPercent:
		f.Value = strconv.FormatInt(v.Value, 10)
	case models.VoucherFixed:
		f.Value = formatPrice(v.Value)
	}
	if v.ValidUntil != nil {
		f.ValidUntil = v.ValidUntil.In(loc).Format("2006-01-02T15:04")
	}
	for _, id := range v.TicketTypes() {
		f.TicketTypes[strconv.FormatUint(uint64(id), 10)] = true
	}
	return f
}

// Validate checks every field. ticketIDs are the event's ticket types;
// uses is how often the voucher was used (0 for a new one): the maximum
// may not go below it. It returns the voucher to save (EventID and ID are
// the caller's) when there is no problem.
func (f VoucherForm) Validate(loc *time.Location, ticketIDs []uint, uses int) (models.Voucher, FieldErrors) {
	errs := FieldErrors{}
	v := models.Voucher{Code: models.NormalizeVoucherCode(f.Code), Kind: f.Kind, UnlockHidden: f.UnlockHidden, Note: f.Note}
	checkRequired(errs, "code", f.Code)
	if f.Code != "" && !voucherCodeRe.MatchString(v.Code) {
		errs.Add("code", "vouchers.error.code_format")
	}
	switch f.Kind {
	case models.VoucherPercent:
		n, err := strconv.Atoi(f.Value)
		if err != nil || n < 1 || n > 100 {
			errs.Add("value", "vouchers.error.percent_range")
		}
		v.Value = int64(n)
	case models.VoucherFixed:
		amount, msg := parsePrice(f.Value)
		switch {
		case msg != "":
			errs.Add("value", msg)
		case amount <= 0:
			errs.Add("value", "vouchers.error.amount_positive")
		}
		v.Value = amount
	case models.VoucherFree:
		v.Value = 0
	default:
		errs.Add("kind", "form.choose")
	}
	if f.MaxUses == "" {
		errs.Add("max_uses", "form.required")
	}
	v.MaxUses = parseCount(errs, "max_uses", f.MaxUses, maxVoucherUses)
	if _, bad := errs["max_uses"]; !bad && v.MaxUses > 0 && v.MaxUses < uses {
		errs.Add("max_uses", "vouchers.error.max_uses_below", "Uses", uses)
	}
	until, _ := optionalLocal(errs, "valid_until", f.ValidUntil, loc)
	v.ValidUntil = until
	known := map[string]uint{}
	for _, id := range ticketIDs {
		known[strconv.FormatUint(uint64(id), 10)] = id
	}
	var ids []uint
	for s := range f.TicketTypes {
		id, ok := known[s]
		if !ok {
			errs.Add("ticket_types", "vouchers.error.unknown_ticket")
			continue
		}
		ids = append(ids, id)
	}
	v.SetTicketTypes(ids)
	checkLen(errs, "note", f.Note, maxVoucherNote)
	return v, errs
}
