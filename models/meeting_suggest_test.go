package models

import (
	"testing"
	"time"
)

func TestSuggestScoreRanksOffersMeetingNeeds(t *testing.T) {
	me := MeetingParticipant{ID: 1, Name: "Me", Needs: "Partners for telecare pilots", Offers: "Clinical evaluation", Interests: "Dementia\nTelecare"}
	exact := MeetingParticipant{ID: 2, Name: "Zed", Offers: "Telecare platform and pilots support"}
	helps := MeetingParticipant{ID: 3, Name: "Amy", Needs: "clinical evaluation partners"}
	shared := MeetingParticipant{ID: 4, Name: "Bob", Interests: "Telecare"}
	none := MeetingParticipant{ID: 5, Name: "Cat", Offers: "Catering", Interests: "Sport"}
	if s := SuggestScore(me, none); s != 0 {
		t.Fatalf("unrelated person scores %d", s)
	}
	if SuggestScore(me, exact) != 6 { // telecare, pilots
		t.Fatalf("exact: %d", SuggestScore(me, exact))
	}
	if SuggestScore(me, helps) != 4 { // clinical, evaluation
		t.Fatalf("helps: %d", SuggestScore(me, helps))
	}
	if SuggestScore(me, shared) != 1 {
		t.Fatalf("shared: %d", SuggestScore(me, shared))
	}
	got := Suggest(me, []MeetingParticipant{none, shared, helps, me, exact}, 10)
	if len(got) != 3 || got[0].ID != 2 || got[1].ID != 3 || got[2].ID != 4 {
		t.Fatalf("order: %+v", got)
	}
	if len(Suggest(me, []MeetingParticipant{exact, helps}, 1)) != 1 {
		t.Fatal("limit ignored")
	}
}

func TestSlotTimes(t *testing.T) {
	start := mustTime("2026-05-20T14:00:00Z")
	got := SlotTimes(start, start.Add(180*60e9), 20*60e9, 5*60e9)
	if len(got) != 7 || got[6][1] != start.Add(170*60e9) {
		t.Fatalf("14:00–17:00 with 20+5 gives %d slots, last ends %v", len(got), got[len(got)-1][1])
	}
	if SlotTimes(start, start.Add(10*60e9), 20*60e9, 0) != nil {
		t.Fatal("a slot longer than the block")
	}
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
