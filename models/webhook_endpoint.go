package models

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Audit actions of webhook endpoints (a change to what leaves the site).
const (
	AuditWebhookCreated       = "webhook.created"
	AuditWebhookChanged       = "webhook.changed"
	AuditWebhookDeleted       = "webhook.deleted"
	AuditWebhookSecretRotated = "webhook.secret_rotated"
)

// webhookSecretPrefix starts every signing secret, so a leaked one is recognisable.
const webhookSecretPrefix = "whsec_"

// ErrNoSuchWebhook is an endpoint that is not the organization's (or gone).
var ErrNoSuchWebhook = errors.New("no such webhook endpoint")

// ErrWebhookNoTypes is an endpoint form with no event type chosen.
var ErrWebhookNoTypes = errors.New("webhook: choose at least one event type")

// NewWebhookInput is what the owner chose for an endpoint. URL must have
// passed WebhookPolicy.CheckWebhookURL.
type NewWebhookInput struct {
	OrganizationID uint
	URL            string
	EventTypes     []string
	CreatedByID    *uint
}

// webhookTypes keeps the known types of ts, in the form's order.
func webhookTypes(ts []string) string {
	var out []string
	for _, t := range WebhookEventTypes {
		if slices.Contains(ts, t) {
			out = append(out, t)
		}
	}
	return strings.Join(out, " ")
}

func newWebhookSecret() (string, error) {
	var buf [32]byte
	if _, err := rand.Read(buf[:]); err != nil {
		return "", err
	}
	return webhookSecretPrefix + base64.RawURLEncoding.EncodeToString(buf[:]), nil
}

// webhookSecretAAD binds a sealed secret to its organization, so a
// ciphertext copied onto another organization's row does not open there.
func webhookSecretAAD(orgID uint) []byte { return fmt.Appendf(nil, "webhook secret:%d", orgID) }

// sealWebhookSecret gives what is stored for secret: sealed with the
// current key when keys are configured, the plain bytes (key id "") if not.
func sealWebhookSecret(keys *SecretKeys, orgID uint, secret string) ([]byte, string, error) {
	if keys == nil {
		return []byte(secret), "", nil
	}
	return keys.seal([]byte(secret), webhookSecretAAD(orgID))
}

// WebhookSecret opens the endpoint's signing secret. A sealed secret needs
// the key that sealed it (the current or an old one).
func WebhookSecret(keys *SecretKeys, e WebhookEndpoint) (string, error) {
	if e.SecretKeyID == "" {
		return string(e.Secret), nil
	}
	if keys == nil {
		return "", ErrNoSecretKey
	}
	plain, _, err := keys.open(e.Secret, e.SecretKeyID, webhookSecretAAD(e.OrganizationID))
	if err != nil {
		return "", err
	}
	return string(plain), nil
}

// CreateWebhookEndpoint stores an active endpoint with a new secret and the
// audit entry e in one transaction, and returns the secret, shown once.
func CreateWebhookEndpoint(db *gorm.DB, keys *SecretKeys, in NewWebhookInput, e AuditEntry) (string, *WebhookEndpoint, error) {
	types := webhookTypes(in.EventTypes)
	if types == "" {
		return "", nil, ErrWebhookNoTypes
	}
	secret, err := newWebhookSecret()
	if err != nil {
		return "", nil, err
	}
	sealed, keyID, err := sealWebhookSecret(keys, in.OrganizationID, secret)
	if err != nil {
		return "", nil, err
	}
	ep := &WebhookEndpoint{OrganizationID: in.OrganizationID, Active: true, URL: strings.TrimSpace(in.URL), EventTypes: types,
		Secret: sealed, SecretKeyID: keyID, SecretHint: secret[:len(webhookSecretPrefix)+4], CreatedByID: in.CreatedByID}
	e.OrganizationID = in.OrganizationID
	err = Audited(db, e, func(tx *gorm.DB, e *AuditEntry) error {
		if err := tx.Create(ep).Error; err != nil {
			return err
		}
		e.Subject = fmt.Sprintf("webhook %d", ep.ID)
		e.Detail = ep.URL + " (" + ep.EventTypes + ")"
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return secret, ep, nil
}

// WebhookEndpoints lists an organization's endpoints, oldest first.
func WebhookEndpoints(db *gorm.DB, orgID uint) ([]WebhookEndpoint, error) {
	var eps []WebhookEndpoint
	err := db.Where("organization_id = ?", orgID).Order("id").Find(&eps).Error
	return eps, err
}

// WebhookEndpointOf returns the organization's endpoint id, or ErrNoSuchWebhook.
func WebhookEndpointOf(db *gorm.DB, orgID, id uint) (*WebhookEndpoint, error) {
	var ep WebhookEndpoint
	err := db.Where("organization_id = ?", orgID).Take(&ep, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNoSuchWebhook
	}
	if err != nil {
		return nil, err
	}
	return &ep, nil
}

// UpdateWebhookEndpoint changes the subscribed types and whether the
// endpoint is active, with its audit entry. Deliveries already queued stay;
// those of an inactive endpoint wait until it is active again.
func UpdateWebhookEndpoint(db *gorm.DB, orgID, id uint, types []string, active bool, now time.Time, e AuditEntry) error {
	t := webhookTypes(types)
	if t == "" {
		return ErrWebhookNoTypes
	}
	e.OrganizationID = orgID
	return Audited(db, e, func(tx *gorm.DB, e *AuditEntry) error {
		res := tx.Model(&WebhookEndpoint{}).Where("id = ? AND organization_id = ?", id, orgID).
			Updates(map[string]any{"event_types": t, "active": active, "updated_at": now.UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrNoSuchWebhook
		}
		e.Subject = fmt.Sprintf("webhook %d", id)
		e.Detail = fmt.Sprintf("active=%t (%s)", active, t)
		return nil
	})
}

// DeleteWebhookEndpoint removes the endpoint and its deliveries, with its audit entry.
func DeleteWebhookEndpoint(db *gorm.DB, orgID, id uint, e AuditEntry) error {
	e.OrganizationID = orgID
	return Audited(db, e, func(tx *gorm.DB, e *AuditEntry) error {
		var ep WebhookEndpoint
		if err := tx.Where("organization_id = ?", orgID).Take(&ep, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNoSuchWebhook
			}
			return err
		}
		if err := tx.Where("endpoint_id = ?", id).Delete(&WebhookDelivery{}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&ep).Error; err != nil {
			return err
		}
		e.Subject = fmt.Sprintf("webhook %d", id)
		e.Detail = ep.URL
		return nil
	})
}

// RotateWebhookSecret gives the endpoint a new secret (returned, shown once)
// with its audit entry. Deliveries sent from then on are signed with it.
func RotateWebhookSecret(db *gorm.DB, keys *SecretKeys, orgID, id uint, now time.Time, e AuditEntry) (string, error) {
	secret, err := newWebhookSecret()
	if err != nil {
		return "", err
	}
	sealed, keyID, err := sealWebhookSecret(keys, orgID, secret)
	if err != nil {
		return "", err
	}
	e.OrganizationID = orgID
	err = Audited(db, e, func(tx *gorm.DB, e *AuditEntry) error {
		res := tx.Model(&WebhookEndpoint{}).Where("id = ? AND organization_id = ?", id, orgID).
			Updates(map[string]any{"secret": sealed, "secret_key_id": keyID, "secret_hint": secret[:len(webhookSecretPrefix)+4], "updated_at": now.UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrNoSuchWebhook
		}
		e.Subject = fmt.Sprintf("webhook %d", id)
		return nil
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}
