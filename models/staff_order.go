package models

import (
	"errors"
	"time"

	"gorm.io/gorm"
)

// Kinds of registration an organizer makes by hand.
const (
	StaffComplimentary = "complimentary" // a guest: nothing to pay, confirmed at once
	StaffInvoice       = "invoice"       // to be paid by bank transfer; held until marked paid
	StaffFullPrice     = "paid"          // the ticket's price, paid online through the order's link
)

// StaffKinds lists the kinds in the order the form offers them.
var StaffKinds = []string{StaffComplimentary, StaffInvoice, StaffFullPrice}

// StaffPaymentHold is how long a full-price staff registration holds its
// places while the person pays through the link they were sent.
const StaffPaymentHold = 7 * 24 * time.Hour

// ErrUnknownStaffKind is a kind outside StaffKinds.
var ErrUnknownStaffKind = errors.New("unknown kind of staff registration")

// Actor is the organizer who makes a change, as the change records keep
// them: the id, and the name at the time (a user may be renamed or removed).
type Actor struct {
	UserID uint
	Name   string
}

// StaffOrder marks an order an organizer made: its kind, who made it, and
// for an import the e-mail that is unique per event, so a file imported
// twice (or by two instances at once) registers each person once. Staff
// registrations carry no consent the person did not give: this row is the
// record that they were registered by staff.
type StaffOrder struct {
	OrderID     uint    `gorm:"primaryKey;autoIncrement:false"`
	EventID     uint    `gorm:"not null;index"`
	Kind        string  `gorm:"size:20;not null"`
	UserID      uint    `gorm:"not null;default:0"`
	UserName    string  `gorm:"size:200;not null;default:''"`
	ImportID    *uint   `gorm:"index"`
	ImportEmail *string `gorm:"size:254"`
	CreatedAt   time.Time
}

// StaffOrderInput is a registration made by an organizer: the attendees as
// the public form takes them, with what only staff may choose.
type StaffOrderInput struct {
	PlaceOrderInput
	Kind  string
	Actor Actor
	// SendConfirmation mails the confirmation (or, for an order to be paid,
	// the link to pay) to the buyer.
	SendConfirmation bool
	// importRow is set when the order comes from an import row.
	importRow *ImportRow
	cache     *importCache
}

// staffPlan is what PlaceOrder does differently for a staff registration.
type staffPlan struct {
	kind      string
	actor     Actor
	send      bool
	hold      time.Duration
	importRow *ImportRow
	importID  *uint
	cache     *importCache
}

// importCache keeps, for one batch of an import (one transaction), the
// event and the forms every row of the batch is checked against.
type importCache struct {
	ev    *Event
	forms map[uint]*RegistrationForm
}

// event loads the order's event (once per import batch). p may be nil.
func (p *staffPlan) event(db *gorm.DB, id uint) (Event, error) {
	if p != nil && p.cache != nil && p.cache.ev != nil && p.cache.ev.ID == id {
		return *p.cache.ev, nil
	}
	var ev Event
	if err := db.Take(&ev, id).Error; err != nil {
		return ev, err
	}
	if p != nil && p.cache != nil {
		p.cache.ev = &ev
	}
	return ev, nil
}

// form loads the registration form (once per ticket type and import batch).
// The ticket type's counters are not read from it: places are taken by the
// conditional update, whatever the cached row says. p may be nil.
func (p *staffPlan) form(db *gorm.DB, eventID, ttID uint) (*RegistrationForm, error) {
	if p != nil && p.cache != nil {
		if f, ok := p.cache.forms[ttID]; ok {
			return f, nil
		}
	}
	f, err := LoadRegistrationForm(db, eventID, ttID)
	if err != nil {
		return nil, err
	}
	if p != nil && p.cache != nil {
		p.cache.forms[ttID] = f
	}
	return f, nil
}

// PlaceStaffOrder registers people by hand, through the same rule as the
// public form (PlaceOrder: the same capacity invariant and validation of
// names, e-mails and answers), except that any ticket type may be chosen
// (hidden ones, outside the sales window, while registration is closed;
// never for a cancelled event), required questions may stay unanswered,
// and no consent is asked: the person did not tick it, so none is recorded;
// the StaffOrder row says who registered them. Kinds: StaffComplimentary
// (total 0, confirmed), StaffInvoice (needs the event's bank transfers;
// pending for its invoice days until marked paid), StaffFullPrice (pending
// for StaffPaymentHold). The order and a "registered" change record are
// written in one transaction.
func PlaceStaffOrder(db *gorm.DB, in StaffOrderInput) (*Order, error) {
	po, err := staffOrderInput(db, in)
	if err != nil {
		return nil, err
	}
	return PlaceOrder(db, po)
}

// PlaceStaffOrder is models.PlaceStaffOrder with the commit shared with
// concurrent registrations (see OrderBatcher): for callers that register
// many at once, such as the API, on SQLite.
func (b *OrderBatcher) PlaceStaffOrder(in StaffOrderInput) (*Order, error) {
	po, err := staffOrderInput(b.db, in)
	if err != nil {
		return nil, err
	}
	return placeOrder(b.db, po, b.commit)
}

