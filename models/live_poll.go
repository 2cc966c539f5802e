package models

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// LivePoll is a quick poll a moderator runs on a board. One poll of a board
// is open at a time; its results are on the projector.
type LivePoll struct {
	ID       uint   `gorm:"primaryKey"`
	BoardID  uint   `gorm:"not null;index"`
	Kind     string `gorm:"size:12;not null"`
	Question string `gorm:"size:300;not null"`
	// Options are the choices of a single- or multiple-choice poll, one per line.
	Options   string `gorm:"type:text;not null;default:''"`
	State     string `gorm:"size:10;not null"`
	OpenedAt  *time.Time
	ClosedAt  *time.Time
	CreatedAt time.Time
}

// LivePollAnswer is one person's answer to a poll (changeable until the
// poll closes; one per person and poll by the unique index).
type LivePollAnswer struct {
	ID       uint   `gorm:"primaryKey"`
	PollID   uint   `gorm:"not null;uniqueIndex:idx_live_poll_answer_once"`
	VoterKey string `gorm:"size:60;not null;uniqueIndex:idx_live_poll_answer_once"`
	// Choice is the option indexes ("0,2"), the scale value ("4") or the word.
	Choice    string `gorm:"size:200;not null"`
	UpdatedAt time.Time
}

// Poll kinds and states.
const (
	PollSingle   = "single"
	PollMultiple = "multiple"
	PollScale    = "scale"
	PollWords    = "words"

	PollDraft  = "draft"
	PollOpen   = "open"
	PollClosed = "closed"

	maxPollOptions  = 10
	maxOptionLength = 100
	maxPollQuestion = 300
	// MaxPollWord is the longest word-cloud answer, in characters.
	MaxPollWord = 40
)

// PollKinds lists the kinds in the order they are offered.
var PollKinds = []string{PollSingle, PollMultiple, PollScale, PollWords}

// Poll creation errors, shown beside the form's fields.
var (
	ErrPollQuestion = errors.New("the question is empty or too long")
	ErrPollKind     = errors.New("not a poll kind")
	ErrPollOptions  = errors.New("a choice poll needs 2 to 10 options of at most 100 characters")
)

// OptionList is the poll's options.
func (p *LivePoll) OptionList() []string { return splitLines(p.Options) }

// HasOptions reports whether the poll is a choice poll.
func (p *LivePoll) HasOptions() bool { return p.Kind == PollSingle || p.Kind == PollMultiple }

// NewPoll is what a moderator asks.
type NewPoll struct {
	Kind     string
	Question string
	Options  string
}

// CheckPoll validates a new poll (pure) and returns its clean question and options.
func CheckPoll(p NewPoll) (question, options string, err error) {
	question = strings.TrimSpace(p.Question)
	if question == "" || utf8.RuneCountInString(question) > maxPollQuestion {
		return "", "", ErrPollQuestion
	}
	switch p.Kind {
	case PollSingle, PollMultiple:
		opts := splitLines(p.Options)
		if len(opts) < 2 || len(opts) > maxPollOptions {
			return "", "", ErrPollOptions
		}
		for _, o := range opts {
			if utf8.RuneCountInString(o) > maxOptionLength {
				return "", "", ErrPollOptions
			}
		}
		return question, strings.Join(opts, "\n"), nil
	case PollScale, PollWords:
		return question, "", nil
	}
	return "", "", ErrPollKind
}

// CreatePoll adds a draft poll to the board.
func CreatePoll(db *gorm.DB, boardID uint, np NewPoll) (*LivePoll, error) {
	q, opts, err := CheckPoll(np)
	if err != nil {
		return nil, err
	}
	p := LivePoll{BoardID: boardID, Kind: np.Kind, Question: q, Options: opts, State: PollDraft}
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		return PublishLive(tx, BoardTopic(boardID), "poll", map[string]any{"poll": p.ID, "state": p.State})
	})
	return &p, err
}

// SetPollState opens (closing the board's other open poll) or closes a poll.
func SetPollState(db *gorm.DB, boardID, pollID uint, state string, now time.Time) error {
	if state != PollOpen && state != PollClosed {
		return ErrInvalidState
	}
	now = now.UTC()
	return db.Transaction(func(tx *gorm.DB) error {
		var p LivePoll
		if err := tx.Where("id = ? AND board_id = ?", pollID, boardID).Take(&p).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrPollNotFound
			}
			return err
		}
		if state == PollOpen {
			if err := tx.Model(&LivePoll{}).Where("board_id = ? AND state = ? AND id <> ?", boardID, PollOpen, pollID).
				Updates(map[string]any{"state": PollClosed, "closed_at": now}).Error; err != nil {
				return err
			}
			if err := tx.Model(&p).Updates(map[string]any{"state": PollOpen, "opened_at": now, "closed_at": nil}).Error; err != nil {
				return err
			}
		} else if err := tx.Model(&p).Updates(map[string]any{"state": PollClosed, "closed_at": now}).Error; err != nil {
			return err
		}
		return PublishLive(tx, BoardTopic(boardID), "poll", map[string]any{"poll": pollID, "state": state})
	})
}

