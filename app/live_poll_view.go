package app

import (
	"strconv"
	"strings"

	"github.com/agora-events/agora/models"
)

// pollOption is one choice of a poll as the answer form shows it.
type pollOption struct {
	Value    string
	Label    string
	Selected bool
}

// pollForm is an open poll as a participant answers it.
type pollForm struct {
	Poll    *models.LivePoll
	Options []pollOption
	Mine    string
}

// pollView prepares the answer form, with the participant's answer marked.
func pollView(p *models.LivePoll, mine string) pollForm {
	chosen := map[string]bool{}
	for _, c := range strings.Split(mine, ",") {
		chosen[c] = true
	}
	f := pollForm{Poll: p, Mine: mine}
	switch p.Kind {
	case models.PollSingle, models.PollMultiple:
		for i, o := range p.OptionList() {
			v := strconv.Itoa(i)
			f.Options = append(f.Options, pollOption{Value: v, Label: o, Selected: chosen[v]})
		}
	case models.PollScale:
		for i := 1; i <= 5; i++ {
			v := strconv.Itoa(i)
			f.Options = append(f.Options, pollOption{Value: v, Label: v, Selected: mine == v})
		}
	}
	return f
}

// chartBar is one bar of a results chart, laid out for the SVG.
type chartBar struct {
	models.PollBar
	Y, Width int
	// Size is a word's size step in the word cloud (1–5).
	Size int
}

// pollResultView is a poll's results laid out for the SVG chart and its
// text equivalent.
type pollResultView struct {
	*models.PollResult
	Bars       []chartBar
	Height     int
	AverageTxt string
	Words      bool
}

// chart geometry (SVG user units): label column, bar area, row height.
const (
	chartBarArea = 560
	chartRow     = 56
)

func resultView(r *models.PollResult) pollResultView {
	v := pollResultView{PollResult: r, Words: r.Poll.Kind == models.PollWords, Height: chartRow*len(r.Bars) + 8}
	most := 1
	for _, b := range r.Bars {
		if b.Count > most {
			most = b.Count
		}
	}
	for i, b := range r.Bars {
		v.Bars = append(v.Bars, chartBar{PollBar: b, Y: i*chartRow + 4, Width: b.Percent * chartBarArea / 100, Size: 1 + b.Count*4/most})
	}
	if r.Poll.Kind == models.PollScale && r.Answers > 0 {
		v.AverageTxt = strconv.Itoa(r.Average10/10) + "." + strconv.Itoa(r.Average10%10)
	}
	return v
}
