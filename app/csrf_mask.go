package app

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
)

// HTML pages are compressed (app/compress.go), and a compressed page that
// holds both a secret and text the visitor chose leaks the secret to someone
// who can watch the sizes of many answers (BREACH). So the CSRF token is
// never written as it is: each page carries it XORed with a fresh random pad
// (the pad first), and the token compared is the one unmasked from the form.

const maskedPrefix = "m."

// maskCSRF returns tok under a fresh pad; "" stays "".
func maskCSRF(tok string) string {
	if tok == "" {
		return ""
	}
	buf := make([]byte, 2*len(tok))
	if _, err := rand.Read(buf[:len(tok)]); err != nil {
		panic(err)
	}
	for i := 0; i < len(tok); i++ {
		buf[len(tok)+i] = buf[i] ^ tok[i]
	}
	return maskedPrefix + base64.RawURLEncoding.EncodeToString(buf)
}

// unmaskCSRF returns the token inside a masked one; anything else is
// returned as it came (a page rendered before masking), and a malformed
// masked token becomes "", which matches nothing.
func unmaskCSRF(got string) string {
	if !strings.HasPrefix(got, maskedPrefix) {
		return got
	}
	buf, err := base64.RawURLEncoding.DecodeString(got[len(maskedPrefix):])
	if err != nil || len(buf) == 0 || len(buf)%2 != 0 {
		return ""
	}
	n := len(buf) / 2
	out := make([]byte, n)
	for i := range out {
		out[i] = buf[i] ^ buf[n+i]
	}
	return string(out)
}
