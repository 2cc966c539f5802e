package models

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// SuggestScore ranks how useful a meeting between me and other looks: each
// word of my needs found in their offers counts 3, each of their needs met
// by my offers 2, and each shared interest 1. Pure, so it is tested alone.
func SuggestScore(me, other MeetingParticipant) int {
	score := 3*overlap(words(me.Needs), words(other.Offers)) + 2*overlap(words(other.Needs), words(me.Offers))
	mine := me.InterestList()
	for _, t := range other.InterestList() {
		if slices.Contains(mine, t) {
			score++
		}
	}
	return score
}

// Suggest returns the others with a positive score, best first (ties by name).
func Suggest(me MeetingParticipant, others []MeetingParticipant, limit int) []MeetingParticipant {
	type scored struct {
		p MeetingParticipant
		s int
	}
	var list []scored
	for _, o := range others {
		if o.ID == me.ID {
			continue
		}
		if s := SuggestScore(me, o); s > 0 {
			list = append(list, scored{o, s})
		}
	}
	slices.SortStableFunc(list, func(a, b scored) int {
		if a.s != b.s {
			return cmp.Compare(b.s, a.s)
		}
		return cmp.Compare(strings.ToLower(a.p.Name), strings.ToLower(b.p.Name))
	})
	out := make([]MeetingParticipant, 0, min(limit, len(list)))
	for i := 0; i < len(list) && i < limit; i++ {
		out = append(out, list[i].p)
	}
	return out
}

// stopWords are too common to say two texts are about the same thing.
var stopWords = map[string]bool{"and": true, "the": true, "for": true, "with": true, "our": true, "los": true, "las": true,
	"del": true, "con": true, "para": true, "una": true, "que": true, "from": true, "into": true, "your": true}

// words returns the distinct lower-case words of at least 3 letters.
func words(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) >= 3 && !stopWords[w] {
			out[w] = true
		}
	}
	return out
}

func overlap(a, b map[string]bool) int {
	n := 0
	for w := range a {
		if b[w] {
			n++
		}
	}
	return n
}
