package app

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// registrationsExport is what the CSV is built from.
type registrationsExport struct {
	Event     *models.Event
	Attendees []models.Attendee
	Questions []models.Question
	Consents  map[uint][]models.ConsentRecord
	// View decides the sensitive columns (needs, sensitive questions,
	// research consent): there for a coordinator, left out otherwise, header
	// and values both; the others get a "has access needs" column instead.
	View models.SensitiveView
	L    *Translator
}

// writeRegistrationsCSV writes one row per attendee: UTF-8 with a BOM, CRLF
// line ends, every cell quoted as needed by encoding/csv and guarded by csvSafe.
func writeRegistrationsCSV(x registrationsExport) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	loc := x.Event.Location()
	stamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(loc).Format("2006-01-02 15:04")
	}
	header := []string{"regcsv.code", "regcsv.name", "regcsv.email", "regcsv.organization", "regcsv.ticket_type", "regcsv.category",
		"regcsv.order_status", "regcsv.attendee_status", "regcsv.buyer_email", "regcsv.registered_at", "regcsv.checked_in_at"}
	for i, h := range header {
		header[i] = x.L.T(h)
	}
	kinds := x.View.ConsentKinds()
	for _, k := range kinds {
		header = append(header, x.L.T("regcsv.consent", "Kind", x.L.T("regconsent.kind."+k)))
	}
	qs := x.View.Questions(x.Questions)
	for _, q := range qs {
		header = append(header, q.Label)
	}
	if x.View.Allowed() {
		for _, h := range []string{"regadmin.needs.step_free", "regadmin.needs.interpretation", "regadmin.needs.easy_read", "regadmin.needs.dietary", "regadmin.needs.companion", "regadmin.needs.note"} {
			header = append(header, x.L.T(h))
		}
	} else {
		header = append(header, x.L.T("access.csv_has_needs"))
	}
	if err := w.Write(guardRow(header)); err != nil {
		return nil, err
	}
	yes := func(b bool) string {
		if b {
			return x.L.T("regcsv.yes")
		}
		return ""
	}
	for _, full := range x.Attendees {
		at, withheld := x.View.Attendee(full, x.Questions)
		o := models.Order{}
		if at.Order != nil {
			o = *at.Order
		}
		row := []string{fmt.Sprintf("%s-%d", o.Code, at.Position), at.Name, at.Email, at.Organization, at.TicketType.Name,
			x.L.T("regadmin.category." + at.Category), x.L.T("regadmin.order_status." + o.Status), x.L.T("regadmin.attendee_status." + at.Status),
			o.BuyerEmail, stamp(&at.CreatedAt), stamp(at.CheckedInAt)}
		consents := x.View.Consents(x.Consents[at.ID])
		for _, k := range kinds {
			row = append(row, consentCell(x.L, consents, k, loc))
		}
		answers := map[uint]string{}
		for _, an := range at.Answers {
			answers[an.QuestionID] = an.Value
		}
		for _, q := range qs {
			// One value per choice, in the organizer's language (as the headers).
			row = append(row, q.ChoiceLabel(answers[q.ID]))
		}
		if x.View.Allowed() {
			n := at.Needs
			row = append(row, yes(n.StepFree), n.Interpretation, yes(n.EasyRead), n.Dietary, yes(n.Companion), at.NeedsNote)
		} else {
			row = append(row, yes(withheld.Needs))
		}
		if err := w.Write(guardRow(row)); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func guardRow(row []string) []string {
	for i := range row {
		row[i] = csvSafe(row[i])
	}
	return row
}

// consentCell says what the attendee agreed to of kind: "v2 2026-05-01 10:00",
// with the withdrawal when there was one; empty when they did not agree.
func consentCell(l *Translator, rs []models.ConsentRecord, kind string, loc *time.Location) string {
	for _, r := range rs {
		if r.ConsentText.Kind != kind {
			continue
		}
		s := l.T("regcsv.consent_given", "Version", r.ConsentText.Version, "At", r.GivenAt.In(loc).Format("2006-01-02 15:04"))
		if r.WithdrawnAt != nil {
			s += "; " + l.T("regcsv.consent_withdrawn", "At", r.WithdrawnAt.In(loc).Format("2006-01-02 15:04"))
		}
		return s
	}
	return ""
}

// registrationsCSV downloads every attendee of the event as CSV, with the
// sensitive columns only for an access coordinator; each download is
// written to the audit log first.
func (a *App) registrationsCSV(c *fiber.Ctx) error {
	e, m, err := managedEvent(c)
	if err != nil {
		return err
	}
	as, err := models.EventAttendeesForExport(a.db, e.ID)
	if err != nil {
		return errInternal("export attendees", err)
	}
	qs, err := models.QuestionsOf(a.db, e.ID)
	if err != nil {
		return errInternal("list questions", err)
	}
	// Question headers in the organizer's language when the event has it.
	ct, err := models.LoadContent(a.db, e, a.contentLang(c))
	if err != nil {
		return errInternal("load content", err)
	}
	for i := range qs {
		ct.Question(&qs[i])
	}
	cs, err := models.EventConsentRecords(a.db, e.ID)
	if err != nil {
		return errInternal("export consents", err)
	}
	view := models.SensitiveViewOf(m)
	body, err := writeRegistrationsCSV(registrationsExport{Event: e, Attendees: as, Questions: qs, Consents: cs,
		View: view, L: newTranslator(a.bundle, a.lang(c))})
	if err != nil {
		return errInternal("write csv", err)
	}
	if err := a.auditExport(c, e, "registrations CSV", len(as), view.Allowed()); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-registrations.csv"`, e.Slug))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}
