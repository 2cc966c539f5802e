package app

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// registrationRoutes declares the attendee's side of registration: the
// form, the order's self-service pages, the lost-link form and the waitlist.
func (a *App) registrationRoutes(f *fiber.App) {
	f.Get("/events/:slug/register", a.showRegister)
	a.postForm(f, "/events/:slug/register", a.postRegister)
	a.postForm(f, "/events/:slug/waitlist", a.postJoinWaitlist)

	// Pages behind a secret: never cached, never leaked in a Referer.
	f.Get("/orders/lost", a.secretHeaders, a.showLostLink)
	f.Post("/orders/lost", a.secretHeaders, a.lostLinkLimiter(), func(c *fiber.Ctx) error {
		if !a.validCSRF(c) {
			c.Locals(csrfFailedKey, true)
		}
		return a.postLostLink(c)
	})
	o := f.Group("/orders/:secret", a.secretHeaders)
	a.orderRoutes(o)
	a.ticketRoutes(f)
	w := f.Group("/waitlist/:secret", a.secretHeaders)
	w.Get("", a.showOffer)
	a.postForm(w, "", a.postAcceptOffer)
}

// secretHeaders marks a page reached through a secret link: no cache may
// keep it and no link on it may pass the address on.
func (a *App) secretHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("X-Robots-Tag", "noindex")
	return c.Next()
}

// Registration states, as the register page explains them.
const (
	regOpen      = "open"
	regNotYet    = "not_yet"
	regClosed    = "closed"
	regCancelled = "cancelled"
	regPast      = "past"
	regFull      = "full"
	regNoTickets = "no_tickets"
)

// stateMsgPrefix + a registration state is the message explaining it.
const stateMsgPrefix = "register.state."

// ticketChoice is a ticket type as the form offers it.
type ticketChoice struct {
	models.TicketType
	Left   int  // -1 when unlimited
	Few    bool // worth saying how many are left
	OnSale bool
	lang   string // the page's, which writes the price
}

// PriceText is the ticket's price as the page's language writes it
// ("€12.50", "12,50 €").
func (t ticketChoice) PriceText() string { return formatMoney(t.lang, t.Price, t.Currency) }

// sessionChoice is a session with sign-up as the form offers it.
type sessionChoice struct {
	models.Session
	Left int // -1 when unlimited
}

// registerPage is what the register page shows, loaded afresh on every request
// (places and windows change with time, so nothing here is cached).
type registerPage struct {
	Event    *models.Event
	State    string
	Tickets  []ticketChoice
	Chosen   *ticketChoice
	Reg      *models.RegistrationForm
	Consents []models.ConsentText
	Sessions []sessionChoice
	MaxCount int
	// Voucher is the valid voucher the page was opened with, if any; its
	// hidden ticket types are offered too when it unlocks them.
	Voucher *models.Voucher
}

