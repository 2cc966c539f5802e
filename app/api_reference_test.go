package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestAPIReferenceShowsEveryOperation reads the served OpenAPI document and
// checks the reference page shows each operation it holds (whichever area
// declared it), with its scope and parameters, and loads nothing from
// elsewhere.
func TestAPIReferenceShowsEveryOperation(t *testing.T) {
	f, _ := newTestApp(t)
	c := newClient(t, f)
	doc := c.get("/api/v1/openapi.json")
	mustStatus(t, doc, http.StatusOK, "openapi.json")
	var d struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Security    []map[string][]string
			Parameters  []struct{ Name string }
		}
	}
	if err := json.Unmarshal([]byte(doc.Body), &d); err != nil {
		t.Fatal(err)
	}
	page := c.get("/docs/api")
	mustStatus(t, page, http.StatusOK, "reference")
	mustContain(t, page.Body, "reference", "Agora API reference", "Authorization: Bearer agora_", "RFC 9457",
		`RateLimit-Policy: "token";q=600;w=60`, "Idempotency-Key", "next_cursor", `href="/api/v1/openapi.json"`)
	n := 0
	for path, ops := range d.Paths {
		for method, op := range ops {
			n++
			i := strings.Index(page.Body, `id="op-`+op.OperationID+`"`)
			if i < 0 {
				t.Errorf("%s %s (%s) is not on the page", method, path, op.OperationID)
				continue
			}
			section := page.Body[i:]
			if end := strings.Index(section, "</article>"); end > 0 {
				section = section[:end]
			}
			mustContain(t, section, op.OperationID, strings.ToUpper(method)+" /api/v1"+path)
			for _, s := range op.Security {
				for _, scopes := range s {
					mustContain(t, section, op.OperationID+" scope", scopes...)
				}
			}
			for _, p := range op.Parameters {
				mustContain(t, section, op.OperationID+" parameter", "<code>"+p.Name+"</code>")
			}
		}
	}
	if n == 0 {
		t.Fatal("the document has no operations")
	}
	if strings.Contains(page.Body, "<script src=\"http") || strings.Contains(page.Body, "cdn.") {
		t.Fatal("the reference loads a third-party script")
	}
}
