package models

import (
	"database/sql"
	"sort"
	"time"

	"gorm.io/gorm"
)

// The research consent rule of the results: every answer is counted, but
// the open-text answers of people without a live research consent
// (ConsentResearch, not withdrawn) are left out of the report's quotations
// and the export.

// FeedbackResults are a questionnaire's numbers, per question.
type FeedbackResults struct {
	Sent, Answered int
	// Rate is Answered out of Sent, in whole per cent (0 when none was sent).
	Rate      int
	Questions []FeedbackQuestionResult
	// Consenting is how many of those who answered gave the research consent.
	Consenting int
	// Responses are the rows of the export, in the order answered.
	Responses []FeedbackResponseRow
}

// FeedbackBar is one value of a question and how many chose it.
type FeedbackBar struct {
	Value   string // stored value: a number, "1"/"0", or a choice's text
	Count   int
	Percent int // of the question's answers, whole per cent
}

// FeedbackCategoryAverage is a scale's average for one participant category.
type FeedbackCategoryAverage struct {
	Category string
	Count    int
	Average  float64
}

// FeedbackQuestionResult is what one question's answers add up to.
type FeedbackQuestionResult struct {
	Question FeedbackQuestion
	Answered int
	Bars     []FeedbackBar
	// Average of a scale over everyone, and by category (categories with
	// answers only, in the order of Categories).
	Average    float64
	ByCategory []FeedbackCategoryAverage
	// Texts are the open answers of consenting people; Withheld counts
	// those left out.
	Texts    []string
	Withheld int
}

// FeedbackResponseRow is one person's response as the export shows it:
// no name, their category, whether they gave the research consent, and
// each question's answer (open texts blank without the consent).
type FeedbackResponseRow struct {
	Number      int
	Category    string
	Research    bool
	SubmittedAt time.Time
	Answers     map[uint]FeedbackAnswer
}

