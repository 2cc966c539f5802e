package chart

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// wellFormed parses s as XML (inline SVG and its HTML wrapper are written as
// XML) and returns the elements seen with their attributes.
func wellFormed(t *testing.T, s string) []xml.StartElement {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader("<root>" + s + "</root>"))
	var els []xml.StartElement
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return els
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, s)
		}
		if se, ok := tok.(xml.StartElement); ok {
			els = append(els, se.Copy())
		}
	}
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// fillWidths returns the width of each bar fill.
func fillWidths(els []xml.StartElement) []string {
	var w []string
	for _, e := range els {
		if e.Name.Local == "rect" && attr(e, "class") == "chart-fill" {
			w = append(w, attr(e, "width"))
		}
	}
	return w
}

func TestMeterIsANamedImageScaledToItsFigures(t *testing.T) {
	for _, tc := range []struct {
		value, max int
		want       string // the fill's width, "" = no fill
	}{{0, 40, ""}, {10, 40, "25"}, {40, 40, "100"}, {55, 40, "100"}, {1, 1000, "1"}, {5, 0, ""}} {
		els := wellFormed(t, string(Meter(tc.value, tc.max, `3 of 40 <taken> & "x"`)))
		if els[1].Name.Local != "svg" || attr(els[1], "role") != "img" || attr(els[1], "aria-label") != `3 of 40 <taken> & "x"` {
			t.Fatalf("%d/%d: svg not a named image: %+v", tc.value, tc.max, els[1])
		}
		var w string
		if f := fillWidths(els); len(f) > 0 {
			w = f[0]
		}
		if w != tc.want {
			t.Errorf("%d of %d: fill width %q, want %q", tc.value, tc.max, w, tc.want)
		}
	}
}

func TestBarsCarryTheirFiguresAsText(t *testing.T) {
	out := string(Bars("Places per ticket", []Bar{
		{Label: "Standard", Text: "Places left: 3 of 40", Value: 37, Max: 40, Few: true},
		{Label: "Patients <free>", Text: "Places left: 20 of 20", Value: 0, Max: 20},
	}))
	els := wellFormed(t, out)
	for _, want := range []string{"<figcaption>Places per ticket</figcaption>", "Standard", "Places left: 3 of 40", "Patients &lt;free&gt;", `class="chart-row chart-few"`} {
		if !strings.Contains(out, want) {
			t.Errorf("bars lack %q:\n%s", want, out)
		}
	}
	var named []string
	for _, e := range els {
		if e.Name.Local == "svg" {
			named = append(named, attr(e, "aria-label"))
		}
	}
	if len(named) != 2 || named[0] != "Standard: Places left: 3 of 40" {
		t.Errorf("bar images named %q", named)
	}
	if w := fillWidths(els); len(w) != 1 || w[0] != "92" {
		t.Errorf("fills %v, want one of 92 (37 of 40)", w)
	}
}

func TestColumnsHeightFollowsValuesAndTableListsThem(t *testing.T) {
	cols := []Column{{"1 Mar", 2}, {"2 Mar", 0}, {"3 Mar", 8}, {"4 Mar", 1}}
	out := string(Columns(ColumnText{Title: "Registrations per day", LabelHead: "Day", ValueHead: "Registrations",
		Figures: "Show the figures", Summary: "11 registrations"}, cols))
	els := wellFormed(t, out)
	heights := map[string]string{}
	var region, svg xml.StartElement
	for _, e := range els {
		switch {
		case e.Name.Local == "rect" && attr(e, "class") == "chart-fill":
			heights[attr(e, "x")] = attr(e, "height")
		case e.Name.Local == "div" && attr(e, "class") == "scroll-box":
			region = e
		case e.Name.Local == "svg":
			svg = e
		}
	}
	// Columns at x = 1, 11, 21, 31; the tallest fills the 98 units, a
	// zero draws nothing, and a small non-zero is still visible.
	if heights["21"] != "98" || heights["1"] != "24" || heights["31"] != "12" || heights["11"] != "" {
		t.Errorf("column heights %v", heights)
	}
	if attr(svg, "role") != "img" || attr(svg, "aria-label") != "Registrations per day" {
		t.Errorf("svg %+v", svg)
	}
	if attr(region, "role") != "region" || attr(region, "tabindex") != "0" || attr(region, "aria-label") != "Registrations per day" {
		t.Errorf("figures not in a named scroll region: %+v", region)
	}
	for _, want := range []string{`<th scope="row">3 Mar</th><td>8</td>`, `<th scope="row">2 Mar</th><td>0</td>`, "11 registrations", "<span>1 Mar</span><span>4 Mar</span>"} {
		if !strings.Contains(out, want) {
			t.Errorf("columns lack %q", want)
		}
	}
}

func TestColumnsWithoutDataIsStillWellFormed(t *testing.T) {
	wellFormed(t, string(Columns(ColumnText{Title: "x"}, nil)))
}
