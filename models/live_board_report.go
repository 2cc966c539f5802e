package models

import (
	"gorm.io/gorm"
)

// AuditLiveBoardExported is written when an organizer downloads a board's posts.
const AuditLiveBoardExported = "live_board.exported"

// BoardPostReport is one post for the event's report and the research
// export. Body is empty (TextOmitted set) unless the author is a registered
// attendee who holds the event's research consent now: posts of people
// without it are counted, their words are not used.
type BoardPostReport struct {
	PostID       uint
	BoardID      uint
	SessionID    uint
	SessionTitle string
	State        string
	MergedIntoID *uint
	Votes        int
	Tags         []string
	// Category is the author's participant category ("" for code-joiners).
	Category        string
	ResearchConsent bool
	TextOmitted     bool
	Body            string
	CreatedAt       string
}

// BoardReport returns the posts of every board of the event, by session
// then post, with their votes, tags and state, and each author's research
// consent (the rule above applied here, once).
func BoardReport(db *gorm.DB, eventID uint) ([]BoardPostReport, error) {
	boards, err := BoardsOfEvent(db, eventID)
	if err != nil {
		return nil, err
	}
	var out []BoardPostReport
	for _, b := range boards {
		rows, err := boardPostReports(db, &b)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

// BoardPostsReport is BoardReport for one board.
func BoardPostsReport(db *gorm.DB, b *LiveBoard) ([]BoardPostReport, error) {
	return boardPostReports(db, b)
}

func boardPostReports(db *gorm.DB, b *LiveBoard) ([]BoardPostReport, error) {
	var posts []LivePost
	if err := db.Where("board_id = ?", b.ID).Order("id").Find(&posts).Error; err != nil {
		return nil, err
	}
	var ids []uint
	for _, p := range posts {
		if p.AttendeeID != nil {
			ids = append(ids, *p.AttendeeID)
		}
	}
	consent := map[uint]bool{}
	category := map[uint]string{}
	if len(ids) > 0 {
		var withConsent []uint
		if err := db.Table("consent_records").Joins("JOIN consent_texts ON consent_texts.id = consent_records.consent_text_id").
			Where("consent_texts.kind = ? AND consent_records.withdrawn_at IS NULL AND consent_records.attendee_id IN ?", ConsentResearch, ids).
			Pluck("consent_records.attendee_id", &withConsent).Error; err != nil {
			return nil, err
		}
		for _, id := range withConsent {
			consent[id] = true
		}
		var ats []Attendee
		if err := db.Select("id", "category", "anonymised_at").Where("id IN ?", ids).Find(&ats).Error; err != nil {
			return nil, err
		}
		for _, a := range ats {
			category[a.ID] = a.Category
			if a.AnonymisedAt != nil {
				consent[a.ID] = false // an erased person's words go with them
			}
		}
	}
	title := ""
	if b.Session != nil {
		title = b.Session.Title
	}
	out := make([]BoardPostReport, 0, len(posts))
	for _, p := range posts {
		r := BoardPostReport{PostID: p.ID, BoardID: b.ID, SessionID: b.SessionID, SessionTitle: title, State: p.State,
			MergedIntoID: p.MergedIntoID, Votes: p.Votes, Tags: p.TagList(), CreatedAt: p.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")}
		if p.AttendeeID != nil {
			r.Category = category[*p.AttendeeID]
			r.ResearchConsent = consent[*p.AttendeeID]
		}
		if r.ResearchConsent {
			r.Body = p.Body
		} else {
			r.TextOmitted = true
		}
		out = append(out, r)
	}
	return out, nil
}
