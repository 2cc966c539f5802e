package app

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/app/chart"
	"github.com/agora-events/agora/views"
)

// templates holds, per page, a template set parsed on first use: the base
// layout, every partial, and the page itself. Parsing a page means cloning
// the layout and all partials, so it is done once per page when it is first
// rendered (or by warm), not for all pages up front: start-up stays short,
// and an App made for one test parses only the pages that test renders.
type templates struct {
	base  *template.Template // layouts and partials; never executed, only cloned
	pages map[string]*lazyPage
}

type lazyPage struct {
	path string
	once sync.Once
	tpl  *template.Template
	err  error
}

func (t *templates) parse(p *lazyPage) (*template.Template, error) {
	p.once.Do(func() {
		clone, err := t.base.Clone()
		if err == nil {
			_, err = clone.ParseFS(views.FS, p.path)
		}
		if err != nil {
			p.err = fmt.Errorf("templates: %s: %w", p.path, err)
			return
		}
		p.tpl = clone
	})
	return p.tpl, p.err
}

// loadTemplates parses the layouts and partials and finds the pages,
// views/<area>/<page>.html, named "<area>/<page>" (e.g. "public/event").
func loadTemplates(funcs template.FuncMap) (*templates, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(views.FS, "layouts/*.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: layout: %w", err)
	}
	t := &templates{base: base, pages: map[string]*lazyPage{}}
	err = fs.WalkDir(views.FS, ".", func(p string, d fs.DirEntry, err error) error {
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

// warm parses every page not parsed yet, on every core, and returns the
// first error. The server calls it once it listens, so the first visitor of
// each page does not wait for its parse; a test calls it to check them all.
func (t *templates) warm() error {
	next := make(chan *lazyPage)
	errs := make(chan error, len(t.pages))
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				if _, err := t.parse(p); err != nil {
					errs <- err
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
