package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/pdf"
	"github.com/agora-events/agora/models"
)

// CertificatePathPrefix + code is a certificate's public verification page.
const CertificatePathPrefix = "/certificates/"

// certificateRoutes declares the attendee's certificate (behind the order's
// secret link) and the public verification page.
func (a *App) certificateRoutes(f *fiber.App) {
	f.Get("/orders/:secret/attendees/:id/certificate.pdf", a.secretHeaders, a.attendeeCertificatePDF)
	f.Get(CertificatePathPrefix+":code", a.secretHeaders, a.verifyCertificate)
}

// certificateOrganizerRoutes declares the organizers' certificates page.
func (a *App) certificateOrganizerRoutes(o organizerArea) {
	o.editors.get("/events/:id/certificates", a.certificatesPage)
	o.editors.form("/events/:id/certificates", a.saveCertificateSettings)
	o.editors.action("/events/:id/certificates/send", a.sendCertificates)
}

// attendeeCertificatePDF is the certificate of one attendee of the order
// of the link: only a checked-in person, once the event is over (404
// otherwise).
func (a *App) attendeeCertificatePDF(c *fiber.Ctx) error {
	_, at, err := a.orderAttendeeFromLink(c)
	if err != nil {
		return err
	}
	return a.certificatePDF(c, at.ID)
}

// certificatePDF sends attendee's certificate, issuing it the first time;
// a per-attendee link can call it too.
func (a *App) certificatePDF(c *fiber.Ctx, attendeeID uint) error {
	cert, err := models.IssueCertificate(a.db, attendeeID, a.now())
	if errors.Is(err, models.ErrNoCertificate) {
		return errNotFound()
	}
	if err != nil {
		return dbErr("issue certificate", err)
	}
	v, err := models.LoadCertificateView(a.db, cert)
	if err != nil {
		return dbErr("load certificate", err)
	}
	doc, err := pdf.Certificate(v, a.cfg.BaseURL+CertificatePathPrefix+cert.Code, newTranslator(a.bundle, a.lang(c)))
	if err != nil {
		return errInternal("certificate pdf", err)
	}
	return sendPDF(c, "certificate-"+v.Event.Slug+".pdf", doc)
}

// verifyCertificate tells whoever holds a certificate that it is genuine:
// the name, the event and its dates, from the stored row. Unknown codes
// are a 404.
func (a *App) verifyCertificate(c *fiber.Ctx) error {
	cert, err := models.CertificateByCode(a.db, c.Params("code"))
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errNotFound()
	}
	if err != nil {
		return dbErr("certificate by code", err)
	}
	v, err := models.LoadCertificateView(a.db, cert)
	if err != nil {
		return dbErr("load certificate", err)
	}
	if v.Revoked {
		return errNotFound()
	}
	return a.render(c, "public/certificate", fiber.Map{"V": v, "Loc": v.Event.Location(), "Hours": models.FormatHours(v.TotalHours())})
}

// certificatesPage shows the signatory form, how many people have a
// certificate, and the button that mails them.
func (a *App) certificatesPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	s, err := models.CertificateSettingsOf(a.db, e.ID)
	if err != nil {
		return dbErr("certificate settings", err)
	}
	return a.renderCertificates(c, fiber.StatusOK, e, certificateForm{Name: s.SignatoryName, Role: s.SignatoryRole}, FieldErrors{})
}

// certificateForm is the signatory as typed.
type certificateForm struct{ Name, Role string }

// Validate keeps the signatory's lines short enough for the page.
func (f certificateForm) Validate() FieldErrors {
	errs := FieldErrors{}
	if len([]rune(f.Name)) > 120 {
		errs.Add("signatory_name", "certificates.error.too_long", "Max", 120)
	}
	if len([]rune(f.Role)) > 120 {
		errs.Add("signatory_role", "certificates.error.too_long", "Max", 120)
	}
	if f.Role != "" && f.Name == "" {
		errs.Add("signatory_name", "certificates.error.name_needed")
	}
	return errs
}

func (a *App) renderCertificates(c *fiber.Ctx, status int, e *models.Event, f certificateForm, errs FieldErrors) error {
	checkedIn, mailed, err := models.CertificateCounts(a.db, e.ID)
	if err != nil {
		return dbErr("count certificates", err)
	}
	return a.renderStatus(c, status, "manage/certificates", fiber.Map{
		"Event": e, "Form": f, "Errors": errs, "ErrorLinks": errorLinks(errs),
		"CheckedIn": checkedIn, "Mailed": mailed, "Open": models.CertificatesOpen(*e, a.now()),
	})
}

// saveCertificateSettings stores the signatory.
func (a *App) saveCertificateSettings(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := certificateForm{Name: strings.TrimSpace(c.FormValue("signatory_name")), Role: strings.TrimSpace(c.FormValue("signatory_role"))}
	if !errs.Any() {
		errs = errs.merge(f.Validate())
	}
	if errs.Any() {
		return a.renderCertificates(c, fiber.StatusUnprocessableEntity, e, f, errs)
	}
	if err := models.SaveCertificateSettings(a.db, models.CertificateSettings{EventID: e.ID, SignatoryName: f.Name, SignatoryRole: f.Role}); err != nil {
		return dbErr("save certificate settings", err)
	}
	a.flash(c, "certificates.saved")
	return c.Redirect("/manage/events/"+itoa(int(e.ID))+"/certificates", fiber.StatusSeeOther)
}

// sendCertificates queues one mail per checked-in person (once each, see
// models.EnqueueCertificateMails) and wakes the mail worker.
func (a *App) sendCertificates(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	err = models.Audited(a.db, a.auditEventEntry(c, e, models.AuditCertificatesSent), func(tx *gorm.DB, en *models.AuditEntry) error {
		n, err := models.EnqueueCertificateMails(tx, e.ID, a.now())
		en.Subject = fmt.Sprintf("event %d", e.ID)
		en.Detail = fmt.Sprintf("%d certificate mails queued", n)
		return err
	})
	switch {
	case errors.Is(err, models.ErrNoCertificate):
		a.flash(c, "certificates.not_yet")
	case err != nil:
		return dbErr("queue certificates", err)
	default:
		a.nudge()
		a.flash(c, "certificates.queued")
	}
	return c.Redirect("/manage/events/"+itoa(int(e.ID))+"/certificates", fiber.StatusSeeOther)
}
