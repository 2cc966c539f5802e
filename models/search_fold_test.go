package models

import (
	"testing"
	"unicode/utf8"
)

// foldName must give FoldSearch's result for every string: names of the
// door's lists, every rune of the table in the middle of a word, runes past
// it, combining marks, odd spaces and broken UTF-8.
func TestFoldNameIsFoldSearch(t *testing.T) {
	cases := []string{"", "  JOSÉ   Ñandú ", "María García-López", "Γιώργος Παπαδόπουλος", "Hélène Lefèvre", "Iñaki\u00a0Muñoz",
		"Zoë  de\tVries", "Jose\u0301", "ǅemal", "İstanbul", "straße", "Łukasz Żółć", "日本 語", "bad \xff utf8", "ΣΊΣΥΦΟΣ", "A\u200bB"}
	for r := rune(0); r < foldTableSize+0x100; r++ {
		if utf8.ValidRune(r) {
			cases = append(cases, "ab"+string(r)+"cd", string(r)+" x", "x "+string(r))
		}
	}
	for _, s := range cases {
		if got, want := foldName(s), FoldSearch(s); got != want {
			t.Errorf("foldName(%q) = %q, FoldSearch gives %q", s, got, want)
		}
	}
}