// staffOrderInput is the registration PlaceOrder makes of a staff one.
func staffOrderInput(db *gorm.DB, in StaffOrderInput) (PlaceOrderInput, error) {
	plan := &staffPlan{kind: in.Kind, actor: in.Actor, send: in.SendConfirmation, importRow: in.importRow, cache: in.cache}
	switch in.Kind {
	case StaffComplimentary:
	case StaffFullPrice:
		plan.hold = StaffPaymentHold
	case StaffInvoice:
		s, err := PaymentSettings(db, in.EventID)
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return PlaceOrderInput{}, ErrEventNotOpen
		}
		if err != nil {
			return PlaceOrderInput{}, err
		}
		if !s.AllowInvoice {
			return PlaceOrderInput{}, ErrInvoiceNotAllowed
		}
		days := s.InvoiceDays
		if days < 1 {
			days = 14
		}
		plan.hold = time.Duration(days) * 24 * time.Hour
	default:
		return PlaceOrderInput{}, ErrUnknownStaffKind
	}
	if in.importRow != nil {
		plan.importID = &in.importRow.ImportID
	}
	po := in.PlaceOrderInput
	po.staff = plan
	po.VoucherCode = ""
	po.fromOffer = nil
	po.Attendees = append([]AttendeeInput(nil), po.Attendees...)
	for i := range po.Attendees {
		po.Attendees[i].ConsentTextIDs = nil
	}
	return po, nil
}

// staffForm is the form a staff registration is validated against: the
// same fields and limits, no required answers and no consents to give.
func staffForm(f RegistrationForm) RegistrationForm {
	qs := make([]Question, len(f.Questions))
	copy(qs, f.Questions)
	for i := range qs {
		qs[i].Required = false
	}
	f.Questions, f.ConsentTexts = qs, nil
	return f
}

// apply sets what a staff registration changes on the new order.
func (p *staffPlan) apply(o *Order, now time.Time) {
	if p.kind == StaffComplimentary {
		o.Total = 0
	}
	if o.Total <= 0 {
		o.Status, o.ConfirmedAt, o.ExpiresAt = OrderConfirmed, &now, nil
		return
	}
	exp := now.Add(p.hold)
	o.Status, o.ConfirmedAt, o.ExpiresAt = OrderPending, nil, &exp
}

// write adds the staff rows inside the order's transaction: the StaffOrder
// mark, the invoice payment, the import row's state and the change record,
// and the mail to send when asked for one.
func (p *staffPlan) write(tx *gorm.DB, o *Order, now time.Time) error {
	so := StaffOrder{OrderID: o.ID, EventID: o.EventID, Kind: p.kind, UserID: p.actor.UserID, UserName: p.actor.Name,
		ImportID: p.importID, CreatedAt: now}
	if p.importRow != nil {
		email := NormalizeEmail(p.importRow.Email)
		so.ImportEmail = &email
	}
	// A second import of the same e-mail fails here on the unique index
	// and rolls the whole order back.
	if err := tx.Create(&so).Error; err != nil {
		return err
	}
	if p.kind == StaffInvoice && o.Total > 0 {
		if err := tx.Create(&Payment{OrderID: o.ID, Provider: ProviderInvoice, State: PaymentCreated, Amount: o.Total, Currency: o.Currency}).Error; err != nil {
			return err
		}
	}
	if p.importRow != nil {
		res := tx.Model(&ImportRow{}).Where("id = ? AND state = ?", p.importRow.ID, ImportRowPending).
			Updates(map[string]any{"state": ImportRowCreated, "order_id": o.ID, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errImportRowTaken
		}
	}
	action := ChangeRegistered
	if p.importRow != nil {
		action = ChangeImported
	}
	details := []FieldChange{{Field: "kind", New: p.kind}}
	if err := recordChange(tx, o.EventID, o.ID, nil, p.actor, action, details, now); err != nil {
		return err
	}
	if !p.send {
		return nil
	}
	if o.Status == OrderConfirmed {
		return enqueueConfirmation(tx, o, "")
	}
	return enqueueOrderMail(tx, o, MailOrderLink, "staff")
}

// enqueueConfirmation queues the confirmation of order o (suffix "" for the
// first one; a resend names itself). Every confirmation goes through here.
func enqueueConfirmation(tx *gorm.DB, o *Order, suffix string) error {
	return queueConfirmations(tx, o.ID, suffix) // the buyer's and each delegate's
}

// StaffOrderOf returns the staff mark of an order, or gorm.ErrRecordNotFound
// for an order the person made themselves.
func StaffOrderOf(db *gorm.DB, orderID uint) (*StaffOrder, error) {
	var so StaffOrder
	if err := db.Take(&so, orderID).Error; err != nil {
		return nil, err
	}
	return &so, nil
}

// ErrAlreadyRegistered is an imported e-mail that is registered already.
var ErrAlreadyRegistered = errors.New("this e-mail is already registered for the event")

// duplicate tells a lost race on the import e-mail (another import made
// this person's order first) from a random code collision (nil: try again).
func (p *staffPlan) duplicate(db *gorm.DB, eventID uint) error {
	if p.importRow == nil {
		return nil
	}
	var n int64
	if err := db.Model(&StaffOrder{}).Where("event_id = ? AND import_email = ?", eventID, NormalizeEmail(p.importRow.Email)).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return ErrAlreadyRegistered
	}
	return nil
}
