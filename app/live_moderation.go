package app

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Who moderates a board: the organization's managers and owners, from the
// session's organizer page (/manage/events/{id}/sessions/{sid}/board), or a
// chair who is not on the team, from the board's secret moderator link
// (/live/m/{secret}), which an organizer hands out. The chair moderates
// posts and polls but does not change the board's settings, does not see
// the names behind anonymous posts, and does not download posts.
type modScope struct {
	Event   *models.Event
	Session *models.Session
	Board   *models.LiveBoard // nil until the board is made
	Base    string
	// Organizer is a team member (settings, names, export).
	Organizer bool
}

// liveBoardRoutes declares the organizer's board pages (live agora, issue 15).
func (a *App) liveBoardRoutes(o organizerArea) {
	o.editors.get("/events/:id/boards", a.liveBoardsPage)
	base := "/events/:id/sessions/:sid/board"
	o.editors.get(base, func(c *fiber.Ctx) error { return a.moderationPage(c, a.organizerModScope) })
	o.editors.get(base+"/posts", func(c *fiber.Ctx) error { return a.moderationFragment(c, a.organizerModScope) })
	o.editors.get(base+"/posts.csv", a.boardPostsCSV)
	o.editors.form(base, a.saveBoardSettings)
	a.moderationActions(base, o.editors.action, o.editors.form, a.organizerModScope)
}

// moderatorLinkRoutes are the chair's pages under the secret moderator link.
func (a *App) moderatorLinkRoutes(f fiber.Router) {
	m := f.Group("/live/m/:secret", a.secretHeaders)
	m.Get("", func(c *fiber.Ctx) error { return a.moderationPage(c, a.secretModScope) })
	m.Get("/posts", func(c *fiber.Ctx) error { return a.moderationFragment(c, a.secretModScope) })
	action := func(p string, h fiber.Handler) { a.postAction(m, p, h) }
	form := func(p string, h fiber.Handler) { a.postForm(m, p, h) }
	a.moderationActions("", action, form, a.secretModScope)
}

func (a *App) moderationActions(base string, action, form func(string, fiber.Handler), scope func(*fiber.Ctx) (*modScope, error)) {
	action(base+"/code", func(c *fiber.Ctx) error { return a.renewBoardCode(c, scope) })
	action(base+"/moderate", func(c *fiber.Ctx) error { return a.moderatePost(c, scope) })
	form(base+"/polls", func(c *fiber.Ctx) error { return a.createLivePoll(c, scope) })
	action(base+"/polls/state", func(c *fiber.Ctx) error { return a.setLivePollState(c, scope) })
}

func (a *App) organizerModScope(c *fiber.Ctx) (*modScope, error) {
	e, _, err := managedEvent(c)
	if err != nil {
		return nil, err
	}
	var s models.Session
	if err := a.db.Where("id = ? AND event_id = ?", parseID(c.Params("sid")), e.ID).Take(&s).Error; err != nil {
		return nil, dbErr("session", err)
	}
	m := &modScope{Event: e, Session: &s, Organizer: true,
		Base: "/manage/events/" + strconv.FormatUint(uint64(e.ID), 10) + "/sessions/" + strconv.FormatUint(uint64(s.ID), 10) + "/board"}
	b, err := models.BoardForSession(a.db, e.ID, s.ID)
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, dbErr("board", err)
	}
	if err == nil {
		m.Board = b
	}
	return m, nil
}

func (a *App) secretModScope(c *fiber.Ctx) (*modScope, error) {
	b, err := models.BoardBySecret(a.db, c.Params("secret"), true)
	if err != nil {
		return nil, dbErr("board by moderator link", err)
	}
	var e models.Event
	if err := a.db.Take(&e, b.EventID).Error; err != nil {
		return nil, dbErr("board event", err)
	}
	return &modScope{Event: &e, Session: b.Session, Board: b, Base: "/live/m/" + b.ModeratorSecret}, nil
}

// liveBoardsPage lists the event's sessions with their boards.
func (a *App) liveBoardsPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	ag, err := models.LoadAgenda(a.db, e.ID)
	if err != nil {
		return errInternal("agenda", err)
	}
	boards, err := models.BoardsOfEvent(a.db, e.ID)
	if err != nil {
		return errInternal("boards", err)
	}
	bySession := map[uint]*models.LiveBoard{}
	for i := range boards {
		bySession[boards[i].SessionID] = &boards[i]
	}
	return a.render(c, "manage/live_boards", fiber.Map{"Event": e, "Sessions": ag.Sessions, "Boards": bySession, "Loc": e.Location()})
}

