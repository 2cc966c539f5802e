// Package markdown turns organizers' Markdown (event descriptions, messages
// to registrants) into sanitised HTML, the same way for pages and e-mails.
package markdown

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var (
	md = goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough, extension.Table))
	// sanitizer allows what Markdown produces and strips scripts, styles,
	// event handlers and javascript: links, whatever the organizer pasted.
	sanitizer = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.RequireNoFollowOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(false)
		return p
	}()
)

// Render turns an organizer's Markdown into sanitised HTML.
func Render(src string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(sanitizer.SanitizeBytes(buf.Bytes())) // #nosec: sanitised above
}
