package models

import (
	"slices"
	"strings"
	"time"
)

// Webhook event types: what an endpoint may subscribe to. The names are part
// of the payload ("type") and documented in docs/API.md.
const (
	WebhookOrderPlaced      = "order.placed"
	WebhookOrderPaid        = "order.paid"
	WebhookOrderCancelled   = "order.cancelled"
	WebhookOrderRefunded    = "order.refunded"
	WebhookAttendeeChanged  = "attendee.changed"
	WebhookCheckedIn        = "attendee.checked_in"
	WebhookMeetingBooked    = "meeting.booked"
	WebhookMeetingCancelled = "meeting.cancelled"
	WebhookEventPublished   = "event.published"
	WebhookEventChanged     = "event.changed"
	// WebhookPing is the owner's "send a test event"; no one subscribes to it.
	WebhookPing = "ping"
)

// WebhookEventTypes lists the subscribable types in the order the form shows them.
var WebhookEventTypes = []string{
	WebhookOrderPlaced, WebhookOrderPaid, WebhookOrderCancelled, WebhookOrderRefunded,
	WebhookAttendeeChanged, WebhookCheckedIn, WebhookMeetingBooked, WebhookMeetingCancelled,
	WebhookEventPublished, WebhookEventChanged,
}

// ValidWebhookEventType says whether t is a subscribable type.
func ValidWebhookEventType(t string) bool { return slices.Contains(WebhookEventTypes, t) }

// Delivery states.
const (
	WebhookPending   = "pending"
	WebhookDelivered = "delivered"
	WebhookFailed    = "failed"
)

// WebhookEndpoint is a URL of an organization's own system (a CRM, a
// spreadsheet bridge) that receives signed notices of changes. The signing
// secret is shown once; it is kept so the sender can sign, sealed with the
// site's secret key (AGORA_SECRET_KEY) when one is configured and as it is
// otherwise (SecretKeyID empty), see docs/API.md.
type WebhookEndpoint struct {
	ID             uint   `gorm:"primaryKey"`
	OrganizationID uint   `gorm:"not null;index:idx_webhook_endpoints_org_active,priority:1"`
	Active         bool   `gorm:"not null;default:true;index:idx_webhook_endpoints_org_active,priority:2"`
	URL            string `gorm:"column:url;size:2000;not null"`
	// EventTypes is the space-separated list of subscribed types.
	EventTypes  string `gorm:"size:500;not null"`
	Secret      []byte `gorm:"not null"`
	SecretKeyID string `gorm:"size:32;not null;default:''"`
	// SecretHint is the secret's first characters, for telling secrets apart.
	SecretHint  string `gorm:"size:20;not null;default:''"`
	CreatedByID *uint
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Subscribes says whether the endpoint wants events of type t.
func (e WebhookEndpoint) Subscribes(t string) bool {
	return slices.Contains(strings.Fields(e.EventTypes), t)
}

// TypeList returns the subscribed types.
func (e WebhookEndpoint) TypeList() []string { return strings.Fields(e.EventTypes) }

// WebhookDelivery is one notice to one endpoint: a row written in the
// transaction of the change, then sent by the webhook worker with retries.
// (endpoint, type, subject, change) is unique, so a change queues once.
// Data is the payload's "data" object; the envelope (id, type, created_at,
// organization and event) is built from the row at send time.
type WebhookDelivery struct {
	ID              uint      `gorm:"primaryKey;index:idx_webhook_deliveries_log,priority:2"`
	EndpointID      uint      `gorm:"not null;uniqueIndex:idx_webhook_deliveries_once,priority:1;index:idx_webhook_deliveries_log,priority:1"`
	OrganizationID  uint      `gorm:"not null"`
	EventID         *uint     //
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
