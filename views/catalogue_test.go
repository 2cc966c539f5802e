package views

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// catalogue is one language's messages: id → its text, or its plural forms.
type catalogue struct {
	lang  string
	files []string
	// forms holds each message's texts by plural form; a plain string is
	// the one form "other".
	forms map[string]map[string]string
	file  map[string]string // id → file it is in
}

var pluralForms = map[string]bool{"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true}

// readCatalogue reads i18n/<lang>/*.json, reporting each problem as an
// error that names the file and the id.
func readCatalogue(lang string) (catalogue, []string) {
	c := catalogue{lang: lang, forms: map[string]map[string]string{}, file: map[string]string{}}
	var problems []string
	paths, _ := fs.Glob(FS, "i18n/"+lang+"/*.json")
	sort.Strings(paths)
	for _, p := range paths {
		c.files = append(c.files, path.Base(p))
		buf, _ := fs.ReadFile(FS, p)
		var m map[string]json.RawMessage
		if err := json.Unmarshal(buf, &m); err != nil {
			problems = append(problems, fmt.Sprintf("%s: not valid JSON: %v", p, err))
			continue
		}
		for id, raw := range m {
			if other, dup := c.file[id]; dup {
				problems = append(problems, fmt.Sprintf("%s: %q is also in %s", p, id, other))
			}
			c.file[id] = path.Base(p)
			var s string
			if json.Unmarshal(raw, &s) == nil {
				c.forms[id] = map[string]string{"other": s}
				continue
			}
			var pl map[string]string
			if err := json.Unmarshal(raw, &pl); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %q is neither a string nor plural forms {\"one\": …, \"other\": …}", p, id))
				continue
			}
			for f := range pl {
				if !pluralForms[f] {
					problems = append(problems, fmt.Sprintf("%s: %q has %q, not a CLDR plural form (zero one two few many other)", p, id, f))
				}
			}
			if _, ok := pl["other"]; !ok {
				problems = append(problems, fmt.Sprintf("%s: %q has plural forms without \"other\"", p, id))
			}
			c.forms[id] = pl
		}
	}
	return c, problems
}

var (
	actionRe = regexp.MustCompile(`\{\{[^}]*\}\}`)
	fieldRe  = regexp.MustCompile(`\.([A-Za-z_][A-Za-z0-9_]*)`)
)

// placeholders are the template fields ({{.Name}}, {{if .Event}}) a
// message's forms use together.
func placeholders(forms map[string]string) []string {
	set := map[string]bool{}
	for _, s := range forms {
		for _, a := range actionRe.FindAllString(s, -1) {
			for _, m := range fieldRe.FindAllStringSubmatch(a, -1) {
				set[m[1]] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestCatalogueIsComplete checks every language against English: every
// English id present, no id English lacks, the same placeholders, no empty
// text, every file valid JSON. A language whose translator's files have not
// arrived yet fails with one line saying so.
func TestCatalogueIsComplete(t *testing.T) {
	en, problems := readCatalogue("en")
	for _, p := range problems {
		t.Error(p)
	}
	if len(en.forms) < 1000 {
		t.Fatalf("English has only %d messages: the reading is broken", len(en.forms))
	}
	for _, lang := range Languages[1:] {
		t.Run(lang, func(t *testing.T) {
			c, problems := readCatalogue(lang)
			for _, p := range problems {
				t.Error(p)
			}
			var missing, extra, differ, empty []string
			for id, enForms := range en.forms {
				forms, ok := c.forms[id]
				if !ok {
					missing = append(missing, fmt.Sprintf("%s (English: %s)", id, en.file[id]))
					continue
				}
				if a, b := placeholders(enForms), placeholders(forms); strings.Join(a, ",") != strings.Join(b, ",") {
					differ = append(differ, fmt.Sprintf("%s/%s: %q uses %v, English %v", lang, c.file[id], id, b, a))
				}
				for f, s := range forms {
					if strings.TrimSpace(s) == "" {
						empty = append(empty, fmt.Sprintf("%s/%s: %q (%s) is empty", lang, c.file[id], id, f))
					}
				}
			}
			for id := range c.forms {
				if _, ok := en.forms[id]; !ok {
					extra = append(extra, fmt.Sprintf("%s/%s: %q, which English lacks", lang, c.file[id], id))
				}
			}
			sort.Strings(missing)
			sort.Strings(extra)
			sort.Strings(differ)
			sort.Strings(empty)
			if len(missing) == len(en.forms)-len(mustRead(t, "en", "locale.json")) {
				t.Errorf("%s: no translated messages yet (files: %s): all %d English messages missing, the translator's files are not here",
					lang, strings.Join(c.files, ", "), len(missing))
			} else if len(missing) > 0 {
				const show = 40
				list := missing
				if len(list) > show {
					list = list[:show]
				}
				t.Errorf("%s: %d of %d English messages missing, e.g.:\n  %s", lang, len(missing), len(en.forms), strings.Join(list, "\n  "))
			}
			for _, group := range [][]string{extra, differ, empty} {
				for _, p := range group {
					t.Error(p)
				}
			}
		})
	}
}

func mustRead(t *testing.T, lang, file string) map[string]json.RawMessage {
	t.Helper()
	buf, err := fs.ReadFile(FS, "i18n/"+lang+"/"+file)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(buf, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// The placeholder comparison must see through template actions and plural
// forms, or the test above would pass a translation that drops a name.
func TestPlaceholdersOfAMessage(t *testing.T) {
	got := placeholders(map[string]string{"one": "One place at {{.Event}}", "other": "{{.Count}} places{{if .Event}} at {{ .Event }}{{end}}"})
	if strings.Join(got, ",") != "Count,Event" {
		t.Errorf("placeholders = %v", got)
	}
}
