package app

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// Posting limits: a person may post livePostLimit times per livePostWindow
// on a board (several instances share the count), and vote or answer polls
// liveVoteLimit times per window — far above what a person does by hand.
const (
	livePostLimit  = 5
	liveVoteLimit  = 120
	livePostWindow = time.Minute
)

// liveForm is what a participant typed into the post form, kept on errors.
type liveForm struct {
	Body      string
	Tags      map[string]bool
	Anonymous bool
}

// liveBoardData is what the board page and its list fragment show.
func (a *App) liveBoardData(c *fiber.Ctx, s *liveScope) (fiber.Map, error) {
	ct, err := models.LoadContent(a.db, s.Event, a.contentLang(c))
	if err != nil {
		return nil, errInternal("content", err)
	}
	ct.Event(s.Event)
	if s.Session != nil {
		ct.Session(s.Session)
	}
	newest := c.Query("sort") == "new"
	posts, err := models.BoardPosts(a.db, s.Board, models.PostFilter{Viewer: &s.Voter, Newest: newest})
	if err != nil {
		return nil, errInternal("board posts", err)
	}
	m := fiber.Map{"S": s, "Board": s.Board, "Session": s.Session, "Event": s.Event, "Posts": posts, "Newest": newest,
		"Topics": s.Board.TopicList(), "MaxPost": models.MaxPostLength}
	poll, err := models.ShownPoll(a.db, s.Board.ID)
	if err != nil {
		return nil, errInternal("board poll", err)
	}
	if poll != nil && poll.State == models.PollOpen {
		mine, err := models.PollAnswerOf(a.db, poll.ID, s.Voter)
		if err != nil {
			return nil, errInternal("poll answer", err)
		}
		m["Poll"], m["PollAnswer"] = pollView(poll, mine), mine
	}
	return m, nil
}

// showLiveBoard is the participant's board: the form to post, the open
// poll, and the room's posts to vote on.
func (a *App) showLiveBoard(c *fiber.Ctx, scope func(*fiber.Ctx) (*liveScope, error)) error {
	s, err := scope(c)
	if err != nil {
		return err
	}
	return a.renderLiveBoard(c, s, fiber.StatusOK, liveForm{}, FieldErrors{})
}

func (a *App) renderLiveBoard(c *fiber.Ctx, s *liveScope, status int, form liveForm, errs FieldErrors) error {
	m, err := a.liveBoardData(c, s)
	if err != nil {
		return err
	}
	m["Form"], m["Errors"] = form, errs
	return a.renderStatus(c, status, "live/board", m)
}

// liveBoardFragment is the list of posts alone, which the page's script
// fetches when the board changes.
func (a *App) liveBoardFragment(c *fiber.Ctx, scope func(*fiber.Ctx) (*liveScope, error)) error {
	s, err := scope(c)
	if err != nil {
		return err
	}
	m, err := a.liveBoardData(c, s)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, "live/board_posts", m)
}

// liveBoardStream tells the board page that something changed (ids and
// counts only; the page fetches what it may see).
func (a *App) liveBoardStream(c *fiber.Ctx, scope func(*fiber.Ctx) (*liveScope, error)) error {
	s, err := scope(c)
	if err != nil {
		return err
	}
	return a.live.ServeSSE(c, models.BoardTopic(s.Board.ID), nil)
}

// overLiveLimit counts one action of the participant on the board.
func (a *App) overLiveLimit(s *liveScope, what string, limit int) (bool, error) {
	n, err := a.kv.Hit("rl:live-"+what+":"+strconv.FormatUint(uint64(s.Board.ID), 10)+":"+s.Voter.Key(), livePostWindow)
	return n > limit, err
}

