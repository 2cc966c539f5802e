package models

import (
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"
)

// webhookBackoff is the wait after the n-th failed attempt (the last entry
// repeats) until the delivery's retry window ends.
var webhookBackoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour}

// WebhookBackoff is the wait after the attempts-th failed attempt.
func WebhookBackoff(attempts int) time.Duration {
	if attempts < 1 {
		attempts = 1
	}
	if attempts > len(webhookBackoff) {
		return webhookBackoff[len(webhookBackoff)-1]
	}
	return webhookBackoff[attempts-1]
}

// WebhookPayload is the JSON body of a delivery (documented in docs/API.md).
type WebhookPayload struct {
	ID             uint            `json:"id"`
	Type           string          `json:"type"`
	CreatedAt      time.Time       `json:"created_at"`
	OrganizationID uint            `json:"organization_id"`
	EventID        *uint           `json:"event_id"`
	Data           json.RawMessage `json:"data"`
}

// Body is the delivery's JSON body: the same bytes at every attempt.
func (d WebhookDelivery) Body() ([]byte, error) {
	data := json.RawMessage(d.Data)
	if !json.Valid(data) {
		data = json.RawMessage("{}")
	}
	return json.Marshal(WebhookPayload{ID: d.ID, Type: d.EventType, CreatedAt: d.CreatedAt.UTC().Truncate(time.Second),
		OrganizationID: d.OrganizationID, EventID: d.EventID, Data: data})
}

// DueWebhookDeliveries lists up to limit deliveries that are due at now,
// not claimed by a live lease, and whose endpoint is active. They are
// candidates: ClaimWebhookDelivery decides who sends each.
func DueWebhookDeliveries(db *gorm.DB, now time.Time, limit int) ([]uint, error) {
	now = now.UTC()
	var ids []uint
	err := db.Model(&WebhookDelivery{}).
		Joins("JOIN webhook_endpoints ON webhook_endpoints.id = webhook_deliveries.endpoint_id AND webhook_endpoints.active = ?", true).
		Where("webhook_deliveries.state = ? AND webhook_deliveries.next_attempt_at <= ? AND (webhook_deliveries.claimed_until IS NULL OR webhook_deliveries.claimed_until < ?)",
			WebhookPending, now, now).
		Order("webhook_deliveries.next_attempt_at, webhook_deliveries.id").Limit(limit).
		Pluck("webhook_deliveries.id", &ids).Error
	return ids, err
}

// ClaimWebhookDelivery takes delivery id for instance until now+lease by a
// conditional update: of two instances that try at once, one changes the
// row and the other finds it claimed, so a delivery is sent by one only.
// It returns the delivery and its endpoint when this instance has it.
func ClaimWebhookDelivery(db *gorm.DB, id uint, instance string, now time.Time, lease time.Duration) (*WebhookDelivery, *WebhookEndpoint, error) {
	now = now.UTC()
	res := db.Model(&WebhookDelivery{}).
		Where("id = ? AND state = ? AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)", id, WebhookPending, now, now).
		Updates(map[string]any{"claimed_by": instance, "claimed_until": now.Add(lease), "attempts": gorm.Expr("attempts + 1"), "updated_at": now})
	if res.Error != nil || res.RowsAffected != 1 {
		return nil, nil, res.Error
	}
	var d WebhookDelivery
	if err := db.Take(&d, id).Error; err != nil {
		return nil, nil, err
	}
	var ep WebhookEndpoint
	if err := db.Take(&ep, d.EndpointID).Error; err != nil {
		return nil, nil, err
	}
	return &d, &ep, nil
}

// WebhookAttempt is what one POST gave.
type WebhookAttempt struct {
	StatusCode int
	Err        string // empty when the receiver answered 2xx
	Excerpt    string // the start of the response body
}

// Delivered says whether the attempt counts as delivered.
func (a WebhookAttempt) Delivered() bool {
	return a.Err == "" && a.StatusCode >= 200 && a.StatusCode < 300
}

// RecordWebhookAttempt stores the attempt of instance's claim on d: delivered,
// or due again after the backoff, or failed once the retry window is over.
// It reports the new state. A claim that ran out and was taken by another
// instance is not overwritten.
func RecordWebhookAttempt(db *gorm.DB, d *WebhookDelivery, instance string, a WebhookAttempt, now time.Time) (string, error) {
	now = now.UTC()
	up := map[string]any{"claimed_until": nil, "last_status_code": a.StatusCode, "last_error": cutRunes(a.Err, 1000),
		"response_excerpt": cutRunes(a.Excerpt, 1000), "last_attempt_at": now, "updated_at": now}
	state := WebhookPending
	switch next := now.Add(WebhookBackoff(d.Attempts)); {
	case a.Delivered():
		state = WebhookDelivered
		up["delivered_at"] = now
		up["last_error"] = ""
	case next.After(d.RetryUntil):
		state = WebhookFailed
	default:
		up["next_attempt_at"] = next
	}
	up["state"] = state
	res := db.Model(&WebhookDelivery{}).Where("id = ? AND claimed_by = ? AND state = ?", d.ID, instance, WebhookPending).Updates(up)
	return state, res.Error
}

// ErrNoSuchDelivery is a delivery that is not the endpoint's.
var ErrNoSuchDelivery = errors.New("no such webhook delivery")

// ResendWebhookDelivery queues delivery id of the organization's endpoint
// again now, with a fresh retry window (the owner's "re-send"). The payload
// and its id stay the same, so a receiver that got it before can tell.
func ResendWebhookDelivery(db *gorm.DB, orgID, endpointID, id uint, now time.Time) error {
	now = now.UTC()
	res := db.Model(&WebhookDelivery{}).Where("id = ? AND endpoint_id = ? AND organization_id = ?", id, endpointID, orgID).
		Updates(map[string]any{"state": WebhookPending, "next_attempt_at": now, "retry_until": now.Add(WebhookRetryWindow),
			"claimed_until": nil, "updated_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return ErrNoSuchDelivery
	}
	return nil
}

// WebhookLogPage is how many deliveries one page of the log shows.
const WebhookLogPage = 50

// WebhookDeliveries returns one page of the endpoint's deliveries, newest
// first; before (the last id of the previous page, 0 for the first) continues
// from there. more says whether older ones follow.
func WebhookDeliveries(db *gorm.DB, endpointID, before uint) (ds []WebhookDelivery, more bool, err error) {
	q := db.Where("endpoint_id = ?", endpointID)
	if before != 0 {
		q = q.Where("id < ?", before)
	}
	if err = q.Order("id DESC").Limit(WebhookLogPage + 1).Find(&ds).Error; err != nil {
		return nil, false, err
	}
	if len(ds) > WebhookLogPage {
		return ds[:WebhookLogPage], true, nil
	}
	return ds, false, nil
}
