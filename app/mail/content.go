package mail

import "github.com/agora-events/agora/models"

// resolveContent loads, once per message, the event's texts in the
// language the person registered in and resolves the event's own (title,
// summary, description) in place; other texts go through L.localise. A
// failed load is kept for Render, which retries the message rather than
// send it in the wrong language.
func (r *Renderer) resolveContent(L *translator, e *models.Event) {
	if L.content == nil && L.contentErr == nil {
		ct, err := models.LoadContent(r.db, e, L.ContentLang)
		if err != nil {
			L.contentErr = err
			return
		}
		L.content = ct
	}
	if L.content != nil {
		L.content.Event(e)
	}
}

// localise resolves organizer-written texts with the message's content,
// once eventData has loaded it.
func (t *translator) localise(f func(*models.Content)) {
	if t.content != nil {
		f(t.content)
	}
}
