package app

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestEveryDemoTableScrollsInItsBox renders a page of each kind of the demo
// (public, attendee, organizer, admin) and fails for any table that is not
// inside a scroll box a keyboard can reach and a screen reader names:
// <div class="scroll-box" role="region" tabindex="0" aria-label="…">. On a
// phone a wide table then scrolls inside its box, not the page.
func TestEveryDemoTableScrollsInItsBox(t *testing.T) {
	onlySQLitePass(t)
	s := newDemoSite(t)
	pages := s.crawlDemo(t, 1)
	if len(pages) < 40 {
		t.Fatalf("only %d pages: the crawl is broken", len(pages))
	}
	tables := 0
	for _, p := range pages {
		doc, err := html.Parse(strings.NewReader(p.body))
		if err != nil {
			t.Fatalf("%s: %v", p.url, err)
		}
		var walk func(n *html.Node, box bool)
		walk = func(n *html.Node, box bool) {
			if n.Type == html.ElementNode {
				if n.Data == "table" {
					tables++
					if !box {
						t.Errorf("%s (%s): a table outside a labelled scroll box", p.url, p.role)
					}
					return
				}
				box = box || isScrollBox(n)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c, box)
			}
		}
		walk(doc, false)
	}
	if tables == 0 {
		t.Fatal("no table on any page: the check checked nothing")
	}
	t.Logf("%d tables on %d pages (%s)", tables, len(pages), byRole(pages))
}

// isScrollBox reports whether n is a scroll box: the class, a region role,
// in the tab order, with a label that says more than "Table:".
func isScrollBox(n *html.Node) bool {
	a := map[string]string{}
	for _, at := range n.Attr {
		a[at.Key] = at.Val
	}
	label := strings.TrimSpace(a["aria-label"])
	return strings.Contains(" "+a["class"]+" ", " scroll-box ") && a["role"] == "region" && a["tabindex"] == "0" &&
		label != "" && !strings.HasSuffix(label, ":")
}
