package models

import "gorm.io/gorm"

// Sensitive data of attendees (invariant 5) is what only a member with the
// access coordinator permission sees, on every screen and in every export.
// The rule, written once here:
//   - access and support needs: the AccessNeeds flags and details and the
//     free-text note;
//   - answers to the questions the organizer marked sensitive
//     (Question.Sensitive), and in exports those questions' columns;
//   - records of the research-use consent: agreeing to take part in research
//     at a health event says something about the person's health. The other
//     kinds stay visible to managers: privacy is everyone's, photos drives the
//     badges' and the door's "no photos" mark, directory is a person's choice
//     to be listed in a directory that is shown anyway.
//
// Without the permission a member sees only that a need exists. Check-in
// staff keep the door's flags (CheckIn, DoorPerson), which this rule does not
// touch.

// SensitiveView is what one member may see of attendees' sensitive data.
// Every page and export that shows attendees asks it, so no handler decides
// on its own.
type SensitiveView struct{ allowed bool }

// SensitiveViewOf is the view of member m (nil: a view that shows nothing).
func SensitiveViewOf(m *Membership) SensitiveView {
	return SensitiveView{allowed: m != nil && m.CanSeeSensitive()}
}

// Allowed reports whether the member sees sensitive data.
func (v SensitiveView) Allowed() bool { return v.allowed }

// SensitiveConsentKind reports whether records of consent kind are sensitive.
func SensitiveConsentKind(kind string) bool { return kind == ConsentResearch }

// ShowsQuestion reports whether answers to q (and q's export column) are shown.
func (v SensitiveView) ShowsQuestion(q Question) bool { return v.allowed || !q.Sensitive }

// ShowsConsentKind reports whether records of consent kind are shown.
func (v SensitiveView) ShowsConsentKind(kind string) bool {
	return v.allowed || !SensitiveConsentKind(kind)
}

// Questions returns the questions of qs whose answers v shows, in order.
func (v SensitiveView) Questions(qs []Question) []Question {
	out := make([]Question, 0, len(qs))
	for _, q := range qs {
		if v.ShowsQuestion(q) {
			out = append(out, q)
		}
	}
	return out
}

// ConsentKinds returns the consent kinds whose records v shows, in order.
func (v SensitiveView) ConsentKinds() []string {
	out := make([]string, 0, len(ConsentKinds))
	for _, k := range ConsentKinds {
		if v.ShowsConsentKind(k) {
			out = append(out, k)
		}
	}
	return out
}

// Consents returns the records of rs that v shows (their ConsentText must
// be loaded; a record without a kind is withheld).
func (v SensitiveView) Consents(rs []ConsentRecord) []ConsentRecord {
	out := make([]ConsentRecord, 0, len(rs))
	for _, r := range rs {
		if r.ConsentText.Kind != "" && v.ShowsConsentKind(r.ConsentText.Kind) {
			out = append(out, r)
		}
	}
	return out
}

// HasNeeds reports whether the person gave any access need or a note.
func (a Attendee) HasNeeds() bool { return a.Needs.Any() || a.NeedsNote != "" }

// Withheld says what a redaction took out, so a page can say that it exists.
type Withheld struct {
	Needs bool // the person gave needs (flags or note) that are not shown
}

// Attendee returns at as v may see it: without the permission its needs and
// note are empty and its answers to sensitive questions are gone (and so are
// answers to questions not in qs, the event's questions: unknown is
// withheld). The stored row is not touched; at's own slices are not changed.
func (v SensitiveView) Attendee(at Attendee, qs []Question) (Attendee, Withheld) {
	var w Withheld
	if v.allowed {
		return at, w
	}
	w.Needs = at.HasNeeds()
	at.Needs, at.NeedsNote = AccessNeeds{}, ""
	shown := map[uint]bool{}
	for _, q := range qs {
		shown[q.ID] = !q.Sensitive
	}
	answers := make([]Answer, 0, len(at.Answers))
	for _, an := range at.Answers {
		if shown[an.QuestionID] {
			answers = append(answers, an)
		}
	}
	at.Answers = answers
	return at, w
}

// ShowsSomething reports whether v shows at least one sensitive item of the
// attendee (as loaded, with answers) and consents rs: a page that does is a
// view of sensitive data, written to the audit log.
func (v SensitiveView) ShowsSomething(at Attendee, qs []Question, rs []ConsentRecord) bool {
	if !v.allowed {
		return false
	}
	if at.HasNeeds() {
		return true
	}
	sensitive := map[uint]bool{}
	for _, q := range qs {
		sensitive[q.ID] = q.Sensitive
	}
	for _, an := range at.Answers {
		if sensitive[an.QuestionID] && an.Value != "" {
			return true
		}
	}
	for _, r := range rs {
		if SensitiveConsentKind(r.ConsentText.Kind) {
			return true
		}
	}
	return false
}

// ShowsChangeValues reports whether the old and new values of a recorded
// change to field are shown: answers to a question that is sensitive now
// are withheld, even when the change was recorded before it was marked so.
// (Changes to sensitive fields are recorded without values anyway.)
func (v SensitiveView) ShowsChangeValues(f FieldChange, qs []Question) bool {
	if v.allowed || f.Sensitive {
		return true
	}
	for _, q := range qs {
		if q.Sensitive && f.Field == "answer:"+q.Label {
			return false
		}
	}
	return f.Field != "needs"
}

// EventAsksConsent reports whether the event has (or had) a text of consent
// kind, so a page can say that such records exist without saying whose.
func EventAsksConsent(db *gorm.DB, eventID uint, kind string) (bool, error) {
	var n int64
	err := db.Model(&ConsentText{}).Where("event_id = ? AND kind = ?", eventID, kind).Count(&n).Error
	return n > 0, err
}
