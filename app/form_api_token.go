package app

import (
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// apiTokenForm is a new API token as the owner typed it.
type apiTokenForm struct {
	Name    string
	Scopes  []string
	Expires string // YYYY-MM-DD, the last day the token works (site's zone); "" = no expiry
}

func parseAPITokenForm(c *fiber.Ctx) apiTokenForm {
	f := apiTokenForm{Name: strings.TrimSpace(c.FormValue("name")), Expires: strings.TrimSpace(c.FormValue("expires"))}
	for _, v := range c.Request().PostArgs().PeekMulti("scopes") {
		f.Scopes = append(f.Scopes, string(v)) // a copy: the form's bytes are reused
	}
	return f
}

// Has says whether the form has scope ticked (for re-showing the form).
func (f apiTokenForm) Has(scope string) bool { return slices.Contains(f.Scopes, scope) }

// Validate turns the form into the model's input at now, or the messages
// beside each field. The expiry day ends at midnight in loc.
func (f apiTokenForm) Validate(orgID uint, now time.Time, loc *time.Location) (models.NewAPITokenInput, FieldErrors) {
	errs := FieldErrors{}
	in := models.NewAPITokenInput{OrganizationID: orgID, Name: f.Name, Scopes: f.Scopes}
	if f.Expires != "" {
		day, err := time.ParseInLocation("2006-01-02", f.Expires, loc)
		if err != nil || day.Year() < 2000 || day.Year() > 2999 {
			errs.Add("expires", "apitokens.error.expires_invalid")
		} else {
			end := day.AddDate(0, 0, 1)
			in.ExpiresAt = &end
		}
	}
	for _, p := range models.CheckAPITokenInput(in, now) {
		switch p.Field + "." + p.Code {
		case "name.required":
			errs.Add("name", "form.required")
		case "name.too_long":
			errs.Add("name", "apitokens.error.name_long", "Max", models.MaxAPITokenName)
		case "scopes.required":
			errs.Add("scopes", "apitokens.error.scopes_required")
		case "scopes.unknown":
			errs.Add("scopes", "apitokens.error.scopes_unknown")
		case "expires_at.past":
			errs.Add("expires", "apitokens.error.expires_past")
		default:
			errs.Add("expires", "apitokens.error.expires_far")
		}
	}
	return in, errs
}