// ResearchConsenters is the set of the event's attendees with a live
// research consent.
func ResearchConsenters(db *gorm.DB, eventID uint) (map[uint]bool, error) {
	var ids []uint
	err := db.Table("consent_records r").Distinct("r.attendee_id").
		Joins("JOIN consent_texts t ON t.id = r.consent_text_id").
		Where("t.event_id = ? AND t.kind = ? AND r.withdrawn_at IS NULL", eventID, ConsentResearch).
		Pluck("r.attendee_id", &ids).Error
	out := make(map[uint]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// LoadFeedbackResults adds up the answers to f (loaded with its questions,
// in the language to show) in three queries whatever their number.
func LoadFeedbackResults(db *gorm.DB, f *FeedbackForm) (*FeedbackResults, error) {
	var sent int64
	if err := db.Model(&FeedbackRequest{}).Where("form_id = ?", f.ID).Count(&sent).Error; err != nil {
		return nil, err
	}
	// Scanned by hand, only the columns added up: GORM's reflection per row
	// was most of the page's time for thousands of answers.
	var responses []FeedbackResponse
	rows, err := db.Model(&FeedbackResponse{}).Select("id, attendee_id, category, submitted_at").
		Where("form_id = ?", f.ID).Order("submitted_at, id").Rows()
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r FeedbackResponse
		if err := rows.Scan(&r.ID, &r.AttendeeID, &r.Category, &r.SubmittedAt); err != nil {
			rows.Close()
			return nil, err
		}
		responses = append(responses, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var answers []FeedbackAnswer
	rows, err = db.Model(&FeedbackAnswer{}).Select("response_id, question_id, value, text").
		Where("form_id = ?", f.ID).Order("id").Rows()
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var (
			a     FeedbackAnswer
			value sql.NullInt64
		)
		if err := rows.Scan(&a.ResponseID, &a.QuestionID, &value, &a.Text); err != nil {
			rows.Close()
			return nil, err
		}
		if value.Valid {
			v := int(value.Int64)
			a.Value = &v
		}
		answers = append(answers, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	research, err := ResearchConsenters(db, f.EventID)
	if err != nil {
		return nil, err
	}
	return addUpFeedback(f, int(sent), responses, answers, research), nil
}

// addUpFeedback is the arithmetic of LoadFeedbackResults.
func addUpFeedback(f *FeedbackForm, sent int, responses []FeedbackResponse, answers []FeedbackAnswer, research map[uint]bool) *FeedbackResults {
	res := &FeedbackResults{Sent: sent, Answered: len(responses)}
	if sent > 0 {
		res.Rate = (len(responses)*100 + sent/2) / sent
	}
	rows := make(map[uint]*FeedbackResponseRow, len(responses))
	for i, r := range responses {
		row := FeedbackResponseRow{Number: i + 1, Category: r.Category, Research: research[r.AttendeeID],
			SubmittedAt: r.SubmittedAt, Answers: map[uint]FeedbackAnswer{}}
		if row.Research {
			res.Consenting++
		}
		res.Responses = append(res.Responses, row)
	}
	for i := range res.Responses {
		rows[responses[i].ID] = &res.Responses[i]
	}
	byQuestion := map[uint][]FeedbackAnswer{}
	for _, a := range answers {
		row := rows[a.ResponseID]
		if row == nil {
			continue
		}
		if a.Value == nil && !row.Research {
			// an open text is left out without the consent; a choice's text is counted
			a.Text = withheldIfOpen(f, a)
		}
		row.Answers[a.QuestionID] = a
		byQuestion[a.QuestionID] = append(byQuestion[a.QuestionID], a)
	}
	for _, q := range f.Questions {
		qr := FeedbackQuestionResult{Question: q}
		as := byQuestion[q.ID]
		switch {
		case q.IsScale() || q.Kind == FeedbackYesNo:
			points := q.ScalePoints()
			if q.Kind == FeedbackYesNo {
				points = []int{1, 0}
			}
			counts := map[int]int{}
			sums, ns := map[string]int{}, map[string]int{}
			total := 0
			for _, a := range as {
				if a.Value == nil {
					continue
				}
				counts[*a.Value]++
				qr.Answered++
				total += *a.Value
				cat := rows[a.ResponseID].Category
				sums[cat] += *a.Value
				ns[cat]++
			}
			for _, p := range points {
				qr.Bars = append(qr.Bars, FeedbackBar{Value: ValueKey(p), Count: counts[p], Percent: percent(counts[p], qr.Answered)})
			}
			if q.IsScale() && qr.Answered > 0 {
				qr.Average = float64(total) / float64(qr.Answered)
				for _, c := range Categories {
					if ns[c] > 0 {
						qr.ByCategory = append(qr.ByCategory, FeedbackCategoryAverage{Category: c, Count: ns[c], Average: float64(sums[c]) / float64(ns[c])})
					}
				}
			}
		case q.Kind == FeedbackChoice:
			counts := map[string]int{}
			for _, a := range as {
				counts[a.Text]++
				qr.Answered++
			}
			for _, o := range q.OptionList() {
				qr.Bars = append(qr.Bars, FeedbackBar{Value: o, Count: counts[o], Percent: percent(counts[o], qr.Answered)})
				delete(counts, o)
			}
			removed := make([]string, 0, len(counts)) // answers to a choice since removed, by text
			for v := range counts {
				removed = append(removed, v)
			}
			sort.Strings(removed)
			for _, v := range removed {
				qr.Bars = append(qr.Bars, FeedbackBar{Value: v, Count: counts[v], Percent: percent(counts[v], qr.Answered)})
			}
		default:
			for _, a := range as {
				qr.Answered++
				if rows[a.ResponseID].Research && a.Text == "" {
					continue // erased with its author (AnonymiseAttendee)
				}
				if rows[a.ResponseID].Research {
					qr.Texts = append(qr.Texts, a.Text)
				} else {
					qr.Withheld++
				}
			}
		}
		res.Questions = append(res.Questions, qr)
	}
	return res
}

// withheldIfOpen blanks the text of an open answer (the rule above) and
// keeps a choice's.
func withheldIfOpen(f *FeedbackForm, a FeedbackAnswer) string {
	for _, q := range f.Questions {
		if q.ID == a.QuestionID && q.Kind == FeedbackChoice {
			return a.Text
		}
	}
	return ""
}

func percent(n, of int) int {
	if of == 0 {
		return 0
	}
	return (n*100 + of/2) / of
}