// loadRegisterPage loads the event's registration state, its visible ticket
// types (and the hidden ones a valid voucherCode unlocks), and, when
// ticketID names one of them, the form for it.
func (a *App) loadRegisterPage(slug string, ticketID uint, voucherCode string) (*registerPage, error) {
	e, err := models.PublicEventBySlug(a.db, slug)
	if err != nil {
		return nil, dbErr("load event", err)
	}
	now := a.now()
	p := &registerPage{Event: e}
	if voucherCode != "" {
		v, verr := models.CheckVoucher(a.db, e.ID, voucherCode, 0, now)
		if verr == nil {
			p.Voucher = v
		} else if voucherFieldMessage(verr) == "" {
			return nil, errInternal("voucher", verr)
		}
	}
	var tts []models.TicketType
	if err := a.db.Where("event_id = ?", e.ID).Order("position, id").Find(&tts).Error; err != nil {
		return nil, errInternal("ticket types", err)
	}
	tts = unlockedTicketTypes(tts, p.Voucher)
	for _, tt := range tts {
		tc := ticketChoice{TicketType: tt, Left: tt.PlacesLeft(), OnSale: tt.OnSale(now)}
		tc.Few = tt.FewLeft() // the one rule, as on the event page
		p.Tickets = append(p.Tickets, tc)
	}
	p.State = registrationState(e, p.Tickets, now)
	if len(p.Tickets) == 1 && ticketID == 0 {
		ticketID = p.Tickets[0].ID
	}
	for i := range p.Tickets {
		if p.Tickets[i].ID == ticketID {
			p.Chosen = &p.Tickets[i]
		}
	}
	if p.State != regOpen && p.State != regFull {
		return p, nil
	}
	// The questions, consents and sessions are the event's, whatever the
	// ticket: load them through the chosen type, else the first one.
	formTicket := p.Chosen
	if formTicket == nil {
		formTicket = &p.Tickets[0] // regOpen and regFull have some
	}
	if p.Reg, err = models.RegistrationFormOf(a.db, formTicket.TicketType); err != nil {
		return nil, errInternal("registration form", err)
	}
	// The form holds every version of the event's texts; the page shows
	// the latest of each kind (models.CurrentConsentTexts, without a query).
	p.Consents = models.LatestConsentTexts(p.Reg.ConsentTexts)
	for _, s := range p.Reg.SignupSessions {
		left := -1
		if s.Capacity > 0 {
			left = max(0, s.Capacity-s.PlacesTaken)
		}
		p.Sessions = append(p.Sessions, sessionChoice{Session: s, Left: left})
	}
	p.MaxCount = 1
	for _, t := range p.Tickets {
		if p.Chosen == nil || p.Chosen.ID == t.ID {
			p.MaxCount = max(p.MaxCount, min(t.MaxAttendees(), models.MaxAttendeeCap))
		}
	}
	return p, nil
}

// registrationState says whether the event takes registrations now and, if
// not, why: the register page tells the person.
func registrationState(e *models.Event, tickets []ticketChoice, now time.Time) string {
	switch {
	case e.Status == models.StatusCancelled:
		return regCancelled
	case e.IsPast(now) || !now.Before(e.EndsAt):
		return regPast
	case e.RegistrationOpensAt != nil && now.Before(*e.RegistrationOpensAt):
		return regNotYet
	case !models.RegistrationOpen(*e, now):
		return regClosed
	case len(tickets) == 0:
		return regNoTickets
	case e.Capacity > 0 && e.PlacesTaken >= e.Capacity:
		return regFull
	}
	for _, t := range tickets {
		if t.OnSale && t.Left != 0 {
			return regOpen
		}
	}
	for _, t := range tickets {
		if t.OnSale {
			return regFull // on sale but sold out
		}
	}
	return regClosed
}

// showRegister shows the ticket choice and, once a ticket is chosen, the
// form for as many attendees as asked (?ticket=ID&count=N).
func (a *App) showRegister(c *fiber.Ctx) error {
	code := strings.TrimSpace(c.Query("voucher"))
	p, err := a.loadRegisterPage(c.Params("slug"), parseID(c.Query("ticket")), code)
	if err != nil {
		return err
	}
	count := 1
	if p.Chosen != nil {
		if n, err := strconv.Atoi(c.Query("count")); err == nil && n >= 1 {
			count = min(n, p.MaxCount)
		}
	}
	var tid uint
	if p.Chosen != nil {
		tid = p.Chosen.ID
	}
	if code == "" {
		if served, err := a.cachedBlankForm(c, p, tid, count); served || err != nil {
			return err
		}
	}
	f := blankRegisterForm(tid, count, randomToken(24))
	f.VoucherCode = code
	errs := FieldErrors{}
	if code != "" {
		// A link with a code that no longer works says so beside the field.
		checkVoucherField(errs, a.db, p.Event.ID, code, tid, a.now())
	}
	return a.renderRegister(c, fiber.StatusOK, p, f, errs, nil)
}

// waitlistOffer is the "join the waitlist" box shown when something is full.
type waitlistOffer struct {
	TicketTypeID uint
	SessionID    uint
	Session      string
	Name         string
	Email        string
}

