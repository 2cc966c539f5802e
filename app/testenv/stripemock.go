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
	httpAddr := fmt.Sprintf("127.0.0.1:%d", FreePort(t))
	httpsAddr := fmt.Sprintf("127.0.0.1:%d", FreePort(t))
	_, out := startProcess(t, bin, "-http-addr", httpAddr, "-https-addr", httpsAddr)
	baseURL = "http://" + httpAddr
	auth := http.Header{"Authorization": {"Bearer " + StripeTestKey}}
	waitReady(t, "stripe-mock", out, func(ctx context.Context) error {
		return httpStatus(ctx, baseURL+"/v1/customers", auth, 200)
	})
	return baseURL
}
