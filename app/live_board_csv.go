package app

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// boardPostsCSV downloads a board's posts for the organizer's report and
// research: every post is counted, with its votes, tags and state, but the
// words of a post whose author did not give the research consent are left
// out — the file says so in its first lines. The download is audited.
func (a *App) boardPostsCSV(c *fiber.Ctx) error {
	s, err := a.organizerModScope(c)
	if err != nil {
		return err
	}
	board := s.Board
	if board == nil {
		board = &models.LiveBoard{Session: s.Session} // no board yet: an empty list
	}
	tr := newTranslator(a.bundle, a.lang(c))
	var rows []models.BoardPostReport
	entry := a.auditEventEntry(c, s.Event, models.AuditLiveBoardExported)
	entry.Subject = "board of session " + strconv.FormatUint(uint64(s.Session.ID), 10)
	if err := models.Audited(a.db, entry, func(tx *gorm.DB, e *models.AuditEntry) error {
		var err error
		rows, err = models.BoardPostsReport(tx, board)
		e.Detail = strconv.Itoa(len(rows)) + " posts"
		return err
	}); err != nil {
		return errInternal("board export", err)
	}
	omitted := 0
	for _, r := range rows {
		if r.TextOmitted {
			omitted++
		}
	}
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"# " + tr.T("live.csv_rule")})
	_ = w.Write([]string{"# " + tr.T("live.csv_counts", "Posts", len(rows), "Omitted", omitted)})
	_ = w.Write([]string{"post", "session", "created_at", "state", "merged_into", "votes", "tags", "category", "research_consent", "text"})
	for _, r := range rows {
		merged := ""
		if r.MergedIntoID != nil {
			merged = strconv.FormatUint(uint64(*r.MergedIntoID), 10)
		}
		text := r.Body
		if r.TextOmitted {
			text = tr.T("live.csv_text_omitted")
		}
		_ = w.Write([]string{strconv.FormatUint(uint64(r.PostID), 10), csvSafe(r.SessionTitle), r.CreatedAt, r.State, merged,
			strconv.Itoa(r.Votes), csvSafe(strings.Join(r.Tags, "; ")), r.Category, strconv.FormatBool(r.ResearchConsent), csvSafe(text)})
	}
	w.Flush()
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="session-`+strconv.FormatUint(uint64(s.Session.ID), 10)+`-posts.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}
