package models

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// Reasons a webhook URL is refused; the owners' page shows each beside the field.
var (
	ErrWebhookURLInvalid   = errors.New("webhook url: not an absolute http(s) address")
	ErrWebhookURLNotHTTPS  = errors.New("webhook url: https is required")
	ErrWebhookURLUnknown   = errors.New("webhook url: the host name does not resolve")
	ErrWebhookURLPrivate   = errors.New("webhook url: the host is on a private, loopback or otherwise internal address")
	ErrWebhookURLForbidden = errors.New("webhook url: credentials in the address are not accepted")
)

// MaxWebhookURL is the longest endpoint URL accepted.
const MaxWebhookURL = 2000

// WebhookPolicy is the operator's choice about where webhooks may go.
// AllowPrivate (AGORA_WEBHOOKS_ALLOW_PRIVATE) lets endpoints sit on private,
// loopback and link-local addresses, and then plain http is accepted too;
// otherwise only https to public addresses.
type WebhookPolicy struct {
	AllowPrivate bool
	// Resolver looks host names up; nil is net.DefaultResolver.
	Resolver *net.Resolver
}

// PublicAddress says whether ip is a public unicast address: not private,
// loopback, link-local, unique-local, multicast, unspecified, or in the
// shared/reserved ranges a cloud's metadata service or a carrier uses.
func PublicAddress(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublicPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// nonPublicPrefixes are ranges the standard library's checks leave out.
var nonPublicPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64 (reaches IPv4 inside)
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local NAT64
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("2002::/16"),       // 6to4 (embeds any IPv4)
}

// Allowed says whether the policy lets a webhook reach ip.
func (p WebhookPolicy) Allowed(ip netip.Addr) bool {
	return p.AllowPrivate || PublicAddress(ip)
}

// ParseWebhookURL checks the form of raw: an absolute http(s) URL with a
// host, no user name or password, https unless private addresses are
// allowed. It does not resolve the host (CheckWebhookURL does).
func (p WebhookPolicy) ParseWebhookURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > MaxWebhookURL {
		return nil, ErrWebhookURLInvalid
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Hostname() == "" || u.Opaque != "" {
		return nil, ErrWebhookURLInvalid
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !p.AllowPrivate {
			return nil, ErrWebhookURLNotHTTPS
		}
	default:
		return nil, ErrWebhookURLInvalid
	}
	if u.User != nil {
		return nil, ErrWebhookURLForbidden
	}
	if port := u.Port(); port != "" {
		if _, err := net.LookupPort("tcp", port); err != nil {
			return nil, ErrWebhookURLInvalid
		}
	}
	return u, nil
}

// ResolveAllowed returns the addresses of host the policy lets a webhook
// reach: all of them must be allowed (one internal address among public ones
// is refused, since a later lookup could answer with it).
func (p WebhookPolicy) ResolveAllowed(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		if !p.Allowed(ip) {
			return nil, ErrWebhookURLPrivate
		}
		return []netip.Addr{ip}, nil
	}
	r := p.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ips, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil || len(ips) == 0 {
		return nil, ErrWebhookURLUnknown
	}
	for _, ip := range ips {
		if !p.Allowed(ip) {
			return nil, ErrWebhookURLPrivate
		}
	}
	return ips, nil
}

// CheckWebhookURL is ParseWebhookURL and then ResolveAllowed on its host:
// what the owners' form runs before saving. The sender checks again at
// every send (the name may point elsewhere by then).
func (p WebhookPolicy) CheckWebhookURL(ctx context.Context, raw string) (*url.URL, error) {
	u, err := p.ParseWebhookURL(raw)
	if err != nil {
		return nil, err
	}
	if _, err := p.ResolveAllowed(ctx, u.Hostname()); err != nil {
		return nil, err
	}
	return u, nil
}
