package app

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"text/template/parse"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/app/chart"
	"github.com/agora-events/agora/views"
)

// templates holds, per page, a template set parsed on first use: the page
// itself and only the layouts and partials it calls, found by following its
// {{template}} calls. html/template copies every parse tree it is given (its
// escaper rewrites them), so a set holding all partials for each of ~110
// pages kept ~60 MB of copies; most pages call a few. A page is parsed when
// first rendered (or by warm), not up front: start-up stays short, and an App
// made for one test parses only the pages that test renders.
type templates struct {
	fsys  fs.FS // views.FS but in tests
	funcs template.FuncMap
	// shared are the layouts' and partials' trees by template name; never
	// executed, only copied into the pages that call them.
	shared map[string]*parse.Tree
	// layouts are the names the layout files define: the entries of a page
	// that fills "content" ("base", or "embed" for a page in a frame).
	layouts []string
	pages   map[string]*lazyPage
}

type lazyPage struct {
	path string
	once sync.Once
	tpl  *template.Template
	err  error
}

func (t *templates) parse(p *lazyPage) (*template.Template, error) {
	p.once.Do(func() {
		p.tpl, p.err = t.parsePage(p.path)
		if p.err != nil {
			p.err = fmt.Errorf("templates: %s: %w", p.path, p.err)
		}
	})
	return p.tpl, p.err
}

// parsePage parses one page file and adds copies of the shared templates it
// reaches. A name both the page and a partial define is the page's, unless
// the page's is empty (the rule html/template applies when parsing both into
// one set). A call to a template defined nowhere is an error here, at
// start-up, rather than for a visitor.
func (t *templates) parsePage(path string) (*template.Template, error) {
	set, err := template.New("").Funcs(t.funcs).ParseFS(t.fsys, path)
	if err != nil {
		return nil, err
	}
	own := map[string]*parse.Tree{}
	var roots []string
	for _, tpl := range set.Templates() {
		if tpl.Tree != nil {
			own[tpl.Name()] = tpl.Tree
			roots = append(roots, tpl.Name())
		}
	}
	if own["content"] != nil {
		roots = append(roots, t.layouts...)
	}
	// effective is the tree that name has in the page's set, and whether it
	// comes from the shared ones.
	effective := func(name string) (*parse.Tree, bool) {
		mine, shared := own[name], t.shared[name]
		if shared != nil && (mine == nil || parse.IsEmptyTree(mine.Root) && !parse.IsEmptyTree(shared.Root)) {
			return shared, true
		}
		return mine, false
	}
	seen := map[string]bool{}
	var add []string // shared templates to copy in
	var missing error
	var visit func(name, from string)
	visit = func(name, from string) {
		if seen[name] {
			return
		}
		seen[name] = true
		tree, shared := effective(name)
		if tree == nil {
			if missing == nil {
				missing = fmt.Errorf("%s calls template %q, which no file defines", from, name)
			}
			return
		}
		if shared {
			add = append(add, name)
		}
		templateCalls(tree.Root, func(callee string) { visit(callee, name) })
	}
	for _, r := range roots {
		visit(r, r)
	}
	if missing != nil {
		return nil, missing
	}
	sort.Strings(add)
	for _, name := range add {
		if _, err := set.AddParseTree(name, t.shared[name].Copy()); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// templateCalls calls f with the name of each {{template}} (and {{block}})
// under n.
func templateCalls(n parse.Node, f func(string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			templateCalls(c, f)
		}
	case *parse.TemplateNode:
		f(n.Name)
	case *parse.IfNode:
		templateCalls(n.List, f)
		templateCalls(n.ElseList, f)
	case *parse.RangeNode:
		templateCalls(n.List, f)
		templateCalls(n.ElseList, f)
	case *parse.WithNode:
		templateCalls(n.List, f)
		templateCalls(n.ElseList, f)
	}
}

// loadTemplates parses the layouts and partials and finds the pages,
// views/<area>/<page>.html, named "<area>/<page>" (e.g. "public/event").
func loadTemplates(funcs template.FuncMap) (*templates, error) {
	return loadTemplatesFS(views.FS, funcs)
}

// loadTemplatesFS is loadTemplates from the files in fsys.
func loadTemplatesFS(fsys fs.FS, funcs template.FuncMap) (*templates, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(fsys, "layouts/*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: layout: %w", err)
	}
	t := &templates{fsys: fsys, funcs: funcs, shared: map[string]*parse.Tree{}, pages: map[string]*lazyPage{}}
	for _, tpl := range base.Templates() {
		if tpl.Tree != nil {
			t.layouts = append(t.layouts, tpl.Name())
		}
	}
	sort.Strings(t.layouts)
	if _, err := base.ParseFS(fsys, "partials/*.html"); err != nil {
		return nil, fmt.Errorf("templates: partials: %w", err)
	}
	for _, tpl := range base.Templates() {
		if tpl.Tree != nil {
			t.shared[tpl.Name()] = tpl.Tree
		}
	}
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		if !strings.HasPrefix(p, "layouts/") && !strings.HasPrefix(p, "partials/") {
			t.pages[strings.TrimSuffix(p, ".html")] = &lazyPage{path: p}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// warm parses every page, on every core, to check it, and returns the first
// error; it keeps none of them. The server calls it once it listens, so a
// broken page is reported at start-up; a page is parsed again when first
// rendered (about a millisecond of one core now that a page holds only the partials
// it calls), so an instance keeps the templates of the pages it serves and
// not those of the ~110 pages it may never show (9 MiB when all are kept).
func (t *templates) warm() error {
	next := make(chan *lazyPage)
	errs := make(chan error, len(t.pages))
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				if _, err := t.parsePage(p.path); err != nil {
					errs <- fmt.Errorf("templates: %s: %w", p.path, err)
				}
			}
		}()
	}
	for _, p := range t.pages {
		next <- p
	}
	close(next)
	wg.Wait()
	close(errs)
	// Parsing everything (and, before it, the messages) leaves some 20 MiB
	// of garbage that the heap would otherwise keep resident until it grows
	// into it: give it back now, once, so an idle instance is small.
	debug.FreeOSMemory()
	return <-errs // nil when the channel is empty
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// executeIn renders page into a buffer, entering at the "base" layout
// (or at the page itself when it fills no "content"). layout, when not "", is entered instead ("embed" for a page shown in a
// frame on another site).
func (t *templates) executeIn(page, layout string, data any) ([]byte, error) {
	lp, ok := t.pages[page]
	if !ok {
		return nil, fmt.Errorf("templates: no page %q", page)
	}
	tpl, err := t.parse(lp)
	if err != nil {
		return nil, err
	}
	entry := "base"
	if tpl.Lookup("content") == nil {
		entry = page
	} else if layout != "" {
		entry = layout
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := tpl.ExecuteTemplate(buf, entry, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", page, err)
	}
	return bytes.Clone(buf.Bytes()), nil
}

func (a *App) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) string { return a.assets.URL(name) },
		"dict": func(kv ...any) map[string]any {
			m := make(map[string]any, len(kv)/2)
			for i := 0; i+1 < len(kv); i += 2 {
				k, _ := kv[i].(string)
				m[k] = kv[i+1]
			}
			return m
		},
		"markdown": renderMarkdown,
		"in":       func(t time.Time, loc *time.Location) time.Time { return t.In(loc) },
		"iso":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"localInput": func(t time.Time, loc *time.Location) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format("2006-01-02T15:04")
		},
		"langName":  func(l string) string { return languageNames[l] },
		"languages": func() []string { return a.langs.offered },
		"baseURL":   func() string { return a.cfg.BaseURL },
		"add":       func(a, b int) int { return a + b },
		"initial":   initialOf,   // a card's placeholder letter (app/images.go)
		"meter":     chart.Meter, // {{meter taken capacity "label"}}: one bar as inline SVG
	}
}

