package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Who takes part on a live board, and how they get there:
//   - a registered attendee from their personal link, /tickets/{secret}/live/{session};
//     their posts carry their attendee id (names are shown unless anonymous);
//   - anyone in the room who scans the QR code or types the join code at
//     /live: they get a random device id in a cookie scoped to the board's
//     path (/live/b/{board}), signed so it cannot be made up for another board.
//
// Both reach the same pages through a liveScope; only the base URL differs.
type liveScope struct {
	Board   *models.LiveBoard
	Event   *models.Event
	Session *models.Session
	Voter   models.Voter
	// Base is the board's URL for this participant; forms post under it.
	Base string
}

// liveRoutes declares the public live pages: joining by code, the board of
// code-joiners, and the projector (app/live_projector.go).
func (a *App) liveRoutes(f fiber.Router) {
	f.Get("/live", a.showLiveJoin)
	a.postForm(f, "/live", a.postLiveJoin)
	f.Get("/live/:code", a.joinLiveByCode)
	b := f.Group("/live/b/:board", a.secretHeaders)
	a.liveBoardPages(b, a.deviceScope)
	a.projectorRoutes(f)
	a.moderatorLinkRoutes(f)
}

// ticketLiveRoutes adds the board to an attendee's personal pages.
func (a *App) ticketLiveRoutes(t fiber.Router) {
	a.liveBoardPages(t.Group("/live/:sid"), a.ticketLiveScope)
}

// liveBoardPages are a participant's board pages under a scope.
func (a *App) liveBoardPages(r fiber.Router, scope func(*fiber.Ctx) (*liveScope, error)) {
	r.Get("", func(c *fiber.Ctx) error { return a.showLiveBoard(c, scope) })
	r.Get("/posts", func(c *fiber.Ctx) error { return a.liveBoardFragment(c, scope) })
	r.Get("/stream", func(c *fiber.Ctx) error { return a.liveBoardStream(c, scope) })
	a.postForm(r, "/posts", func(c *fiber.Ctx) error { return a.postLivePost(c, scope) })
	a.postAction(r, "/vote", func(c *fiber.Ctx) error { return a.postLiveVote(c, scope) })
	a.postForm(r, "/poll", func(c *fiber.Ctx) error { return a.postPollAnswer(c, scope) })
}

// ticketLiveScope is the board of a session of the attendee's event, for an
// attendee who still holds a confirmed place.
func (a *App) ticketLiveScope(c *fiber.Ctx) (*liveScope, error) {
	at, err := models.AttendeeByLink(a.db, c.Params("secret"))
	if err != nil {
		return nil, dbErr("attendee by link", err)
	}
	if !at.Order.IsLive() || at.Order.Status != models.OrderConfirmed || at.Status != models.AttendeeActive {
		return nil, errNotFound()
	}
	b, err := models.BoardForSession(a.db, at.Order.EventID, parseID(c.Params("sid")))
	if err != nil {
		return nil, dbErr("live board", err)
	}
	return &liveScope{Board: b, Event: &at.Order.Event, Session: b.Session, Voter: models.Voter{AttendeeID: at.ID},
		Base: "/tickets/" + at.LinkSecret + "/live/" + strconv.FormatUint(uint64(b.SessionID), 10)}, nil
}

// deviceScope is the board of /live/b/{board} for a device that joined it.
// Without the board's cookie the person is sent to type the code.
func (a *App) deviceScope(c *fiber.Ctx) (*liveScope, error) {
	id := parseID(c.Params("board"))
	dev := a.boardDevice(c, id)
	if id == 0 || dev == "" {
		return nil, &Error{Status: fiber.StatusNotFound, MsgID: "live.join_needed"}
	}
	b, err := models.BoardByID(a.db, id)
	if err != nil {
		return nil, dbErr("live board", err)
	}
	var e models.Event
	if err := a.db.Take(&e, b.EventID).Error; err != nil {
		return nil, dbErr("live board event", err)
	}
	return &liveScope{Board: b, Event: &e, Session: b.Session, Voter: models.Voter{DeviceID: dev}, Base: boardPath(b.ID)}, nil
}