// postLivePost posts a question or an idea.
func (a *App) postLivePost(c *fiber.Ctx, scope func(*fiber.Ctx) (*liveScope, error)) error {
	s, err := scope(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	form := liveForm{Body: c.FormValue("body"), Tags: map[string]bool{}, Anonymous: c.FormValue("anonymous") != ""}
	var tags []string
	for _, v := range c.Request().PostArgs().PeekMulti("tag") {
		tags = append(tags, string(v))
		form.Tags[string(v)] = true
	}
	if !errs.Any() {
		if over, err := a.overLiveLimit(s, "post", livePostLimit); err != nil {
			return errInternal("post limit", err)
		} else if over {
			errs.Add("body", "live.post_too_fast")
		}
	}
	if !errs.Any() {
		p, err := models.CreatePost(a.db, s.Board.ID, s.Voter, models.NewPost{Body: form.Body, Tags: tags, Anonymous: form.Anonymous})
		switch {
		case err == nil:
			a.live.Nudge()
			a.flash(c, map[bool]string{true: "live.posted_pending", false: "live.posted"}[p.State == models.PostPending])
			return c.Redirect(s.Base+"#post-"+strconv.FormatUint(uint64(p.ID), 10), fiber.StatusSeeOther)
		case errors.Is(err, models.ErrPostEmpty):
			errs.Add("body", "live.post_empty")
		case errors.Is(err, models.ErrPostTooLong):
			errs.Add("body", "live.post_too_long", "Max", models.MaxPostLength)
		case errors.Is(err, models.ErrUnknownTopic):
			errs.Add("tag", "live.topic_unknown")
		case errors.Is(err, models.ErrBoardClosed):
			errs.Add(formErrorKey, "live.board_closed")
		default:
			return errInternal("create post", err)
		}
	}
	return a.renderLiveBoard(c, s, fiber.StatusUnprocessableEntity, form, errs)
}

// postLiveVote casts or withdraws the participant's vote for a post.
func (a *App) postLiveVote(c *fiber.Ctx, scope func(*fiber.Ctx) (*liveScope, error)) error {
	s, err := scope(c)
	if err != nil {
		return err
	}
	postID := parseID(c.FormValue("post"))
	if over, err := a.overLiveLimit(s, "vote", liveVoteLimit); err != nil {
		return errInternal("vote limit", err)
	} else if over {
		a.flash(c, "live.vote_too_fast")
		return c.Redirect(s.Base, fiber.StatusSeeOther)
	}
	if c.FormValue("do") == "unvote" {
		_, err = models.WithdrawVote(a.db, s.Board.ID, postID, s.Voter)
	} else {
		_, err = models.CastVote(a.db, s.Board.ID, postID, s.Voter)
	}
	switch {
	case err == nil:
		a.live.Nudge()
	case errors.Is(err, models.ErrPostNotShown), errors.Is(err, models.ErrBoardClosed):
		a.flash(c, "live.vote_refused")
	default:
		return errInternal("vote", err)
	}
	return c.Redirect(s.Base+"#post-"+strconv.FormatUint(uint64(postID), 10), fiber.StatusSeeOther)
}

// postPollAnswer answers (or changes the answer to) the open poll.
func (a *App) postPollAnswer(c *fiber.Ctx, scope func(*fiber.Ctx) (*liveScope, error)) error {
	s, err := scope(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	var values []string
	for _, v := range c.Request().PostArgs().PeekMulti("choice") {
		values = append(values, string(v))
	}
	if !errs.Any() {
		if over, err := a.overLiveLimit(s, "vote", liveVoteLimit); err != nil {
			return errInternal("poll limit", err)
		} else if over {
			errs.Add("choice", "live.vote_too_fast")
		}
	}
	if !errs.Any() {
		err := models.AnswerPoll(a.db, s.Board.ID, parseID(c.FormValue("poll")), s.Voter, values)
		switch {
		case err == nil:
			a.live.Nudge()
			a.flash(c, "live.poll_answered")
			return c.Redirect(s.Base+"#poll", fiber.StatusSeeOther)
		case errors.Is(err, models.ErrInvalidAnswer):
			errs.Add("choice", "live.poll_answer_invalid")
		case errors.Is(err, models.ErrPollNotOpen), errors.Is(err, models.ErrPollNotFound):
			errs.Add("choice", "live.poll_closed")
		default:
			return errInternal("answer poll", err)
		}
	}
	return a.renderLiveBoard(c, s, fiber.StatusUnprocessableEntity, liveForm{}, errs)
}
