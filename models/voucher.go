package models

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Voucher kinds.
const (
	VoucherPercent = "percent" // Value is a percentage, 1..100
	VoucherFixed   = "fixed"   // Value is an amount off the order, minor units
	VoucherFree    = "free"    // the order costs nothing
)

// VoucherKinds lists the kinds in the order the form offers them.
var VoucherKinds = []string{VoucherPercent, VoucherFixed, VoucherFree}

// MaxVoucherCode is the longest code (the column's size).
const MaxVoucherCode = 40

// Errors of the voucher rules: each is a message beside the code field.
var (
	ErrVoucherUnknown       = errors.New("no voucher has this code")
	ErrVoucherExpired       = errors.New("the voucher is no longer valid")
	ErrVoucherUsedUp        = errors.New("the voucher has been used as often as it may")
	ErrVoucherNotApplicable = errors.New("the voucher does not apply to this ticket type")
	ErrVoucherCodeTaken     = errors.New("another voucher of this event has this code")
)

// Voucher is a code that lowers the price of an order, limited in uses, time
// and ticket types, and able to unlock hidden ticket types. Uses only
// changes through RedeemVoucher (inside PlaceOrder) and the give-back when
// the order ends, so it never exceeds MaxUses.
type Voucher struct {
	ID      uint   `gorm:"primaryKey"`
	EventID uint   `gorm:"not null"`
	Code    string `gorm:"size:40;not null"`
	Kind    string `gorm:"size:20;not null"`
	Value   int64  `gorm:"not null;default:0"`
	// MaxUses 0 means no limit.
	MaxUses    int `gorm:"not null;default:0"`
	Uses       int `gorm:"not null;default:0"`
	ValidUntil *time.Time
	// TicketTypeIDs is a comma-separated list; empty means every type.
	TicketTypeIDs string `gorm:"size:1000;not null;default:''"`
	UnlockHidden  bool   `gorm:"not null;default:false"`
	Note          string `gorm:"size:200"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// VoucherRedemption ties a voucher to the order that used it; it is deleted
// when the order ends, which gives the use back exactly once.
type VoucherRedemption struct {
	ID        uint  `gorm:"primaryKey"`
	VoucherID uint  `gorm:"not null;index"`
	OrderID   uint  `gorm:"not null;uniqueIndex"`
	Discount  int64 `gorm:"not null"`
	CreatedAt time.Time
}

// NormalizeVoucherCode is how codes are stored and looked up: trimmed,
// upper case, so "spring-25 " and "SPRING-25" are one code.
func NormalizeVoucherCode(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// TicketTypes returns the ticket type ids the voucher is limited to (nil = all).
func (v Voucher) TicketTypes() []uint {
	var out []uint
	for _, s := range strings.Split(v.TicketTypeIDs, ",") {
		if n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64); err == nil && n > 0 {
			out = append(out, uint(n))
		}
	}
	return out
}

// SetTicketTypes stores ids (sorted, no repeats) in TicketTypeIDs.
func (v *Voucher) SetTicketTypes(ids []uint) {
	seen := map[uint]bool{}
	var keep []uint
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			keep = append(keep, id)
		}
	}
	sort.Slice(keep, func(i, j int) bool { return keep[i] < keep[j] })
	parts := make([]string, len(keep))
	for i, id := range keep {
		parts[i] = strconv.FormatUint(uint64(id), 10)
	}
	v.TicketTypeIDs = strings.Join(parts, ",")
}

// AppliesTo reports whether the voucher may be used for ticket type ttID.
func (v Voucher) AppliesTo(ttID uint) bool {
	ids := v.TicketTypes()
	if len(ids) == 0 {
		return true
	}
	for _, id := range ids {
		if id == ttID {
			return true
		}
	}
	return false
}

// Expired reports whether the voucher's validity ended at now.
func (v Voucher) Expired(now time.Time) bool {
	return v.ValidUntil != nil && !v.ValidUntil.After(now)
}

// UsedUp reports whether every allowed use is taken.
func (v Voucher) UsedUp() bool { return v.MaxUses > 0 && v.Uses >= v.MaxUses }

// Discount is what the voucher takes off an order of total (minor units);
// never more than the total. A percentage rounds the discount down, so
// the buyer never pays less than the rate says by a rounding cent.
func (v Voucher) Discount(total int64) int64 {
	var d int64
	switch v.Kind {
	case VoucherFree:
		d = total
	case VoucherPercent:
		d = total * min(max(v.Value, 0), 100) / 100
	case VoucherFixed:
		d = max(v.Value, 0)
	}
	return min(d, total)
}

// VoucherByCode finds the voucher of event eventID with code (any case);
// ErrVoucherUnknown when there is none.
func VoucherByCode(db *gorm.DB, eventID uint, code string) (*Voucher, error) {
	code = NormalizeVoucherCode(code)
	if code == "" || len(code) > MaxVoucherCode {
		return nil, ErrVoucherUnknown
	}
	var v Voucher
	if err := db.Where("event_id = ? AND code = ?", eventID, code).Take(&v).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrVoucherUnknown
		}
		return nil, err
	}
	return &v, nil
}

// CheckVoucher says whether code may be used now for ticket type ttID of
// event eventID (ttID 0: any type). It reads without locking: the use is
// only taken, atomically, by PlaceOrder.
func CheckVoucher(db *gorm.DB, eventID uint, code string, ttID uint, now time.Time) (*Voucher, error) {
	v, err := VoucherByCode(db, eventID, code)
	if err != nil {
		return nil, err
	}
	switch {
	case v.Expired(now):
		return v, ErrVoucherExpired
	case v.UsedUp():
		return v, ErrVoucherUsedUp
	case ttID != 0 && !v.AppliesTo(ttID):
		return v, ErrVoucherNotApplicable
	}
	return v, nil
}

// redeemVoucher takes one use of voucher v inside tx: a conditional update
// that succeeds only while a use is left and the voucher is valid, so
// concurrent orders can never take more than MaxUses.
func redeemVoucher(tx *gorm.DB, v *Voucher, now time.Time) error {
	res := tx.Model(&Voucher{}).
		Where("id = ? AND (max_uses = 0 OR uses < max_uses) AND (valid_until IS NULL OR valid_until > ?)", v.ID, now).
		Updates(map[string]any{"uses": gorm.Expr("uses + 1")})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		if v.Expired(now) {
			return ErrVoucherExpired
		}
		return ErrVoucherUsedUp
	}
	return nil
}

// releaseVoucherUse gives back the voucher use of an order that ended
// (cancelled or expired). Deleting the redemption decides who gives it
// back, so a second call, or a concurrent one, changes nothing.
func releaseVoucherUse(tx *gorm.DB, orderID uint) error {
	var r VoucherRedemption
	if err := tx.Where("order_id = ?", orderID).Take(&r).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		return err
	}
	res := tx.Where("id = ?", r.ID).Delete(&VoucherRedemption{})
	if res.Error != nil || res.RowsAffected != 1 {
		return res.Error
	}
	return tx.Model(&Voucher{}).Where("id = ? AND uses > 0", r.VoucherID).
		Update("uses", gorm.Expr("uses - 1")).Error
}

// VoucherRedemptionOf returns the voucher used by an order, if any.
func VoucherRedemptionOf(db *gorm.DB, orderID uint) (*VoucherRedemption, error) {
	var r VoucherRedemption
	if err := db.Where("order_id = ?", orderID).Take(&r).Error; err != nil {
		return nil, err
	}
	return &r, nil
}
