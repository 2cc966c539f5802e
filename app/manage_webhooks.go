package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// webhookRoutes declares the owners' webhook pages: endpoints, their secret
// (shown once), the delivery log and re-sending by hand.
func (a *App) webhookRoutes(o organizerArea) {
	o.owners.get("/orgs/:orgID/webhooks", a.webhooksPage)
	o.owners.form("/orgs/:orgID/webhooks", a.createWebhook)
	o.owners.get("/orgs/:orgID/webhooks/:hookID", a.webhookPage)
	o.owners.form("/orgs/:orgID/webhooks/:hookID", a.saveWebhook)
	o.owners.action("/orgs/:orgID/webhooks/:hookID/test", a.testWebhook)
	o.owners.action("/orgs/:orgID/webhooks/:hookID/rotate", a.rotateWebhookSecret)
	o.owners.action("/orgs/:orgID/webhooks/:hookID/delete", a.deleteWebhook)
	o.owners.action("/orgs/:orgID/webhooks/:hookID/deliveries/:deliveryID/resend", a.resendWebhookDelivery)
}

func webhooksURL(orgID uint) string { return fmt.Sprintf("/manage/orgs/%d/webhooks", orgID) }

func webhookURL(orgID, id uint) string { return fmt.Sprintf("/manage/orgs/%d/webhooks/%d", orgID, id) }

// webhookPolicy is the operator's rule for where webhooks may go.
func (a *App) webhookPolicy() models.WebhookPolicy {
	return models.WebhookPolicy{AllowPrivate: a.cfg.WebhooksAllowPrivate}
}

// webhookForm is the endpoint form: the URL (new endpoints only), the
// event types, and whether it is active (existing endpoints only).
type webhookForm struct {
	URL    string
	Types  map[string]bool
	Active bool
}

func parseWebhookForm(c *fiber.Ctx) webhookForm {
	f := webhookForm{URL: c.FormValue("url"), Types: map[string]bool{}, Active: c.FormValue("active") != ""}
	for _, v := range c.Request().PostArgs().PeekMulti("types") {
		if t := string(v); models.ValidWebhookEventType(t) {
			f.Types[t] = true
		}
	}
	return f
}

func (f webhookForm) typeList() []string {
	var ts []string
	for _, t := range models.WebhookEventTypes {
		if f.Types[t] {
			ts = append(ts, t)
		}
	}
	return ts
}

// webhookURLError is the message beside the URL field for a refused address.
func webhookURLError(err error) string {
	switch {
	case errors.Is(err, models.ErrWebhookURLNotHTTPS):
		return "webhooks.url_https"
	case errors.Is(err, models.ErrWebhookURLPrivate):
		return "webhooks.url_private"
	case errors.Is(err, models.ErrWebhookURLUnknown):
		return "webhooks.url_unknown"
	case errors.Is(err, models.ErrWebhookURLForbidden):
		return "webhooks.url_credentials"
	}
	return "webhooks.url_invalid"
}

func (a *App) renderWebhooks(c *fiber.Ctx, status int, m *models.Membership, f webhookForm, errs FieldErrors) error {
	eps, err := models.WebhookEndpoints(a.db, m.OrganizationID)
	if err != nil {
		return dbErr("webhook endpoints", err)
	}
	return a.renderStatus(c, status, "manage/webhooks", fiber.Map{"Org": m.Organization, "Endpoints": eps, "Form": f,
		"Types": models.WebhookEventTypes, "Errors": errs, "Action": webhooksURL(m.OrganizationID),
		"AllowPrivate": a.cfg.WebhooksAllowPrivate})
}

func (a *App) webhooksPage(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	return a.renderWebhooks(c, fiber.StatusOK, m, webhookForm{Types: map[string]bool{}}, FieldErrors{})
}

// createWebhook checks the address (form, then where its name points) and
// stores the endpoint; the page that follows shows its secret, once.
func (a *App) createWebhook(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseWebhookForm(c)
	if len(f.typeList()) == 0 {
		errs.Add("types", "webhooks.types_required")
	}
	if !errs.Any() {
		ctx, cancel := context.WithTimeout(c.UserContext(), 5*time.Second)
		_, err := a.webhookPolicy().CheckWebhookURL(ctx, f.URL)
		cancel()
		if err != nil {
			errs.Add("url", webhookURLError(err))
		}
	}
	if errs.Any() {
		return a.renderWebhooks(c, fiber.StatusUnprocessableEntity, m, f, errs)
	}
	u := currentUser(c)
	secret, ep, err := models.CreateWebhookEndpoint(a.db, a.secrets, models.NewWebhookInput{OrganizationID: m.OrganizationID,
		URL: f.URL, EventTypes: f.typeList(), CreatedByID: &u.ID}, a.auditEntry(c, m.OrganizationID, models.AuditWebhookCreated))
	if err != nil {
		return errInternal("create webhook", err)
	}
	return a.renderWebhookSecret(c, m, ep, secret, "webhooks.created")
}

// renderWebhookSecret shows a new secret once; it is not kept in the clear
// anywhere the page could show it again.
func (a *App) renderWebhookSecret(c *fiber.Ctx, m *models.Membership, ep *models.WebhookEndpoint, secret, intro string) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, "manage/webhook_secret", fiber.Map{"Org": m.Organization, "Endpoint": ep, "Secret": secret, "Intro": intro,
		"Back": webhookURL(m.OrganizationID, ep.ID)})
}

