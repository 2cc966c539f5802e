package app

import (
	"errors"
	"fmt"
	"html/template"
	"sync"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
)

// messageRoutes declares the messages to registrants (managers and owners).
func (a *App) messageRoutes(o organizerArea) {
	o.editors.get("/events/:id/messages", a.messagesPage)
	o.editors.form("/events/:id/messages", a.postMessage)
	o.editors.get("/events/:id/messages/:mid", a.messageDetail)
}

func messagesURL(e *models.Event) string { return eventURL(e) + "/messages" }

// mailRenderers caches one mail renderer per base URL: the preview and the
// test mail are composed by the code that composes the real ones.
var mailRenderers = struct {
	sync.Mutex
	m map[string]*mail.Renderer
}{m: map[string]*mail.Renderer{}}

func (a *App) mailRenderer() (*mail.Renderer, error) {
	mailRenderers.Lock()
	defer mailRenderers.Unlock()
	if r := mailRenderers.m[a.cfg.BaseURL]; r != nil {
		return r, nil
	}
	r, err := mail.NewRenderer(a.db, a.cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	mailRenderers.m[a.cfg.BaseURL] = r
	return r, nil
}

// messageChoices are the event's ticket types and sessions the audience
// can be narrowed to, and their names for describing an audience.
type messageChoices struct {
	Tickets      []selectOption
	Sessions     []selectOption
	ticketIDs    []uint
	sessionIDs   []uint
	ticketNames  map[uint]string
	sessionNames map[uint]string
}

func (a *App) messageChoices(e *models.Event) (*messageChoices, error) {
	tts, err := models.TicketTypesOf(a.db, e.ID)
	if err != nil {
		return nil, errInternal("list ticket types", err)
	}
	var sessions []models.Session
	if err := a.db.Where("event_id = ?", e.ID).Order("starts_at, id").Find(&sessions).Error; err != nil {
		return nil, dbErr("list sessions", err)
	}
	ch := &messageChoices{ticketNames: map[uint]string{}, sessionNames: map[uint]string{}}
	for _, t := range tts {
		ch.Tickets = append(ch.Tickets, selectOption{Value: itoa(int(t.ID)), Label: t.Name})
		ch.ticketIDs = append(ch.ticketIDs, t.ID)
		ch.ticketNames[t.ID] = t.Name
	}
	for _, s := range sessions {
		ch.Sessions = append(ch.Sessions, selectOption{Value: itoa(int(s.ID)), Label: s.Title})
		ch.sessionIDs = append(ch.sessionIDs, s.ID)
		ch.sessionNames[s.ID] = s.Title
	}
	return ch, nil
}

// categoryPrefix names the participant categories' messages.
const categoryPrefix = "regadmin.category."

// describe says in words who an audience is, one part per filter.
func (ch *messageChoices) describe(f models.AudienceFilter) []Message {
	out := []Message{{ID: "messages.audience.attendees"}}
	if f.Waitlist {
		out[0] = Message{ID: "messages.audience.waitlist"}
	}
	if f.TicketTypeID != 0 {
		out = append(out, Message{ID: "messages.audience.ticket_type", Data: map[string]any{"Name": ch.ticketNames[f.TicketTypeID]}})
	}
	if f.Category != "" {
		out = append(out, Message{ID: categoryPrefix + f.Category})
	}
	if f.SessionID != 0 {
		out = append(out, Message{ID: "messages.audience.session", Data: map[string]any{"Title": ch.sessionNames[f.SessionID]}})
	}
	switch f.CheckedIn {
	case models.CheckedInYes:
		out = append(out, Message{ID: "messages.audience.checked_in"})
	case models.CheckedInNo:
		out = append(out, Message{ID: "messages.audience.not_checked_in"})
	}
	if f.Meetings {
		out = append(out, Message{ID: "messages.audience.meetings"})
	}
	return out
}

// historyRow is a sent message as the history lists it.
type historyRow struct {
	models.MessageSummary
	Audience []Message
}

func (a *App) messageHistory(e *models.Event, ch *messageChoices) ([]historyRow, error) {
	ms, err := models.MessagesOf(a.db, e.ID)
	if err != nil {
		return nil, errInternal("list messages", err)
	}
	rows := make([]historyRow, len(ms))
	for i, m := range ms {
		rows[i] = historyRow{MessageSummary: m, Audience: ch.describe(m.Filter())}
	}
	return rows, nil
}

// messagePreview is the message as one recipient will read it, in one of
// the languages written.
type messagePreview struct {
	To       models.Recipient
	Lang     string
	LangName string
	Subject  string
	Body     template.HTML
}

// contentLanguageOptions are langs named each in itself.
func contentLanguageOptions(langs []string) []selectOption {
	out := make([]selectOption, len(langs))
	for i, l := range langs {
		out[i] = selectOption{Value: l, Label: models.ContentLanguageNames[l]}
	}
	return out
}

func (a *App) renderMessages(c *fiber.Ctx, status int, e *models.Event, f MessageForm, errs FieldErrors, extra fiber.Map) error {
	ch, err := a.messageChoices(e)
	if err != nil {
		return err
	}
	history, err := a.messageHistory(e, ch)
	if err != nil {
		return err
	}
	cats := make([]selectOption, len(models.Categories))
	for i, k := range models.Categories {
		cats[i] = selectOption{Value: k, Label: k}
	}
	data := fiber.Map{"Event": e, "Form": f, "Errors": errs, "Action": messagesURL(e), "Choices": ch,
		"Categories": cats, "History": history, "Loc": e.Location(), "Placeholders": models.MessagePlaceholders,
		"DefaultLanguageName": models.ContentLanguageNames[e.DefaultLang()],
		"TestLanguages":       contentLanguageOptions(e.LanguageList()),
		"LanguageNames":       models.ContentLanguageNames,
		"AudienceKinds":       []selectOption{{Value: audienceAttendees, Label: audienceAttendees}, {Value: audienceWaitlist, Label: audienceWaitlist}},
		"CheckedInOptions":    []selectOption{{Value: models.CheckedInYes, Label: models.CheckedInYes}, {Value: models.CheckedInNo, Label: models.CheckedInNo}},
		"MaxBody":             models.MaxMessageBody, "MaxSubject": models.MaxMessageSubject}
	for k, v := range extra {
		data[k] = v
	}
	return a.renderStatus(c, status, "manage/messages", data)
}

// messagesPage shows the message form and the messages sent so far.
func (a *App) messagesPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	return a.renderMessages(c, fiber.StatusOK, e, newMessageForm(e, a.lang(c)), FieldErrors{}, nil)
}

