package app

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/agora-events/agora/app/pdf"
)

// The ticket's SVG, drawn back module by module from its path, is exactly
// the QR code of the secret: every dark module and no other.
func TestTicketQRDrawsEveryModule(t *testing.T) {
	secret := "k3v9Qx_2mZpLrT8wYb5NcD1eFgHjKl0oPq7sUvWxYz4"
	url, err := ticketQR(secret)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(string(url), "data:image/svg+xml;base64,"))
	if err != nil {
		t.Fatalf("not base64 SVG: %v", err)
	}
	var svg struct {
		Width string `xml:"width,attr"`
		Path  struct {
			D string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal(raw, &svg); err != nil {
		t.Fatalf("not XML: %v\n%s", err, raw)
	}
	want, err := pdf.NewQRCode(secret)
	if err != nil {
		t.Fatal(err)
	}
	if svg.Width != fmt.Sprint(len(want)*ticketQRModulePx) {
		t.Errorf("width %s, want %d", svg.Width, len(want)*ticketQRModulePx)
	}
	got := make([][]bool, len(want))
	for i := range got {
		got[i] = make([]bool, len(want))
	}
	for _, run := range strings.Split(strings.TrimSuffix(svg.Path.D, "z"), "z") {
		var x, y, w, w2 int
		if _, err := fmt.Sscanf(run, "M%d %dh%dv1h-%d", &x, &y, &w, &w2); err != nil || w != w2 {
			t.Fatalf("run %q: %v", run, err)
		}
		for c := x; c < x+w; c++ {
			if got[y][c] {
				t.Fatalf("module %d,%d drawn twice", c, y)
			}
			got[y][c] = true
		}
	}
	for r := range want {
		for c := range want[r] {
			if got[r][c] != want[r][c] {
				t.Fatalf("module %d,%d: drawn %v, QR %v", c, r, got[r][c], want[r][c])
			}
		}
	}
}