// endpointOf is the organization's endpoint named in the path, or a 404.
func (a *App) endpointOf(c *fiber.Ctx) (*models.Membership, *models.WebhookEndpoint, error) {
	m, err := teamMembership(c)
	if err != nil {
		return nil, nil, err
	}
	ep, err := models.WebhookEndpointOf(a.db, m.OrganizationID, parseID(c.Params("hookID")))
	if errors.Is(err, models.ErrNoSuchWebhook) {
		return nil, nil, errNotFound()
	}
	if err != nil {
		return nil, nil, dbErr("webhook endpoint", err)
	}
	return m, ep, nil
}

func (a *App) renderWebhook(c *fiber.Ctx, status int, m *models.Membership, ep *models.WebhookEndpoint, f webhookForm, errs FieldErrors) error {
	before := parseID(c.Query("before"))
	ds, more, err := models.WebhookDeliveries(a.db, ep.ID, before)
	if err != nil {
		return dbErr("webhook deliveries", err)
	}
	base := webhookURL(m.OrganizationID, ep.ID)
	next := ""
	if more && len(ds) > 0 {
		next = fmt.Sprintf("%s?before=%d#log", base, ds[len(ds)-1].ID)
	}
	first := ""
	if before != 0 {
		first = base + "#log"
	}
	return a.renderStatus(c, status, "manage/webhook", fiber.Map{"Org": m.Organization, "Endpoint": ep, "Form": f,
		"Types": models.WebhookEventTypes, "Errors": errs, "Action": base, "Deliveries": ds, "NextURL": next, "FirstURL": first,
		"Loc": auditZone(), "Zone": auditZone().String()})
}

func (a *App) webhookPage(c *fiber.Ctx) error {
	m, ep, err := a.endpointOf(c)
	if err != nil {
		return err
	}
	f := webhookForm{URL: ep.URL, Types: map[string]bool{}, Active: ep.Active}
	for _, t := range ep.TypeList() {
		f.Types[t] = true
	}
	return a.renderWebhook(c, fiber.StatusOK, m, ep, f, FieldErrors{})
}

// saveWebhook changes the event types and turns the endpoint on or off.
func (a *App) saveWebhook(c *fiber.Ctx) error {
	m, ep, err := a.endpointOf(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseWebhookForm(c)
	f.URL = ep.URL
	if len(f.typeList()) == 0 {
		errs.Add("types", "webhooks.types_required")
	}
	if errs.Any() {
		return a.renderWebhook(c, fiber.StatusUnprocessableEntity, m, ep, f, errs)
	}
	if err := models.UpdateWebhookEndpoint(a.db, m.OrganizationID, ep.ID, f.typeList(), f.Active, a.now(),
		a.auditEntry(c, m.OrganizationID, models.AuditWebhookChanged)); err != nil {
		return errInternal("save webhook", err)
	}
	a.flash(c, "webhooks.saved")
	return c.Redirect(webhookURL(m.OrganizationID, ep.ID), fiber.StatusSeeOther)
}

// testWebhook queues a "ping" delivery, sent and logged like any other.
func (a *App) testWebhook(c *fiber.Ctx) error {
	m, ep, err := a.endpointOf(c)
	if err != nil {
		return err
	}
	if _, err := models.QueueTestWebhook(a.db, m.OrganizationID, ep.ID, a.now()); err != nil {
		return errInternal("test webhook", err)
	}
	a.nudge()
	if ep.Active {
		a.flash(c, "webhooks.test_queued")
	} else {
		a.flash(c, "webhooks.test_queued_inactive")
	}
	return c.Redirect(webhookURL(m.OrganizationID, ep.ID)+"#log", fiber.StatusSeeOther)
}

func (a *App) rotateWebhookSecret(c *fiber.Ctx) error {
	m, ep, err := a.endpointOf(c)
	if err != nil {
		return err
	}
	secret, err := models.RotateWebhookSecret(a.db, a.secrets, m.OrganizationID, ep.ID, a.now(),
		a.auditEntry(c, m.OrganizationID, models.AuditWebhookSecretRotated))
	if err != nil {
		return errInternal("rotate webhook secret", err)
	}
	return a.renderWebhookSecret(c, m, ep, secret, "webhooks.rotated")
}

func (a *App) deleteWebhook(c *fiber.Ctx) error {
	m, ep, err := a.endpointOf(c)
	if err != nil {
		return err
	}
	if err := models.DeleteWebhookEndpoint(a.db, m.OrganizationID, ep.ID, a.auditEntry(c, m.OrganizationID, models.AuditWebhookDeleted)); err != nil {
		return errInternal("delete webhook", err)
	}
	a.flash(c, "webhooks.deleted")
	return c.Redirect(webhooksURL(m.OrganizationID), fiber.StatusSeeOther)
}

// resendWebhookDelivery sends one delivery again now (same id and payload).
func (a *App) resendWebhookDelivery(c *fiber.Ctx) error {
	m, ep, err := a.endpointOf(c)
	if err != nil {
		return err
	}
	err = models.ResendWebhookDelivery(a.db, m.OrganizationID, ep.ID, parseID(c.Params("deliveryID")), a.now())
	if errors.Is(err, models.ErrNoSuchDelivery) {
		return errNotFound()
	}
	if err != nil {
		return errInternal("resend webhook", err)
	}
	a.nudge()
	a.flash(c, "webhooks.resent")
	return c.Redirect(webhookURL(m.OrganizationID, ep.ID)+"#log", fiber.StatusSeeOther)
}