// postMessage runs one step of the form: count the audience, preview, send
// a test to the organizer, ask to confirm, or queue the message.
func (a *App) postMessage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	ch, err := a.messageChoices(e)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseMessageForm(postValues(c), e)
	filter, ferrs := f.Filter(ch.ticketIDs, ch.sessionIDs)
	errs.merge(ferrs)
	var people []models.Recipient
	if !ferrs.Any() {
		if people, err = models.MessageAudience(a.db, e.ID, filter); err != nil {
			return errInternal("message audience", err)
		}
		if len(people) == 0 {
			errs.Add("audience", "messages.error.nobody")
		}
	}
	if f.Step != msgStepCount {
		errs.merge(f.ValidateContent())
	}
	extra := fiber.Map{"Counted": !ferrs.Any(), "Count": len(people)}
	if errs.Any() {
		return a.renderMessages(c, fiber.StatusUnprocessableEntity, e, f, errs, extra)
	}
	if f.Step == msgStepCount {
		return a.renderMessages(c, fiber.StatusOK, e, f, errs, extra)
	}
	r, err := a.mailRenderer()
	if err != nil {
		return errInternal("mail renderer", err)
	}
	msg := f.Message(filter)
	var previews []messagePreview
	for _, l := range f.Written() {
		to := people[0]
		to.Language = l
		subject, body := r.PreviewEventMessage(*e, msg, to)
		previews = append(previews, messagePreview{To: to, Lang: l, LangName: models.ContentLanguageNames[l], Subject: subject, Body: body})
	}
	extra["Previews"] = previews
	u := currentUser(c)
	switch f.Step {
	case msgStepTest:
		if err := a.sendTestMessage(r, e, msg, u, f.TestLanguage); err != nil {
			return err
		}
		extra["TestSentTo"] = u.Email
		extra["TestSentLanguage"] = models.ContentLanguageNames[f.TestLanguage]
	case msgStepConfirm:
		f.SendKey = randomToken(24)
		extra["Confirm"] = true
	case msgStepSend:
		if len(f.SendKey) < 16 || len(f.SendKey) > 64 {
			// A send without the confirmation step's key: ask to confirm first.
			f.SendKey = randomToken(24)
			extra["Confirm"] = true
			break
		}
		msg.EventID, msg.SendKey = e.ID, f.SendKey
		msg.SentByID, msg.SentByName, msg.SentByEmail = u.ID, u.Name, u.Email
		audit := a.auditEventEntry(c, e, models.AuditMessageSent)
		_, err := models.QueueMessageBy(a.db, &msg, a.now(), &audit)
		if errors.Is(err, models.ErrSendKeyTaken) {
			f.SendKey = randomToken(24)
			extra["Confirm"] = true
			break
		}
		if err != nil {
			return errInternal("queue message", err)
		}
		a.flash(c, "messages.queued_flash")
		return c.Redirect(fmt.Sprintf("%s/%d", messagesURL(e), msg.ID), fiber.StatusSeeOther)
	}
	return a.renderMessages(c, fiber.StatusOK, e, f, errs, extra)
}