// CheckAnswer turns a participant's answer into the stored choice (pure):
// option indexes for choice polls (one for single), 1–5 for a scale, one
// short word or phrase (lower case) for a word cloud.
func CheckAnswer(p *LivePoll, values []string) (string, error) {
	switch p.Kind {
	case PollSingle, PollMultiple:
		n := len(p.OptionList())
		seen := map[int]bool{}
		var idx []int
		for _, v := range values {
			i, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || i < 0 || i >= n {
				return "", ErrInvalidAnswer
			}
			if !seen[i] {
				seen[i] = true
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 || (p.Kind == PollSingle && len(idx) > 1) {
			return "", ErrInvalidAnswer
		}
		sort.Ints(idx)
		parts := make([]string, len(idx))
		for i, x := range idx {
			parts[i] = strconv.Itoa(x)
		}
		return strings.Join(parts, ","), nil
	case PollScale:
		if len(values) != 1 {
			return "", ErrInvalidAnswer
		}
		i, err := strconv.Atoi(strings.TrimSpace(values[0]))
		if err != nil || i < 1 || i > 5 {
			return "", ErrInvalidAnswer
		}
		return strconv.Itoa(i), nil
	case PollWords:
		if len(values) != 1 {
			return "", ErrInvalidAnswer
		}
		w := strings.ToLower(strings.Join(strings.Fields(values[0]), " "))
		if w == "" || utf8.RuneCountInString(w) > MaxPollWord {
			return "", ErrInvalidAnswer
		}
		return w, nil
	}
	return "", ErrInvalidAnswer
}

// AnswerPoll records (or changes) v's answer to an open poll of the board.
func AnswerPoll(db *gorm.DB, boardID, pollID uint, v Voter, values []string) error {
	if !v.Valid() {
		return ErrInvalidVoter
	}
	return db.Transaction(func(tx *gorm.DB) error {
		var p LivePoll
		if err := tx.Where("id = ? AND board_id = ?", pollID, boardID).Take(&p).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrPollNotFound
			}
			return err
		}
		if p.State != PollOpen {
			return ErrPollNotOpen
		}
		choice, err := CheckAnswer(&p, values)
		if err != nil {
			return err
		}
		a := LivePollAnswer{PollID: p.ID, VoterKey: v.Key(), Choice: choice, UpdatedAt: time.Now().UTC()}
		if err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "poll_id"}, {Name: "voter_key"}},
			DoUpdates: clause.AssignmentColumns([]string{"choice", "updated_at"}),
		}).Create(&a).Error; err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&LivePollAnswer{}).Where("poll_id = ?", p.ID).Count(&n).Error; err != nil {
			return err
		}
		return PublishLive(tx, BoardTopic(boardID), "answer", map[string]any{"poll": p.ID, "answers": n})
	})
}

// PollsOfBoard lists the board's polls, newest first.
func PollsOfBoard(db *gorm.DB, boardID uint) ([]LivePoll, error) {
	var ps []LivePoll
	err := db.Where("board_id = ?", boardID).Order("id DESC").Find(&ps).Error
	return ps, err
}

// ShownPoll is the poll the room sees: the open one, else the one closed last.
func ShownPoll(db *gorm.DB, boardID uint) (*LivePoll, error) {
	var p LivePoll
	err := db.Where("board_id = ? AND state IN ?", boardID, []string{PollOpen, PollClosed}).
		Order("CASE WHEN state = 'open' THEN 0 ELSE 1 END, closed_at DESC, id DESC").Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	return &p, err
}

// PollAnswerOf is v's current answer ("" when none).
func PollAnswerOf(db *gorm.DB, pollID uint, v Voter) (string, error) {
	var cs []string
	err := db.Model(&LivePollAnswer{}).Where("poll_id = ? AND voter_key = ?", pollID, v.Key()).Pluck("choice", &cs).Error
	if err != nil || len(cs) == 0 {
		return "", err
	}
	return cs[0], nil
}

// PollBar is one option's (or scale value's, or word's) count.
type PollBar struct {
	Label   string
	Count   int
	Percent int // of the people who answered
}

// PollResult is a poll's results.
type PollResult struct {
	Poll    LivePoll
	Answers int
	Bars    []PollBar
	// Average is the scale's mean (×10, to show one decimal).
	Average10 int
}

// maxCloudWords bounds the word cloud.
const maxCloudWords = 30

// PollResults counts a poll's answers.
func PollResults(db *gorm.DB, p *LivePoll) (*PollResult, error) {
	var choices []string
	if err := db.Model(&LivePollAnswer{}).Where("poll_id = ?", p.ID).Pluck("choice", &choices).Error; err != nil {
		return nil, err
	}
	r := &PollResult{Poll: *p, Answers: len(choices)}
	pct := func(n int) int {
		if r.Answers == 0 {
			return 0
		}
		return (n*100 + r.Answers/2) / r.Answers
	}
	switch p.Kind {
	case PollSingle, PollMultiple, PollScale:
		labels := p.OptionList()
		if p.Kind == PollScale {
			labels = []string{"1", "2", "3", "4", "5"}
		}
		counts := make([]int, len(labels))
		sum := 0
		for _, c := range choices {
			for _, part := range strings.Split(c, ",") {
				i, err := strconv.Atoi(part)
				if p.Kind == PollScale {
					sum += i
					i--
				}
				if err == nil && i >= 0 && i < len(counts) {
					counts[i]++
				}
			}
		}
		for i, l := range labels {
			r.Bars = append(r.Bars, PollBar{Label: l, Count: counts[i], Percent: pct(counts[i])})
		}
		if p.Kind == PollScale && r.Answers > 0 {
			r.Average10 = (sum*10 + r.Answers/2) / r.Answers
		}
	case PollWords:
		counts := map[string]int{}
		for _, c := range choices {
			counts[c]++
		}
		for w, n := range counts {
			r.Bars = append(r.Bars, PollBar{Label: w, Count: n, Percent: pct(n)})
		}
		sort.Slice(r.Bars, func(i, j int) bool {
			if r.Bars[i].Count != r.Bars[j].Count {
				return r.Bars[i].Count > r.Bars[j].Count
			}
			return r.Bars[i].Label < r.Bars[j].Label
		})
		if len(r.Bars) > maxCloudWords {
			r.Bars = r.Bars[:maxCloudWords]
		}
	}
	return r, nil
}
