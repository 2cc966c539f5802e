package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0011Cancellations adds what cancelling an event and cancelling an
// order oneself need: the cancellation job and its per-order items, the
// reason and amount of a payment's pending refund (claimed as the late
// refunds are), and each event's refund policy for self-cancellation.
func migrate0011Cancellations(tx *gorm.DB) error {
	type payment struct {
		ID           uint   `gorm:"primaryKey"`
		RefundReason string `gorm:"size:30;not null;default:''"`
		RefundAmount int64  `gorm:"not null;default:0"`
	}
	for _, col := range []string{"RefundReason", "RefundAmount"} {
		if err := tx.Migrator().AddColumn(&payment{}, col); err != nil {
			return err
		}
	}
	type event struct {
		ID             uint   `gorm:"primaryKey"`
		RefundPolicy   string `gorm:"size:10;not null;default:'none'"`
		RefundUntil    *time.Time
		RefundFeeFixed int64 `gorm:"not null;default:0"`
		RefundFeeBP    int   `gorm:"column:refund_fee_bp;not null;default:0"`
	}
	for _, col := range []string{"RefundPolicy", "RefundUntil", "RefundFeeFixed", "RefundFeeBP"} {
		if err := tx.Migrator().AddColumn(&event{}, col); err != nil {
			return err
		}
	}
	type eventCancellation struct {
		ID         uint   `gorm:"primaryKey"`
		EventID    uint   `gorm:"not null;uniqueIndex"`
		Subject    string `gorm:"size:300;not null"`
		Body       string `gorm:"type:text;not null"`
		BodyHTML   string `gorm:"column:body_html;type:text;not null"`
		CreatedBy  uint   `gorm:"not null;default:0"`
		State      string `gorm:"size:20;not null;index"`
		CreatedAt  time.Time
		UpdatedAt  time.Time
		FinishedAt *time.Time
	}
	type cancellationItem struct {
		ID             uint   `gorm:"primaryKey"`
		CancellationID uint   `gorm:"not null;index"`
		OrderID        uint   `gorm:"not null;uniqueIndex"`
		PaymentID      *uint  `gorm:"index"`
		Refund         string `gorm:"size:10;not null"`
		Amount         int64  `gorm:"not null;default:0"`
		Currency       string `gorm:"size:3;not null;default:EUR"`
		State          string `gorm:"size:10;not null;index"`
		Attempts       int    `gorm:"not null;default:0"`
		LastError      string `gorm:"size:500"`
		UpdatedAt      time.Time
	}
	return tx.Migrator().CreateTable(&eventCancellation{}, &cancellationItem{})
}
