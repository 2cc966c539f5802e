package app

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Event covers and organization logos: uploaded on the event's edit page and
// the organization's settings, checked and scaled in models (image_process.go),
// stored in the database and served from /images/ by every instance.

func (a *App) imageRoutes(o organizerArea) {
	o.editors.form("/events/:id/image", a.saveEventImage)
	o.editors.action("/events/:id/image/remove", a.removeEventImage)
	o.owners.form("/orgs/:orgID/logo", a.saveOrgLogo)
	o.owners.action("/orgs/:orgID/logo/remove", a.removeOrgLogo)
}

// imageFileName is a variant's public name: the image's hash and the box.
var imageFileName = regexp.MustCompile(`^([0-9a-f]{32})-([0-9]{2,4})\.jpg$`)

// serveImage sends one stored variant. Its name changes with its content,
// so browsers and proxies may keep it for a year; no session is touched.
func (a *App) serveImage(c *fiber.Ctx) error {
	m := imageFileName.FindStringSubmatch(c.Params("file"))
	if m == nil {
		return errNotFound()
	}
	etag := `"` + m[1] + "-" + m[2] + `"`
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderETag, etag)
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	box, _ := strconv.Atoi(m[2])
	v, err := models.ImageVariantFile(a.db, m[1], box)
	if err != nil {
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Response().Header.Del(fiber.HeaderETag)
		return dbErr("image", err)
	}
	c.Set(fiber.HeaderContentType, "image/jpeg")
	return c.Send(v.Data)
}

// imageErrorIDs says, beside the file field, why a picture was refused.
var imageErrorIDs = map[error]string{
	models.ErrImageMissing:  "images.err_missing",
	models.ErrImageTooLarge: "images.err_too_large",
	models.ErrImageType:     "images.err_type",
	models.ErrImagePixels:   "images.err_pixels",
	models.ErrImageBroken:   "images.err_broken",
}

// imageError adds the message for a refused picture to errs under field.
func imageError(errs FieldErrors, field string, err error) {
	for e, id := range imageErrorIDs {
		if errors.Is(err, e) {
			errs.Add(field, id, "MaxMB", models.MaxImageBytes>>20, "MaxMP", models.MaxImagePixels/1_000_000, "MaxSide", models.MaxImageSide)
			return
		}
	}
	errs.Add(field, "images.err_broken")
}

// uploadedPicture reads the file sent as field and checks it for purpose:
// (nil, nil) when no file was chosen.
func uploadedPicture(c *fiber.Ctx, field, purpose string) (*models.ProcessedImage, error) {
	fh, err := c.FormFile(field)
	if err != nil || fh.Size == 0 {
		return nil, nil
	}
	if fh.Size > models.MaxImageBytes {
		return nil, models.ErrImageTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, models.ErrImageBroken
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, models.MaxImageBytes+1))
	if err != nil {
		return nil, models.ErrImageBroken
	}
	return models.ProcessImage(data, purpose)
}

// saveEventImage stores a new cover and/or its text alternative. A refused
// picture comes back beside the field, with the text as typed.
func (a *App) saveEventImage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	alt, altErr := models.CheckImageAlt(c.FormValue("image_alt"))
	if altErr != nil {
		errs.Add("image_alt", "images.err_alt_long", "Max", models.MaxImageAlt)
	}
	var p *models.ProcessedImage
	if !errs.Any() {
		if p, err = uploadedPicture(c, "image", models.PurposeCover); err != nil {
			imageError(errs, "image", err)
		}
	}
	if !errs.Any() {
		detail := "text alternative changed"
		if p != nil {
			detail = fmt.Sprintf("new picture %s (%s, %d×%d)", p.Hash, p.ContentType, p.Width, p.Height)
		}
		entry := a.auditEventEntry(c, e, models.AuditImageChanged)
		entry.Subject, entry.Detail = fmt.Sprintf("event %d", e.ID), detail
		err = models.Audited(a.db, entry, func(tx *gorm.DB, _ *models.AuditEntry) error {
			return models.SetEventImage(tx, e.ID, p, alt, a.now())
		})
		if err == nil {
			a.flash(c, "images.saved")
			return c.Redirect(eventURL(e)+"/edit", fiber.StatusSeeOther)
		}
		if !errors.Is(err, models.ErrImageMissing) {
			return errInternal("save event image", err)
		}
		imageError(errs, "image", err)
	}
	c.Locals(imageAltKey, alt)
	return a.renderEventEditPage(c, fiber.StatusUnprocessableEntity, e, errs)
}

// removeEventImage takes the cover away; the page then shows none.
func (a *App) removeEventImage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	entry := a.auditEventEntry(c, e, models.AuditImageRemoved)
	entry.Subject = fmt.Sprintf("event %d", e.ID)
	err = models.Audited(a.db, entry, func(tx *gorm.DB, _ *models.AuditEntry) error {
		removed, err := models.RemoveEventImage(tx, e.ID)
		if err == nil && !removed {
			return errNothingRemoved
		}
		return err
	})
	if err != nil && !errors.Is(err, errNothingRemoved) {
		return errInternal("remove event image", err)
	}
	a.flash(c, "images.removed")
	return c.Redirect(eventURL(e)+"/edit", fiber.StatusSeeOther)
}

