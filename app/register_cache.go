package app

import (
	"bytes"
	"encoding/json"
	"hash/fnv"
	"strconv"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// The blank registration form an anonymous visitor opens is the same for
// everyone who opens it in the same language, for the same ticket and
// number of people, until the event's form or what it says about places
// changes. Rendering it was most of a registration's cost (issue 17), so it
// is rendered once per such version with two holes, for the visitor's CSRF
// token and the form's idempotency key, which are filled in per request.
// Everything else (a signed-in person, a voucher, an embedded form, errors)
// is rendered as before.

// The holes' markers: random per process, so no text an organizer writes
// can contain them, and plain ASCII letters, so escaping leaves them as
// they are.
var (
	formHoleCSRF = "agoraholecsrf" + randomLetters(12)
	formHoleKey  = "agoraholekey" + randomLetters(12)
)

// randomLetters is n random lowercase letters.
func randomLetters(n int) string {
	const digits = "abcdefghijklmnopqrstuvwxyz"
	b := []byte(randomToken(n))
	for i := range b {
		b[i] = digits[int(b[i])%len(digits)]
	}
	return string(b)
}

// formCopy is a rendered form cut at its holes: parts[0] hole[0] parts[1] …
type formCopy struct {
	version string
	parts   [][]byte
	holes   []bool // true: CSRF token, false: idempotency key
}

type formCache struct {
	mu    sync.RWMutex
	forms map[string]*formCopy // by slot; one version each
}

func newFormCache() *formCache { return &formCache{forms: map[string]*formCopy{}} }

func (fc *formCache) get(slot, version string) *formCopy {
	fc.mu.RLock()
	defer fc.mu.RUnlock()
	if f := fc.forms[slot]; f != nil && f.version == version {
		return f
	}
	return nil
}

// maxCachedForms bounds the cache (about 30 KB a form): every event, ticket,
// number of people and language is a slot, and anyone can ask for them all.
const maxCachedForms = 512

func (fc *formCache) put(slot string, f *formCopy) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if _, ok := fc.forms[slot]; !ok && len(fc.forms) >= maxCachedForms {
		for other := range fc.forms { // any one: a form that is asked for again is rendered again
			delete(fc.forms, other)
			break
		}
	}
	fc.forms[slot] = f
}

// cutAtHoles splits a rendering at every marker.
func cutAtHoles(version string, body []byte) *formCopy {
	f := &formCopy{version: version}
	csrf, key := []byte(formHoleCSRF), []byte(formHoleKey)
	for {
		i, j := bytes.Index(body, csrf), bytes.Index(body, key)
		if i < 0 && j < 0 {
			f.parts = append(f.parts, body)
			return f
		}
		isCSRF := j < 0 || (i >= 0 && i < j)
		at, n := j, len(key)
		if isCSRF {
			at, n = i, len(csrf)
		}
		f.parts = append(f.parts, body[:at])
		f.holes = append(f.holes, isCSRF)
		body = body[at+n:]
	}
}

// fill returns the form with the visitor's token and a fresh key.
func (f *formCopy) fill(csrf, key string) []byte {
	n := 0
	for _, p := range f.parts {
		n += len(p)
	}
	out := make([]byte, 0, n+len(f.holes)*len(csrf))
	for i, p := range f.parts {
		out = append(out, p...)
		if i < len(f.holes) {
			if f.holes[i] {
				out = append(out, csrf...)
			} else {
				out = append(out, key...)
			}
		}
	}
	return out
}

// formStamp sums up everything of p the blank form shows: the event and
// its form (hashed), the state, and for places only what the page says
// (sold out, or how many are left when few), so a registration that leaves
// plenty of places does not make the form render again.
func formStamp(p *registerPage) string {
	h := fnv.New64a()
	w := func(s string) { _, _ = h.Write([]byte(s)); _, _ = h.Write([]byte{0}) }
	ev := *p.Event
	ev.PlacesTaken = 0 // the state below says what the page shows of it
	w(stampInput(ev))
	w(p.State)
	w(strconv.Itoa(p.MaxCount))
	for _, t := range p.Tickets {
		tt := t.TicketType
		tt.PlacesTaken = 0
		left := -2 // plenty
		if t.Left == 0 || t.Few {
			left = t.Left
		}
		w(stampInput(tt) + "|" + strconv.Itoa(left) + strconv.FormatBool(t.OnSale) + strconv.FormatBool(t.Few))
	}
	if p.Reg != nil {
		w(stampInput(p.Reg.Questions))
		w(stampInput(p.Reg.ConsentTexts))
	}
	w(stampInput(p.Consents))
	for _, s := range p.Sessions {
		ss := s.Session
		ss.PlacesTaken = 0
		w(stampInput(ss) + "|" + strconv.Itoa(s.Left))
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

// cachedBlankForm serves the blank form from its rendered copy when the
// visitor is anonymous and nothing on the form is theirs, and reports
// whether it did.
func (a *App) cachedBlankForm(c *fiber.Ctx, p *registerPage, tid uint, count int) (bool, error) {
	if isEmbed(c) || currentUser(c) != nil {
		return false, nil
	}
	if s, err := a.session(c); err != nil || !s.Fresh() {
		return false, nil // a session may hold a flash or a user: render it
	}
	slot := "register:" + strconv.FormatUint(uint64(p.Event.ID), 10) + ":" + strconv.FormatUint(uint64(tid), 10) + ":" +
		strconv.Itoa(count) + ":" + a.lang(c) + ":" + a.contentLang(c)
	version := formStamp(p)
	f := a.forms.get(slot, version)
	if f == nil {
		form := blankRegisterForm(tid, count, formHoleKey)
		c.Locals(formHoleLocal, true)
		if err := a.renderRegister(c, fiber.StatusOK, p, form, FieldErrors{}, nil); err != nil {
			return true, err
		}
		f = cutAtHoles(version, bytes.Clone(c.Response().Body()))
		a.forms.put(slot, f)
	}
	tok, err := a.csrfToken(c)
	if err != nil {
		return true, errInternal("csrf token", err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return true, c.Status(fiber.StatusOK).Send(f.fill(tok, randomToken(24)))
}

// formHoleLocal asks renderBytes for the CSRF marker instead of a token.
const formHoleLocal = "agora.form_hole"

// stampInput writes v out whole (pointers followed), as the stamp's input.
func stampInput(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "unstampable:" + randomToken(8) // never matches: render afresh
	}
	return string(b)
}
