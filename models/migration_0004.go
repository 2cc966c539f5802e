package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0004Payments adds what paid tickets need: more about each payment
// attempt, refunds, processed Stripe event ids, vouchers and their
// redemptions, and the per-event payment settings (bank transfer, VAT).
func migrate0004Payments(tx *gorm.DB) error {
	type event struct {
		ID            uint   `gorm:"primaryKey"`
		AllowInvoice  bool   `gorm:"not null;default:false"`
		InvoiceDays   int    `gorm:"not null;default:14"`
		VATRateBP     int    `gorm:"column:vat_rate_bp;not null;default:0"`
		InvoiceNotice string `gorm:"size:2000"`
	}
	for _, col := range []string{"AllowInvoice", "InvoiceDays", "VATRateBP", "InvoiceNotice"} {
		if err := tx.Migrator().AddColumn(&event{}, col); err != nil {
			return err
		}
	}
	type order struct{ ID uint }
	type payment struct {
		ID             uint   `gorm:"primaryKey"`
		RefundedAmount int64  `gorm:"not null;default:0"`
		CheckoutURL    string `gorm:"size:1000"`
		SessionExpires *time.Time
		Note           string `gorm:"size:500"`
	}
	for _, col := range []string{"RefundedAmount", "CheckoutURL", "SessionExpires", "Note"} {
		if err := tx.Migrator().AddColumn(&payment{}, col); err != nil {
			return err
		}
	}
	type refund struct {
		ID               uint    `gorm:"primaryKey"`
		OrderID          uint    `gorm:"not null;index"`
		PaymentID        uint    `gorm:"not null;index"`
		Amount           int64   `gorm:"not null"`
		Currency         string  `gorm:"size:3;not null"`
		Reason           string  `gorm:"size:30;not null"`
		ProviderRefundID *string `gorm:"size:255;uniqueIndex"`
		CreatedAt        time.Time
	}
	type stripeEvent struct {
		ID          string `gorm:"primaryKey;size:255"`
		Type        string `gorm:"size:100;not null"`
		ProcessedAt time.Time
	}
	type voucher struct {
		ID            uint   `gorm:"primaryKey"`
		EventID       uint   `gorm:"not null;uniqueIndex:idx_vouchers_event_code,priority:1"`
		Code          string `gorm:"size:40;not null;uniqueIndex:idx_vouchers_event_code,priority:2"`
		Kind          string `gorm:"size:20;not null"`
		Value         int64  `gorm:"not null;default:0"`
		MaxUses       int    `gorm:"not null;default:0"`
		Uses          int    `gorm:"not null;default:0"`
		ValidUntil    *time.Time
		TicketTypeIDs string `gorm:"size:1000;not null;default:''"`
		UnlockHidden  bool   `gorm:"not null;default:false"`
		Note          string `gorm:"size:200"`
		CreatedAt     time.Time
		UpdatedAt     time.Time
		Event         event `gorm:"constraint:OnDelete:CASCADE"`
	}
	type voucherRedemption struct {
		ID        uint  `gorm:"primaryKey"`
		VoucherID uint  `gorm:"not null;index"`
		OrderID   uint  `gorm:"not null;uniqueIndex"`
		Discount  int64 `gorm:"not null"`
		CreatedAt time.Time
		Voucher   voucher `gorm:"constraint:OnDelete:RESTRICT"`
		Order     order   `gorm:"constraint:OnDelete:CASCADE"`
	}
	return tx.AutoMigrate(&refund{}, &stripeEvent{}, &voucher{}, &voucherRedemption{})
}