// moderationData is what the moderation page and its list show.
func (a *App) moderationData(c *fiber.Ctx, s *modScope) (fiber.Map, error) {
	m := fiber.Map{"M": s, "Event": s.Event, "Session": s.Session, "Board": s.Board, "States": models.PostStates,
		"ModActions": []string{"approve", models.PostHighlighted, models.PostAnswered, models.PostHidden}}
	if s.Board == nil {
		m["Posts"], m["Pending"] = []models.PostView{}, 0
		return m, nil
	}
	posts, err := models.BoardPosts(a.db, s.Board, models.PostFilter{Moderation: true, Organizer: s.Organizer})
	if err != nil {
		return nil, errInternal("moderation posts", err)
	}
	pending := 0
	for _, p := range posts {
		if p.State == models.PostPending && p.MergedIntoID == nil {
			pending++
		}
	}
	polls, err := models.PollsOfBoard(a.db, s.Board.ID)
	if err != nil {
		return nil, errInternal("polls", err)
	}
	var results []pollResultView
	for i := range polls {
		r, err := models.PollResults(a.db, &polls[i])
		if err != nil {
			return nil, errInternal("poll results", err)
		}
		results = append(results, resultView(r))
	}
	m["Posts"], m["Pending"], m["Polls"], m["PollKinds"] = posts, pending, results, models.PollKinds
	m["ProjectorURL"] = a.cfg.BaseURL + "/live/p/" + s.Board.ProjectorSecret
	m["Stream"] = "/live/p/" + s.Board.ProjectorSecret + "/stream"
	m["ModeratorURL"] = a.cfg.BaseURL + "/live/m/" + s.Board.ModeratorSecret
	m["JoinURL"] = a.cfg.BaseURL + "/live"
	m["CodeValid"] = s.Board.CodeValid(a.now())
	return m, nil
}

func (a *App) moderationPage(c *fiber.Ctx, scope func(*fiber.Ctx) (*modScope, error)) error {
	s, err := scope(c)
	if err != nil {
		return err
	}
	return a.renderModeration(c, s, fiber.StatusOK, FieldErrors{}, nil)
}

// boardSettingsForm is the settings form's input, kept on errors.
type boardSettingsForm struct {
	Open, Moderated bool
	Topics          string
}

// pollFormInput is the new-poll form's input, kept on errors.
type pollFormInput struct{ Kind, Question, Options string }

func (a *App) renderModeration(c *fiber.Ctx, s *modScope, status int, errs FieldErrors, kept fiber.Map) error {
	m, err := a.moderationData(c, s)
	if err != nil {
		return err
	}
	settings := boardSettingsForm{Open: true}
	if s.Board != nil {
		settings = boardSettingsForm{Open: s.Board.Open, Moderated: s.Board.Moderated, Topics: s.Board.Topics}
	} else if ag, err := models.LoadAgenda(a.db, s.Event.ID); err == nil {
		// A new board's topics start as the event's tracks.
		for _, t := range ag.Tracks {
			settings.Topics += t.Name + "\n"
		}
	}
	m["Settings"], m["NewPoll"], m["Errors"] = settings, pollFormInput{Kind: models.PollSingle}, errs
	for k, v := range kept {
		m[k] = v
	}
	return a.renderStatus(c, status, "manage/live_board", m)
}

func (a *App) moderationFragment(c *fiber.Ctx, scope func(*fiber.Ctx) (*modScope, error)) error {
	s, err := scope(c)
	if err != nil {
		return err
	}
	m, err := a.moderationData(c, s)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, "manage/live_board_posts", m)
}

// saveBoardSettings opens, closes or changes the session's board (team only).
func (a *App) saveBoardSettings(c *fiber.Ctx) error {
	s, err := a.organizerModScope(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	in := boardSettingsForm{Open: c.FormValue("open") != "", Moderated: c.FormValue("moderated") != "", Topics: c.FormValue("topics")}
	if !errs.Any() {
		_, err := models.SaveBoard(a.db, s.Event.ID, s.Session.ID, models.BoardSettings{Open: in.Open, Moderated: in.Moderated, Topics: in.Topics}, a.now())
		switch {
		case err == nil:
			a.live.Nudge()
			a.flash(c, "live.settings_saved")
			return c.Redirect(s.Base, fiber.StatusSeeOther)
		case errors.Is(err, models.ErrTopicsInvalid):
			errs.Add("topics", "live.topics_invalid", "Max", models.MaxBoardTopics)
		default:
			return errInternal("save board", err)
		}
	}
	return a.renderModeration(c, s, fiber.StatusUnprocessableEntity, errs, fiber.Map{"Settings": in})
}

// backToBoard answers an action on a board that is not there yet.
func (a *App) backToBoard(c *fiber.Ctx, s *modScope, flash string) error {
	if flash != "" {
		a.flash(c, flash)
	}
	return c.Redirect(s.Base, fiber.StatusSeeOther)
}

func (a *App) renewBoardCode(c *fiber.Ctx, scope func(*fiber.Ctx) (*modScope, error)) error {
	s, err := scope(c)
	if err != nil {
		return err
	}
	if s.Board == nil || !s.Board.Open {
		return a.backToBoard(c, s, "live.board_closed")
	}
	if err := models.RenewJoinCode(a.db, s.Board.ID, a.now()); err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return errInternal("renew code", err)
	}
	a.live.Nudge()
	return a.backToBoard(c, s, "live.code_renewed")
}

