package app

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// importNowRows is how many rows the confirming request creates itself, so
// a small import is done when the page comes back; the jobs runner
// creates the rest.
const importNowRows = 200

// importPreviewRows bounds the rows each list of the import page shows.
const importPreviewRows = 500

func importURL(e *models.Event) string { return registrationsURL(e) + "/import" }

// importPage shows the upload form and the event's earlier imports.
func (a *App) importPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	return a.renderImportPage(c, fiber.StatusOK, e, FieldErrors{})
}

func (a *App) renderImportPage(c *fiber.Ctx, status int, e *models.Event, errs FieldErrors) error {
	imps, err := models.ImportsOfEvent(a.db, e.ID)
	if err != nil {
		return errInternal("imports", err)
	}
	return a.renderStatus(c, status, "manage/import", fiber.Map{"Event": e, "Loc": e.Location(), "Imports": imps, "Errors": errs,
		"MaxRows": models.MaxImportRows, "MaxMB": models.MaxImportBytes / 1_000_000})
}

// importFileMessages maps the file reader's errors to the message beside
// the file field.
var importFileMessages = map[error]string{
	models.ErrImportEmpty:    "staffimport.error.empty",
	models.ErrImportTooLarge: "staffimport.error.too_large",
	models.ErrImportTooMany:  "staffimport.error.too_many",
	models.ErrImportNotText:  "staffimport.error.not_text",
	models.ErrImportHeader:   "staffimport.error.header",
	models.ErrImportBadCSV:   "staffimport.error.bad_csv",
}

// postImport reads an uploaded file (a file part: its bytes are checked
// here, not by checkInput), stores its rows for review and shows them.
func (a *App) postImport(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	if errs.Any() {
		return a.renderImportPage(c, fiber.StatusUnprocessableEntity, e, errs)
	}
	fh, ferr := c.FormFile("file")
	if ferr != nil || fh == nil {
		errs.Add("file", "staffimport.error.no_file")
		return a.renderImportPage(c, fiber.StatusUnprocessableEntity, e, errs)
	}
	if fh.Size > models.MaxImportBytes {
		errs.Add("file", "staffimport.error.too_large", "MB", models.MaxImportBytes/1_000_000)
		return a.renderImportPage(c, fiber.StatusUnprocessableEntity, e, errs)
	}
	file, err := fh.Open()
	if err != nil {
		return errInternal("open upload", err)
	}
	data, err := io.ReadAll(io.LimitReader(file, models.MaxImportBytes+1))
	file.Close()
	if err != nil {
		return errInternal("read upload", err)
	}
	lines, err := models.ParseImportFile(data)
	if err != nil {
		for known, msg := range importFileMessages {
			if errors.Is(err, known) {
				errs.Add("file", msg, "MB", models.MaxImportBytes/1_000_000, "Max", models.MaxImportRows)
			}
		}
		if !errs.Any() {
			return errInternal("parse import", err)
		}
		return a.renderImportPage(c, fiber.StatusUnprocessableEntity, e, errs)
	}
	imp, err := models.CreateImport(a.db, e.ID, actorOf(c), uploadName(fh.Filename), lines, Languages, a.now())
	if err != nil {
		return errInternal("create import", err)
	}
	return c.Redirect(fmt.Sprintf("%s/%d", importURL(e), imp.ID), fiber.StatusSeeOther)
}

// uploadName is the file's own name, as clean text (it is shown back).
func uploadName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	clean, _ := checkValue([]byte(name))
	return strings.TrimSpace(string(clean))
}

// importDetail shows an import: in preview, each bad row with its problem
// and the rows that will be created, and the confirm form; once confirmed,
// how far it got and what was skipped.
func (a *App) importDetail(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	imp, counts, err := models.ImportOfEvent(a.db, e.ID, parseID(c.Params("iid")))
	if err != nil {
		return dbErr("load import", err)
	}
	problems, err := models.ImportRows(a.db, imp.ID, importPreviewRows, models.ImportRowInvalid, models.ImportRowRegistered,
		models.ImportRowNoRoom, models.ImportRowFailed)
	if err != nil {
		return errInternal("import rows", err)
	}
	var ready []models.ImportRow
	if imp.Status == models.ImportPreview {
		if ready, err = models.ImportRows(a.db, imp.ID, importPreviewRows, models.ImportRowPending); err != nil {
			return errInternal("import rows", err)
		}
	}
	ts, err := models.TicketTypesOf(a.db, e.ID)
	if err != nil {
		return errInternal("ticket types", err)
	}
	names := map[uint]string{}
	for _, t := range ts {
		names[t.ID] = t.Name
	}
	return a.render(c, "manage/import_detail", fiber.Map{"Event": e, "Loc": e.Location(), "Import": imp, "Counts": counts,
		"Problems": problems, "Ready": ready, "TicketNames": names, "URL": fmt.Sprintf("%s/%d", importURL(e), imp.ID),
		"Working": imp.Status == models.ImportQueued || imp.Status == models.ImportRunning, "LanguageCodes": strings.Join(Languages, ", ")})
}

// confirmImport queues the import and creates its first rows at once.
func (a *App) confirmImport(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	imp, _, err := models.ImportOfEvent(a.db, e.ID, parseID(c.Params("iid")))
	if err != nil {
		return dbErr("load import", err)
	}
	url := fmt.Sprintf("%s/%d", importURL(e), imp.ID)
	sendMail := c.FormValue("send_mail") == "yes"
	err = models.Audited(a.db, a.auditEventEntry(c, e, models.AuditImport), func(tx *gorm.DB, en *models.AuditEntry) error {
		en.Subject = fmt.Sprintf("import %d", imp.ID)
		en.Detail = fmt.Sprintf("%d rows from %s; confirmation mails: %t", imp.Rows, imp.FileName, sendMail)
		return models.ConfirmImport(tx, e.ID, imp.ID, sendMail, a.now())
	})
	switch {
	case errors.Is(err, models.ErrImportStarted):
		a.flash(c, "staffimport.already_confirmed_flash")
		return c.Redirect(url, fiber.StatusSeeOther)
	case err != nil:
		return errInternal("confirm import", err)
	}
	if _, err := models.ProcessImport(a.db, imp.ID, "web:"+randomToken(12), a.now(), importNowRows); err != nil {
		// The jobs runner resumes it; the page shows how far it got.
		a.log.Error("import rows", "import", imp.ID, "err", err)
	}
	a.nudge()
	a.flash(c, "staffimport.confirmed_flash")
	return c.Redirect(url, fiber.StatusSeeOther)
}
