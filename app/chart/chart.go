// Package chart draws the site's small pictures of figures as inline SVG:
// horizontal bars (places taken, check-in progress) and a column chart
// (registrations per day). Each picture is an image with a name for screen
// readers and comes with its figures as text, so nothing depends on seeing
// the picture, on colour, or on JavaScript. Callers pass text already
// translated; the package knows no language.
package chart

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// esc escapes text for element content and attribute values alike.
func esc(s string) string { return template.HTMLEscapeString(s) }

// percent is value/max as a whole percentage, clamped to 0–100.
func percent(value, max int) int {
	if max <= 0 || value <= 0 {
		return 0
	}
	if value >= max {
		return 100
	}
	p := value * 100 / max
	if p == 0 {
		p = 1 // a sliver, so "one taken" never looks like "none taken"
	}
	return p
}

// Meter is one horizontal bar, value of max, drawn as a filled track with
// an outline (the outline, not colour, shows where the whole ends). label
// names the image for screen readers ("12 of 40 places taken").
func Meter(value, max int, label string) template.HTML {
	p := percent(value, max)
	var b strings.Builder
	b.WriteString(`<svg class="chart-meter" role="img" aria-label="`)
	b.WriteString(esc(label))
	b.WriteString(`" viewBox="0 0 100 10" preserveAspectRatio="none" width="100%" height="14" focusable="false">`)
	b.WriteString(`<title>` + esc(label) + `</title>`)
	b.WriteString(`<rect class="chart-track" x="0" y="0" width="100" height="10"/>`)
	if p > 0 {
		fmt.Fprintf(&b, `<rect class="chart-fill" x="0" y="0" width="%d" height="10"/>`, p)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Bar is one row of a bar list: what it is, its figures in words, and the
// value of max the bar draws.
type Bar struct {
	Label string // "Standard ticket"
	Text  string // "Places left: 3 of 40"
	Value int
	Max   int // 0 = no limit: the row has no bar
	// Few marks a row that is nearly full; it is drawn in the warning
	// style, and Text must say so in words too.
	Few bool
}

// Bars lists rows, each with its label, a bar and its figures as visible
// text: the text is the equivalent of the picture, and each bar is an image
// named by its row's figures. caption heads the list (empty = none).
func Bars(caption string, bars []Bar) template.HTML {
	var b strings.Builder
	b.WriteString(`<figure class="chart chart-bars">`)
	if caption != "" {
		b.WriteString(`<figcaption>` + esc(caption) + `</figcaption>`)
	}
	b.WriteString(`<ul class="chart-rows">`)
	for _, r := range bars {
		cls := "chart-row"
		if r.Few {
			cls += " chart-few"
		}
		b.WriteString(`<li class="` + cls + `"><span class="chart-label">` + esc(r.Label) + `</span> `)
		if r.Max > 0 { // no limit, no whole to draw a part of: words only
			b.WriteString(string(Meter(r.Value, r.Max, r.Label+": "+r.Text)))
		}
		b.WriteString(` <span class="chart-value">` + esc(r.Text) + `</span></li>`)
	}
	b.WriteString(`</ul></figure>`)
	return template.HTML(b.String())
}

// Column is one column of a column chart: a label for its place on the axis
// ("3 Mar") and its figure.
type Column struct {
	Label string
	Value int
}

// ColumnText is the translated text around a column chart.
type ColumnText struct {
	Title     string // the image's name and the figures' region name
	LabelHead string // the figures table's first column ("Day")
	ValueHead string // its second column ("Registrations")
	Figures   string // the disclosure that opens the table ("Show the figures")
	Summary   string // one visible line of words ("42 registrations, most in a day: 9")
}

// columnsHeight is the drawing's height in its own units; width is one unit
// per column slot, so the picture stretches to the space it has.
const columnsHeight = 100

// minColumns is the fewest column slots drawn; columnPixels their width.
const (
	minColumns   = 7
	columnPixels = 24
)

// Columns draws a small column chart with an axis line, the first and last
// labels under it, a line of words, and the figures as a table in a
// scrolling region (the site's table wrapper), inside a disclosure.
func Columns(t ColumnText, cols []Column) template.HTML {
	top := 0
	for _, c := range cols {
		if c.Value > top {
			top = c.Value
		}
	}
	// At least a week's room, so a few days draw as columns, not slabs;
	// columnPixels wide each, shrunk by the stylesheet to the space there is.
	n := max(len(cols), minColumns)
	var b strings.Builder
	b.WriteString(`<figure class="chart chart-columns"><div class="chart-plot-box">`)
	fmt.Fprintf(&b, `<svg class="chart-plot" role="img" aria-label="%s" viewBox="0 0 %d %d" preserveAspectRatio="none" width="%d" height="120" focusable="false">`,
		esc(t.Title), n*10, columnsHeight, n*columnPixels)
	b.WriteString(`<title>` + esc(t.Title) + `</title>`)
	for i, c := range cols {
		h := 0
		if top > 0 {
			h = c.Value * (columnsHeight - 2) / top
			if c.Value > 0 && h < 2 {
				h = 2
			}
		}
		if h > 0 {
			fmt.Fprintf(&b, `<rect class="chart-fill" x="%d" y="%d" width="8" height="%d"><title>%s: %d</title></rect>`,
				i*10+1, columnsHeight-1-h, h, esc(c.Label), c.Value)
		}
	}
	fmt.Fprintf(&b, `<rect class="chart-axis" x="0" y="%d" width="%d" height="1"/>`, columnsHeight-1, n*10)
	b.WriteString(`</svg>`)
	if len(cols) > 0 {
		first, last := cols[0].Label, cols[len(cols)-1].Label
		b.WriteString(`<p class="chart-axis-labels" aria-hidden="true"><span>` + esc(first) + `</span>`)
		if len(cols) > 1 {
			b.WriteString(`<span>` + esc(last) + `</span>`)
		}
		b.WriteString(`</p>`)
	}
	b.WriteString(`</div>`)
	if t.Summary != "" {
		b.WriteString(`<figcaption>` + esc(t.Summary) + `</figcaption>`)
	}
	b.WriteString(`</figure>`)
	b.WriteString(`<details class="chart-figures"><summary>` + esc(t.Figures) + `</summary>`)
	b.WriteString(`<div class="scroll-box" role="region" tabindex="0" aria-label="` + esc(t.Title) + `">`)
	b.WriteString(`<table class="table"><caption class="visually-hidden">` + esc(t.Title) + `</caption>`)
	b.WriteString(`<thead><tr><th scope="col">` + esc(t.LabelHead) + `</th><th scope="col">` + esc(t.ValueHead) + `</th></tr></thead><tbody>`)
	for _, c := range cols {
		b.WriteString(`<tr><th scope="row">` + esc(c.Label) + `</th><td>` + strconv.Itoa(c.Value) + `</td></tr>`)
	}
	b.WriteString(`</tbody></table></div></details>`)
	return template.HTML(b.String())
}
