package app

import "github.com/agora-events/agora/models"

// boardPostsSection is the report's section on the live boards: the posts of
// the questionnaire's session (or of every session for an event's
// questionnaire), with votes and tags, under the same research consent rule
// as the answers — models.BoardReport leaves a post's text out unless its
// author holds the consent. CSV links are one per board.
type boardPostsSection struct {
	Posts   []models.BoardPostReport
	Omitted int
	Boards  []boardCSVLink
}

type boardCSVLink struct {
	SessionID uint
	Title     string
}

func (a *App) feedbackBoardPosts(e *models.Event, f *models.FeedbackForm) (boardPostsSection, error) {
	all, err := models.BoardReport(a.db, e.ID)
	if err != nil {
		return boardPostsSection{}, errInternal("board report", err)
	}
	var s boardPostsSection
	seen := map[uint]bool{}
	for _, p := range all {
		if f.SessionID != 0 && p.SessionID != f.SessionID {
			continue
		}
		s.Posts = append(s.Posts, p)
		if p.TextOmitted {
			s.Omitted++
		}
		if !seen[p.SessionID] {
			seen[p.SessionID] = true
			s.Boards = append(s.Boards, boardCSVLink{SessionID: p.SessionID, Title: p.SessionTitle})
		}
	}
	return s, nil
}
