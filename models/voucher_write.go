package models

import (
	"errors"
	"strings"

	"gorm.io/gorm"
)

// VouchersOf lists an event's vouchers by code.
func VouchersOf(db *gorm.DB, eventID uint) ([]Voucher, error) {
	var vs []Voucher
	err := db.Where("event_id = ?", eventID).Order("code, id").Find(&vs).Error
	return vs, err
}

// VoucherOf loads voucher id of event eventID (another event's is not found).
func VoucherOf(db *gorm.DB, eventID, id uint) (*Voucher, error) {
	var v Voucher
	if err := db.Where("id = ? AND event_id = ?", id, eventID).Take(&v).Error; err != nil {
		return nil, err
	}
	return &v, nil
}

// SaveVoucher creates v (ID 0) or updates its settings; Uses is never
// written here, only by redemptions. A code another voucher of the event
// has is ErrVoucherCodeTaken.
func SaveVoucher(db *gorm.DB, v *Voucher) error {
	v.Code = NormalizeVoucherCode(v.Code)
	var err error
	if v.ID == 0 {
		v.Uses = 0
		err = db.Create(v).Error
	} else {
		err = db.Model(&Voucher{}).Where("id = ? AND event_id = ?", v.ID, v.EventID).
			Select("code", "kind", "value", "max_uses", "valid_until", "ticket_type_ids", "unlock_hidden", "note", "updated_at").
			Updates(v).Error
	}
	if isUniqueViolation(err) {
		return ErrVoucherCodeTaken
	}
	return err
}

// isUniqueViolation recognises a unique index collision on either database
// (GORM translates it only when TranslateError is on).
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "unique constraint") || strings.Contains(s, "duplicate key")
}
