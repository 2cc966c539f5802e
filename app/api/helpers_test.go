package api

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// testAPI is the API mounted on its own Fiber app over a fresh database of
// the suite's engine (AGORA_TEST_ENGINE), with the real model rules.
type testAPI struct {
	t   *testing.T
	app *fiber.App
	db  *gorm.DB
	srv *Server
	now time.Time
}

func newTestAPI(t *testing.T) *testAPI {
	t.Helper()
	db, _ := modeltest.NewDB(t)
	ta := &testAPI{t: t, db: db, now: time.Now().UTC()}
	ta.app = fiber.New(fiber.Config{BodyLimit: 2 << 20})
	ta.srv = Mount(ta.app, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://agora.test",
		Now:        func() time.Time { return ta.now },
		PlaceOrder: func(in models.PlaceOrderInput) (*models.Order, error) { return models.PlaceOrder(db, in) },
		Hit:        models.NewKVStore(db).Hit})
	return ta
}

// token makes an API token of org with scopes and returns its text.
func (ta *testAPI) token(orgID uint, scopes ...string) string {
	ta.t.Helper()
	raw, _, err := models.CreateAPIToken(ta.db, models.NewAPITokenInput{OrganizationID: orgID, Name: "test", Scopes: scopes},
		models.AuditEntry{Action: "api.token_created"})
	if err != nil {
		ta.t.Fatalf("token: %v", err)
	}
	return raw
}

// apiResponse is what a request returned, with the body decoded when JSON.
type apiResponse struct {
	Status int
	Header http.Header
	Body   []byte
	JSON   map[string]any
}

// do sends a request with the token (none when empty) and body (JSON-encoded
// unless it is already []byte or a string).
func (ta *testAPI) do(method, path, tok string, body any, headers ...string) apiResponse {
	ta.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			ta.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := ta.app.Test(req, 30_000)
	if err != nil {
		ta.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := apiResponse{Status: resp.StatusCode, Header: resp.Header, Body: raw}
	_ = json.Unmarshal(raw, &out.JSON)
	return out
}

// items returns the "items" of a list response.
func (r apiResponse) items() []map[string]any {
	var out []map[string]any
	list, _ := r.JSON["items"].([]any)
	for _, it := range list {
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }
