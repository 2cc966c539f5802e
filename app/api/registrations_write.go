package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/views"
)

func (s *Server) registrationWriteRoutes() {
	write := needs(models.ScopeRegistrationsWrite)
	tags := []string{"Registrations"}
	huma.Register(s.api, huma.Operation{
		OperationID: "create-order", Method: http.MethodPost, Path: "/events/{event_id}/orders", Tags: tags,
		Summary: "Register people, as an organizer would", Security: write, DefaultStatus: http.StatusCreated,
		Description: "The organizers' registration rule: any ticket type (hidden or off sale too), never beyond " +
			"capacity (a full ticket type or event is 409), required questions may stay unanswered, no consent " +
			"recorded. Kinds: complimentary (free, confirmed at once), invoice (the event must take bank " +
			"transfers; pending until marked paid), paid (the ticket's price, paid online through the link the " +
			"buyer is mailed; the site must take online payments). Send an Idempotency-Key: a retry with the " +
			"same key, token and buyer e-mail returns the first order (200, Idempotent-Replayed: true) instead " +
			"of making a second one. " + sensitiveNote,
	}, s.createOrder)
	huma.Register(s.api, huma.Operation{
		OperationID: "update-attendee", Method: http.MethodPatch, Path: "/events/{event_id}/attendees/{attendee_id}", Tags: tags,
		Summary: "Change an attendee's details", Security: write,
		Description: "Fields left out keep their values; answers not listed keep theirs (an empty value clears " +
			"one). The change is recorded in the registration's history, naming the token. When the order's buyer " +
			"(its first person) gets a new e-mail address, the order's buyer name and e-mail follow. " + sensitiveNote,
	}, s.updateAttendee)
	huma.Register(s.api, huma.Operation{
		OperationID: "cancel-order", Method: http.MethodPost, Path: "/events/{event_id}/orders/{code}/cancel", Tags: tags,
		Summary: "Cancel an order, as an organizer would", Security: write,
		Description: "The places go back (to the waitlist first) and the buyer is mailed. With refund, the online " +
			"(Stripe) payment is refunded first — all that is left of it, or refund_amount — and the order is " +
			"cancelled only once the refund is made; a bank transfer is refunded by the organizers themselves. " +
			"Cancelling an order that is no longer live changes nothing (cancelled: false), so a retry is safe.",
	}, s.cancelOrder)
}

