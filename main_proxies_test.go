package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A typo in the trusted proxies stops `agora serve` at once with a message
// naming the entry, from the flag and from the variable alike.
func TestServeRefusesMalformedTrustedProxies(t *testing.T) {
	db := filepath.Join(t.TempDir(), "agora.db")
	out, err := agora(t, nil, "serve", "--db", db, "--addr", "127.0.0.1:0", "--trusted-proxies", "127.0.0.1, 10.0.0.0/33")
	if err == nil || !strings.Contains(out, `trusted proxies: "10.0.0.0/33"`) {
		t.Fatalf("flag: err %v\n%s", err, out)
	}
	out, err = agora(t, []string{"AGORA_TRUSTED_PROXIES=proxy.internal"}, "serve", "--db", db, "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(out, `trusted proxies: "proxy.internal"`) {
		t.Fatalf("variable: err %v\n%s", err, out)
	}
}
