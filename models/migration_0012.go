package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0012StaffRegistrations adds what staff registrations need: a row
// per order an organizer made (its kind, who, and for imports the e-mail
// that makes importing twice a no-op), the change records of attendees and
// orders, and the import jobs with their rows.
func migrate0012StaffRegistrations(tx *gorm.DB) error {
	type staffOrder struct {
		OrderID     uint    `gorm:"primaryKey;autoIncrement:false"`
		EventID     uint    `gorm:"not null;index;uniqueIndex:idx_staff_orders_import_email,priority:1"`
		Kind        string  `gorm:"size:20;not null"`
		UserID      uint    `gorm:"not null;default:0"`
		UserName    string  `gorm:"size:200;not null;default:''"`
		ImportID    *uint   `gorm:"index"`
		ImportEmail *string `gorm:"size:254;uniqueIndex:idx_staff_orders_import_email,priority:2"`
		CreatedAt   time.Time
	}
	type registrationChange struct {
		ID         uint   `gorm:"primaryKey"`
		EventID    uint   `gorm:"not null;index"`
		OrderID    uint   `gorm:"not null;index"`
		AttendeeID *uint  `gorm:"index"`
		UserID     uint   `gorm:"not null;default:0"`
		UserName   string `gorm:"size:200;not null;default:''"`
		Action     string `gorm:"size:30;not null"`
		Details    string `gorm:"type:text"`
		CreatedAt  time.Time
	}
	type registrationImport struct {
		ID           uint   `gorm:"primaryKey"`
		EventID      uint   `gorm:"not null;index"`
		UserID       uint   `gorm:"not null;default:0"`
		UserName     string `gorm:"size:200;not null;default:''"`
		FileName     string `gorm:"size:200;not null;default:''"`
		Status       string `gorm:"size:20;not null;index"`
		SendMail     bool   `gorm:"not null;default:false"`
		Rows         int    `gorm:"not null;default:0"`
		ClaimedBy    string `gorm:"size:100;not null;default:''"`
		ClaimedUntil *time.Time
		FinishedAt   *time.Time
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	type registrationImportRow struct {
		ID             uint   `gorm:"primaryKey"`
		ImportID       uint   `gorm:"not null;uniqueIndex:idx_import_rows_line,priority:1;index:idx_import_rows_state,priority:1"`
		Line           int    `gorm:"not null;uniqueIndex:idx_import_rows_line,priority:2;index:idx_import_rows_state,priority:3"`
		Name           string `gorm:"size:200;not null;default:''"`
		Email          string `gorm:"size:254;not null;default:''"`
		Organization   string `gorm:"size:200;not null;default:''"`
		TicketTypeName string `gorm:"size:200;not null;default:''"`
		TicketTypeID   uint   `gorm:"not null;default:0"`
		Language       string `gorm:"size:8;not null;default:''"`
		State          string `gorm:"size:20;not null;index:idx_import_rows_state,priority:2"`
		Problem        string `gorm:"size:40;not null;default:''"`
		OrderID        *uint
		UpdatedAt      time.Time
	}
	return tx.Migrator().CreateTable(&staffOrder{}, &registrationChange{}, &registrationImport{}, &registrationImportRow{})
}
