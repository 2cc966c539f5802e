package models

import (
	"gorm.io/gorm"
)

// PostView is a post as a page shows it: with its author's name (for
// organizers always; for the room unless the post is anonymous or its author
// joined with the code) and whether the viewer voted for it.
type PostView struct {
	LivePost
	AuthorName string
	Mine       bool
	Voted      bool
	Pinned     bool
}

// PostFilter says which posts a page lists.
type PostFilter struct {
	// Moderation lists every post (pending and hidden too); Organizer
	// also names the authors of anonymous posts (a chair with the
	// moderator link sees what the room sees of names).
	Moderation bool
	Organizer  bool
	// Viewer, when set, also sees their own pending posts and their votes.
	Viewer *Voter
	// Limit bounds the list (0 = all); Newest orders by time instead of votes.
	Limit  int
	Newest bool
}

// BoardPosts lists the board's posts for a page. The room (not Organizer)
// never gets a pending or hidden post, except the viewer's own pending ones.
func BoardPosts(db *gorm.DB, b *LiveBoard, f PostFilter) ([]PostView, error) {
	q := db.Where("board_id = ?", b.ID)
	if !f.Moderation && !f.Organizer {
		if f.Viewer != nil && f.Viewer.Valid() {
			own := "device_id = ?"
			var arg any = f.Viewer.DeviceID
			if f.Viewer.AttendeeID != 0 {
				own, arg = "attendee_id = ?", f.Viewer.AttendeeID
			}
			q = q.Where("merged_into_id IS NULL AND (state IN ? OR (state = ? AND "+own+"))", shownStates, PostPending, arg)
		} else {
			q = q.Where("merged_into_id IS NULL AND state IN ?", shownStates)
		}
	}
	if f.Newest {
		q = q.Order("id DESC")
	} else if f.Moderation {
		q = q.Order("CASE WHEN state = 'pending' THEN 0 ELSE 1 END, id DESC")
	} else {
		q = q.Order("votes DESC, id ASC")
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var posts []LivePost
	if err := q.Find(&posts).Error; err != nil {
		return nil, err
	}
	return postViews(db, b, posts, f)
}

// PinnedPost returns the board's pinned post when it is shown (nil otherwise).
func PinnedPost(db *gorm.DB, b *LiveBoard) (*PostView, error) {
	if b.PinnedPostID == nil {
		return nil, nil
	}
	var p LivePost
	err := db.Where("id = ? AND board_id = ? AND merged_into_id IS NULL AND state IN ?", *b.PinnedPostID, b.ID, shownStates).Take(&p).Error
	if err == gorm.ErrRecordNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	vs, err := postViews(db, b, []LivePost{p}, PostFilter{})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

func postViews(db *gorm.DB, b *LiveBoard, posts []LivePost, f PostFilter) ([]PostView, error) {
	ids := []uint{}
	for _, p := range posts {
		if p.AttendeeID != nil && (f.Organizer || !p.Anonymous) {
			ids = append(ids, *p.AttendeeID)
		}
	}
	names := map[uint]string{}
	if len(ids) > 0 {
		var ats []Attendee
		if err := db.Select("id", "name").Where("id IN ?", ids).Find(&ats).Error; err != nil {
			return nil, err
		}
		for _, a := range ats {
			names[a.ID] = a.Name
		}
	}
	voted := map[uint]bool{}
	if f.Viewer != nil && f.Viewer.Valid() {
		var err error
		if voted, err = VotedPosts(db, b.ID, *f.Viewer); err != nil {
			return nil, err
		}
	}
	out := make([]PostView, len(posts))
	for i, p := range posts {
		v := PostView{LivePost: p, Voted: voted[p.ID], Pinned: b.PinnedPostID != nil && *b.PinnedPostID == p.ID}
		if p.AttendeeID != nil {
			v.AuthorName = names[*p.AttendeeID]
		}
		if f.Viewer != nil {
			v.Mine = (f.Viewer.AttendeeID != 0 && p.AttendeeID != nil && *p.AttendeeID == f.Viewer.AttendeeID) ||
				(f.Viewer.AttendeeID == 0 && f.Viewer.DeviceID != "" && p.DeviceID == f.Viewer.DeviceID)
		}
		out[i] = v
	}
	return out, nil
}
