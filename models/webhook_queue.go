package models

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// WebhookRetryWindow is how long a delivery is retried before it is failed.
const WebhookRetryWindow = 24 * time.Hour

// WebhookChange is one change the model rules report to webhooks.
type WebhookChange struct {
	EventID uint
	Type    string
	// Subject names what changed ("order:12"); with Type and ChangeID it is
	// the delivery's unique key per endpoint.
	Subject string
	// ChangeID tells apart repeated changes of one subject ("" for a change
	// that happens once, such as an order being placed).
	ChangeID string
	// Data is the payload's "data": ids, codes and states, no personal data.
	Data map[string]any
	At   time.Time
}

// changeStamp is a ChangeID for changes that may repeat (details edited,
// an event saved again): the time of the change, to the nanosecond.
func changeStamp(t time.Time) string { return strconv.FormatInt(t.UTC().UnixNano(), 10) }

// QueueWebhooks writes one delivery per active endpoint of the event's
// organization that subscribes to c.Type, through tx: the transaction of the
// change, so the notice commits with it or not at all, and the request never
// waits on the network. With no endpoint it costs one indexed query. A
// change already queued (same key) is not queued again.
func QueueWebhooks(tx *gorm.DB, c WebhookChange) error {
	ts, err := webhookTargets(tx, c.EventID, c.Type)
	if err != nil || len(ts) == 0 {
		return err
	}
	return queueDeliveries(tx, ts, c)
}

// webhookTarget is an active endpoint that subscribes to a change.
type webhookTarget struct {
	ID             uint
	OrganizationID uint
	EventTypes     string
}

// webhookTargets is the one indexed lookup every reported change pays: the
// active endpoints of the event's organization that subscribe to typ.
// Callers that must read rows to build a payload do so only when it finds one.
func webhookTargets(tx *gorm.DB, eventID uint, typ string) ([]webhookTarget, error) {
	var eps []webhookTarget
	err := tx.Table("webhook_endpoints").Select("webhook_endpoints.id, webhook_endpoints.organization_id, webhook_endpoints.event_types").
		Joins("JOIN events ON events.organization_id = webhook_endpoints.organization_id").
		Where("events.id = ? AND webhook_endpoints.active = ?", eventID, true).Scan(&eps).Error
	if err != nil {
		return nil, err
	}
	out := eps[:0]
	for _, ep := range eps {
		if (WebhookEndpoint{EventTypes: ep.EventTypes}).Subscribes(typ) {
			out = append(out, ep)
		}
	}
	return out, nil
}

// queueDeliveries writes c's delivery for each target; a change queued
// before (same key) is left as it is.
func queueDeliveries(tx *gorm.DB, ts []webhookTarget, c WebhookChange) error {
	data, err := json.Marshal(c.Data)
	if err != nil {
		return fmt.Errorf("webhook data: %w", err)
	}
	rows := make([]WebhookDelivery, 0, len(ts))
	for _, ep := range ts {
		rows = append(rows, newDelivery(ep.ID, ep.OrganizationID, &c.EventID, c, string(data)))
	}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error
}

func newDelivery(endpointID, orgID uint, eventID *uint, c WebhookChange, data string) WebhookDelivery {
	at := c.At
	if at.IsZero() {
		at = time.Now()
	}
	at = at.UTC()
	return WebhookDelivery{EndpointID: endpointID, OrganizationID: orgID, EventID: eventID, EventType: c.Type,
		Subject: c.Subject, ChangeID: c.ChangeID, Data: data, State: WebhookPending, NextAttemptAt: at,
		RetryUntil: at.Add(WebhookRetryWindow), CreatedAt: at, UpdatedAt: at}
}

// QueueTestWebhook queues a "ping" delivery to the organization's endpoint
// (the owner's "send a test event"), sent like any other.
func QueueTestWebhook(db *gorm.DB, orgID, endpointID uint, now time.Time) (*WebhookDelivery, error) {
	ep, err := WebhookEndpointOf(db, orgID, endpointID)
	if err != nil {
		return nil, err
	}
	c := WebhookChange{Type: WebhookPing, Subject: fmt.Sprintf("endpoint:%d", ep.ID), ChangeID: changeStamp(now), At: now}
	d := newDelivery(ep.ID, orgID, nil, c, fmt.Sprintf(`{"endpoint_id":%d}`, ep.ID))
	if err := db.Create(&d).Error; err != nil {
		return nil, err
	}
	return &d, nil
}

// orderWebhook reports a change of order o through tx; o needs its id and
// event, and its code and status are read when missing (only when an
// endpoint wants the change).
func orderWebhook(tx *gorm.DB, typ string, o Order, changeID string, now time.Time, extra map[string]any) error {
	ts, err := webhookTargets(tx, o.EventID, typ)
	if err != nil || len(ts) == 0 {
		return err
	}
	if o.Code == "" || o.Status == "" {
		if err := tx.Select("id", "event_id", "code", "status").Take(&o, o.ID).Error; err != nil {
			return err
		}
	}
	data := map[string]any{"order_id": o.ID, "order_code": o.Code, "status": o.Status}
	for k, v := range extra {
		data[k] = v
	}
	return queueDeliveries(tx, ts, WebhookChange{EventID: o.EventID, Type: typ, Subject: fmt.Sprintf("order:%d", o.ID),
		ChangeID: changeID, Data: data, At: now})
}

// attendeeWebhook reports a change of attendee id of event eventID through
// tx; the state is read from the row as it is now in tx (only when an
// endpoint wants the change).
func attendeeWebhook(tx *gorm.DB, typ string, eventID, id uint, changeID string, now time.Time, extra map[string]any) error {
	ts, err := webhookTargets(tx, eventID, typ)
	if err != nil || len(ts) == 0 {
		return err
	}
	var a Attendee
	if err := tx.Select("id", "event_id", "order_id", "status").Take(&a, id).Error; err != nil {
		return err
	}
	var o Order
	if err := tx.Select("id", "code").Take(&o, a.OrderID).Error; err != nil {
		return err
	}
	data := map[string]any{"attendee_id": a.ID, "order_id": o.ID, "order_code": o.Code, "status": a.Status}
	for k, v := range extra {
		data[k] = v
	}
	return queueDeliveries(tx, ts, WebhookChange{EventID: a.EventID, Type: typ, Subject: fmt.Sprintf("attendee:%d", a.ID),
		ChangeID: changeID, Data: data, At: now})
}

// eventWebhook reports a change of the event itself.
func eventWebhook(tx *gorm.DB, typ string, e Event, now time.Time) error {
	return QueueWebhooks(tx, WebhookChange{EventID: e.ID, Type: typ, Subject: fmt.Sprintf("event:%d", e.ID),
		ChangeID: changeStamp(now), Data: map[string]any{"event_id": e.ID, "slug": e.Slug, "status": e.Status}, At: now})
}

// meetingWebhook reports a meeting booked or cancelled.
func meetingWebhook(tx *gorm.DB, typ string, m Meeting, now time.Time) error {
	return QueueWebhooks(tx, WebhookChange{EventID: m.EventID, Type: typ, Subject: fmt.Sprintf("meeting:%d", m.ID),
		Data: map[string]any{"meeting_id": m.ID, "slot_id": m.SlotID, "participant_ids": []uint{m.AParticipantID, m.BParticipantID}}, At: now})
}
