package app

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/agora-events/agora/views"
)

// TestMessageIDsExistInEveryLanguage checks that the literal message ids the
// templates and handlers use exist in English; views.TestCatalogueIsComplete
// checks that every other language has every English id.
func TestMessageIDsExistInEveryLanguage(t *testing.T) {
	en := map[string]bool{}
	paths, _ := fs.Glob(views.FS, "i18n/en/*.json")
	for _, p := range paths {
		buf, _ := fs.ReadFile(views.FS, p)
		var m map[string]json.RawMessage // a string, or plural forms
		if err := json.Unmarshal(buf, &m); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for k := range m {
			en[k] = true
		}
	}
	used := map[string]string{}
	tplID := regexp.MustCompile(`(?:\.T|"Label"|"Hint"|"Blank") "([a-z_]+\.[a-z_.]+)"`)
	fs.WalkDir(views.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			buf, _ := fs.ReadFile(views.FS, p)
			for _, m := range tplID.FindAllStringSubmatch(string(buf), -1) {
				used[m[1]] = p
			}
		}
		return nil
	})
	goID := regexp.MustCompile(`(?:\.Add\([^,]+, |flash\(c, |setStatus\([^,]+, )"([a-z_]+\.[a-z_.]+)"`)
	files, _ := filepath.Glob("*.go")
	for _, p := range files {
		buf, _ := os.ReadFile(p)
		for _, m := range goID.FindAllStringSubmatch(string(buf), -1) {
			used[m[1]] = p
		}
	}
	// Ids built at run time from a prefix.
	for _, k := range agendaKinds {
		for _, s := range []string{".list", ".add", ".edit", ".created", ".saved", ".deleted"} {
			used[k.name+s] = "agendaKinds"
		}
	}
	for _, r := range []string{"owner", "manager", "checkin"} {
		used["role."+r] = "roles"
	}
	if len(used) < 100 {
		t.Fatalf("found only %d ids: the scan is broken", len(used))
	}
	for id, where := range used {
		if !en[id] {
			t.Errorf("%s (used in %s) missing in en", id, where)
		}
	}
}
