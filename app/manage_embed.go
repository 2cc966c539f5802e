package app

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// embedManageRoutes declares the owners' list of sites allowed to embed the
// organization's pages, and the snippet page of each event.
func (a *App) embedManageRoutes(o organizerArea) {
	o.owners.get("/orgs/:orgID/embed", a.embedOriginsPage)
	o.owners.form("/orgs/:orgID/embed", a.saveEmbedOrigins)
	o.editors.get("/events/:id/embed", a.embedSnippetPage)
}

func embedOriginsURL(orgID uint) string { return fmt.Sprintf("/manage/orgs/%d/embed", orgID) }

func (a *App) renderEmbedOrigins(c *fiber.Ctx, status int, m *models.Membership, text string, errs FieldErrors) error {
	return a.renderStatus(c, status, "manage/embed_origins", fiber.Map{"Org": m.Organization, "Origins": text,
		"Errors": errs, "Action": embedOriginsURL(m.OrganizationID), "Max": models.MaxEmbedOrigins})
}

// embedOriginsPage shows the list, one site per line.
func (a *App) embedOriginsPage(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	list, err := models.EmbedOrigins(a.db, m.OrganizationID)
	if err != nil {
		return errInternal("embed origins", err)
	}
	text := strings.Join(list, "\n")
	return a.renderEmbedOrigins(c, fiber.StatusOK, m, text, FieldErrors{})
}

// saveEmbedOrigins replaces the list; a bad line comes back named beside
// the field, with everything typed kept.
func (a *App) saveEmbedOrigins(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	text := c.FormValue("origins")
	origins, problems := models.ParseEmbedOrigins(text)
	if len(problems) > 0 {
		p := problems[0]
		if p.Code == models.OriginTooMany {
			errs.Add("origins", "embed.error.too_many", "Max", models.MaxEmbedOrigins)
		} else {
			msg := "embed.error." + p.Code // one message per problem code (embed.json)
			errs.Add("origins", msg, "Line", p.Line, "Value", p.Value)
		}
	}
	if errs.Any() {
		return a.renderEmbedOrigins(c, fiber.StatusUnprocessableEntity, m, text, errs)
	}
	changed, err := models.SetEmbedOrigins(a.db, a.auditEntry(c, m.OrganizationID, models.AuditEmbedOriginsChanged), origins)
	if err != nil {
		return errInternal("save embed origins", err)
	}
	if changed {
		a.flash(c, "embed.saved")
	} else {
		a.flash(c, "embed.unchanged")
	}
	return c.Redirect(embedOriginsURL(m.OrganizationID), fiber.StatusSeeOther)
}

// embedSnippet is one piece of HTML the organizer copies into their site.
type embedSnippet struct {
	Kind string // "register" or "programme"
	HTML string
}

// embedSnippetPage shows the event's snippets, the sites allowed to use
// them, and, for an owner, the way to change that list.
func (a *App) embedSnippetPage(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	origins, err := models.EmbedOrigins(a.db, e.OrganizationID)
	if err != nil {
		return errInternal("embed origins", err)
	}
	L := newTranslator(a.bundle, a.lang(c))
	snippets := []embedSnippet{
		{Kind: "register", HTML: embedSnippetHTML(a.cfg.BaseURL, "/embed/events/"+e.Slug+"/register", "/events/"+e.Slug+"/register",
			L.T("register.title")+": "+e.Title, L.T("embed.fallback_register"), "40rem")},
		{Kind: "programme", HTML: embedSnippetHTML(a.cfg.BaseURL, "/embed/events/"+e.Slug+"/programme", "/events/"+e.Slug,
			L.T("event.agenda")+": "+e.Title, L.T("embed.fallback_programme"), "30rem")},
	}
	return a.render(c, "manage/embed_snippet", fiber.Map{"Event": e, "Origins": origins, "Snippets": snippets,
		"IsOwner": m.HasRole(models.RoleOwner), "OriginsURL": embedOriginsURL(e.OrganizationID),
		"Published": e.Status == models.StatusPublished, "Langs": e.LanguageList()})
}

// embedSnippetHTML is a frame of framePath, sized by the site's script, with
// a plain link to linkPath below it for when the frame cannot show (a site
// not on the list, a browser without frames).
func embedSnippetHTML(base, framePath, linkPath, title, linkText, minHeight string) string {
	esc := template.HTMLEscapeString
	return `<iframe src="` + esc(base+framePath) + `" title="` + esc(title) + `" data-agora-embed` +
		` style="width:100%;min-height:` + minHeight + `;border:0" loading="lazy"></iframe>` + "\n" +
		`<p><a href="` + esc(base+linkPath) + `">` + esc(linkText) + `</a></p>` + "\n" +
		`<script src="` + esc(base+"/embed.js") + `" async></script>`
}
