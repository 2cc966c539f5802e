package mail

import (
	"bytes"
	"fmt"
)

// PasswordResetPathPrefix + the token is the page that sets a new password.
const PasswordResetPathPrefix = "/manage/password/reset/"

// resetData is what the password reset templates get.
type resetData struct {
	L    *translator
	Name string
	Link string
}

// PasswordReset composes the "forgot your password?" e-mail for an
// organizer, in lang, with the link for token. It is composed when the link
// is made (the token is not stored, only its hash), not at send time.
func (r *Renderer) PasswordReset(lang, name, token string) (Message, error) {
	L := newTranslator(r.bundle, lang)
	d := resetData{L: L, Name: name, Link: r.baseURL + PasswordResetPathPrefix + token}
	out := Message{Subject: L.T("mail.password_reset.subject")}
	var buf bytes.Buffer
	if err := r.html.ExecuteTemplate(&buf, "password_reset.html.tmpl", d); err != nil {
		return Message{}, fmt.Errorf("render password_reset html: %w", err)
	}
	out.HTML = buf.String()
	buf.Reset()
	if err := r.text.ExecuteTemplate(&buf, "password_reset.txt.tmpl", d); err != nil {
		return Message{}, fmt.Errorf("render password_reset text: %w", err)
	}
	out.Text = buf.String()
	if len(*L.missing) > 0 {
		return Message{}, fmt.Errorf("mail password_reset: missing messages %v", *L.missing)
	}
	return out, nil
}
