package app

import (
	"bytes"
	"net/url"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/agora-events/agora/app/api"
)

// Every value a request carries passes checkInput before any handler sees
// it: the path, cookies, query parameters and form fields. PostgreSQL refuses
// a NUL byte or invalid UTF-8 in a text column where SQLite stores it, so
// such input is cleaned here, once, for every route and both engines:
//   - a NUL or other control character (except tab and line breaks) is removed,
//     invalid UTF-8 becomes U+FFFD, and the field is marked;
//   - a value longer than maxInputBytes is kept as typed and marked.
// A form handler starts its errors with csrfErrors, which turns each mark into
// a message beside the field (and one above the form), so nothing is saved
// and the person gets back what they typed, minus the bytes that cannot be stored.

// maxInputBytes bounds one value. Forms check their own, smaller limits; this
// is the net under them (the body itself is limited to 2 MiB).
const maxInputBytes = 100_000

const (
	inputBadChars = "form.bad_characters"
	inputTooLong  = "form.too_long"
)

const inputProblemsKey = api.InputProblemsLocal

// checkInput is the middleware. A path that is not clean text names no page
// of the site: 404. A cookie that is not clean text is dropped, as if absent.
func (a *App) checkInput(c *fiber.Ctx) error {
	if !cleanText(c.Request().URI().Path()) {
		return errNotFound()
	}
	dropBadCookies(&c.Request().Header)
	problems := map[string]string{}
	cleanArgs(c.Request().URI().QueryArgs(), problems)
	switch ct := c.Request().Header.ContentType(); {
	case bytes.HasPrefix(ct, []byte(fiber.MIMEApplicationForm)):
		cleanArgs(c.Request().PostArgs(), problems)
	case bytes.HasPrefix(ct, []byte(fiber.MIMEMultipartForm)):
		if form, err := c.MultipartForm(); err == nil {
			for k, vs := range form.Value {
				for i, v := range vs {
					clean, problem := checkValue([]byte(v))
					vs[i] = string(clean)
					noteProblem(problems, k, problem)
				}
			}
		}
	}
	if len(problems) > 0 {
		c.Locals(inputProblemsKey, problems)
	}
	return c.Next()
}

// inputErrors adds a message for each field checkInput marked, and one for
// the whole form, so a marked field with no visible input is still explained.
func inputErrors(c *fiber.Ctx, errs FieldErrors) {
	problems, _ := c.Locals(inputProblemsKey).(map[string]string)
	for field, id := range problems {
		if id == inputTooLong {
			errs.Add(field, id, "Max", maxInputBytes)
		} else {
			errs.Add(field, id)
		}
	}
	if len(problems) > 0 {
		errs.Add(formErrorKey, "form.input_problems")
	}
}

// cleanArgs cleans every key and value of args in place, noting problems.
func cleanArgs(args *fasthttp.Args, problems map[string]string) {
	dirty := false
	for k, v := range args.All() {
		if !cleanText(k) || !cleanText(v) || len(v) > maxInputBytes {
			dirty = true
			break
		}
	}
	if !dirty {
		return // the usual case: nothing copied, nothing allocated
	}
	type kv struct{ k, v []byte }
	var all []kv
	for k, v := range args.All() {
		ck, kp := checkValue(k)
		cv, vp := checkValue(v)
		if kp == inputTooLong {
			kp = inputBadChars // a name that long is no field of ours
		}
		// checkValue returns its input when clean; copy before Reset reuses it.
		all = append(all, kv{bytes.Clone(ck), bytes.Clone(cv)})
		noteProblem(problems, string(ck), kp)
		noteProblem(problems, string(ck), vp)
	}
	args.Reset()
	for _, p := range all {
		args.AddBytesKV(p.k, p.v)
	}
}

func noteProblem(problems map[string]string, field, problem string) {
	if problem == "" {
		return
	}
	if _, ok := problems[field]; !ok {
		problems[field] = problem
	}
}

// checkValue returns v cleaned of bytes that cannot be stored, and what was
// wrong with it ("" when nothing).
func checkValue(v []byte) ([]byte, string) {
	if !cleanText(v) {
		return cleanBytes(v), inputBadChars
	}
	if len(v) > maxInputBytes {
		return v, inputTooLong
	}
	return v, ""
}

// cleanText reports whether b is valid UTF-8 without control characters other
// than tab, line feed and carriage return.
func cleanText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return utf8.Valid(b)
}

// cleanBytes drops control characters and replaces invalid UTF-8 with U+FFFD.
func cleanBytes(b []byte) []byte {
	b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
	out := b[:0:0]
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			continue
		}
		out = append(out, c)
	}
	return out
}

// dropBadCookies removes cookies whose name or value is not clean text:
// session ids and language choices are looked up in the database.
func dropBadCookies(h *fasthttp.RequestHeader) {
	var bad [][]byte
	for k, v := range h.Cookies() {
		if !cleanText(k) || !cleanText(v) || len(v) > 4096 {
			bad = append(bad, bytes.Clone(k))
		}
	}
	for _, k := range bad {
		h.DelCookieBytes(k)
	}
}

// queryValues copies the request's query parameters, as checkInput left
// them. Parse the query through this (or c.Query), never from the raw query
// string, which holds the bytes the check removed.
func queryValues(c *fiber.Ctx) url.Values {
	v := url.Values{}
	for k, val := range c.Request().URI().QueryArgs().All() {
		v.Add(string(k), string(val))
	}
	return v
}
