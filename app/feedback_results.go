package app

import (
	"encoding/csv"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/views"
)

// Geometry of the results' bar charts (SVG user units).
const (
	chartWidth    = 560
	chartLabelW   = 190
	chartBarMax   = 300
	chartBarH     = 22
	chartBarGap   = 10
	chartLabelMax = 26
)

// feedbackBarView is one bar as the chart and its table show it.
type feedbackBarView struct {
	Label, Short   string
	Count, Percent int
	Y, TextY, W    int
	CountX         int
}

// feedbackQuestionView is one question's results as the report shows them.
type feedbackQuestionView struct {
	models.FeedbackQuestionResult
	Bars    []feedbackBarView
	ChartH  int
	Average string
	ByCat   []feedbackCategoryView
}

// feedbackCategoryView is one category's average, formatted.
type feedbackCategoryView struct {
	Category string
	Count    int
	Average  string
}

// decimalSep is lang's decimal separator, as its percentages write it.
func decimalSep(lang string) string {
	if p := views.FormatPercent(lang, 150); len(p) > 2 {
		return p[1:2]
	}
	return "."
}

// formatAverage writes an average with one decimal in lang's style.
func formatAverage(lang string, v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", decimalSep(lang), 1)
}

// barLabel is how a bar's stored value reads.
func barLabel(L *Translator, q models.FeedbackQuestion, value string) string {
	switch {
	case q.Kind == models.FeedbackYesNo:
		if value == "1" {
			return L.T("feedback.yes")
		}
		return L.T("feedback.no")
	case q.Kind == models.FeedbackChoice:
		return q.ChoiceLabel(value)
	case q.IsScale():
		n, _ := strconv.Atoi(value)
		switch {
		case n == q.ScaleMin && q.LowLabel != "":
			return value + " – " + q.LowLabel
		case n == q.ScaleMax && q.HighLabel != "":
			return value + " – " + q.HighLabel
		}
	}
	return value
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// feedbackViews lays out each question's chart and formats its numbers.
func feedbackViews(L *Translator, res *models.FeedbackResults) []feedbackQuestionView {
	out := make([]feedbackQuestionView, len(res.Questions))
	for i, qr := range res.Questions {
		v := feedbackQuestionView{FeedbackQuestionResult: qr}
		for j, b := range qr.Bars {
			label := barLabel(L, qr.Question, b.Value)
			y := j * (chartBarH + chartBarGap)
			w := b.Percent * chartBarMax / 100
			if b.Count > 0 && w < 2 {
				w = 2
			}
			v.Bars = append(v.Bars, feedbackBarView{Label: label, Short: shorten(label, chartLabelMax), Count: b.Count, Percent: b.Percent,
				Y: y, TextY: y + chartBarH*2/3, W: w, CountX: chartLabelW + w + 8})
		}
		v.ChartH = len(qr.Bars)*(chartBarH+chartBarGap) - chartBarGap
		if qr.Question.IsScale() && qr.Answered > 0 {
			v.Average = formatAverage(L.Lang, qr.Average)
			for _, c := range qr.ByCategory {
				v.ByCat = append(v.ByCat, feedbackCategoryView{Category: c.Category, Count: c.Count, Average: formatAverage(L.Lang, c.Average)})
			}
		}
		out[i] = v
	}
	return out
}

// loadFeedbackReport loads a questionnaire's results with its texts in the
// page's content language.
func (a *App) loadFeedbackReport(c *fiber.Ctx) (*models.Event, *models.FeedbackForm, *models.Content, *models.FeedbackResults, error) {
	e, row, err := a.managedFeedbackForm(c)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	ct, err := models.LoadContent(a.db, e, a.contentLang(c))
	if err != nil {
		return nil, nil, nil, nil, errInternal("load content", err)
	}
	ct.FeedbackForm(row)
	res, err := models.LoadFeedbackResults(a.db, row)
	if err != nil {
		return nil, nil, nil, nil, errInternal("feedback results", err)
	}
	return e, row, ct, res, nil
}

// feedbackResults is a questionnaire's results and printable report:
// counts, a chart and its table per question, averages by participant
// category, and the open answers of people who gave the research consent.
// It names no one, so viewing it is not audited (the CSV is).
func (a *App) feedbackResults(c *fiber.Ctx) error {
	e, row, ct, res, err := a.loadFeedbackReport(c)
	if err != nil {
		return err
	}
	sessions, err := a.eventSessions(e)
	if err != nil {
		return err
	}
	ev := *e
	ct.Event(&ev)
	L := newTranslator(a.bundle, a.lang(c))
	board, err := a.feedbackBoardPosts(e, row)
	if err != nil {
		return err
	}
	return a.render(c, "manage/feedback_results", withContent(fiber.Map{"Event": &ev, "EventID": e.ID, "FB": row, "Board": board,
		"Session": feedbackScopeName(row, sessions), "Res": res, "Questions": feedbackViews(L, res),
		"Withheld": res.Answered - res.Consenting, "Base": feedbackFormURL(e, row),
		"ChartW": chartWidth, "LabelW": chartLabelW, "BarH": chartBarH, "BarX": chartLabelW,
		"EventLangs": e.LanguageList(), "LangNames": models.ContentLanguageNames}, c, ct, e))
}

// feedbackResultsCSV exports one row per response: its number, category,
// research consent and answers, with open texts blank for people without
// the research consent (the first line says so). It is audited.
func (a *App) feedbackResultsCSV(c *fiber.Ctx) error {
	e, row, _, res, err := a.loadFeedbackReport(c)
	if err != nil {
		return err
	}
	if err := a.auditExport(c, e, "feedback CSV (questionnaire "+strconv.FormatUint(uint64(row.ID), 10)+")", len(res.Responses), false); err != nil {
		return err
	}
	L := newTranslator(a.bundle, a.lang(c))
	loc := e.Location()
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+e.Slug+`-feedback-`+strconv.FormatUint(uint64(row.ID), 10)+`.csv"`)
	_, _ = c.WriteString(utf8BOM)
	w := csv.NewWriter(c)
	w.UseCRLF = true
	_ = w.Write([]string{csvSafe(L.T("feedback.research_rule"))})
	head := []string{L.T("feedback.col.number"), L.T("feedback.col.category"), L.T("feedback.col.research"), L.T("feedback.col.submitted")}
	for _, q := range row.Questions {
		head = append(head, csvSafe(q.Text))
	}
	_ = w.Write(head)
	for _, r := range res.Responses {
		consent := L.T("feedback.no")
		if r.Research {
			consent = L.T("feedback.yes")
		}
		line := []string{strconv.Itoa(r.Number), L.T("register.category." + r.Category), consent, r.SubmittedAt.In(loc).Format("2006-01-02 15:04")}
		for _, q := range row.Questions {
			a, ok := r.Answers[q.ID]
			switch {
			case !ok:
				line = append(line, "")
			case a.Value != nil && q.Kind == models.FeedbackYesNo:
				line = append(line, barLabel(L, q, strconv.Itoa(*a.Value)))
			case a.Value != nil:
				line = append(line, strconv.Itoa(*a.Value))
			default:
				line = append(line, csvSafe(a.Text))
			}
		}
		_ = w.Write(line)
	}
	w.Flush()
	return w.Error()
}
