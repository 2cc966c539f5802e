package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0010EventMail adds the organization's contact (the Reply-To of its
// events' e-mails) and the per-event mail settings: the reminder before the
// event and the event's own contact.
func migrate0010EventMail(tx *gorm.DB) error {
	type organization struct {
		ID           uint   `gorm:"primaryKey"`
		ContactName  string `gorm:"size:200;not null;default:''"`
		ContactEmail string `gorm:"size:254;not null;default:''"`
	}
	for _, col := range []string{"ContactName", "ContactEmail"} {
		if err := tx.Migrator().AddColumn(&organization{}, col); err != nil {
			return err
		}
	}
	type eventMailSetting struct {
		EventID          uint   `gorm:"primaryKey;autoIncrement:false"`
		RemindersEnabled bool   `gorm:"not null;default:true"`
		ReminderHours    int    `gorm:"not null;default:48"`
		ReminderText     string `gorm:"type:text"`
		ContactName      string `gorm:"size:200;not null;default:''"`
		ContactEmail     string `gorm:"size:254;not null;default:''"`
		UpdatedAt        time.Time
	}
	return tx.AutoMigrate(&eventMailSetting{})
}