type createOrderInput struct {
	EventID        uint   `path:"event_id"`
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"100" doc:"A key of your own (a UUID) per registration, so a retry never registers twice."`
	Body           createOrderBody
}

type createOrderBody struct {
	TicketTypeID     uint          `json:"ticket_type_id" minimum:"1" doc:"Any ticket type of the event, hidden or off sale too."`
	Kind             string        `json:"kind,omitempty" enum:"complimentary,invoice,paid" default:"complimentary" doc:"complimentary: free, confirmed at once; invoice: pending until marked paid (the event must take bank transfers); paid: the ticket's price, paid online through the link mailed to the buyer."`
	BuyerName        string        `json:"buyer_name" maxLength:"200" doc:"Who the order's mails go to."`
	BuyerEmail       string        `json:"buyer_email" maxLength:"254" doc:"Where the order's mails go; part of what an Idempotency-Key is bound to."`
	Language         string        `json:"language,omitempty" maxLength:"8" doc:"The language of the mails: en, es, gl, ca, el, fr or nl (default en)."`
	SendConfirmation *bool         `json:"send_confirmation,omitempty" doc:"Mail the buyer the confirmation (or the link to pay). Default true."`
	Attendees        []newAttendee `json:"attendees" minItems:"1" maxItems:"50" doc:"The people, each taking a place (up to the ticket type's maximum per order)."`
}

type newAttendee struct {
	Name         string     `json:"name" maxLength:"200" doc:"The person's name, as on the badge."`
	Email        string     `json:"email" maxLength:"254" doc:"The person's own address; someone other than the buyer gets their own ticket by mail."`
	Organization string     `json:"organization,omitempty" maxLength:"200"`
	Category     string     `json:"category,omitempty" enum:"patient_citizen,carer,clinician,researcher,industry,public_authority,other" doc:"Default: the ticket type's."`
	Answers      []answerIn `json:"answers,omitempty" maxItems:"200" doc:"Answers to the event's questions that are not sensitive."`
	SessionIDs   []uint     `json:"session_ids,omitempty" maxItems:"100" doc:"Sessions with sign-up; each place is taken like a ticket's."`
}

type answerIn struct {
	QuestionID uint   `json:"question_id" minimum:"1"`
	Value      string `json:"value" maxLength:"2000" doc:"For a checkbox \"yes\" or \"\"; for a choice the option's text."`
}

type createOrderOutput struct {
	Status   int
	Location string `header:"Location" doc:"The order's address in the API."`
	Replayed string `header:"Idempotent-Replayed" doc:"true when the Idempotency-Key had made this order already."`
	Body     Order
}

// actor names the token in the registrations' history.
func actor(ctx context.Context) models.Actor {
	t := token(ctx)
	if t == nil {
		return models.Actor{Name: "API"}
	}
	return models.Actor{Name: "API token " + t.Name}
}

// auditEntry starts an audit line of an action made with the token.
func (s *Server) auditEntry(ctx context.Context, ev *models.Event, action string) models.AuditEntry {
	id := ev.ID
	e := models.AuditEntry{OrganizationID: ev.OrganizationID, EventID: &id, Action: action, CreatedAt: s.d.Now()}
	if t := token(ctx); t != nil {
		e.ActorEmail = "api token " + t.Hint + " (" + t.Name + ")"
	}
	return e
}

// checkAnswers refuses answers the API does not take: to questions of
// another event, to sensitive questions, or twice to one question. It
// returns the answers as the rule takes them and where each came from.
func checkAnswers(prefix string, answers []answerIn, qs []models.Question) (map[uint]string, map[uint]int, error) {
	byID := map[uint]models.Question{}
	for _, q := range qs {
		byID[q.ID] = q
	}
	out, refs := map[uint]string{}, map[uint]int{}
	for j, an := range answers {
		loc := fmt.Sprintf("%s.answers[%d].question_id", prefix, j)
		q, ok := byID[an.QuestionID]
		switch {
		case !ok:
			return nil, nil, fieldProblem(loc, "No question with this id at this event.", an.QuestionID)
		case q.Sensitive:
			return nil, nil, fieldProblem(loc, "Answers to sensitive questions are not taken through the API: the person gives them on their own page.", an.QuestionID)
		}
		if _, dup := refs[an.QuestionID]; dup {
			return nil, nil, fieldProblem(loc, "This question is answered twice.", an.QuestionID)
		}
		out[an.QuestionID], refs[an.QuestionID] = an.Value, j
	}
	return out, refs, nil
}

func (s *Server) createOrder(ctx context.Context, in *createOrderInput) (*createOrderOutput, error) {
	ev, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	b := &in.Body
	if b.Kind == "" {
		b.Kind = models.StaffComplimentary
	}
	if b.Language == "" {
		b.Language = "en"
	}
	if !slices.Contains(views.Languages, b.Language) {
		return nil, fieldProblem("body.language", "Not a language of this site.", b.Language)
	}
	if b.Kind == models.StaffFullPrice && s.d.Payments == nil {
		return nil, fieldProblem("body.kind", "This site takes no online payments (Stripe is not configured): use complimentary or invoice.", b.Kind)
	}
	db := s.d.DB.WithContext(ctx)
	qs, err := models.QuestionsOf(db, ev.ID)
	if err != nil {
		return nil, s.internal("questions", err)
	}
	po := models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: b.TicketTypeID, BuyerName: b.BuyerName, BuyerEmail: b.BuyerEmail,
		Language: b.Language, IdempotencyKey: in.IdempotencyKey, Now: s.d.Now()}
	if t := token(ctx); t != nil {
		// The key is the token's: another token (or a browser) sending the
		// same key never reaches this order.
		po.Visitor = "api-token:" + strconv.FormatUint(uint64(t.ID), 10)
	}
	refs := make(answerRefs, len(b.Attendees))
	for i, a := range b.Attendees {
		answers, r, err := checkAnswers(fmt.Sprintf("body.attendees[%d]", i), a.Answers, qs)
		if err != nil {
			return nil, err
		}
		refs[i] = r
		po.Attendees = append(po.Attendees, models.AttendeeInput{Name: a.Name, Email: a.Email, Organization: a.Organization,
			Category: a.Category, Answers: answers, SessionIDs: a.SessionIDs})
	}
	send := b.SendConfirmation == nil || *b.SendConfirmation
	o, err := s.d.PlaceStaffOrder(models.StaffOrderInput{PlaceOrderInput: po, Kind: b.Kind, Actor: actor(ctx), SendConfirmation: send})
	if err != nil {
		if p, ok := placeProblem(err, b, refs); ok {
			return nil, p
		}
		return nil, s.internal("create order", err)
	}
	full, err := s.eventOrder(ctx, ev.ID, o.Code)
	if err != nil {
		return nil, err
	}
	shown, err := s.orderOutput(ctx, ev.ID, full)
	if err != nil {
		return nil, err
	}
	out := &createOrderOutput{Status: http.StatusCreated, Body: shown.Body,
		Location: fmt.Sprintf("%s%s/events/%d/orders/%s", s.d.BaseURL, Prefix, ev.ID, o.Code)}
	if o.Reused {
		out.Status, out.Replayed = http.StatusOK, "true"
	}
	return out, nil
}

var (
	errNotActive = huma.Error409Conflict("This person's place is cancelled: their details no longer change.")
	errErased    = huma.Error409Conflict("This person's data was erased.")
)

type updateAttendeeInput struct {
	EventID    uint `path:"event_id"`
	AttendeeID uint `path:"attendee_id"`
	Body       struct {
		Name         *string    `json:"name,omitempty" maxLength:"200"`
		Email        *string    `json:"email,omitempty" maxLength:"254"`
		Organization *string    `json:"organization,omitempty" maxLength:"200"`
		Answers      []answerIn `json:"answers,omitempty" maxItems:"200" doc:"Answers to change (not sensitive ones); the others keep their values."`
	}
}

func (s *Server) updateAttendee(ctx context.Context, in *updateAttendeeInput) (*attendeeOutput, error) {
	ev, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	at, err := s.eventAttendee(ctx, ev.ID, in.AttendeeID)
	if err != nil {
		return nil, err
	}
	// Said before the fields are checked: an erased person's empty e-mail
	// is not the caller's mistake. (The rule checks both again.)
	switch {
	case at.AnonymisedAt != nil:
		return nil, errErased
	case at.Status != models.AttendeeActive:
		return nil, errNotActive
	}
	db := s.d.DB.WithContext(ctx)
	qs, err := models.QuestionsOf(db, ev.ID)
	if err != nil {
		return nil, s.internal("questions", err)
	}
	given, refs, err := checkAnswers("body", in.Body.Answers, qs)
	if err != nil {
		return nil, err
	}
	// A patch: what is left out keeps its stored value. (Sensitive fields
	// are kept by the rule itself: the edit is made without the permission.)
	ed := models.AttendeeEdit{Name: at.Name, Email: at.Email, Organization: at.Organization, Answers: map[uint]string{}}
	for _, an := range at.Answers {
		ed.Answers[an.QuestionID] = an.Value
	}
	for qid, v := range given {
		ed.Answers[qid] = v
	}
	if in.Body.Name != nil {
		ed.Name = *in.Body.Name
	}
	if in.Body.Email != nil {
		ed.Email = *in.Body.Email
	}
	if in.Body.Organization != nil {
		ed.Organization = *in.Body.Organization
	}
	err = models.StaffEditAttendee(db, at.ID, ed, actor(ctx), s.d.Now())
	var ve *models.ValidationError
	switch {
	case err == nil:
	case errors.As(err, &ve):
		return nil, validationProblem("body", ve, answerRefs{refs})
	case errors.Is(err, models.ErrAttendeeNotActive):
		return nil, errNotActive
	case errors.Is(err, models.ErrAttendeeErased):
		return nil, errErased
	default:
		return nil, s.internal("update attendee", err)
	}
	return s.attendeeOutput(ctx, ev.ID, at.ID)
}

type cancelOrderInput struct {
	EventID uint   `path:"event_id"`
	Code    string `path:"code" maxLength:"40"`
	Body    *struct {
		Refund       bool  `json:"refund,omitempty" doc:"Refund the online payment before cancelling."`
		RefundAmount int64 `json:"refund_amount,omitempty" minimum:"0" doc:"With refund: how much, in minor units; 0 or absent = all that is left."`
	}
}

type cancelOrderOutput struct {
	Body struct {
		Cancelled bool  `json:"cancelled" doc:"The order was live and is cancelled now (false: it was cancelled or expired already)."`
		Refunded  int64 `json:"refunded" doc:"What was refunded now, in minor units."`
		Order     Order `json:"order"`
	}
}

func (s *Server) cancelOrder(ctx context.Context, in *cancelOrderInput) (*cancelOrderOutput, error) {
	ev, err := s.orgEvent(ctx, in.EventID)
	if err != nil {
		return nil, err
	}
	o, err := s.eventOrder(ctx, ev.ID, in.Code)
	if err != nil {
		return nil, err
	}
	out := &cancelOrderOutput{}
	if o.IsLive() {
		if in.Body != nil && in.Body.Refund {
			if out.Body.Refunded, err = s.refundForCancel(ctx, ev, o, in.Body.RefundAmount); err != nil {
				return nil, err
			}
		}
		done, err := models.StaffCancelOrder(s.d.DB.WithContext(ctx), o.ID, actor(ctx), s.d.Now())
		if err != nil {
			return nil, s.internal("cancel order", err)
		}
		out.Body.Cancelled = done
		if o, err = s.eventOrder(ctx, ev.ID, o.Code); err != nil {
			return nil, err
		}
	}
	shown, err := s.orderOutput(ctx, ev.ID, o)
	if err != nil {
		return nil, err
	}
	out.Body.Order = shown.Body
	return out, nil
}

// refundForCancel refunds amount (0 = all that is left) of the order's
// Stripe payment as the organizer's order page does: the provider call
// carries the refund's idempotency key, and the refund is recorded (with
// its audit line) and the buyer mailed.
func (s *Server) refundForCancel(ctx context.Context, ev *models.Event, o *models.Order, amount int64) (int64, error) {
	db := s.d.DB.WithContext(ctx)
	r, err := models.RefundableOf(db, o.ID)
	if err != nil {
		return 0, s.internal("refundable payment", err)
	}
	if r == nil {
		return 0, huma.Error409Conflict("This order has no online payment left to refund (free, not paid yet, paid by bank transfer, or refunded already). Nothing was changed; cancel without refund, and refund a bank transfer yourselves.")
	}
	if amount == 0 {
		amount = r.Left
	}
	if amount > r.Left {
		return 0, fieldProblem("body.refund_amount", fmt.Sprintf("Only %d (minor units) is left to refund.", r.Left), amount)
	}
	if s.d.Payments == nil {
		return 0, huma.Error409Conflict("This site has no online payments configured (Stripe), so the refund cannot be made. Nothing was changed.")
	}
	rid, err := s.d.Payments.Refund(*r.Payment.ProviderPaymentID, amount, models.RefundKey(r.Payment.ID, models.RefundOrganizer, int(r.Seq)))
	if err != nil {
		s.d.Logger.Error("api: refund", "order", o.ID, "payment", r.Payment.ID, "err", err)
		return 0, huma.Error502BadGateway("The payment provider did not make the refund; nothing was changed. Try again later.")
	}
	if _, _, err := models.RecordRefundBy(db, s.auditEntry(ctx, ev, models.AuditRefund), r.Payment.ID, amount, rid,
		models.RefundOrganizer, models.MailOrderRefunded, s.d.Now()); err != nil {
		return 0, s.internal("record refund", err)
	}
	return amount, nil
}