func (a *App) renderRegister(c *fiber.Ctx, status int, p *registerPage, f registerForm, errs FieldErrors, wl *waitlistOffer) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	for i := range p.Tickets {
		p.Tickets[i].lang = a.lang(c)
	}
	var opensAt time.Time
	if p.Event.RegistrationOpensAt != nil {
		opensAt = *p.Event.RegistrationOpensAt
	}
	counts := make([]int, p.MaxCount)
	for i := range counts {
		counts[i] = i + 1
	}
	ct, err := a.localiseRegisterPage(c, p)
	if err != nil {
		return err
	}
	return a.renderPage(c, status, "register/register", withContent(fiber.Map{
		"Page": p, "Event": p.Event, "Loc": p.Event.Location(), "Form": f, "Errors": errs, "ErrorLinks": labelErrorLinks(errorLinks(errs), p.Reg, f.SomeoneElse || len(f.Attendees) > 1),
		"Waitlist": wl, "Counts": counts, "NeedKeys": needKeys, "OpensAt": opensAt,
	}, c, ct, p.Event))
}

// postValues returns the posted form as url.Values (repeated fields kept).
func postValues(c *fiber.Ctx) url.Values {
	v := url.Values{}
	for k, val := range c.Request().PostArgs().All() {
		v.Add(string(k), string(val))
	}
	return v
}

// postRegister places the order, or shows the form again with a message
// beside each field and everything typed kept.
func (a *App) postRegister(c *fiber.Ctx) error {
	errs := csrfErrors(c)
	f := parseRegisterForm(postValues(c))
	p, err := a.loadRegisterPage(c.Params("slug"), f.TicketTypeID, f.VoucherCode)
	if err != nil {
		return err
	}
	if len(f.VoucherCode) > 200 {
		f.VoucherCode = f.VoucherCode[:200]
	}
	if len(f.Attendees) == 0 {
		f.Attendees = []attendeeForm{newAttendeeForm()}
	}
	if len(f.IdempotencyKey) < 16 || len(f.IdempotencyKey) > 100 {
		f.IdempotencyKey = randomToken(24)
	}
	// The same form posted again from the same browser lands on the order
	// the first post made; a key from someone else's form leads nowhere.
	visitor := formVisitor(c)
	if !errs.Any() {
		prev, err := models.ReplayedOrder(a.db, p.Event.ID, f.IdempotencyKey, visitor, f.BuyerEmail)
		switch {
		case errors.Is(err, models.ErrIdempotencyKeyTaken):
			return a.renderFreshRegister(c, p, f, errs)
		case err != nil:
			return dbErr("replayed order", err)
		case prev != nil:
			return a.registeredRedirect(c, prev)
		}
	}
	if p.State != regOpen && p.State != regFull {
		errs.Add(formErrorKey, stateMsgPrefix+p.State)
		return a.renderRegister(c, fiber.StatusUnprocessableEntity, p, f, errs, nil)
	}
	if p.Chosen == nil {
		errs.Add("ticket_type_id", "register.error.choose_ticket")
		f.TicketTypeID = 0
	} else if !p.Chosen.OnSale {
		errs.Add("ticket_type_id", "register.error.sales_closed")
	}
	if p.Chosen != nil {
		errs = validateRegistration(errs, f, p.Reg)
	}
	if f.VoucherCode != "" {
		var tid uint
		if p.Chosen != nil {
			tid = p.Chosen.ID
		}
		checkVoucherField(errs, a.db, p.Event.ID, f.VoucherCode, tid, a.now())
	}
	if errs.Any() {
		return a.renderRegister(c, fiber.StatusUnprocessableEntity, p, f, errs, nil)
	}
	in := f.input(p.Reg)
	in.EventID = p.Event.ID
	// The language the person registered in: their mails (content
	// included) and the consent texts they were shown are in it.
	in.Language = a.contentLang(c)
	in.Now = a.now()
	in.Visitor = visitor
	in.Loaded = &models.LoadedForm{Event: *p.Event, Form: p.Reg}
	o, err := a.placeOrder(in)
	if errors.Is(err, models.ErrIdempotencyKeyTaken) {
		return a.renderFreshRegister(c, p, f, errs)
	}
	if err != nil {
		wl, status, perr := a.placeOrderErrors(errs, err, f)
		if perr != nil {
			return perr
		}
		// Places changed: show the counts as they are now.
		if fresh, lerr := a.loadRegisterPage(c.Params("slug"), f.TicketTypeID, f.VoucherCode); lerr == nil {
			p = fresh
		}
		return a.renderRegister(c, status, p, f, errs, wl)
	}
	if o.Status == models.OrderPending {
		if !isEmbed(c) {
			return a.beginPayment(c, o)
		}
		return a.embedPending(c, o) // paid in a new tab: checkout refuses frames
	}
	a.nudge()
	return a.registeredRedirect(c, o)
}

