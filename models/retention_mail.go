package models

import "gorm.io/gorm"

// mailRef names outbox rows by their kinds and the rows their RefID points to.
type mailRef struct {
	kinds []string
	ids   *gorm.DB
}

// mailsOfEvent matches the outbox rows (the mail log) that went, or would
// go, to the event's people: each kind by the rows its RefID names. They
// hold the address and sometimes the rendered text, and the dedupe key of
// some kinds holds the address too.
func mailsOfEvent(tx *gorm.DB, eventID uint) *gorm.DB {
	ids := func(m any, cond string) *gorm.DB { return tx.Model(m).Select("id").Where(cond, eventID) }
	orders := ids(&Order{}, "event_id = ?")
	attendees := ids(&Attendee{}, "event_id = ?")
	participants := ids(&MeetingParticipant{}, "event_id = ?")
	messages := ids(&Message{}, "event_id = ?")
	return mailsByRefs(tx, []mailRef{
		{[]string{MailOrderConfirmation, MailOrderLink, MailOrderCancelled}, orders},
		{[]string{MailAttendeeConfirmation, MailAttendeeLink, MailAttendeeCancelled}, attendees},
		{[]string{MailWaitlistOffer, MailEventCancelledWaitlist}, ids(&WaitlistEntry{}, "event_id = ?")},
		{[]string{MailCertificate}, ids(&Certificate{}, "event_id = ?")},
		{[]string{MailEventReminder}, ids(&Event{}, "id = ?")},
		{[]string{MailFeedbackRequest}, ids(&FeedbackRequest{}, "event_id = ?")},
		{[]string{MailEventMessage}, tx.Model(&MessageRecipient{}).Select("id").Where("message_id IN (?)", messages)},
		{[]string{MailEventCancelled}, tx.Model(&CancellationItem{}).Select("id").Where("order_id IN (?)", orders)},
		{[]string{MailOrderRefunded, MailPaymentLateRefunded}, tx.Model(&Refund{}).Select("id").Where("order_id IN (?)", orders)},
		meetingNoticeMails(tx, participants, attendees),
	})
}

// meetingNoticeMails are the notices to the participants (and the sign-in
// links to the attendees) that the subqueries give.
func meetingNoticeMails(tx *gorm.DB, participants, attendees *gorm.DB) mailRef {
	return mailRef{[]string{MailMeetingNotice}, tx.Model(&MeetingNotice{}).Select("id").
		Where("(kind <> ? AND participant_id IN (?)) OR (kind = ? AND participant_id IN (?))", NoticeSignIn, participants, NoticeSignIn, attendees)}
}

// mailsByRefs matches the outbox rows, still holding an address, of any of
// refs.
func mailsByRefs(tx *gorm.DB, refs []mailRef) *gorm.DB {
	q := tx.Where("1 = 0")
	for _, r := range refs {
		q = q.Or("kind IN ? AND ref_id IN (?)", r.kinds, r.ids)
	}
	return tx.Model(&OutboxMessage{}).Where("to_addr <> ''").Where(q)
}

// eraseMails erases the address, text and attachments of the outbox rows
// ids; one still waiting is not sent (failed, saying why).
func eraseMails(tx *gorm.DB, ids []uint) error {
	return eraseMailsBecause(tx, ids, "personal data removed (retention)")
}

// eraseMailsBecause is eraseMails with the reason a waiting mail fails.
func eraseMailsBecause(tx *gorm.DB, ids []uint, why string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := tx.Where("message_id IN ?", ids).Delete(&OutboxAttachment{}).Error; err != nil {
		return err
	}
	return tx.Model(&OutboxMessage{}).Where("id IN ?", ids).Updates(map[string]any{
		"to_addr": "", "subject": "", "text_body": "", "html_body": "", "dedupe_key": gorm.Expr("'erased:' || id"),
		"last_error": gorm.Expr("CASE WHEN status = ? THEN ? ELSE last_error END", OutboxPending, why),
		"status":     gorm.Expr("CASE WHEN status = ? THEN ? ELSE status END", OutboxPending, OutboxFailed),
	}).Error
}
