package api

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// sensitiveNote is said in the document wherever attendees are shown.
const sensitiveNote = "Access and support needs, answers to questions marked sensitive and research-use consents are never " +
	"returned or taken by the API: a token belongs to no person, and only members with the access coordinator " +
	"permission see them, on the site. has_access_needs says that needs were given."

// Order is a registration as the API shows it: the buyer, the state, the
// money and the people on it.
type Order struct {
	ID          uint         `json:"id"`
	Code        string       `json:"code" doc:"The short public code (on tickets, said at the door)."`
	EventID     uint         `json:"event_id"`
	Status      string       `json:"status" enum:"pending,confirmed,cancelled,expired" doc:"Pending orders hold their places until expires_at (waiting for a payment)."`
	Source      string       `json:"source" enum:"online,complimentary,invoice,paid,import" doc:"online: the person registered on the site; the others were registered by the organizers (by hand, through the API, or from an import file) as that kind."`
	BuyerName   string       `json:"buyer_name"`
	BuyerEmail  string       `json:"buyer_email"`
	Language    string       `json:"language" doc:"The language of the mails the buyer gets."`
	Total       int64        `json:"total" doc:"What the order costs, in minor units (cents), after any voucher."`
	Currency    string       `json:"currency"`
	Payment     OrderPayment `json:"payment"`
	ExpiresAt   *time.Time   `json:"expires_at,omitempty" doc:"When a pending order's hold on its places ends."`
	ConfirmedAt *time.Time   `json:"confirmed_at,omitempty"`
	CancelledAt *time.Time   `json:"cancelled_at,omitempty"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at" doc:"The order's own last change (status, payment, buyer); changes to its people move the attendee's updated_at."`
	Attendees   []Attendee   `json:"attendees"`
}

// OrderPayment is the state of an order's latest payment attempt.
type OrderPayment struct {
	Status   string `json:"status" enum:"none,created,processing,paid,failed,expired,refund_due,refunded,partially_refunded" doc:"none: nothing to pay, or no attempt yet."`
	Provider string `json:"provider,omitempty" enum:"stripe,invoice"`
	Amount   int64  `json:"amount" doc:"Minor units."`
	Refunded int64  `json:"refunded" doc:"Refunded so far, minor units."`
}

// Attendee is one person on an order.
type Attendee struct {
	ID             uint          `json:"id"`
	OrderID        uint          `json:"order_id"`
	OrderCode      string        `json:"order_code"`
	OrderStatus    string        `json:"order_status" enum:"pending,confirmed,cancelled,expired"`
	Code           string        `json:"code" doc:"The ticket's code: the order code and the person's position (K7MQ2XWD-2)."`
	Position       int           `json:"position"`
	Name           string        `json:"name"`
	Email          string        `json:"email"`
	Organization   string        `json:"organization"`
	Category       string        `json:"category" enum:"patient_citizen,carer,clinician,researcher,industry,public_authority,other"`
	TicketType     TicketTypeRef `json:"ticket_type"`
	Status         string        `json:"status" enum:"active,cancelled" doc:"Whether this person still has a place (see also order_status)."`
	CheckedInAt    *time.Time    `json:"checked_in_at,omitempty"`
	CheckInCount   int           `json:"check_in_count"`
	Anonymised     bool          `json:"anonymised" doc:"The person's data was erased; the row stays for the counts."`
	HasAccessNeeds bool          `json:"has_access_needs" doc:"The person gave access or support needs (what they are is not in the API)."`
	Answers        []Answer      `json:"answers" doc:"Answers to the event's questions that are not sensitive."`
	Consents       []Consent     `json:"consents" doc:"Consents given (research-use consents left out)."`
	SessionIDs     []uint        `json:"session_ids" doc:"Sessions with sign-up the person chose."`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
}

// TicketTypeRef names a ticket type.
type TicketTypeRef struct {
	ID   uint   `json:"id"`
	Name string `json:"name"`
}

// Answer is a person's answer to one question.
type Answer struct {
	QuestionID uint   `json:"question_id"`
	Question   string `json:"question" doc:"The question's text in the event's default language."`
	Value      string `json:"value" doc:"For a checkbox \"yes\"; for a choice the option's text."`
}