func boardPath(id uint) string { return "/live/b/" + strconv.FormatUint(uint64(id), 10) }

// Device cookies: one per board, on the board's path only.
const (
	liveDeviceCookie = "agora_live"
	liveDeviceLife   = 12 * time.Hour
)

// deviceSig binds a device id to a board with the site's key.
func (a *App) deviceSig(boardID uint, dev string) string {
	m := hmac.New(sha256.New, a.csrfKey)
	m.Write([]byte("live-device:" + strconv.FormatUint(uint64(boardID), 10) + ":" + dev))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))[:22]
}

// boardDevice is the device id of the request's cookie for the board ("" = none).
func (a *App) boardDevice(c *fiber.Ctx, boardID uint) string {
	dev, sig, ok := strings.Cut(c.Cookies(liveDeviceCookie), ".")
	if !ok || len(dev) != 20 || boardID == 0 || subtle.ConstantTimeCompare([]byte(sig), []byte(a.deviceSig(boardID, dev))) != 1 {
		return ""
	}
	return strings.Clone(dev)
}

// giveDevice sets the board's device cookie (keeping the one already there).
func (a *App) giveDevice(c *fiber.Ctx, boardID uint) {
	if a.boardDevice(c, boardID) != "" {
		return
	}
	dev := randomToken(15) // 20 characters
	c.Cookie(&fiber.Cookie{Name: liveDeviceCookie, Value: dev + "." + a.deviceSig(boardID, dev), Path: boardPath(boardID),
		MaxAge: int(liveDeviceLife.Seconds()), HTTPOnly: true, Secure: a.cfg.Secure, SameSite: "Lax"})
}

// showLiveJoin asks for the code shown in the room.
func (a *App) showLiveJoin(c *fiber.Ctx) error {
	return a.render(c, "live/join", fiber.Map{"Code": "", "Errors": FieldErrors{}})
}

// postLiveJoin takes a typed code to the board.
func (a *App) postLiveJoin(c *fiber.Ctx) error {
	errs := csrfErrors(c)
	code := c.FormValue("code")
	if !errs.Any() {
		b, err := models.BoardByCode(a.db, code, a.now())
		if err == nil {
			a.giveDevice(c, b.ID)
			return c.Redirect(boardPath(b.ID), fiber.StatusSeeOther)
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return dbErr("board by code", err)
		}
		errs.Add("code", "live.code_unknown")
	}
	return a.renderStatus(c, fiber.StatusUnprocessableEntity, "live/join", fiber.Map{"Code": code, "Errors": errs})
}

// joinLiveByCode is the QR code's address: /live/{code}.
func (a *App) joinLiveByCode(c *fiber.Ctx) error {
	b, err := models.BoardByCode(a.db, c.Params("code"), a.now())
	if errors.Is(err, gorm.ErrRecordNotFound) {
		errs := FieldErrors{}
		errs.Add("code", "live.code_unknown")
		return a.renderStatus(c, fiber.StatusNotFound, "live/join", fiber.Map{"Code": c.Params("code"), "Errors": errs})
	}
	if err != nil {
		return dbErr("board by code", err)
	}
	a.giveDevice(c, b.ID)
	return c.Redirect(boardPath(b.ID), fiber.StatusSeeOther)
}

// ticketBoards lists the open boards an attendee may join from their page,
// their sessions' titles in the page's content language (nil when they hold
// no confirmed place, or on a read error: the ticket page does not depend on it).
func (a *App) ticketBoards(s *attendeeScope, ct *models.Content) []models.LiveBoard {
	if !ticketLive(s) || s.Order.Status != models.OrderConfirmed {
		return nil
	}
	bs, err := models.BoardsOfEvent(a.db, s.Order.EventID)
	if err != nil {
		a.log.Warn("ticket boards", "err", err)
		return nil
	}
	var open []models.LiveBoard
	for _, b := range bs {
		if b.Open {
			if b.Session != nil && ct != nil {
				ct.Session(b.Session)
			}
			open = append(open, b)
		}
	}
	return open
}
