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

// templates holds one parsed template set per page: the base layout, every
// partial, and the page itself.
type templates struct {
	pages map[string]*template.Template
}

// loadTemplates parses views/<area>/<page>.html against the layout and
// partials. A page is named "<area>/<page>" (e.g. "public/event").
func loadTemplates(funcs template.FuncMap) (*templates, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(views.FS, "layouts/*.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: layout: %w", err)
	}
	var paths []string
	err = fs.WalkDir(views.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		if !strings.HasPrefix(p, "layouts/") && !strings.HasPrefix(p, "partials/") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Pages parse independently; doing it on every core halves start-up.
	parsed := make([]*template.Template, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				clone, err := base.Clone()
				if err == nil {
					_, err = clone.ParseFS(views.FS, paths[i])
				}
				if err != nil {
					errs[i] = fmt.Errorf("templates: %s: %w", paths[i], err)
				}
				parsed[i] = clone
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	t := &templates{pages: make(map[string]*template.Template, len(paths))}
	for i, p := range paths {
		if errs[i] != nil {
			return nil, errs[i]
		}
		t.pages[strings.TrimSuffix(p, ".html")] = parsed[i]
	}
	return t, nil
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// executeIn renders page into a buffer, entering at the "base" layout
// (or at the page itself when it fills no "content"). layout, when not "", is entered instead ("embed" for a page shown in a
// frame on another site).
func (t *templates) executeIn(page, layout string, data any) ([]byte, error) {
	tpl, ok := t.pages[page]
	if !ok {
		return nil, fmt.Errorf("templates: no page %q", page)
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