// Consent is one consent a person gave.
type Consent struct {
	Kind        string     `json:"kind" enum:"privacy,photos,directory"`
	Version     int        `json:"version" doc:"The version of the text agreed to."`
	Language    string     `json:"language" doc:"The language the text was shown in."`
	GivenAt     time.Time  `json:"given_at"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
}

// people is what the JSON of a set of attendees needs besides their rows:
// the event's questions and the rows loaded per page (consents, sign-ups).
type people struct {
	view      models.SensitiveView
	questions []models.Question
	labels    map[uint]string
	consents  map[uint][]models.ConsentRecord
	sessions  map[uint][]uint
}

// loadPeople loads, in a few queries for the whole page, what the JSON of
// attendees as (their TicketType and Answers preloaded) needs.
func loadPeople(db *gorm.DB, eventID uint, as []models.Attendee) (*people, error) {
	p := &people{view: models.SensitiveViewOf(nil), labels: map[uint]string{}, consents: map[uint][]models.ConsentRecord{}, sessions: map[uint][]uint{}}
	qs, err := models.QuestionsOf(db, eventID)
	if err != nil {
		return nil, fmt.Errorf("questions: %w", err)
	}
	p.questions = qs
	for _, q := range qs {
		p.labels[q.ID] = q.Label
	}
	if len(as) == 0 {
		return p, nil
	}
	ids := make([]uint, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	var rs []models.ConsentRecord
	if err := db.Preload("ConsentText").Where("attendee_id IN ?", ids).Order("id").Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("consents: %w", err)
	}
	for _, r := range p.view.Consents(rs) {
		p.consents[r.AttendeeID] = append(p.consents[r.AttendeeID], r)
	}
	var ss []models.SessionSignup
	if err := db.Where("attendee_id IN ?", ids).Order("session_id").Find(&ss).Error; err != nil {
		return nil, fmt.Errorf("sign-ups: %w", err)
	}
	for _, s := range ss {
		p.sessions[s.AttendeeID] = append(p.sessions[s.AttendeeID], s.SessionID)
	}
	return p, nil
}

// attendeeJSON shows at (with TicketType and Answers loaded) as a token
// may see it: through the sensitive view of no one (models.SensitiveView).
func (p *people) attendeeJSON(at models.Attendee, o *models.Order) Attendee {
	shown, withheld := p.view.Attendee(at, p.questions)
	out := Attendee{ID: at.ID, OrderID: at.OrderID, Position: at.Position, Name: shown.Name, Email: shown.Email,
		Organization: shown.Organization, Category: shown.Category, TicketType: TicketTypeRef{ID: at.TicketTypeID, Name: at.TicketType.Name},
		Status: at.Status, CheckedInAt: utcPtr(at.CheckedInAt), CheckInCount: at.CheckInCount, Anonymised: at.AnonymisedAt != nil,
		HasAccessNeeds: withheld.Needs, Answers: []Answer{}, Consents: []Consent{}, SessionIDs: p.sessions[at.ID],
		CreatedAt: at.CreatedAt.UTC(), UpdatedAt: at.UpdatedAt.UTC()}
	if out.SessionIDs == nil {
		out.SessionIDs = []uint{}
	}
	if o != nil {
		out.OrderCode, out.OrderStatus = o.Code, o.Status
		out.Code = fmt.Sprintf("%s-%d", o.Code, at.Position)
	}
	for _, an := range shown.Answers {
		if an.Value != "" {
			out.Answers = append(out.Answers, Answer{QuestionID: an.QuestionID, Question: p.labels[an.QuestionID], Value: an.Value})
		}
	}
	for _, r := range p.consents[at.ID] {
		out.Consents = append(out.Consents, Consent{Kind: r.ConsentText.Kind, Version: r.ConsentText.Version, Language: r.Language,
			GivenAt: r.GivenAt.UTC(), WithdrawnAt: utcPtr(r.WithdrawnAt)})
	}
	return out
}

// orderExtras are the rows of a page of orders kept apart from the order:
// the latest payment attempt and the staff mark.
type orderExtras struct {
	payments map[uint]models.Payment
	staff    map[uint]models.StaffOrder
}

func loadOrderExtras(db *gorm.DB, os []models.Order) (*orderExtras, error) {
	x := &orderExtras{payments: map[uint]models.Payment{}, staff: map[uint]models.StaffOrder{}}
	if len(os) == 0 {
		return x, nil
	}
	ids := make([]uint, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	var ps []models.Payment
	if err := db.Where("order_id IN ?", ids).Order("id").Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("payments: %w", err)
	}
	for _, p := range ps {
		x.payments[p.OrderID] = p // the last attempt wins
	}
	var ss []models.StaffOrder
	if err := db.Where("order_id IN ?", ids).Find(&ss).Error; err != nil {
		return nil, fmt.Errorf("staff orders: %w", err)
	}
	for _, s := range ss {
		x.staff[s.OrderID] = s
	}
	return x, nil
}

// orderJSON shows o (with Attendees, their TicketType and Answers loaded).
func orderJSON(o models.Order, x *orderExtras, p *people) Order {
	out := Order{ID: o.ID, Code: o.Code, EventID: o.EventID, Status: o.Status, Source: "online", BuyerName: o.BuyerName,
		BuyerEmail: o.BuyerEmail, Language: o.Language, Total: o.Total, Currency: o.Currency, Payment: OrderPayment{Status: "none"},
		ExpiresAt: utcPtr(o.ExpiresAt), ConfirmedAt: utcPtr(o.ConfirmedAt), CancelledAt: utcPtr(o.CancelledAt),
		CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC(), Attendees: make([]Attendee, 0, len(o.Attendees))}
	if s, ok := x.staff[o.ID]; ok {
		out.Source = s.Kind
		if s.ImportID != nil {
			out.Source = "import"
		}
	}
	if pay, ok := x.payments[o.ID]; ok {
		out.Payment = OrderPayment{Status: pay.State, Provider: pay.Provider, Amount: pay.Amount, Refunded: pay.RefundedAmount}
	}
	for _, at := range o.Attendees {
		out.Attendees = append(out.Attendees, p.attendeeJSON(at, &o))
	}
	return out
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
