package api

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

type testWriteInput struct {
	Body struct {
		Name string `json:"name" maxLength:"50"`
	}
}

type testWriteOutput struct {
	Status int
	Body   struct {
		Run  int64  `json:"run"`
		Name string `json:"name"`
	}
}

// testWrites is a test-only write operation (no write endpoint exists on
// this branch): it counts its runs, may wait for a signal, and fails with a
// 500 for the name "fail".
type testWrites struct {
	runs atomic.Int64
	hold chan struct{} // when set, each run waits for it to close
}

func registerTestWrite(s *Server) *testWrites {
	w := &testWrites{}
	huma.Register(s.api, huma.Operation{OperationID: "test-write", Method: http.MethodPost, Path: "/test/writes",
		Summary: "Test-only write", Security: needs(models.ScopeRegistrationsWrite), DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *testWriteInput) (*testWriteOutput, error) {
			n := w.runs.Add(1)
			if w.hold != nil {
				<-w.hold
			}
			if in.Body.Name == "fail" {
				return nil, huma.Error500InternalServerError("failed on purpose")
			}
			out := &testWriteOutput{Status: http.StatusCreated}
			out.Body.Run, out.Body.Name = n, in.Body.Name
			return out, nil
		})
	return w
}

func TestIdempotencyKeyReplaysTheFirstResponse(t *testing.T) {
	ta := newTestAPI(t)
	w := registerTestWrite(ta.srv)
	org, _ := modeltest.Organizer(t, ta.db, "Cluster", "owner@example.org", models.RoleOwner)
	tok := ta.token(org.ID, models.ScopeRegistrationsWrite)
	post := func(tok, key string, body any) apiResponse {
		if key == "" {
			return ta.do("POST", "/api/v1/test/writes", tok, body)
		}
		return ta.do("POST", "/api/v1/test/writes", tok, body, "Idempotency-Key", key)
	}

	first := post(tok, "k-1", map[string]string{"name": "Ada"})
	if first.Status != http.StatusCreated || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d %q %s", first.Status, first.Header.Get("Idempotent-Replayed"), first.Body)
	}
	again := post(tok, "k-1", map[string]string{"name": "Ada"})
	if again.Status != http.StatusCreated || again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) ||
		again.Header.Get("Content-Type") != first.Header.Get("Content-Type") {
		t.Fatalf("replay: %d %q %s (%s) vs %s", again.Status, again.Header.Get("Idempotent-Replayed"), again.Body, again.Header.Get("Content-Type"), first.Body)
	}
	if w.runs.Load() != 1 {
		t.Fatalf("handler ran %d times for one key", w.runs.Load())
	}

	// The key with another body is refused, naming the header.
	r := post(tok, "k-1", map[string]string{"name": "Grace"})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "header.Idempotency-Key") {
		t.Fatalf("other body: %d %s", r.Status, r.Body)
	}
	// Keys are per token; no key means no protection; a bad key is a 400.
	other := ta.token(org.ID, models.ScopeRegistrationsWrite)
	if r := post(other, "k-1", map[string]string{"name": "Ada"}); r.Status != http.StatusCreated || r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("another token's key: %d %q", r.Status, r.Header.Get("Idempotent-Replayed"))
	}
	post(tok, "", map[string]string{"name": "Ada"})
	post(tok, "", map[string]string{"name": "Ada"})
	if r := post(tok, "has space", map[string]string{"name": "Ada"}); r.Status != http.StatusBadRequest {
		t.Fatalf("bad key: %d", r.Status)
	}
	if r := post(tok, strings.Repeat("k", 256), map[string]string{"name": "Ada"}); r.Status != http.StatusBadRequest {
		t.Fatalf("long key: %d", r.Status)
	}
	if w.runs.Load() != 4 {
		t.Fatalf("runs %d, want 4", w.runs.Load())
	}

	// A server error is not kept: the retry runs again.
	if r := post(tok, "k-fail", map[string]string{"name": "fail"}); r.Status != http.StatusInternalServerError {
		t.Fatalf("failing write: %d", r.Status)
	}
	if r := post(tok, "k-fail", map[string]string{"name": "fail"}); r.Status != http.StatusInternalServerError || r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("retry of a failed write replayed: %d", r.Status)
	}
	if w.runs.Load() != 6 {
		t.Fatalf("runs %d, want 6", w.runs.Load())
	}

	// After 24 hours the key is forgotten (and its row removed).
	ta.now = ta.now.Add(models.IdempotencyKeyLife + time.Second)
	if r := post(tok, "k-1", map[string]string{"name": "Grace"}); r.Status != http.StatusCreated || r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("expired key: %d %s", r.Status, r.Body)
	}
	var n int64
	ta.db.Model(&models.APIIdempotencyKey{}).Where("key = ? AND request_hash <> ''", "k-1").Count(&n)
	if n != 2 { // this token's new row and the other token's
		t.Fatalf("rows for k-1: %d", n)
	}
}

