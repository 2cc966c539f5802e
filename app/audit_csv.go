package app

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// auditCSVBatch is how many entries the download reads at a time.
const auditCSVBatch = 500

// auditCSV streams the filtered log as CSV. The download is itself written
// to the log (with its filter) before anything is sent; when that fails,
// nothing is. A filter with a bad field shows the page with the message.
func (a *App) auditCSV(c *fiber.Ctx) error {
	x, err := a.loadAuditContext(c)
	if err != nil {
		return err
	}
	if x.Errors.Any() {
		return a.renderAudit(c, x)
	}
	e := a.auditEntry(c, x.Org.ID, models.AuditAuditExported)
	e.Subject = "audit log"
	if q := x.Form.Query().Encode(); q != "" {
		e.Detail = "filter: " + q
	}
	if err := models.RecordAudit(a.db, e); err != nil {
		return errInternal("audit the download", err)
	}
	L := newTranslator(a.bundle, a.lang(c))
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="audit-%s-%s.csv"`, x.Org.Slug, a.now().In(x.Loc).Format("2006-01-02")))
	c.Set(fiber.HeaderCacheControl, "no-store")
	// The writer runs after the handler returned: everything it uses is
	// its own (the filter's strings were copied from the query).
	db, log, orgID, filter, loc, titles := a.db, a.log, x.Org.ID, x.Filter, x.Loc, x.Titles
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := writeAuditCSV(w, db, orgID, filter, loc, titles, L); err != nil {
			log.Error("audit csv", "org", orgID, "err", err)
		}
	})
	return nil
}

// writeAuditCSV writes the header and one row per entry, newest first:
// UTF-8 with a BOM, CRLF line ends, every cell guarded by csvSafe.
func writeAuditCSV(w *bufio.Writer, db *gorm.DB, orgID uint, f models.AuditFilter, loc *time.Location,
	events map[uint]models.Event, L *Translator) error {
	if _, err := w.WriteString(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := []string{L.T("audit.col.when", "Zone", loc.String()), L.T("audit.col.who"), L.T("audit.col.ip"),
		L.T("audit.col.action_name"), L.T("audit.col.action"), L.T("audit.col.event_id"), L.T("audit.col.event"),
		L.T("audit.col.subject"), L.T("audit.col.detail")}
	if err := cw.Write(guardRow(header)); err != nil {
		return err
	}
	n := 0
	err := models.EachAuditEntry(db, orgID, f, auditCSVBatch, func(e models.AuditEntry) error {
		who := e.ActorEmail
		if who == "" {
			who = L.T("audit.system")
		}
		var eventID, title string
		if e.EventID != nil {
			eventID, title = strconv.FormatUint(uint64(*e.EventID), 10), events[*e.EventID].Title
		}
		row := []string{e.CreatedAt.In(loc).Format("2006-01-02 15:04:05"), who, e.IP, e.Action, auditActionLabel(L, e.Action),
			eventID, title, e.Subject, e.Detail}
		if err := cw.Write(guardRow(row)); err != nil {
			return err
		}
		if n++; n%auditCSVBatch == 0 {
			cw.Flush()
			if err := cw.Error(); err != nil {
				return err
			}
			return w.Flush()
		}
		return nil
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}
