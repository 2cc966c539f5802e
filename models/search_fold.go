package models

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// foldTable holds FoldSearch of every single letter up to foldTableSize
// (Latin, Latin extended, Greek): the door folds every name on a list for a
// search, and the full Unicode transform per name cost a quarter of a second
// on a list of 10,000 people.
var (
	foldOnce  sync.Once
	foldTable []string
)

const foldTableSize = 0x400

// foldName is FoldSearch, fast for the text of names: runes below
// foldTableSize fold through the table, and any other rune (or a combining
// mark, whose effect depends on its neighbours) sends the whole string
// through FoldSearch itself, so the result is always FoldSearch's.
func foldName(s string) string {
	foldOnce.Do(func() {
		foldTable = make([]string, foldTableSize)
		for r := rune(0); r < foldTableSize; r++ {
			foldTable[r] = FoldSearch(string(r))
		}
	})
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i, w := 0, 0; i < len(s); i += w {
		r := rune(s[i])
		w = 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case r >= foldTableSize || unicode.Is(unicode.Mn, r) || r == utf8.RuneError:
			return FoldSearch(s)
		}
		f := foldTable[r]
		if f == "" {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteString(f)
	}
	return b.String()
}
