package app

import (
	"strconv"
	"strings"

	"github.com/agora-events/agora/models"
)

// fieldLabel names a field in the error summary, so each entry reads
// "Full name: Please fill in this field." and not only the message.
type fieldLabel struct {
	ID     string // message id of the field's label, or
	Text   string // the organizer's own label (a question), already localised
	Person int    // the attendee's number, when the form has several people
}

// labelIDs are the labels of the registration form's fixed fields; an
// attendee's fields are named after the part after "attendees.N.".
var labelIDs = map[string]string{
	"ticket_type_id": "register.your_ticket", "buyer_name": "register.name", "buyer_email": "register.email",
	"voucher_code": "vouchers.field", "name": "register.name", "email": "register.email",
	"organization": "register.organization", "needs.interpretation": "register.need.interpretation",
	"needs.dietary": "register.need.dietary", "needs.note": "register.need.note", "sessions": "register.sessions",
	"consents": "register.consents", "kind": "staffreg.kind", "language": "staffreg.language",
}

// labelErrorLinks names the field of each summary entry of a registration
// form. people says whether attendees' fields are told apart by number
// (several attendees, or someone other than the contact).
func labelErrorLinks(links []errorLink, rf *models.RegistrationForm, people bool) []errorLink {
	for i, l := range links {
		links[i].Label = registrationFieldLabel(l.Field, rf, people)
	}
	return links
}

func registrationFieldLabel(field string, rf *models.RegistrationForm, people bool) fieldLabel {
	rest, ok := strings.CutPrefix(field, "attendees.")
	if !ok {
		return fieldLabel{ID: labelIDs[field]}
	}
	num, part, ok := strings.Cut(rest, ".")
	n, err := strconv.Atoi(num)
	if !ok || err != nil {
		return fieldLabel{}
	}
	var l fieldLabel
	if people {
		l.Person = n + 1
	}
	switch {
	case strings.HasPrefix(part, "consents."):
		if kind := strings.TrimPrefix(part, "consents."); models.ValidConsentKind(kind) {
			l.ID = "register.consent." + kind
		}
	case strings.HasPrefix(part, "answers."):
		if rf != nil {
			qid := parseID(strings.TrimPrefix(part, "answers."))
			for _, q := range rf.Questions {
				if q.ID == qid {
					l.Text = q.Label
				}
			}
		}
	default:
		l.ID = labelIDs[part]
	}
	return l
}
