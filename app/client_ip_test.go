package app

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/agora-events/agora/models/modeltest"
)

func TestClientAddrReadsForwardedForFromTheRight(t *testing.T) {
	proxies, err := parseTrustedProxies(" 10.0.0.0/8, 192.168.1.5 ,fd00::/8,::ffff:172.16.0.1")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		peer string
		xff  []string
		want string
	}{
		{"203.0.113.9", []string{"198.51.100.1"}, "203.0.113.9"},                       // untrusted peer: header ignored
		{"10.0.0.2", nil, "10.0.0.2"},                                                  // trusted, no header: the proxy itself
		{"10.0.0.2", []string{"198.51.100.1"}, "198.51.100.1"},                         // one proxy
		{"10.0.0.2", []string{"6.6.6.6, 198.51.100.1"}, "198.51.100.1"},                // spoofed leftmost entry
		{"10.0.0.2", []string{"6.6.6.6, 198.51.100.1, 10.9.9.9"}, "198.51.100.1"},      // two proxies
		{"10.0.0.2", []string{"6.6.6.6", "198.51.100.1, 192.168.1.5"}, "198.51.100.1"}, // header repeated
		{"10.0.0.2", []string{"10.1.1.1, 10.2.2.2"}, "10.1.1.1"},                       // all hops trusted
		{"10.0.0.2", []string{"198.51.100.1, garbage"}, "10.0.0.2"},                    // unreadable hop: trust stops there
		{"10.0.0.2", []string{"198.51.100.1:4711"}, "198.51.100.1"},                    // with a port
		{"fd00::1", []string{"[2001:db8::5]:80"}, "2001:db8::5"},                       // IPv6
		{"::ffff:10.0.0.2", []string{"198.51.100.1"}, "198.51.100.1"},                  // v4-mapped peer
		{"172.16.0.1", []string{"198.51.100.1"}, "198.51.100.1"},                       // v4-mapped entry in the list
	}
	for _, c := range cases {
		got := proxies.clientAddr(netip.MustParseAddr(c.peer), c.xff)
		if got.String() != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: got %s, want %s", c.peer, c.xff, got, c.want)
		}
	}
	var none trustedProxies
	if got := none.clientAddr(netip.MustParseAddr("10.0.0.2"), []string{"198.51.100.1"}); got.String() != "10.0.0.2" {
		t.Errorf("no trusted proxies: got %s", got)
	}
}

// A typo in AGORA_TRUSTED_PROXIES stops start-up with a message naming it.
func TestMalformedTrustedProxiesFailAtStartUp(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	for _, bad := range []string{"10.0.0.0/33", "10.0.0", "proxy.internal", "10.0.0.1,,nope"} {
		_, err := New(Config{TrustedProxies: bad}, Deps{DB: db})
		if err == nil || !strings.Contains(err.Error(), "trusted proxies") {
			t.Errorf("%q: err = %v, want a trusted proxies error", bad, err)
		}
	}
	if _, err := New(Config{TrustedProxies: "10.0.0.0/8, 127.0.0.1, ::1"}, Deps{DB: db}); err != nil {
		t.Errorf("valid list refused: %v", err)
	}
}