// sendTestMessage mails the message to the signed-in organizer, composed as
// for a registrant writing in lang, marked as a test.
func (a *App) sendTestMessage(r *mail.Renderer, e *models.Event, msg models.Message, u *models.User, lang string) error {
	out, err := r.ComposeEventMessage(*e, msg, models.Recipient{Email: u.Email, Name: u.Name, Language: lang})
	if err != nil {
		return errInternal("compose test message", err)
	}
	err = models.Enqueue(a.db, &models.OutboxMessage{To: u.Email, Language: lang, Subject: "[Test] " + out.Subject,
		TextBody: out.Text, HTMLBody: out.HTML, DedupeKey: "message-test:" + randomToken(18), NextAttemptAt: a.now()})
	if err != nil {
		return errInternal("queue test message", err)
	}
	a.nudge()
	return nil
}

// messageVersionView is one written language of a sent message.
type messageVersionView struct {
	Lang, LangName, Subject string
	Body                    template.HTML
}

// messageDetail shows one sent message: what it said, to whom, and how far
// its delivery got.
func (a *App) messageDetail(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	m, err := models.MessageOf(a.db, e.ID, parseID(c.Params("mid")))
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errNotFound()
	}
	if err != nil {
		return dbErr("load message", err)
	}
	ch, err := a.messageChoices(e)
	if err != nil {
		return err
	}
	recipients, err := models.RecipientsOf(a.db, m.ID, 1000)
	if err != nil {
		return dbErr("list recipients", err)
	}
	var versions []messageVersionView
	for _, l := range m.WrittenLanguages() {
		subject, body, _ := m.Version(l)
		versions = append(versions, messageVersionView{Lang: l, LangName: models.ContentLanguageNames[l],
			Subject: subject, Body: renderMarkdown(body)})
	}
	return a.render(c, "manage/message", fiber.Map{"Event": e, "Message": m, "Audience": ch.describe(m.Filter()),
		"Versions": versions, "Recipients": recipients, "Loc": e.Location(), "LanguageNames": models.ContentLanguageNames})
}

// languageOptions lists the offered languages, each in its own name.
func (a *App) languageOptions() []selectOption {
	out := make([]selectOption, 0, len(a.langs.offered))
	for _, l := range a.langs.offered {
		out = append(out, selectOption{Value: l, Label: languageNames[l]})
	}
	return out
}
