package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A mistyped AGORA_LANGUAGES or --languages stops the start-up with a
// message that names the code and the choices, before anything opens.
func TestServeRefusesAnUnknownLanguage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "agora.db")
	for _, run := range []struct {
		env  []string
		args []string
		code string
	}{
		{nil, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--languages", "es,de"}, "de"},
		{[]string{"AGORA_LANGUAGES=gl,xx"}, []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, "xx"},
	} {
		out, err := agora(t, run.env, run.args...)
		if err == nil {
			t.Fatalf("serve with language %q exited 0:\n%s", run.code, out)
		}
		if !strings.Contains(out, `unknown language "`+run.code+`"`) || !strings.Contains(out, "en,es,gl,ca,el,fr,nl") ||
			!strings.Contains(out, "AGORA_LANGUAGES") {
			t.Errorf("the error does not name %q and the choices:\n%s", run.code, out)
		}
	}
}
