package app

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/agora-events/agora/views"
)

// messageIDs returns the ids defined for lang across its message files.
func messageIDs(t *testing.T, lang string) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	paths, _ := fs.Glob(views.FS, "i18n/"+lang+"/*.json")
	for _, p := range paths {
		buf, _ := fs.ReadFile(views.FS, p)
		var m map[string]json.RawMessage
		if err := json.Unmarshal(buf, &m); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for k := range m {
			if ids[k] {
				t.Errorf("%s: id %q defined twice for %s", p, k, lang)
			}
			ids[k] = true
		}
	}
	return ids
}

// Every language having every English message, with the same placeholders,
// is views.TestCatalogueIsComplete.

var (
	templateUse = regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	codeUse     = regexp.MustCompile(`(?:Add\([^,()]+, "|MsgID: "|flash\(c, "|ID: ")([a-z0-9_]+\.[a-z0-9_.]+)"`)
)

// TestEveryUsedMessageExists finds message ids written literally in templates
// and handlers and checks that English defines each (views.TestCatalogueIsComplete
// then checks every other language). Ids built at run time (kind.*, format.*) are checked by
// the pages' own tests.
func TestEveryUsedMessageExists(t *testing.T) {
	en := messageIDs(t, "en")
	var missing []string
	check := func(where string, re *regexp.Regexp, src string) {
		for _, m := range re.FindAllStringSubmatch(src, -1) {
			if !en[m[1]] {
				missing = append(missing, where+": "+m[1])
			}
		}
	}
	_ = fs.WalkDir(views.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			buf, _ := fs.ReadFile(views.FS, p)
			check(p, templateUse, string(buf))
		}
		return nil
	})
	goFiles, _ := filepath.Glob("*.go")
	for _, p := range goFiles {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		buf, _ := os.ReadFile(p)
		check(p, codeUse, string(buf))
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("message id not defined: %s", m)
	}
}

// TestPickLanguage matches Accept-Language by CLDR's rules among the
// offered languages: a region or script variant finds its language, an
// unknown language the default, and a remembered choice wins.
func TestPickLanguage(t *testing.T) {
	all := newLanguageChooser(Languages)
	cases := []struct{ cookie, accept, want string }{
		{"", "", "en"},
		{"", "es-ES,es;q=0.9,en;q=0.8", "es"},
		{"", "ca-ES", "ca"},
		{"", "ca-ES-valencia,ca;q=0.9", "ca"},
		{"", "nl-BE", "nl"},
		{"", "el-GR", "el"},
		{"", "fr-BE,fr;q=0.9", "fr"},
		{"", "fr-FR,fr;q=0.9", "fr"},
		{"", "gl", "gl"},
		{"", "gl-ES,es;q=0.8", "gl"},
		{"", "de-DE,de;q=0.9", "en"},     // not offered: the default
		{"", "de-DE,nl;q=0.5", "nl"},     // the first offered one the browser accepts
		{"", "ja,el;q=0.1", "el"},        // however low its weight
		{"el", "en", "el"},               // a remembered choice wins
		{"xx", "es", "es"},               // an unknown choice is ignored
		{"", "\x00garbage;;q=abc", "en"}, // malformed header
	}
	for _, c := range cases {
		if got := all.pick(c.cookie, c.accept); got != c.want {
			t.Errorf("pick(%q, %q) = %q, want %q", c.cookie, c.accept, got, c.want)
		}
	}
	// An operator offering Galician, Spanish and English: Galician is the
	// default, a Catalan browser is not offered Catalan.
	some := newLanguageChooser([]string{"gl", "es", "en"})
	for _, c := range []struct{ cookie, accept, want string }{
		{"", "", "gl"},
		{"", "de", "gl"},
		{"", "es-ES", "es"},
		{"", "en-GB", "en"},
		{"ca", "ca-ES,fr;q=0.5", "gl"},
		{"el", "", "gl"},
	} {
		if got := some.pick(c.cookie, c.accept); got != c.want {
			t.Errorf("gl,es,en: pick(%q, %q) = %q, want %q", c.cookie, c.accept, got, c.want)
		}
	}
}
