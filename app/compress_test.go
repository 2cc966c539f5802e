package app

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
	"github.com/agora-events/agora/static"
)

// decoded returns a response body decoded from its Content-Encoding.
func decoded(t *testing.T, r response) string {
	t.Helper()
	switch r.Header.Get("Content-Encoding") {
	case "br":
		b, err := fasthttp.AppendUnbrotliBytes(nil, []byte(r.Body))
		if err != nil {
			t.Fatalf("brotli: %v", err)
		}
		return string(b)
	case "gzip":
		zr, err := gzip.NewReader(strings.NewReader(r.Body))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		b, _ := io.ReadAll(zr)
		return string(b)
	}
	return r.Body
}

func TestHTMLCSSAndJSAreCompressedWhenAccepted(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
	modeltest.Event(t, db, org.ID, "compressed", models.StatusPublished)
	assets, err := static.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f)
	get := func(path, accept string) response {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		return c.do(req)
	}
	for _, tc := range []struct{ path, want string }{
		{"/", "<html"},                            // cached page
		{"/events/compressed", "<html"},           // cached page
		{"/manage/login", "<html"},                // rendered per request
		{"/definitely/not/here", "<html"},         // an error page
		{assets.URL("css/site.css"), "{"},         // stylesheet
		{assets.URL("js/checkin.js"), "function"}, // script
	} {
		plain := get(tc.path, "")
		if plain.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s compressed for a client that did not ask", tc.path)
		}
		for _, enc := range []struct{ accept, want string }{{"gzip, deflate, br", "br"}, {"gzip", "gzip"}, {"br;q=0, gzip", "gzip"}, {"identity", ""}} {
			r := get(tc.path, enc.accept)
			if got := r.Header.Get("Content-Encoding"); got != enc.want {
				t.Fatalf("%s with Accept-Encoding %q: Content-Encoding %q, want %q", tc.path, enc.accept, got, enc.want)
			}
			if !strings.Contains(strings.ToLower(r.Header.Get("Vary")), "accept-encoding") {
				t.Fatalf("%s: Vary %q lacks Accept-Encoding", tc.path, r.Header.Get("Vary"))
			}
			body := decoded(t, r)
			if body != plain.Body && !strings.Contains(tc.path, "/manage/") { // sign-in pages carry a fresh token each time
				t.Fatalf("%s (%s): decoded body differs from the plain one", tc.path, enc.want)
			}
			if !strings.Contains(body, tc.want) {
				t.Fatalf("%s (%s): %q not in the decoded body", tc.path, enc.want, tc.want)
			}
			if enc.want != "" && len(r.Body) >= len(body) {
				t.Fatalf("%s (%s): %d bytes compressed from %d", tc.path, enc.want, len(r.Body), len(body))
			}
		}
	}
	// A picture is not compressed again.
	if r := get(assets.URL("img/logo.svg"), "br"); !bytes.Contains([]byte(decoded(t, r)), []byte("<svg")) {
		t.Fatal("svg logo not served")
	}
}

func TestAcceptedEncoding(t *testing.T) {
	for header, want := range map[string]string{
		"": "", "gzip": "gzip", "br": "br", "gzip, br": "br", "br;q=0": "", "BR;q=0.5, gzip;q=1": "br",
		"*": "br", "*;q=0, gzip": "gzip", "identity": "", "deflate": "", "gzip;q=0, br;q=0": "",
	} {
		if got := acceptedEncoding(header); got != want {
			t.Errorf("%q: %q, want %q", header, got, want)
		}
	}
}
