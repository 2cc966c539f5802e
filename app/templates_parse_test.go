package app

import (
	"html/template"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	viewsfs "github.com/agora-events/agora/views"
)

// Pages are parsed when first rendered; warm parses them all to check them,
// so a broken template fails here (and at start-up) even if no other test
// renders its page. It keeps none: only rendered pages hold templates.
func TestEveryTemplateParses(t *testing.T) {
	a := &App{}
	views, err := loadTemplates(a.funcs())
	if err != nil {
		t.Fatal(err)
	}
	if len(views.pages) < 50 {
		t.Fatalf("only %d pages found", len(views.pages))
	}
	if err := views.warm(); err != nil {
		t.Fatal(err)
	}
	for name, p := range views.pages {
		if p.tpl != nil {
			t.Errorf("%s was kept by warm", name)
		}
		if _, err := views.parse(p); err != nil || p.tpl == nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Each page's set holds the page, the layouts when it fills "content", and
// only the partials those call (directly or through another partial); and
// every template a page can reach is the one it had when each page was
// parsed over a copy of all layouts and partials (same trees, same
// overriding of a partial's definition by the page's).
func TestPageTemplatesHoldOnlyWhatTheyCall(t *testing.T) {
	a := &App{}
	views, err := loadTemplates(a.funcs())
	if err != nil {
		t.Fatal(err)
	}
	full, err := template.New("").Funcs(a.funcs()).ParseFS(viewsfs.FS, "layouts/*.html", "partials/*.html")
	if err != nil {
		t.Fatal(err)
	}
	layouts, err := template.New("").Funcs(a.funcs()).ParseFS(viewsfs.FS, "layouts/*.html")
	if err != nil {
		t.Fatal(err)
	}
	var fullCount, trimmedCount int
	for name, p := range views.pages {
		got, err := views.parse(p)
		if err != nil {
			t.Fatal(err)
		}
		old, err := full.Clone()
		if err == nil {
			_, err = old.ParseFS(viewsfs.FS, p.path)
		}
		if err != nil {
			t.Fatal(err)
		}
		own, err := template.New("").Funcs(a.funcs()).ParseFS(viewsfs.FS, p.path)
		if err != nil {
			t.Fatal(err)
		}
		var entries []string
		for _, tpl := range own.Templates() {
			if tpl.Tree != nil {
				entries = append(entries, tpl.Name())
			}
		}
		if own.Lookup("content") != nil {
			for _, tpl := range layouts.Templates() {
				if tpl.Tree != nil {
					entries = append(entries, tpl.Name())
				}
			}
		}
		// What the old full set reaches from the page's entries.
		reach := map[string]bool{}
		var walk func(string)
		walk = func(n string) {
			if reach[n] {
				return
			}
			reach[n] = true
			if tpl := old.Lookup(n); tpl != nil && tpl.Tree != nil {
				templateCalls(tpl.Tree.Root, walk)
			}
		}
		for _, e := range entries {
			walk(e)
		}
		for n := range reach {
			want, have := old.Lookup(n), got.Lookup(n)
			if want == nil || want.Tree == nil {
				t.Errorf("%s: reaches %q, which the full set does not define either", name, n)
				continue
			}
			if have == nil || have.Tree == nil {
				t.Errorf("%s: %q missing from the page's set", name, n)
				continue
			}
			if have.Tree.Root.String() != want.Tree.Root.String() {
				t.Errorf("%s: %q differs from the full set's", name, n)
			}
		}
		for _, tpl := range got.Templates() {
			if tpl.Tree != nil && !reach[tpl.Name()] && own.Lookup(tpl.Name()) == nil {
				t.Errorf("%s: holds %q, which it never calls", name, tpl.Name())
			}
		}
		fullCount += len(old.Templates())
		trimmedCount += len(got.Templates())
	}
	event, _ := views.parse(views.pages["public/event"])
	for _, n := range []string{"base", "seo", "programme", "placesleft"} {
		if event.Lookup(n) == nil {
			t.Errorf("public/event: no %q", n)
		}
	}
	for _, n := range []string{"livescreen", "webhooktypes", "agendaforms"} {
		if event.Lookup(n) != nil {
			t.Errorf("public/event: holds %q, a partial it does not call", n)
		}
	}
	t.Logf("templates held over all pages: %d (each page over all partials: %d)", trimmedCount, fullCount)
	if trimmedCount*2 > fullCount {
		t.Errorf("pages hold %d templates, more than half the %d of a full set each", trimmedCount, fullCount)
	}
}

// A page calling a template that no file defines fails its parse (so the
// start-up's warm), naming the call; a page's empty definition of a name a
// partial fills keeps the partial's, its non-empty one replaces it; and a
// partial only another page calls is not in the page's set.
func TestPageSetFromFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"layouts/base.html":  {Data: []byte(`{{define "base"}}<title>{{block "title" .}}Agora{{end}}</title>{{template "content" .}}{{end}}`)},
		"partials/a.html":    {Data: []byte(`{{define "a"}}A{{template "b" .}}{{end}}{{define "b"}}B{{end}}{{define "note"}}partial note{{end}}`)},
		"partials/c.html":    {Data: []byte(`{{define "c"}}C{{end}}`)},
		"public/one.html":    {Data: []byte(`{{define "title"}}One{{end}}{{define "note"}}{{end}}{{define "content"}}{{template "a" .}}{{template "note"}}{{end}}`)},
		"public/two.html":    {Data: []byte(`{{define "title"}}{{end}}{{define "note"}}page note{{end}}{{define "content"}}{{template "c" .}}{{template "note"}}{{end}}`)},
		"public/broken.html": {Data: []byte(`{{define "content"}}{{template "a" .}}{{template "nosuch" .}}{{end}}`)},
		"public/alone.html":  {Data: []byte(`{{define "public/alone"}}alone{{end}}`)},
	}
	views, err := loadTemplatesFS(fsys, template.FuncMap{})
	if err != nil {
		t.Fatal(err)
	}
	for page, want := range map[string]string{
		"public/one":   "<title>One</title>ABpartial note",
		"public/two":   "<title>Agora</title>Cpage note",
		"public/alone": "alone",
	} {
		body, err := views.executeIn(page, "", nil)
		if err != nil || string(body) != want {
			t.Errorf("%s: %q, %v; want %q", page, body, err, want)
		}
	}
	one, _ := views.parse(views.pages["public/one"])
	if one.Lookup("c") != nil {
		t.Error("public/one holds partial c, which only public/two calls")
	}
	alone, _ := views.parse(views.pages["public/alone"])
	if alone.Lookup("base") != nil || alone.Lookup("a") != nil {
		t.Error("a page that fills no content holds the layout or partials")
	}
	_, err = views.executeIn("public/broken", "", nil)
	if err == nil || !strings.Contains(err.Error(), `"nosuch"`) || !strings.Contains(err.Error(), "public/broken.html") {
		t.Errorf("calling an undefined template: %v", err)
	}
	if err := views.warm(); err == nil {
		t.Error("warm: no error for the broken page")
	}
}

// The heap the parsed templates keep once every page was rendered
// (docs/BENCHMARKS.md, issue 17):
//
//	go test -run '^$' -bench WarmTemplates -benchtime 3x ./app/
func BenchmarkWarmTemplates(b *testing.B) {
	a := &App{}
	var kept uint64
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		views, err := loadTemplates(a.funcs())
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range views.pages { // every page rendered once
			if _, err := views.parse(p); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept = after.HeapAlloc - before.HeapAlloc
		runtime.KeepAlive(views)
	}
	b.ReportMetric(float64(kept)/(1<<20), "MiB-kept")
}
