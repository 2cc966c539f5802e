package models

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// LiveBoard is a session's live board: the room's questions and ideas,
// votes on them and quick polls. Registered attendees reach it from their
// personal link; anyone in the room may join with the short join code (or
// its QR code) while the board is open and the code is valid.
type LiveBoard struct {
	ID        uint `gorm:"primaryKey"`
	EventID   uint `gorm:"not null;index"`
	SessionID uint `gorm:"not null;uniqueIndex"`
	Open      bool `gorm:"not null;default:false"`
	// Moderated boards show new posts to the room only once a moderator
	// approved them.
	Moderated bool `gorm:"not null;default:false"`
	// JoinCode is short and typed by hand; nil while the board is closed,
	// and refused after CodeExpiresAt (a moderator renews it).
	JoinCode      *string `gorm:"size:8;uniqueIndex"`
	CodeExpiresAt *time.Time
	// ProjectorSecret opens the room's screen without signing in;
	// ModeratorSecret opens the moderation page for a chair who is not
	// on the organization's team.
	ProjectorSecret string `gorm:"size:64;not null;uniqueIndex"`
	ModeratorSecret string `gorm:"size:64;not null;uniqueIndex"`
	// Topics are the tags posts may carry, one per line.
	Topics       string `gorm:"type:text;not null;default:''"`
	PinnedPostID *uint
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Session      *Session `gorm:"foreignKey:SessionID"`
}

// JoinCodeLength is the join code's length; JoinCodeLife how long a code
// stays valid after it is made.
const (
	JoinCodeLength = 6
	JoinCodeLife   = 4 * time.Hour
	// MaxBoardTopics bounds the topic list; maxTopicLength each topic.
	MaxBoardTopics = 20
	maxTopicLength = 60
)

// BoardTopic is the live event topic of a board.
func BoardTopic(boardID uint) string { return fmt.Sprintf("board:%d", boardID) }

// TopicList is the board's topics, in the order the organizer listed them.
func (b *LiveBoard) TopicList() []string { return splitLines(b.Topics) }

// Code is the join code to show ("" when there is none).
func (b *LiveBoard) Code() string {
	if b.JoinCode == nil {
		return ""
	}
	return *b.JoinCode
}

// CodeValid reports whether the board may be joined with its code at now.
func (b *LiveBoard) CodeValid(now time.Time) bool {
	return b.Open && b.JoinCode != nil && b.CodeExpiresAt != nil && now.Before(*b.CodeExpiresAt)
}

func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// ErrTopicsInvalid is returned for a topic list that is too long or whose
// topics are too long.
var ErrTopicsInvalid = errors.New("too many topics, or a topic too long")

