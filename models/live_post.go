package models

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// LivePost is a question or an idea posted on a board.
type LivePost struct {
	ID      uint `gorm:"primaryKey"`
	BoardID uint `gorm:"not null;index"`
	// The author: a registered attendee, or the device id of someone who
	// joined with the code. Organizers always see who; Anonymous hides
	// the name from the room only.
	AttendeeID *uint  `gorm:"index"`
	DeviceID   string `gorm:"size:40;not null;default:''"`
	Anonymous  bool   `gorm:"not null;default:false"`
	Body       string `gorm:"type:text;not null"`
	// Tags are topics of the board, one per line.
	Tags  string `gorm:"type:text;not null;default:''"`
	State string `gorm:"size:12;not null;index"`
	// MergedIntoID is the post this duplicate was merged into (its votes
	// moved there); a merged post is hidden.
	MergedIntoID *uint
	// Votes counts the post's vote rows; it changes only with them, in
	// the same transaction (see CastVote).
	Votes     int `gorm:"not null;default:0"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Post states. Visible, answered and highlighted posts are shown to the
// room; pending (awaiting moderation) and hidden ones never are.
const (
	PostPending     = "pending"
	PostVisible     = "visible"
	PostHidden      = "hidden"
	PostAnswered    = "answered"
	PostHighlighted = "highlighted"
)

// PostStates lists the states in the order moderators see them.
var PostStates = []string{PostPending, PostVisible, PostHighlighted, PostAnswered, PostHidden}

// shownStates are the states the room sees.
var shownStates = []string{PostVisible, PostAnswered, PostHighlighted}

// Shown reports whether the room may see the post.
func (p *LivePost) Shown() bool {
	if p.MergedIntoID != nil {
		return false
	}
	for _, s := range shownStates {
		if p.State == s {
			return true
		}
	}
	return false
}

// TagList is the post's topics.
func (p *LivePost) TagList() []string { return splitLines(p.Tags) }

// MaxPostLength is the longest post, in characters.
const MaxPostLength = 500

// Voter is who takes part on a board: a registered attendee or a device
// that joined with the code. Key is what votes and poll answers are unique by.
type Voter struct {
	AttendeeID uint
	DeviceID   string
}

// Key is "a:<attendee id>" or "d:<device id>".
func (v Voter) Key() string {
	if v.AttendeeID != 0 {
		return "a:" + strconv.FormatUint(uint64(v.AttendeeID), 10)
	}
	return "d:" + v.DeviceID
}

// Valid reports whether the voter is someone.
func (v Voter) Valid() bool { return v.AttendeeID != 0 || (v.DeviceID != "" && len(v.DeviceID) <= 40) }

// Posting errors, shown beside the form.
var (
	ErrBoardClosed   = errors.New("the board is closed")
	ErrPostEmpty     = errors.New("the post is empty")
	ErrPostTooLong   = errors.New("the post is too long")
	ErrUnknownTopic  = errors.New("not a topic of the board")
	ErrPostNotFound  = errors.New("no such post on the board")
	ErrPostNotShown  = errors.New("the post is not shown to the room")
	ErrInvalidState  = errors.New("not a post state")
	ErrMergeSelf     = errors.New("a post cannot be merged into itself")
	ErrInvalidVoter  = errors.New("no voter")
	ErrPollNotFound  = errors.New("no such poll on the board")
	ErrPollNotOpen   = errors.New("the poll is not open")
	ErrInvalidAnswer = errors.New("not an answer to the poll")
)

// NewPost is what a participant posts.
type NewPost struct {
	Body      string
	Tags      []string
	Anonymous bool
}

// CheckPost validates a post against the board (pure): the body trimmed,
// 1–MaxPostLength characters, tags among the board's topics.
func CheckPost(b *LiveBoard, p NewPost) (body, tags string, err error) {
	body = strings.TrimSpace(p.Body)
	if body == "" {
		return "", "", ErrPostEmpty
	}
	if utf8.RuneCountInString(body) > MaxPostLength {
		return "", "", ErrPostTooLong
	}
	topics := b.TopicList()
	var out []string
	for _, t := range p.Tags {
		found := false
		for _, x := range topics {
			if x == t {
				found = true
			}
		}
		if !found {
			return "", "", ErrUnknownTopic
		}
		dup := false
		for _, o := range out {
			dup = dup || o == t
		}
		if !dup {
			out = append(out, t)
		}
	}
	return body, strings.Join(out, "\n"), nil
}

// CreatePost posts on an open board: pending when the board is moderated,
// visible otherwise.
func CreatePost(db *gorm.DB, boardID uint, by Voter, p NewPost) (*LivePost, error) {
	if !by.Valid() {
		return nil, ErrInvalidVoter
	}
	var post LivePost
	err := db.Transaction(func(tx *gorm.DB) error {
		var b LiveBoard
		if err := tx.Take(&b, boardID).Error; err != nil {
			return err
		}
		if !b.Open {
			return ErrBoardClosed
		}
		body, tags, err := CheckPost(&b, p)
		if err != nil {
			return err
		}
		post = LivePost{BoardID: b.ID, DeviceID: by.DeviceID, Anonymous: p.Anonymous, Body: body, Tags: tags, State: PostVisible}
		if by.AttendeeID != 0 {
			id := by.AttendeeID
			post.AttendeeID, post.DeviceID = &id, ""
		}
		if b.Moderated {
			post.State = PostPending
		}
		if err := tx.Create(&post).Error; err != nil {
			return err
		}
		// A pending post is announced too (the moderators' page follows the
		// board), but nothing of its text: the room's pages load only what
		// is shown.
		return PublishLive(tx, BoardTopic(b.ID), "post", map[string]any{"post": post.ID, "shown": post.Shown()})
	})
	if err != nil {
		return nil, err
	}
	return &post, nil
}

// lockPost takes the post's row for the rest of tx (a no-op write locks it
// on PostgreSQL; SQLite's writer holds the whole file), so votes, merges and
// state changes on one post happen one after another. cond narrows which
// posts qualify; false = no such post.
func lockPost(tx *gorm.DB, boardID, postID uint, cond string, args ...any) (bool, error) {
	q := tx.Model(&LivePost{}).Where("id = ? AND board_id = ?", postID, boardID)
	if cond != "" {
		q = q.Where(cond, args...)
	}
	res := q.UpdateColumn("votes", gorm.Expr("votes"))
	return res.RowsAffected == 1, res.Error
}

// SetPostState is a moderator's decision on a post (approve = visible,
// hide, answered, highlighted). A merged post stays merged. Hiding the
// pinned post unpins it.
func SetPostState(db *gorm.DB, boardID, postID uint, state string) error {
	ok := false
	for _, s := range PostStates {
		ok = ok || s == state
	}
	if !ok {
		return ErrInvalidState
	}
	return db.Transaction(func(tx *gorm.DB) error {
		found, err := lockPost(tx, boardID, postID, "merged_into_id IS NULL")
		if err != nil {
			return err
		}
		if !found {
			return ErrPostNotFound
		}
		if err := tx.Model(&LivePost{}).Where("id = ?", postID).Updates(map[string]any{"state": state, "updated_at": time.Now().UTC()}).Error; err != nil {
			return err
		}
		if state == PostHidden || state == PostPending {
			if err := tx.Model(&LiveBoard{}).Where("id = ? AND pinned_post_id = ?", boardID, postID).Update("pinned_post_id", nil).Error; err != nil {
				return err
			}
		}
		return PublishLive(tx, BoardTopic(boardID), "moderation", map[string]any{"post": postID, "state": state})
	})
}

// PinPost puts a shown post on the projector (postID 0 = take it off).
func PinPost(db *gorm.DB, boardID, postID uint) error {
	return db.Transaction(func(tx *gorm.DB) error {
		var pin any
		if postID != 0 {
			found, err := lockPost(tx, boardID, postID, "merged_into_id IS NULL AND state IN ?", shownStates)
			if err != nil {
				return err
			}
			if !found {
				return ErrPostNotShown
			}
			pin = postID
		}
		if err := tx.Model(&LiveBoard{}).Where("id = ?", boardID).Update("pinned_post_id", pin).Error; err != nil {
			return err
		}
		return PublishLive(tx, BoardTopic(boardID), "pin", map[string]any{"post": postID})
	})
}

// MergePosts merges the duplicate dupID into keepID: the duplicate's votes
// move to the kept post, except those of people who voted for both (one
// vote per person and post still), and the duplicate is hidden for good.
func MergePosts(db *gorm.DB, boardID, keepID, dupID uint) error {
	if keepID == dupID {
		return ErrMergeSelf
	}
	return db.Transaction(func(tx *gorm.DB) error {
		// Lock both, lower id first, so two merges never wait on each other.
		first, second := keepID, dupID
		if first > second {
			first, second = second, first
		}
		for _, id := range []uint{first, second} {
			found, err := lockPost(tx, boardID, id, "merged_into_id IS NULL")
			if err != nil {
				return err
			}
			if !found {
				return ErrPostNotFound
			}
		}
		if err := tx.Exec(`INSERT INTO live_votes (post_id, voter_key, created_at)
SELECT ?, v.voter_key, v.created_at FROM live_votes v WHERE v.post_id = ?
ON CONFLICT (post_id, voter_key) DO NOTHING`, keepID, dupID).Error; err != nil {
			return err
		}
		if err := tx.Where("post_id = ?", dupID).Delete(&LiveVote{}).Error; err != nil {
			return err
		}
		now := time.Now().UTC()
		if err := tx.Model(&LivePost{}).Where("id = ?", dupID).
			Updates(map[string]any{"merged_into_id": keepID, "state": PostHidden, "votes": 0, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.Exec("UPDATE live_posts SET votes = (SELECT COUNT(*) FROM live_votes WHERE post_id = ?), updated_at = ? WHERE id = ?",
			keepID, now, keepID).Error; err != nil {
			return err
		}
		if err := tx.Model(&LiveBoard{}).Where("id = ? AND pinned_post_id = ?", boardID, dupID).Update("pinned_post_id", keepID).Error; err != nil {
			return err
		}
		return PublishLive(tx, BoardTopic(boardID), "merge", map[string]any{"post": keepID, "merged": dupID})
	})
}

// PostByID returns a post of the board.
func PostByID(db *gorm.DB, boardID, postID uint) (*LivePost, error) {
	var p LivePost
	if err := db.Where("id = ? AND board_id = ?", postID, boardID).Take(&p).Error; err != nil {
		return nil, err
	}
	return &p, nil
}
