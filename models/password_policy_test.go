package models_test

import (
	"errors"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/demo"
	"github.com/agora-events/agora/models/modeltest"
)

// The embedded list is a real one: thousands of long common passwords,
// English and other languages; the fixtures' and the demo's passwords are
// not on it.
func TestCommonPasswordsAreRefused(t *testing.T) {
	for _, pw := range []string{"password1234", "Qwertyuiop", "1q2w3e4r5t6y", "iloveyou123", "contraseña123", "teamomucho", "barcelona10", "motdepasse1", "passwort123", " baseball123 "} {
		if err := models.CheckNewPassword(pw, "ana@example.org", "Ana Example"); !errors.Is(err, models.ErrPasswordCommon) {
			t.Errorf("CheckNewPassword(%q) = %v, want ErrPasswordCommon", pw, err)
		}
	}
	n := models.CommonPasswordCount()
	if n < 10000 {
		t.Errorf("the list holds %d passwords of 10 characters or more, want thousands", n)
	}
	for _, pw := range []string{modeltest.Password, demo.OrganizerPassword, "violet-otter-under-bridges", "a-long-new-secret"} {
		if err := models.CheckNewPassword(pw, "ana@example.org", "Ana Example"); err != nil {
			t.Errorf("CheckNewPassword(%q) = %v, want nil", pw, err)
		}
	}
	for pw, want := range map[string]error{
		"short":                   models.ErrPasswordTooShort,
		string(make([]byte, 201)): models.ErrPasswordTooLong,
		"ana@example.org":         models.ErrPasswordCommon,
		"anaexample1":             models.ErrPasswordCommon,
	} {
		if err := models.CheckNewPassword(pw, "ana@example.org", "Ana Example"); !errors.Is(err, want) {
			t.Errorf("CheckNewPassword(%.20q) = %v, want %v", pw, err, want)
		}
	}
}
