package app

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agora-events/agora/app/testenv"
)

// vnuMessage is one finding of the Nu HTML Checker (its JSON output).
type vnuMessage struct {
	Type     string `json:"type"`
	URL      string `json:"url"`
	LastLine int    `json:"lastLine"`
	Message  string `json:"message"`
	Extract  string `json:"extract"`
}

// TestEveryDemoPageIsValidHTML crawls the demo as a visitor, an attendee,
// the organizer and a site admin (a few pages of each kind), and runs the
// Nu HTML Checker once over all of them: any error fails, with its page.
func TestEveryDemoPageIsValidHTML(t *testing.T) {
	onlySQLitePass(t)
	java, jar := testenv.Vnu(t)
	s := newDemoSite(t)
	pages := s.crawlDemo(t, 3)
	if len(pages) < 40 {
		t.Fatalf("only %d pages: the crawl is broken", len(pages))
	}
	dir := t.TempDir()
	byFile := map[string]demoPage{}
	args := []string{"-jar", jar, "--errors-only", "--format", "json"}
	for i, p := range pages {
		name := filepath.Join(dir, fmt.Sprintf("page-%03d.html", i))
		if err := os.WriteFile(name, []byte(p.body), 0o600); err != nil {
			t.Fatal(err)
		}
		byFile[filepath.Base(name)] = p
		args = append(args, name)
	}
	// One JVM for every page: starting Java is the slow part.
	out, err := exec.Command(java, args...).CombinedOutput()
	var res struct {
		Messages []vnuMessage `json:"messages"`
	}
	if jerr := json.Unmarshal(out, &res); jerr != nil {
		t.Fatalf("vnu (%v): not its JSON: %v\n%.2000s", err, jerr, out)
	}
	for _, m := range res.Messages {
		if m.Type != "error" && m.Type != "non-document-error" {
			continue
		}
		p := byFile[filepath.Base(strings.TrimPrefix(m.URL, "file:"))]
		t.Errorf("%s (%s) line %d: %s\n    %s", p.url, p.role, m.LastLine, m.Message, strings.TrimSpace(m.Extract))
	}
	t.Logf("%d pages checked by the Nu HTML Checker (%s)", len(pages), byRole(pages))
}
