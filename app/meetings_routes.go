package app

import "github.com/gofiber/fiber/v2"

// meetingRoutes declares the attendees' networking area: sign-in by e-mail
// link, profile, directory, requests, and the personal agenda.
func (a *App) meetingRoutes(f *fiber.App) {
	// Pages behind a secret (the order's link, a sign-in link) or a personal
	// sign-in: no cache may keep them, no link may pass the address on.
	f.Get("/orders/:secret/meetings", a.secretHeaders, a.meetingsFromOrder)
	a.postAction(f, "/orders/:secret/meetings", a.meetingsFromOrderChoose)
	f.Get("/events/:slug/meetings/signin", a.meetingSignInPage)
	// Each post may e-mail someone: limited per address like lost links.
	f.Post("/events/:slug/meetings/signin", a.meetingSignInLimiter(), a.formHandler(a.meetingSignInSend))
	f.Get("/events/:slug/meetings/signin/:token", a.secretHeaders, a.meetingSignInConfirm)
	a.postAction(f, "/events/:slug/meetings/signin/:token", a.meetingSignInUse)
	a.postAction(f, "/events/:slug/meetings/signout", a.meetingSignOut)
	f.Get("/events/:slug/meetings/agenda/:token.ics", a.meetingAgendaICS)

	g := f.Group("/events/:slug/meetings", a.secretHeaders, a.requireMeetingAttendee)
	g.Get("/", a.meetingsHome)
	a.postForm(g, "/profile", a.meetingSaveProfile)
	a.postAction(g, "/leave", a.meetingLeave)
	a.postAction(g, "/availability", a.meetingSaveAvailability)
	g.Get("/directory", a.meetingDirectory)
	g.Get("/people/:pid", a.meetingPerson)
	a.postAction(g, "/people/:pid/wish", a.meetingWish)
	a.postForm(g, "/people/:pid/request", a.meetingSendRequest)
	g.Get("/requests", a.meetingRequests)
	a.postAction(g, "/requests/:rid/accept", a.meetingAccept)
	a.postAction(g, "/requests/:rid/decline", a.meetingDecline)
	a.postAction(g, "/requests/:rid/propose", a.meetingPropose)
	a.postAction(g, "/requests/:rid/withdraw", a.meetingWithdraw)
	a.postAction(g, "/meetings/:mid/cancel", a.meetingCancel)
	g.Get("/agenda", a.meetingAgenda)
}

// manageMeetingRoutes declares the organizer's networking pages: settings,
// the meetings grid and the table plan (names and organizations) are for
// owners and managers.
func (a *App) manageMeetingRoutes(o organizerArea) {
	o.editors.get("/events/:id/networking", a.networkingSetup)
	o.editors.form("/events/:id/networking", a.networkingSave)
	o.editors.form("/events/:id/networking/blocks", a.networkingAddBlock)
	o.editors.action("/events/:id/networking/blocks/:bid/delete", a.networkingDeleteBlock)
	o.editors.action("/events/:id/networking/locations", a.networkingAddLocations)
	o.editors.action("/events/:id/networking/locations/:lid/delete", a.networkingDeleteLocation)
	o.editors.get("/events/:id/meetings", a.meetingsDashboard)
	o.editors.get("/events/:id/meetings/plan.csv", a.meetingsPlanCSV)
	o.editors.get("/events/:id/meetings/plan", a.meetingsPlanPrint)
	o.editors.form("/events/:id/meetings", a.meetingsCreate)
	o.editors.action("/events/:id/meetings/:mid/move", a.meetingsMove)
	o.editors.action("/events/:id/meetings/:mid/cancel", a.meetingsCancel)
	o.editors.action("/events/:id/meetings/:mid/noshow", a.meetingsNoShow)
	o.editors.action("/events/:id/meetings/schedule", a.meetingsRunScheduler)
	o.editors.form("/events/:id/meetings/closures", a.meetingsCloseTable)
	o.editors.action("/events/:id/meetings/closures/reopen", a.meetingsReopenTable)
}