// errNothingRemoved rolls back the audit line of a removal that found nothing.
var errNothingRemoved = errors.New("nothing to remove")

const imageAltKey = "agora.image_alt"

// renderEventEditPage shows the edit page as stored, with errs (from the
// picture form) beside their fields.
func (a *App) renderEventEditPage(c *fiber.Ctx, status int, e *models.Event, errs FieldErrors) error {
	ct, err := models.LoadContent(a.db, e, e.DefaultLang())
	if err != nil {
		return errInternal("load content", err)
	}
	f := eventFormFrom(e)
	f.Langs = eventLangFormFrom(e, ct)
	return a.renderEventForm(c, status, e, f, errs)
}

// eventImageFormData adds the cover and the picture form's text to the edit page.
func (a *App) eventImageFormData(c *fiber.Ctx, e *models.Event, data fiber.Map) error {
	one := []models.Event{*e}
	if err := models.AttachEventPictures(a.db, one); err != nil {
		return errInternal("event image", err)
	}
	data["Picture"] = one[0].Image
	alt, typed := c.Locals(imageAltKey).(string)
	if !typed && one[0].Image != nil {
		alt = one[0].Image.Alt
	}
	data["ImageAlt"] = alt
	data["ImageLimits"] = imageLimits()
	return nil
}

func imageLimits() fiber.Map {
	return fiber.Map{"MaxMB": models.MaxImageBytes >> 20, "MaxMP": models.MaxImagePixels / 1_000_000, "MaxSide": models.MaxImageSide}
}

// saveOrgLogo stores the organization's logo.
func (a *App) saveOrgLogo(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	var p *models.ProcessedImage
	if !errs.Any() {
		p, err = uploadedPicture(c, "logo", models.PurposeLogo)
		if err == nil && p == nil {
			err = models.ErrImageMissing
		}
		if err != nil {
			imageError(errs, "logo", err)
		}
	}
	if errs.Any() {
		var org models.Organization
		if err := a.db.Take(&org, m.OrganizationID).Error; err != nil {
			return dbErr("organization", err)
		}
		return a.renderOrgSettings(c, fiber.StatusUnprocessableEntity, m, orgContactForm{ContactName: org.ContactName, ContactEmail: org.ContactEmail}, errs)
	}
	entry := a.auditEntry(c, m.OrganizationID, models.AuditLogoChanged)
	entry.Subject = fmt.Sprintf("organization %d", m.OrganizationID)
	entry.Detail = fmt.Sprintf("new logo %s (%s, %d×%d)", p.Hash, p.ContentType, p.Width, p.Height)
	err = models.Audited(a.db, entry, func(tx *gorm.DB, _ *models.AuditEntry) error {
		return models.SetOrganizationLogo(tx, m.OrganizationID, p, a.now())
	})
	if err != nil {
		return errInternal("save logo", err)
	}
	a.flash(c, "images.logo_saved")
	return c.Redirect(orgSettingsURL(m.OrganizationID), fiber.StatusSeeOther)
}

// removeOrgLogo takes the logo away.
func (a *App) removeOrgLogo(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	entry := a.auditEntry(c, m.OrganizationID, models.AuditLogoRemoved)
	entry.Subject = fmt.Sprintf("organization %d", m.OrganizationID)
	err = models.Audited(a.db, entry, func(tx *gorm.DB, _ *models.AuditEntry) error {
		removed, err := models.RemoveOrganizationLogo(tx, m.OrganizationID)
		if err == nil && !removed {
			return errNothingRemoved
		}
		return err
	})
	if err != nil && !errors.Is(err, errNothingRemoved) {
		return errInternal("remove logo", err)
	}
	a.flash(c, "images.logo_removed")
	return c.Redirect(orgSettingsURL(m.OrganizationID), fiber.StatusSeeOther)
}

// orgLogoFormData adds the logo to the settings page.
func (a *App) orgLogoFormData(orgID uint, data fiber.Map) error {
	logo, err := models.OrganizationLogoPicture(a.db, orgID)
	if err != nil {
		return errInternal("logo", err)
	}
	data["Logo"] = logo
	data["ImageLimits"] = imageLimits()
	return nil
}

// attachCardPictures fills the covers of the listed events (two queries).
func (a *App) attachCardPictures(lists ...[]models.Event) error {
	for _, l := range lists {
		if err := models.AttachEventPictures(a.db, l); err != nil {
			return errInternal("event images", err)
		}
	}
	return nil
}

// pictureURLs are the absolute addresses of a picture's variants, largest
// first (for JSON-LD's image).
func pictureURLs(baseURL string, p *models.Picture) []string {
	out := make([]string, 0, len(p.Variants))
	for i := len(p.Variants) - 1; i >= 0; i-- {
		out = append(out, baseURL+p.URL(p.Variants[i].Box))
	}
	return out
}

// initialOf is the first letter of s, upper case, for a card without a picture.
func initialOf(s string) string {
	for _, r := range strings.TrimSpace(s) {
		return strings.ToUpper(string(r))
	}
	return ""
}
