package app

// registrationAdminRoutes declares the organizer's registration pages:
// ticket types, questions, consent texts, the registrations list and its
// CSV, the waitlist, and the door check-in. Settings and registrations
// need an owner or manager; the door is check-in staff's too.
func (a *App) registrationAdminRoutes(o organizerArea) {
	o.editors.get("/events/:id/tickets", a.ticketTypesPage)
	o.editors.get("/events/:id/tickets/new", a.newTicketType)
	o.editors.form("/events/:id/tickets", a.saveTicketType)
	o.editors.get("/events/:id/tickets/:tid/edit", a.editTicketType)
	o.editors.form("/events/:id/tickets/:tid/edit", a.saveTicketType)
	o.editors.action("/events/:id/tickets/:tid/delete", a.deleteTicketType)

	o.editors.get("/events/:id/questions", a.questionsPage)
	o.editors.form("/events/:id/questions", a.saveQuestion)
	o.editors.get("/events/:id/questions/:qid/edit", a.editQuestion)
	o.editors.form("/events/:id/questions/:qid/edit", a.saveQuestion)
	o.editors.action("/events/:id/questions/:qid/delete", a.deleteQuestion)

	o.editors.get("/events/:id/consents", a.consentsPage)
	o.editors.form("/events/:id/consents", a.saveConsentText)

	o.editors.get("/events/:id/registrations", a.registrationsPage)
	o.editors.get("/events/:id/registrations.csv", a.registrationsCSV)
	o.editors.get("/events/:id/registrations/waitlist", a.waitlistPage)
	o.editors.get("/events/:id/registrations/:aid", a.registrationDetail)
	o.editors.get("/events/:id/registrations/:aid/:action", a.confirmAttendeeAction)
	o.editors.action("/events/:id/registrations/:aid/:action", a.attendeeAction)

}