// render writes page with status 200. See renderStatus.
func (a *App) render(c *fiber.Ctx, page string, data fiber.Map) error {
	return a.renderStatus(c, fiber.StatusOK, page, data)
}

// renderStatus fills the values every page uses (translator, language, user,
// CSRF token, flash) and writes the page. Pages marked "Public" are the same
// for every visitor: they get no session, so they can be cached.
func (a *App) renderStatus(c *fiber.Ctx, status int, page string, data fiber.Map) error {
	body, err := a.renderBytes(c, page, data)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(body)
}

// renderBytes renders page with the values every page uses, without sending it.
func (a *App) renderBytes(c *fiber.Ctx, page string, data fiber.Map) ([]byte, error) {
	if data == nil {
		data = fiber.Map{}
	}
	lang := a.lang(c)
	data["L"] = newTranslator(a.bundle, lang)
	data["Lang"] = lang
	data["Path"] = c.Path()
	if public, _ := data["Public"].(bool); !public {
		if u := currentUser(c); u != nil {
			data["User"] = u
		}
		tok, err := a.csrfToken(c)
		if err != nil {
			return nil, errInternal("csrf token", err)
		}
		if hole, _ := c.Locals(formHoleLocal).(bool); hole {
			tok = formHoleCSRF // filled per visitor (app/register_cache.go)
		}
		data["CSRF"] = tok
		if _, ok := data["Flash"]; !ok {
			data["Flash"] = a.popFlash(c)
		}
	}
	layout, _ := data["Layout"].(string) // "" is the page's own choice
	body, err := a.views.executeIn(page, layout, data)
	if err != nil {
		return nil, errInternal("render", err)
	}
	return body, nil
}
