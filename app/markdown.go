package app

import (
	"html/template"

	"github.com/agora-events/agora/app/markdown"
)

// renderMarkdown turns an organizer's Markdown into sanitised HTML (shared
// with the e-mails in app/markdown).
func renderMarkdown(src string) template.HTML { return markdown.Render(src) }
