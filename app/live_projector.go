package app

import (
	"bytes"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"
	"github.com/skip2/go-qrcode"

	"github.com/agora-events/agora/models"
)

// The projector is the room's screen: a page at a secret address (the room's
// PC needs no sign-in; the moderator copies the link from the board's
// organizer page), large type, nothing to click. It shows only what the room
// may see (never a pending or hidden post), and follows the board's live
// events: on each it fetches its screen again.
func (a *App) projectorRoutes(f fiber.Router) {
	p := f.Group("/live/p/:secret", a.secretHeaders)
	p.Get("", a.showProjector)
	p.Get("/screen", a.projectorScreen)
	p.Get("/stream", a.projectorStream)
}

// projectorTop is how many of the most-voted posts the screen shows.
const projectorTop = 5

func (a *App) projectorBoard(c *fiber.Ctx) (*models.LiveBoard, *models.Event, error) {
	b, err := models.BoardBySecret(a.db, c.Params("secret"), false)
	if err != nil {
		return nil, nil, dbErr("projector board", err)
	}
	var e models.Event
	if err := a.db.Take(&e, b.EventID).Error; err != nil {
		return nil, nil, dbErr("projector event", err)
	}
	return b, &e, nil
}

// projectorData is what the screen shows now.
func (a *App) projectorData(c *fiber.Ctx, b *models.LiveBoard, e *models.Event) (fiber.Map, error) {
	ct, err := models.LoadContent(a.db, e, a.contentLang(c))
	if err != nil {
		return nil, errInternal("content", err)
	}
	if b.Session != nil {
		ct.Session(b.Session)
	}
	pinned, err := models.PinnedPost(a.db, b)
	if err != nil {
		return nil, errInternal("pinned post", err)
	}
	top, err := models.BoardPosts(a.db, b, models.PostFilter{Limit: projectorTop + 1})
	if err != nil {
		return nil, errInternal("top posts", err)
	}
	var shown []models.PostView
	for _, p := range top {
		if (pinned == nil || p.ID != pinned.ID) && len(shown) < projectorTop {
			shown = append(shown, p)
		}
	}
	m := fiber.Map{"Public": true, "Board": b, "Session": b.Session, "Event": e, "Pinned": pinned, "Top": shown,
		"JoinURL": a.cfg.BaseURL + "/live", "Code": "", "QR": ""}
	if b.CodeValid(a.now()) {
		m["Code"] = b.Code()
		m["QR"] = qrDataURI(a.cfg.BaseURL + "/live/" + b.Code())
	}
	poll, err := models.ShownPoll(a.db, b.ID)
	if err != nil {
		return nil, errInternal("shown poll", err)
	}
	if poll != nil {
		r, err := models.PollResults(a.db, poll)
		if err != nil {
			return nil, errInternal("poll results", err)
		}
		m["Result"] = resultView(r)
	}
	return m, nil
}

// qrDataURI is a PNG QR code of s, inline ("" if it cannot be made).
func qrDataURI(s string) string {
	png, err := qrcode.Encode(s, qrcode.Medium, 320)
	if err != nil {
		return ""
	}
	var buf bytes.Buffer
	buf.WriteString("data:image/png;base64,")
	buf.WriteString(base64.StdEncoding.EncodeToString(png))
	return buf.String()
}

func (a *App) showProjector(c *fiber.Ctx) error {
	b, e, err := a.projectorBoard(c)
	if err != nil {
		return err
	}
	m, err := a.projectorData(c, b, e)
	if err != nil {
		return err
	}
	m["Secret"] = b.ProjectorSecret
	return a.render(c, "live/projector", m)
}

func (a *App) projectorScreen(c *fiber.Ctx) error {
	b, e, err := a.projectorBoard(c)
	if err != nil {
		return err
	}
	m, err := a.projectorData(c, b, e)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, "live/projector_screen", m)
}

func (a *App) projectorStream(c *fiber.Ctx) error {
	b, _, err := a.projectorBoard(c)
	if err != nil {
		return err
	}
	return a.live.ServeSSE(c, models.BoardTopic(b.ID), nil)
}
