package app

import "github.com/gofiber/fiber/v2"

// registrationAdminRoutes declares the organizer's registration pages:
// ticket types, questions, consent texts, the registrations list and its
// CSV, the waitlist, and the door check-in. Every handler loads its event
// through loadManagedEvent: settings and registrations need an owner or
// manager (needEdit); check-in is open to check-in staff too.
func (a *App) registrationAdminRoutes(m fiber.Router) {
	m.Get("/events/:id/tickets", a.ticketTypesPage)
	m.Get("/events/:id/tickets/new", a.newTicketType)
	a.postForm(m, "/events/:id/tickets", a.saveTicketType)
	m.Get("/events/:id/tickets/:tid/edit", a.editTicketType)
	a.postForm(m, "/events/:id/tickets/:tid/edit", a.saveTicketType)
	a.postAction(m, "/events/:id/tickets/:tid/delete", a.deleteTicketType)

	m.Get("/events/:id/questions", a.questionsPage)
	a.postForm(m, "/events/:id/questions", a.saveQuestion)
	m.Get("/events/:id/questions/:qid/edit", a.editQuestion)
	a.postForm(m, "/events/:id/questions/:qid/edit", a.saveQuestion)
	a.postAction(m, "/events/:id/questions/:qid/delete", a.deleteQuestion)

	m.Get("/events/:id/consents", a.consentsPage)
	a.postForm(m, "/events/:id/consents", a.saveConsentText)

	m.Get("/events/:id/registrations", a.registrationsPage)
	m.Get("/events/:id/registrations.csv", a.registrationsCSV)
	m.Get("/events/:id/registrations/waitlist", a.waitlistPage)
	m.Get("/events/:id/registrations/:aid", a.registrationDetail)
	m.Get("/events/:id/registrations/:aid/:action", a.confirmAttendeeAction)
	a.postAction(m, "/events/:id/registrations/:aid/:action", a.attendeeAction)

	m.Get("/events/:id/checkin", a.checkInPage)
	a.postForm(m, "/events/:id/checkin", a.checkInCode)
}