// moderatePost applies a moderator's decision: approve, hide, answered,
// highlight, back to visible, pin, unpin or merge into another post.
func (a *App) moderatePost(c *fiber.Ctx, scope func(*fiber.Ctx) (*modScope, error)) error {
	s, err := scope(c)
	if err != nil {
		return err
	}
	if s.Board == nil {
		return a.backToBoard(c, s, "live.no_board")
	}
	post := parseID(c.FormValue("post"))
	switch do := c.FormValue("do"); do {
	case "pin":
		err = models.PinPost(a.db, s.Board.ID, post)
	case "unpin":
		err = models.PinPost(a.db, s.Board.ID, 0)
	case "merge":
		err = models.MergePosts(a.db, s.Board.ID, parseID(c.FormValue("into")), post)
	case "approve":
		err = models.SetPostState(a.db, s.Board.ID, post, models.PostVisible)
	default:
		err = models.SetPostState(a.db, s.Board.ID, post, do)
	}
	switch {
	case err == nil:
		a.live.Nudge()
		a.flash(c, "live.moderated")
	case errors.Is(err, models.ErrPostNotFound), errors.Is(err, models.ErrPostNotShown), errors.Is(err, models.ErrInvalidState), errors.Is(err, models.ErrMergeSelf):
		a.flash(c, "live.moderation_refused")
	default:
		return errInternal("moderate", err)
	}
	return c.Redirect(s.Base+"#mod-post-"+strconv.FormatUint(uint64(post), 10), fiber.StatusSeeOther)
}

func (a *App) createLivePoll(c *fiber.Ctx, scope func(*fiber.Ctx) (*modScope, error)) error {
	s, err := scope(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	in := pollFormInput{Kind: c.FormValue("kind"), Question: c.FormValue("question"), Options: c.FormValue("options")}
	if s.Board == nil {
		errs.Add(formErrorKey, "live.no_board")
	}
	if !errs.Any() {
		_, err := models.CreatePoll(a.db, s.Board.ID, models.NewPoll{Kind: in.Kind, Question: in.Question, Options: in.Options})
		switch {
		case err == nil:
			a.live.Nudge()
			a.flash(c, "live.poll_created")
			return c.Redirect(s.Base+"#polls", fiber.StatusSeeOther)
		case errors.Is(err, models.ErrPollQuestion):
			errs.Add("question", "live.poll_question_invalid")
		case errors.Is(err, models.ErrPollKind):
			errs.Add("kind", "live.poll_kind_invalid")
		case errors.Is(err, models.ErrPollOptions):
			errs.Add("options", "live.poll_options_invalid")
		default:
			return errInternal("create poll", err)
		}
	}
	return a.renderModeration(c, s, fiber.StatusUnprocessableEntity, errs, fiber.Map{"NewPoll": in})
}

func (a *App) setLivePollState(c *fiber.Ctx, scope func(*fiber.Ctx) (*modScope, error)) error {
	s, err := scope(c)
	if err != nil {
		return err
	}
	if s.Board == nil {
		return a.backToBoard(c, s, "live.no_board")
	}
	err = models.SetPollState(a.db, s.Board.ID, parseID(c.FormValue("poll")), c.FormValue("do"), a.now())
	switch {
	case err == nil:
		a.live.Nudge()
		a.flash(c, "live.poll_state_saved")
	case errors.Is(err, models.ErrPollNotFound), errors.Is(err, models.ErrInvalidState):
		a.flash(c, "live.moderation_refused")
	default:
		return errInternal("poll state", err)
	}
	return c.Redirect(s.Base+"#polls", fiber.StatusSeeOther)
}
