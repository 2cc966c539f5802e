package app

import (
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// unlockedTicketTypes keeps the visible ticket types and the hidden ones
// voucher v unlocks (v nil: visible only).
func unlockedTicketTypes(tts []models.TicketType, v *models.Voucher) []models.TicketType {
	out := tts[:0:0]
	for _, tt := range tts {
		if !tt.Hidden || (v != nil && v.UnlockHidden && v.AppliesTo(tt.ID)) {
			out = append(out, tt)
		}
	}
	return out
}

// voucherFieldMessage is the message beside the voucher field for a voucher
// error, "" when err is not one.
func voucherFieldMessage(err error) string {
	switch {
	case errors.Is(err, models.ErrVoucherUnknown):
		return "vouchers.error.unknown"
	case errors.Is(err, models.ErrVoucherExpired):
		return "vouchers.error.expired"
	case errors.Is(err, models.ErrVoucherUsedUp):
		return "vouchers.error.used_up"
	case errors.Is(err, models.ErrVoucherNotApplicable):
		return "vouchers.error.not_applicable"
	}
	return ""
}

// checkVoucherField puts a message beside voucher_code when code cannot be
// used for ticket type ttID (0: any) now. The code itself is only taken,
// atomically, when the order is placed.
func checkVoucherField(errs FieldErrors, db *gorm.DB, eventID uint, code string, ttID uint, now time.Time) {
	if _, err := models.CheckVoucher(db, eventID, code, ttID, now); err != nil {
		if msg := voucherFieldMessage(err); msg != "" {
			errs.Add("voucher_code", msg)
		} else {
			errs.Add("voucher_code", "vouchers.error.unknown")
		}
	}
}
