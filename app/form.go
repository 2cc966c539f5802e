package app

// Message is a translatable text with its template data: what a form error
// or a flash says, rendered in the reader's language.
type Message struct {
	ID   string
	Data map[string]any
}

// FieldErrors maps a form field's name to what is wrong with it. The key
// formErrorKey holds a message about the whole form.
type FieldErrors map[string]Message

const formErrorKey = "_form"

// Add records a message for field; the first message per field wins.
func (e FieldErrors) Add(field, id string, data ...any) {
	if _, ok := e[field]; ok {
		return
	}
	m := Message{ID: id}
	if len(data) > 0 {
		m.Data = map[string]any{}
		for i := 0; i+1 < len(data); i += 2 {
			k, _ := data[i].(string)
			m.Data[k] = data[i+1]
		}
	}
	e[field] = m
}

// Any reports whether there is at least one error.
func (e FieldErrors) Any() bool { return len(e) > 0 }
