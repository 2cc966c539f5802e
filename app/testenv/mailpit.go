package testenv

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// Variables that point the tests at a mailpit that runs already.
const (
	MailpitSMTPEnv = "AGORA_TEST_MAILPIT_SMTP" // host:port of its SMTP server
	MailpitAPIEnv  = "AGORA_TEST_MAILPIT_API"  // base URL of its HTTP API, e.g. http://127.0.0.1:8025
)

// StartMailpit gives an SMTP server that catches every mail and an HTTP API
// to read them (GET {apiURL}/api/v1/messages). It uses the running mailpit
// named by AGORA_TEST_MAILPIT_SMTP and AGORA_TEST_MAILPIT_API when both are
// set; otherwise it starts a private one on free ports and stops it at cleanup.
func StartMailpit(t testing.TB) (smtpAddr, apiURL string) {
	t.Helper()
	if s, a := os.Getenv(MailpitSMTPEnv), os.Getenv(MailpitAPIEnv); s != "" && a != "" {
		return s, a
	}
	bin := findBinary("", "mailpit")
	if bin == "" {
		Missing(t, "mailpit", "go install github.com/axllent/mailpit@v1.33.1, or set "+MailpitSMTPEnv+" and "+MailpitAPIEnv)
		return "", ""
	}
	dir := t.TempDir()
	ports := startOnFreePorts(t, "mailpit", 2, func(p []int) (string, []string) {
		return bin, []string{"--smtp", fmt.Sprintf("127.0.0.1:%d", p[0]), "--listen", fmt.Sprintf("127.0.0.1:%d", p[1]),
			"--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--database", fmt.Sprintf("%s/mailpit-%d.db", dir, p[0]), "--quiet"}
	}, func(p []int) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			if err := tcpOpen(ctx, fmt.Sprintf("127.0.0.1:%d", p[0])); err != nil {
				return err
			}
			return httpStatus(ctx, fmt.Sprintf("http://127.0.0.1:%d/api/v1/messages", p[1]), nil, 200)
		}
	})
	return fmt.Sprintf("127.0.0.1:%d", ports[0]), fmt.Sprintf("http://127.0.0.1:%d", ports[1])
}