func TestIdempotencyKeyWhileTheFirstRunsIsAConflict(t *testing.T) {
	ta := newTestAPI(t)
	w := registerTestWrite(ta.srv)
	w.hold = make(chan struct{})
	org, _ := modeltest.Organizer(t, ta.db, "Cluster", "owner@example.org", models.RoleOwner)
	tok := ta.token(org.ID, models.ScopeRegistrationsWrite)
	done := make(chan apiResponse)
	go func() {
		done <- ta.do("POST", "/api/v1/test/writes", tok, map[string]string{"name": "Ada"}, "Idempotency-Key", "slow")
	}()
	for w.runs.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	r := ta.do("POST", "/api/v1/test/writes", tok, map[string]string{"name": "Ada"}, "Idempotency-Key", "slow")
	if r.Status != http.StatusConflict || r.Header.Get("Retry-After") == "" || r.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("while in progress: %d %s", r.Status, r.Body)
	}
	close(w.hold)
	if first := <-done; first.Status != http.StatusCreated {
		t.Fatalf("first: %d %s", first.Status, first.Body)
	}
	if r := ta.do("POST", "/api/v1/test/writes", tok, map[string]string{"name": "Ada"}, "Idempotency-Key", "slow"); r.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("after it finished: %d %q", r.Status, r.Header.Get("Idempotent-Replayed"))
	}
}

// TestIdempotencyKeyRacedRunsTheHandlerOnce sends one key from many
// goroutines at once (through two instances): the handler runs once, every
// other answer is the replay or a 409.
func TestIdempotencyKeyRacedRunsTheHandlerOnce(t *testing.T) {
	ta := newTestAPI(t)
	two := ta.otherInstance(nil)
	w1, w2 := registerTestWrite(ta.srv), registerTestWrite(two.srv)
	org, _ := modeltest.Organizer(t, ta.db, "Cluster", "owner@example.org", models.RoleOwner)
	tok := ta.token(org.ID, models.ScopeRegistrationsWrite)
	const n = 24
	var wg sync.WaitGroup
	start := make(chan struct{})
	results := make([]apiResponse, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			inst := ta
			if i%2 == 1 {
				inst = two
			}
			<-start
			results[i] = inst.do("POST", "/api/v1/test/writes", tok, map[string]string{"name": "Ada"}, "Idempotency-Key", "raced")
		}(i)
	}
	close(start)
	wg.Wait()
	if runs := w1.runs.Load() + w2.runs.Load(); runs != 1 {
		t.Fatalf("handler ran %d times for one key", runs)
	}
	originals := 0
	for i, r := range results {
		switch {
		case r.Status == http.StatusCreated && r.Header.Get("Idempotent-Replayed") == "":
			originals++
		case r.Status == http.StatusCreated && r.Header.Get("Idempotent-Replayed") == "true":
		case r.Status == http.StatusConflict:
		default:
			t.Errorf("request %d: %d %s", i, r.Status, r.Body)
		}
	}
	if originals != 1 {
		t.Fatalf("%d original responses, want 1", originals)
	}
}
