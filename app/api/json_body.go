package api

import (
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// InputProblemsLocal is the Fiber local under which the site's input check
// (app.checkInput, which runs first for every request) lists what it had to
// clean out of the request's query and form values.
const InputProblemsLocal = "agora.input_problems"

// checkJSONBody is the API's input check, like the site's checkInput for
// forms: PostgreSQL refuses a NUL or invalid UTF-8 in a text column where
// SQLite stores it, so a body holding either (raw, or as a \u escape of a
// control character) is refused before anything reads it. Lengths are in
// each operation's schema (maxLength), checked by huma.
func checkJSONBody(c *fiber.Ctx) error {
	if c.Locals(InputProblemsLocal) != nil {
		// The site's checkInput cleaned a query parameter or a cookie that
		// could not be stored; a program is told rather than served a guess.
		return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{
			"title":  "Unprocessable Entity",
			"status": fiber.StatusUnprocessableEntity,
			"detail": "A query parameter holds NUL or other control characters, invalid UTF-8, or is too long.",
		}, "application/problem+json")
	}
	body := c.Body()
	if len(body) == 0 {
		return c.Next()
	}
	if !utf8.Valid(body) || hasControlEscape(body) {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{
			"title":  "Unprocessable Entity",
			"status": fiber.StatusUnprocessableEntity,
			"detail": "The body must be UTF-8 text without NUL or other control characters (tab and line breaks are fine).",
		}, "application/problem+json")
	}
	return c.Next()
}

// hasControlEscape reports a raw control byte or a \u00XX escape of one
// (other than tab, line feed, carriage return) anywhere in a JSON text.
// Outside strings JSON has no backslashes, so a plain scan is exact.
func hasControlEscape(b []byte) bool {
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == 0:
			return true
		case b[i] == '\\' && i+1 < len(b):
			if b[i+1] == 'u' && i+5 < len(b) {
				if v, ok := hex4(b[i+2 : i+6]); ok && v < 0x20 && v != '\t' && v != '\n' && v != '\r' {
					return true
				}
			}
			i++ // skip the escaped character (so `\\u0000` is text, not an escape)
		}
	}
	return false
}

func hex4(b []byte) (rune, bool) {
	var v rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}
