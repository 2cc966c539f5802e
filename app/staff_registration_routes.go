package app

// staffRegistrationRoutes declares what owners and managers do to
// registrations by hand: register someone, import invitees from a file,
// edit an attendee, move them to another ticket type, send the confirmation
// again. Declared before registrationAdminRoutes, whose /registrations/:aid
// routes would otherwise take "new" and "import" for an attendee id.
func (a *App) staffRegistrationRoutes(o organizerArea) {
	o.editors.get("/events/:id/registrations/new", a.newStaffRegistration)
	o.editors.form("/events/:id/registrations/new", a.postStaffRegistration)
	o.editors.get("/events/:id/registrations/import", a.importPage)
	o.editors.form("/events/:id/registrations/import", a.postImport)
	o.editors.get("/events/:id/registrations/import/:iid", a.importDetail)
	o.editors.action("/events/:id/registrations/import/:iid/confirm", a.confirmImport)
	o.editors.get("/events/:id/registrations/:aid/edit", a.editAttendeePage)
	o.editors.form("/events/:id/registrations/:aid/edit", a.postEditAttendee)
	o.editors.get("/events/:id/registrations/:aid/move", a.moveAttendeePage)
	o.editors.form("/events/:id/registrations/:aid/move", a.postMoveAttendee)
	o.editors.action("/events/:id/registrations/:aid/resend", a.postResendConfirmation)
}
