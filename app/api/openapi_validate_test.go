package api

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	verrors "github.com/pb33f/libopenapi-validator/errors"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// servedValidator reads the document the API serves and checks it against
// the OpenAPI 3.1 specification with a real validator (libopenapi).
func servedValidator(t *testing.T, ta *testAPI) validator.Validator {
	t.Helper()
	r := ta.do("GET", "/api/v1/openapi.json", "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("openapi.json: %d", r.Status)
	}
	doc, err := libopenapi.NewDocument(r.Body)
	if err != nil {
		t.Fatalf("parse the document: %v", err)
	}
	if _, err := doc.BuildV3Model(); err != nil {
		t.Fatalf("build the document's model: %v", err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		t.Fatalf("the document is not valid OpenAPI:\n%s", describe(verrs))
	}
	return v
}

func describe(errs []*verrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "- %s: %s", e.Message, e.Reason)
		for _, s := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, "\n    %s: %s", s.FieldPath, s.Reason)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	ta := newTestAPI(t)
	registerTestWrite(ta.srv) // a write, so the shared write parameters are checked too
	servedValidator(t, ta)
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// TestEveryOperationAnswersAsDocumented sends real requests to every
// operation registered (whichever area's file declared it) and validates
// each response, status, headers and body, against the served document:
// without a token, with a token holding every scope on records of the
// token's organization, and with an id nobody has. An operation whose path
// names a parameter this test has no record for gets the unknown id only;
// add a record to params for a new kind of id.
func TestEveryOperationAnswersAsDocumented(t *testing.T) {
	ta := newTestAPI(t)
	registerTestWrite(ta.srv)
	registerPublicPing(ta.srv)
	org, _ := modeltest.Organizer(t, ta.db, "Cluster", "owner@example.org", models.RoleOwner)
	ev := modeltest.Event(t, ta.db, org.ID, "forum", models.StatusPublished)
	modeltest.Event(t, ta.db, org.ID, "symposium", models.StatusDraft)
	tok := ta.token(org.ID, models.APIScopes...)
	params := map[string]string{"event_id": itoa(ev.ID)}
	v := servedValidator(t, ta)

	type call struct{ what, tok, path string }
	var ops []string
	for path, item := range ta.srv.OpenAPI().Paths {
		for _, op := range operationsOf(item) {
			ops = append(ops, op.Method+" "+path)
		}
	}
	sort.Strings(ops)
	statuses := map[int]int{}
	for _, o := range ops {
		method, path, _ := strings.Cut(o, " ")
		known := pathParam.ReplaceAllStringFunc(path, func(m string) string {
			if v, ok := params[m[1:len(m)-1]]; ok {
				return v
			}
			return "999999"
		})
		unknown := pathParam.ReplaceAllString(path, "999999")
		calls := []call{{"no token", "", known}, {"token", tok, known}}
		if unknown != known {
			calls = append(calls, call{"unknown id", tok, unknown})
		}
		for _, c := range calls {
			var body io.Reader
			if isWrite(method) {
				body = strings.NewReader(`{}`)
			}
			req := httptest.NewRequest(method, Prefix+c.path, body)
			if body != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			if c.tok != "" {
				req.Header.Set("Authorization", "Bearer "+c.tok)
			}
			resp, err := ta.app.Test(req, -1)
			if err != nil {
				t.Fatalf("%s (%s): %v", o, c.what, err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			resp.Body = io.NopCloser(bytes.NewReader(raw))
			statuses[resp.StatusCode]++
			if resp.StatusCode >= 500 {
				t.Errorf("%s (%s): %d %s", o, c.what, resp.StatusCode, raw)
				continue
			}
			if ok, errs := v.ValidateHttpResponse(req, resp); !ok {
				t.Errorf("%s (%s) answered %d, not as documented:\n%s%s", o, c.what, resp.StatusCode, describe(errs), raw)
			}
		}
	}
	if statuses[http.StatusOK] == 0 || statuses[http.StatusUnauthorized] == 0 || statuses[http.StatusNotFound] == 0 {
		t.Fatalf("the calls did not reach the interesting answers: %v", statuses)
	}
	t.Logf("%d operations, answers by status: %v", len(ops), statuses)
}
