package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// LiveVote is one person's vote for a post: the unique index on (post,
// voter) makes it one vote per person and post, however many requests race.
type LiveVote struct {
	ID        uint   `gorm:"primaryKey"`
	PostID    uint   `gorm:"not null;uniqueIndex:idx_live_vote_once"`
	VoterKey  string `gorm:"size:60;not null;uniqueIndex:idx_live_vote_once"`
	CreatedAt time.Time
}

// errVoteUnchanged rolls back a vote that changed nothing (already cast, or
// already withdrawn), so the counter and the live event stay untouched.
var errVoteUnchanged = errors.New("no change")

// CastVote records v's vote for a shown post of an open board; it reports
// whether the vote is new (false = it was already there).
func CastVote(db *gorm.DB, boardID, postID uint, v Voter) (bool, error) {
	return changeVote(db, boardID, postID, v, true)
}

// WithdrawVote takes v's vote back; it reports whether there was one.
func WithdrawVote(db *gorm.DB, boardID, postID uint, v Voter) (bool, error) {
	return changeVote(db, boardID, postID, v, false)
}

func changeVote(db *gorm.DB, boardID, postID uint, v Voter, cast bool) (bool, error) {
	if !v.Valid() {
		return false, ErrInvalidVoter
	}
	var votes int
	err := db.Transaction(func(tx *gorm.DB) error {
		var open int64
		if err := tx.Model(&LiveBoard{}).Where("id = ? AND open = ?", boardID, true).Count(&open).Error; err != nil {
			return err
		}
		if open == 0 {
			return ErrBoardClosed
		}
		found, err := lockPost(tx, boardID, postID, "merged_into_id IS NULL AND state IN ?", shownStates)
		if err != nil {
			return err
		}
		if !found {
			return ErrPostNotShown
		}
		delta := 1
		var res *gorm.DB
		if cast {
			res = tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&LiveVote{PostID: postID, VoterKey: v.Key(), CreatedAt: time.Now().UTC()})
		} else {
			delta = -1
			res = tx.Where("post_id = ? AND voter_key = ?", postID, v.Key()).Delete(&LiveVote{})
		}
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errVoteUnchanged
		}
		if err := tx.Model(&LivePost{}).Where("id = ?", postID).UpdateColumn("votes", gorm.Expr("votes + ?", delta)).Error; err != nil {
			return err
		}
		if err := tx.Model(&LivePost{}).Where("id = ?", postID).Pluck("votes", &votes).Error; err != nil {
			return err
		}
		return PublishLive(tx, BoardTopic(boardID), "vote", map[string]any{"post": postID, "votes": votes})
	})
	if errors.Is(err, errVoteUnchanged) {
		return false, nil
	}
	return err == nil, err
}

// VotedPosts returns the ids of the board's posts v voted for.
func VotedPosts(db *gorm.DB, boardID uint, v Voter) (map[uint]bool, error) {
	var ids []uint
	err := db.Model(&LiveVote{}).Joins("JOIN live_posts ON live_posts.id = live_votes.post_id").
		Where("live_posts.board_id = ? AND live_votes.voter_key = ?", boardID, v.Key()).Pluck("live_votes.post_id", &ids).Error
	out := make(map[uint]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// CheckVoteCounters recomputes every post's vote counter from the vote rows
// and reports the posts where they differ (tests run it after racing votes;
// operators can too).
func CheckVoteCounters(db *gorm.DB) error {
	var bad []struct {
		ID     uint
		Votes  int
		Actual int
	}
	if err := db.Raw(`SELECT p.id, p.votes, (SELECT COUNT(*) FROM live_votes v WHERE v.post_id = p.id) AS actual
FROM live_posts p WHERE p.votes <> (SELECT COUNT(*) FROM live_votes v WHERE v.post_id = p.id)`).Scan(&bad).Error; err != nil {
		return fmt.Errorf("check vote counters: %w", err)
	}
	if len(bad) > 0 {
		return fmt.Errorf("vote counters out of step: %+v", bad)
	}
	return nil
}
