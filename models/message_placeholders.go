package models

import (
	"regexp"
	"strings"
)

// MessagePlaceholders are the names an organizer may write in braces in a
// message's subject or body ({name}); each is filled in per recipient.
var MessagePlaceholders = []string{"name", "order_link", "event_title", "event_date", "venue", "event_link"}

var placeholderRe = regexp.MustCompile(`\{([A-Za-z0-9_]+)\}`)

// UnknownPlaceholders lists, once each and in order, the {words} in s that
// are not MessagePlaceholders: most likely typing mistakes the organizer
// should see before anyone gets "{nmae}".
func UnknownPlaceholders(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range placeholderRe.FindAllStringSubmatch(s, -1) {
		name := m[1]
		if seen[name] || isPlaceholder(name) {
			continue
		}
		seen[name] = true
		out = append(out, "{"+name+"}")
	}
	return out
}

func isPlaceholder(name string) bool {
	for _, p := range MessagePlaceholders {
		if p == name {
			return true
		}
	}
	return false
}

// FillPlaceholders replaces each known {placeholder} in s by its value.
// Unknown ones are left as written.
func FillPlaceholders(s string, values map[string]string) string {
	return placeholderRe.ReplaceAllStringFunc(s, func(m string) string {
		name := m[1 : len(m)-1]
		v, ok := values[name]
		if !ok || !isPlaceholder(name) {
			return m
		}
		return v
	})
}

// markdownPunct are the characters Markdown may read as syntax.
const markdownPunct = "\\`*_{}[]()<>#+-.!|~&"

// EscapeMarkdown makes s read as plain text inside Markdown: a person named
// "*Ana*" stays "*Ana*", not bold; a line break becomes a space.
func EscapeMarkdown(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(markdownPunct, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
