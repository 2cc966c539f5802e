package jobs

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/agora-events/agora/models"
)

// WebhookTimeout bounds one POST, from dialling to the last byte read.
const WebhookTimeout = 10 * time.Second

// errWebhookRedirect refuses to follow a redirect: the new address was not
// checked, and a receiver should answer where it was registered.
var errWebhookRedirect = errors.New("the receiver answered with a redirect; webhooks do not follow redirects")

// newWebhookClient is an HTTP client that resolves each host itself, refuses
// any address the policy does not allow, and dials only the address it
// checked, so a name that resolves to a public address at the check and a
// private one at the connection (DNS rebinding) cannot reach inside. It
// uses no proxy from the environment (a proxy would dial for it).
func newWebhookClient(p models.WebhookPolicy) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			ips, err := p.ResolveAllowed(ctx, host)
			if err != nil {
				return nil, err
			}
			var errs []error
			for _, ip := range ips {
				c, err := dialer.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
				if err == nil {
					return c, nil
				}
				errs = append(errs, err)
			}
			return nil, fmt.Errorf("connect: %w", errors.Join(errs...))
		},
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          20,
		IdleConnTimeout:       60 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: WebhookTimeout,
	}
	return &http.Client{Transport: tr, Timeout: WebhookTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return errWebhookRedirect }}
}