// formVisitor is the secret of the browser that posted the form, which its
// idempotency key is bound to: the posted CSRF token, valid only with this
// browser's own cookie or session (postForm has checked it; when it is bad
// nothing is looked up or saved).
func formVisitor(c *fiber.Ctx) string {
	return strings.Clone(c.FormValue("_csrf"))
}

// renderFreshRegister shows the form again, with what the person typed and
// a new idempotency key, when the posted key already made someone else's
// order: sending it again registers them as anyone else.
func (a *App) renderFreshRegister(c *fiber.Ctx, p *registerPage, f registerForm, errs FieldErrors) error {
	f.IdempotencyKey = randomToken(24)
	errs.Add(formErrorKey, "register.error.resend")
	return a.renderRegister(c, fiber.StatusConflict, p, f, errs, nil)
}

// placeOrderErrors puts the message for a PlaceOrder error beside the field
// it concerns, and says what to offer when something is full. Errors that
// are not the person's are returned as a server fault.
func (a *App) placeOrderErrors(errs FieldErrors, err error, f registerForm) (*waitlistOffer, int, error) {
	var ve *models.ValidationError
	var sf models.ErrSessionFull
	wl := &waitlistOffer{TicketTypeID: f.TicketTypeID, Name: f.BuyerName, Email: f.BuyerEmail}
	if msg := voucherFieldMessage(err); msg != "" {
		errs.Add("voucher_code", msg)
		return nil, fiber.StatusUnprocessableEntity, nil
	}
	switch {
	case errors.As(err, &ve):
		problemErrors(errs, ve.Problems)
	case errors.Is(err, models.ErrEventNotOpen):
		errs.Add(formErrorKey, "register.state.closed")
	case errors.Is(err, models.ErrInvalidTicketType):
		errs.Add("ticket_type_id", "register.error.choose_ticket")
	case errors.Is(err, models.ErrSalesClosed):
		errs.Add("ticket_type_id", "register.error.sales_closed")
	case errors.Is(err, models.ErrTooManyAttendees):
		errs.Add("attendees", "register.error.too_many", "Max", len(f.Attendees)-1)
	case errors.Is(err, models.ErrNoAttendees):
		errs.Add("attendees", "register.error.too_few")
	case errors.Is(err, models.ErrInvalidSession):
		errs.Add(formErrorKey, "register.error.invalid_session")
	case errors.Is(err, models.ErrEventFull):
		errs.Add(formErrorKey, "register.error.event_full")
		wl.TicketTypeID = 0
		return wl, fiber.StatusConflict, nil
	case errors.Is(err, models.ErrTicketTypeFull):
		errs.Add("ticket_type_id", "register.error.ticket_full")
		return wl, fiber.StatusConflict, nil
	case errors.As(err, &sf):
		wl.SessionID = sf.SessionID
		sid := strconv.FormatUint(uint64(sf.SessionID), 10)
		for i, at := range f.Attendees {
			if at.Sessions[sid] {
				errs.Add("attendees."+strconv.Itoa(i)+".sessions", "register.error.session_full")
			}
		}
		var s models.Session
		if a.db.Select("title").Take(&s, sf.SessionID).Error == nil {
			wl.Session = s.Title
		}
		return wl, fiber.StatusConflict, nil
	default:
		return nil, 0, errInternal("place order", err)
	}
	return nil, fiber.StatusUnprocessableEntity, nil
}
