package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"
)

// Error knows its audience: Err is for the log, MsgID is the safe message a
// person sees (a translation id), Status is the HTTP status.
type Error struct {
	Status int
	MsgID  string
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.MsgID, e.Err)
	}
	return fmt.Sprintf("%d %s", e.Status, e.MsgID)
}

func (e *Error) Unwrap() error { return e.Err }

// errNotFound is the answer for unknown records and for records that exist
// but are not the visitor's to see: both look the same from outside.
func errNotFound() error { return &Error{Status: fiber.StatusNotFound, MsgID: "error.not_found"} }

// errForbidden is for a signed-in organizer whose role does not allow the action.
func errForbidden() error { return &Error{Status: fiber.StatusForbidden, MsgID: "error.forbidden"} }

// errInternal wraps an unexpected failure; step names what was being done.
func errInternal(step string, err error) error {
	return &Error{Status: fiber.StatusInternalServerError, MsgID: "error.internal", Err: fmt.Errorf("%s: %w", step, err)}
}

// dbErr turns a lookup failure into a 404 for missing rows and a 500 otherwise.
func dbErr(step string, err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errNotFound()
	}
	return errInternal(step, err)
}

// handleError renders a friendly page and never shows internals to a visitor.
func (a *App) handleError(c *fiber.Ctx, err error) error {
	status := fiber.StatusInternalServerError
	msgID := "error.internal"
	var ae *Error
	var fe *fiber.Error
	switch {
	case errors.As(err, &ae):
		status, msgID = ae.Status, ae.MsgID
	case errors.As(err, &fe):
		status = fe.Code
		switch status {
		case fiber.StatusNotFound:
			msgID = "error.not_found"
		case fiber.StatusMethodNotAllowed:
			msgID = "error.not_found"
			status = fiber.StatusNotFound
		case fiber.StatusRequestEntityTooLarge:
			msgID = "error.too_large"
		case fiber.StatusTooManyRequests:
			msgID = "error.too_many"
		default:
			if status < 500 {
				msgID = "error.bad_request"
			}
		}
	}
	if status >= 500 {
		a.log.Error("request failed", "request_id", requestID(c), "method", c.Method(), "path", loggedPath(c), "err", err)
	}
	a.setSecurityHeaders(c)
	c.Status(status)
	if rerr := a.renderStatus(c, status, "errors/error", fiber.Map{"Status": status, "MessageID": msgID, "Public": true}); rerr != nil {
		a.log.Error("render error page", "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(fmt.Sprintf("%d", status))
	}
	return nil
}