// NormalizeTopics cleans an organizer's topic list (one per line): blanks and
// repeats dropped; too many or too long is ErrTopicsInvalid.
func NormalizeTopics(s string) (string, error) {
	seen := map[string]bool{}
	var out []string
	for _, t := range splitLines(s) {
		if utf8.RuneCountInString(t) > maxTopicLength {
			return "", ErrTopicsInvalid
		}
		if k := strings.ToLower(t); !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	if len(out) > MaxBoardTopics {
		return "", ErrTopicsInvalid
	}
	return strings.Join(out, "\n"), nil
}

// BoardForSession returns the session's board (gorm.ErrRecordNotFound when
// none was made).
func BoardForSession(db *gorm.DB, eventID, sessionID uint) (*LiveBoard, error) {
	var b LiveBoard
	if err := db.Preload("Session").Where("event_id = ? AND session_id = ?", eventID, sessionID).Take(&b).Error; err != nil {
		return nil, err
	}
	return &b, nil
}

// BoardByID returns a board with its session.
func BoardByID(db *gorm.DB, id uint) (*LiveBoard, error) {
	var b LiveBoard
	if err := db.Preload("Session").Take(&b, id).Error; err != nil {
		return nil, err
	}
	return &b, nil
}

// BoardsOfEvent returns the event's boards, by their session's start.
func BoardsOfEvent(db *gorm.DB, eventID uint) ([]LiveBoard, error) {
	var bs []LiveBoard
	err := db.Preload("Session").Joins("JOIN sessions ON sessions.id = live_boards.session_id").
		Where("live_boards.event_id = ?", eventID).Order("sessions.starts_at, live_boards.id").Find(&bs).Error
	return bs, err
}

// NormalizeJoinCode is what a person typed, as a code: capitals, no spaces
// or dashes.
func NormalizeJoinCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r != ' ' && r != '-' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// BoardByCode returns the open board whose valid join code is code.
func BoardByCode(db *gorm.DB, code string, now time.Time) (*LiveBoard, error) {
	code = NormalizeJoinCode(code)
	if len(code) != JoinCodeLength || strings.Trim(code, codeAlphabet) != "" {
		return nil, gorm.ErrRecordNotFound
	}
	var b LiveBoard
	if err := db.Preload("Session").Where("join_code = ? AND open = ? AND code_expires_at > ?", code, true, now.UTC()).Take(&b).Error; err != nil {
		return nil, err
	}
	return &b, nil
}

// BoardBySecret returns the board whose projector (moderator = false) or
// moderator secret is secret.
func BoardBySecret(db *gorm.DB, secret string, moderator bool) (*LiveBoard, error) {
	if !LooksLikeSecret(secret) {
		return nil, gorm.ErrRecordNotFound
	}
	col := "projector_secret"
	if moderator {
		col = "moderator_secret"
	}
	var b LiveBoard
	if err := db.Preload("Session").Where(col+" = ?", secret).Take(&b).Error; err != nil {
		return nil, err
	}
	return &b, nil
}

// BoardSettings are what an organizer sets on a board.
type BoardSettings struct {
	Open      bool
	Moderated bool
	Topics    string
}

// SaveBoard makes the session's board or changes it. Opening a board gives
// it a fresh join code; closing it drops the code.
func SaveBoard(db *gorm.DB, eventID, sessionID uint, s BoardSettings, now time.Time) (*LiveBoard, error) {
	topics, err := NormalizeTopics(s.Topics)
	if err != nil {
		return nil, err
	}
	var n int64
	if err := db.Model(&Session{}).Where("id = ? AND event_id = ?", sessionID, eventID).Count(&n).Error; err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, gorm.ErrRecordNotFound
	}
	var b LiveBoard
	err = db.Transaction(func(tx *gorm.DB) error {
		err := tx.Where("event_id = ? AND session_id = ?", eventID, sessionID).Take(&b).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			b = LiveBoard{EventID: eventID, SessionID: sessionID, ProjectorSecret: NewSecret(), ModeratorSecret: NewSecret()}
			err = tx.Create(&b).Error
		}
		if err != nil {
			return err
		}
		b.Open, b.Moderated, b.Topics = s.Open, s.Moderated, topics
		if !b.Open {
			b.JoinCode, b.CodeExpiresAt = nil, nil
		}
		if err := tx.Model(&b).Select("open", "moderated", "topics", "join_code", "code_expires_at", "updated_at").Updates(&b).Error; err != nil {
			return err
		}
		return PublishLive(tx, BoardTopic(b.ID), "board", map[string]any{"open": b.Open})
	})
	if err != nil {
		return nil, err
	}
	if b.Open && !b.CodeValid(now) {
		if err := RenewJoinCode(db, b.ID, now); err != nil {
			return nil, err
		}
	}
	return BoardByID(db, b.ID)
}

// RenewJoinCode gives an open board a new join code valid for JoinCodeLife.
// A code already taken by another board (rare: 31^6 codes) is drawn again.
func RenewJoinCode(db *gorm.DB, boardID uint, now time.Time) error {
	for try := 0; ; try++ {
		code := newCode(JoinCodeLength)
		exp := now.UTC().Add(JoinCodeLife)
		err := db.Transaction(func(tx *gorm.DB) error {
			res := tx.Model(&LiveBoard{}).Where("id = ? AND open = ?", boardID, true).
				Updates(map[string]any{"join_code": code, "code_expires_at": exp, "updated_at": now.UTC()})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return gorm.ErrRecordNotFound
			}
			return PublishLive(tx, BoardTopic(boardID), "code", nil)
		})
		if isUniqueViolation(err) && try < 5 {
			continue
		}
		return err
	}
}
