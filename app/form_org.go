package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// OrgForm is the site admin's organization form as typed.
type OrgForm struct {
	Name      string
	Slug      string
	LegalName string
	Address   string
	VATID     string
	// The contact that event e-mails carry as Reply-To (owners change it
	// on their settings page too).
	ContactName  string
	ContactEmail string
}

func parseOrgForm(c *fiber.Ctx) OrgForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	f := OrgForm{Name: v("name"), Slug: v("slug"), LegalName: v("legal_name"), Address: v("address"), VATID: v("vat_id"),
		ContactName: v("contact_name"), ContactEmail: v("contact_email")}
	if f.Slug == "" {
		f.Slug = models.Slugify(f.Name)
	}
	return f
}

func orgFormFrom(o *models.Organization) OrgForm {
	return OrgForm{Name: o.Name, Slug: o.Slug, LegalName: o.LegalName, Address: o.Address, VATID: o.VATID,
		ContactName: o.ContactName, ContactEmail: o.ContactEmail}
}

// Validate checks the organization form.
func (f OrgForm) Validate() FieldErrors {
	errs := FieldErrors{}
	checkRequired(errs, "name", f.Name)
	checkLen(errs, "name", f.Name, 200)
	switch {
	case f.Slug == "":
		errs.Add("slug", "form.required")
	case len(f.Slug) > 100:
		errs.Add("slug", "form.too_long", "Max", 100)
	case !models.ValidSlug(f.Slug):
		errs.Add("slug", "event.slug_invalid")
	}
	checkLen(errs, "legal_name", f.LegalName, 200)
	checkLen(errs, "address", f.Address, 500)
	checkLen(errs, "vat_id", f.VATID, 50)
	checkContact(errs, f.ContactName, f.ContactEmail)
	return errs
}

// Apply copies a validated form onto o.
func (f OrgForm) Apply(o *models.Organization) {
	o.Name, o.Slug, o.LegalName, o.Address, o.VATID = f.Name, f.Slug, f.LegalName, f.Address, f.VATID
	o.ContactName, o.ContactEmail = f.ContactName, f.ContactEmail
}
