package testenv

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"testing"
)

// StripeMockURLEnv points the tests at a stripe-mock that runs already.
const StripeMockURLEnv = "AGORA_TEST_STRIPE_MOCK_URL"

// StripeTestKey is a key stripe-mock accepts (it checks the shape only).
const StripeTestKey = "sk_test_123"

// StartStripeMock gives the base URL of a stripe-mock HTTP API: the one named
// by AGORA_TEST_STRIPE_MOCK_URL, or a private one on free ports that stops
// at cleanup.
func StartStripeMock(t testing.TB) (baseURL string) {
	t.Helper()
	if u := os.Getenv(StripeMockURLEnv); u != "" {
		return u
	}
	bin := findBinary("", "stripe-mock")
	if bin == "" {
		Missing(t, "stripe-mock", "go install github.com/stripe/stripe-mock@v0.203.0, or set "+StripeMockURLEnv)
		return ""
	}
	auth := http.Header{"Authorization": {"Bearer " + StripeTestKey}}
	ports := startOnFreePorts(t, "stripe-mock", 2, func(p []int) (string, []string) {
		return bin, []string{"-http-addr", fmt.Sprintf("127.0.0.1:%d", p[0]), "-https-addr", fmt.Sprintf("127.0.0.1:%d", p[1])}
	}, func(p []int) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			return httpStatus(ctx, fmt.Sprintf("http://127.0.0.1:%d/v1/customers", p[0]), auth, 200)
		}
	})
	return fmt.Sprintf("http://127.0.0.1:%d", ports[0])
}
