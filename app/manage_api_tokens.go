package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// apiTokenRoutes declares the organization's API tokens (owners only: a
// token acts for the whole organization).
func (a *App) apiTokenRoutes(o organizerArea) {
	o.owners.get("/orgs/:orgID/api-tokens", a.apiTokensPage)
	o.owners.form("/orgs/:orgID/api-tokens", a.createAPIToken)
	o.owners.get("/orgs/:orgID/api-tokens/:tokenID/revoke", a.confirmRevokeAPIToken)
	o.owners.action("/orgs/:orgID/api-tokens/:tokenID/revoke", a.revokeAPIToken)
}

func apiTokensURL(orgID uint) string { return fmt.Sprintf("/manage/orgs/%d/api-tokens", orgID) }

// apiTokenRow is a token as the list shows it.
type apiTokenRow struct {
	models.APIToken
	Expired bool
}

func (a *App) renderAPITokens(c *fiber.Ctx, status int, m *models.Membership, f apiTokenForm, errs FieldErrors) error {
	var org models.Organization
	if err := a.db.Take(&org, m.OrganizationID).Error; err != nil {
		return dbErr("organization", err)
	}
	ts, err := models.OrganizationAPITokens(a.db, org.ID)
	if err != nil {
		return dbErr("api tokens", err)
	}
	now := a.now()
	rows := make([]apiTokenRow, 0, len(ts))
	for _, t := range ts {
		rows = append(rows, apiTokenRow{APIToken: t, Expired: t.RevokedAt == nil && !t.Usable(now)})
	}
	return a.renderStatus(c, status, "manage/api_tokens", fiber.Map{"Org": org, "Tokens": rows, "Form": f, "Errors": errs,
		"Scopes": models.APIScopes, "Loc": auditZone(), "Zone": auditZone().String(), "Action": apiTokensURL(org.ID),
		"Today": now.In(auditZone()).Format("2006-01-02")})
}

// apiTokensPage lists the organization's tokens with the form for a new one.
func (a *App) apiTokensPage(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	return a.renderAPITokens(c, fiber.StatusOK, m, apiTokenForm{Scopes: []string{models.ScopeEventsRead}}, FieldErrors{})
}

// createAPIToken makes the token and shows it, once: only its hash is kept,
// so the page answering the form is the only place it ever appears.
func (a *App) createAPIToken(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseAPITokenForm(c)
	in, verrs := f.Validate(m.OrganizationID, a.now(), auditZone())
	errs = errs.merge(verrs)
	if errs.Any() {
		return a.renderAPITokens(c, fiber.StatusUnprocessableEntity, m, f, errs)
	}
	if u := currentUser(c); u != nil {
		id := u.ID
		in.CreatedByID = &id
	}
	raw, tok, err := models.CreateAPIToken(a.db, in, a.auditEntry(c, m.OrganizationID, models.AuditAPITokenCreated))
	if err != nil {
		return errInternal("create api token", err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, "manage/api_token_created", fiber.Map{"OrgID": m.OrganizationID, "Token": raw, "Made": tok,
		"Loc": auditZone(), "Zone": auditZone().String()})
}

// managedAPIToken loads the :tokenID of the gate's organization (404 for
// any other).
func (a *App) managedAPIToken(c *fiber.Ctx) (*models.Membership, *models.APIToken, error) {
	m, err := teamMembership(c)
	if err != nil {
		return nil, nil, err
	}
	id := parseID(c.Params("tokenID"))
	if id == 0 {
		return nil, nil, errNotFound()
	}
	t, err := models.OrganizationAPIToken(a.db, m.OrganizationID, id)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, errNotFound()
	}
	if err != nil {
		return nil, nil, dbErr("api token", err)
	}
	return m, t, nil
}

// confirmRevokeAPIToken asks before revoking: an integration using the
// token stops working at once.
func (a *App) confirmRevokeAPIToken(c *fiber.Ctx) error {
	m, t, err := a.managedAPIToken(c)
	if err != nil {
		return err
	}
	return a.render(c, "manage/api_token_revoke", fiber.Map{"OrgID": m.OrganizationID, "Tok": t,
		"Action": fmt.Sprintf("%s/%d/revoke", apiTokensURL(m.OrganizationID), t.ID)})
}

func (a *App) revokeAPIToken(c *fiber.Ctx) error {
	m, t, err := a.managedAPIToken(c)
	if err != nil {
		return err
	}
	found, err := models.RevokeAPIToken(a.db, m.OrganizationID, t.ID, a.now(), a.auditEntry(c, m.OrganizationID, models.AuditAPITokenRevoked))
	if err != nil {
		return errInternal("revoke api token", err)
	}
	if !found {
		return errNotFound()
	}
	a.flash(c, "apitokens.revoked_flash")
	return c.Redirect(apiTokensURL(m.OrganizationID), fiber.StatusSeeOther)
}
