package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0026Webhooks adds the organizations' webhook endpoints and one row
// per delivery (written in the transaction of the change it reports).
func migrate0026Webhooks(tx *gorm.DB) error {
	type webhookEndpoint struct {
		ID             uint   `gorm:"primaryKey"`
		OrganizationID uint   `gorm:"not null;index:idx_webhook_endpoints_org_active,priority:1"`
		Active         bool   `gorm:"not null;default:true;index:idx_webhook_endpoints_org_active,priority:2"`
		URL            string `gorm:"column:url;size:2000;not null"`
		EventTypes     string `gorm:"size:500;not null"`
		Secret         []byte `gorm:"not null"`
		SecretKeyID    string `gorm:"size:32;not null;default:''"`
		SecretHint     string `gorm:"size:20;not null;default:''"`
		CreatedByID    *uint
		CreatedAt      time.Time
		UpdatedAt      time.Time
	}
	type webhookDelivery struct {
		ID              uint `gorm:"primaryKey;index:idx_webhook_deliveries_log,priority:2"`
		EndpointID      uint `gorm:"not null;uniqueIndex:idx_webhook_deliveries_once,priority:1;index:idx_webhook_deliveries_log,priority:1"`
		OrganizationID  uint `gorm:"not null"`
		EventID         *uint
		EventType       string    `gorm:"size:40;not null;uniqueIndex:idx_webhook_deliveries_once,priority:2"`
		Subject         string    `gorm:"size:100;not null;uniqueIndex:idx_webhook_deliveries_once,priority:3"`
		ChangeID        string    `gorm:"size:100;not null;default:'';uniqueIndex:idx_webhook_deliveries_once,priority:4"`
		Data            string    `gorm:"type:text;not null"`
		State           string    `gorm:"size:20;not null;index:idx_webhook_deliveries_due,priority:1"`
		Attempts        int       `gorm:"not null;default:0"`
		NextAttemptAt   time.Time `gorm:"not null;index:idx_webhook_deliveries_due,priority:2"`
		RetryUntil      time.Time `gorm:"not null"`
		ClaimedBy       string    `gorm:"size:100;not null;default:''"`
		ClaimedUntil    *time.Time
		LastStatusCode  int    `gorm:"not null;default:0"`
		LastError       string `gorm:"size:1000;not null;default:''"`
		ResponseExcerpt string `gorm:"size:1000;not null;default:''"`
		LastAttemptAt   *time.Time
		DeliveredAt     *time.Time
		CreatedAt       time.Time
		UpdatedAt       time.Time
	}
	return tx.AutoMigrate(&webhookEndpoint{}, &webhookDelivery{})
}
