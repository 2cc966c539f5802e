package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"

	"github.com/agora-events/agora/models"
)

// idempotencyHeader is the request header a client sends with a write so
// that retrying it (after a timeout, a lost connection) does it once.
const idempotencyHeader = "Idempotency-Key"

// replayedHeader marks a response replayed from the stored first one.
const replayedHeader = "Idempotent-Replayed"

// isWrite says whether method changes something (and so takes a key).
func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// idempotency makes a write sent with an Idempotency-Key happen once per
// token and key: the key's row is inserted before the handler runs, the
// response is stored after it, and a repeat of the same request (method,
// path, query and body) gets that response again; the key with another
// request is a 422, and a repeat while the first still runs a 409. Keys
// live for models.IdempotencyKeyLife. A server error (5xx) is not kept, so
// a retry runs again (the handler's transaction wrote nothing).
func (s *Server) idempotency(ctx huma.Context, next func(huma.Context)) {
	key := ctx.Header(idempotencyHeader)
	tok := token(ctx.Context())
	if key == "" || !isWrite(ctx.Method()) || tok == nil {
		next(ctx)
		return
	}
	if !validIdempotencyKey(key) {
		_ = huma.WriteErr(s.api, ctx, http.StatusBadRequest, "The Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice).",
			&huma.ErrorDetail{Location: "header." + idempotencyHeader, Message: "not 1–255 visible ASCII characters", Value: key})
		return
	}
	key = strings.Clone(key)
	row, replay, err := models.BeginIdempotent(s.d.DB, tok.ID, key, requestHash(ctx), s.d.Now())
	switch {
	case errors.Is(err, models.ErrIdempotencyMismatch):
		_ = huma.WriteErr(s.api, ctx, http.StatusUnprocessableEntity, "This Idempotency-Key was already used for a different request; use a new key for a new request.",
			&huma.ErrorDetail{Location: "header." + idempotencyHeader, Message: "used with another method, path or body", Value: key})
		return
	case errors.Is(err, models.ErrIdempotencyInProgress):
		ctx.SetHeader("Retry-After", "1")
		_ = huma.WriteErr(s.api, ctx, http.StatusConflict, "A request with this Idempotency-Key is still being processed; retry shortly to get its response.")
		return
	case err != nil:
		s.d.Logger.Error("api: idempotency key", "err", err)
		_ = huma.WriteErr(s.api, ctx, http.StatusServiceUnavailable, "The database is not answering; try again shortly.")
		return
	case replay:
		if row.ContentType != "" {
			ctx.SetHeader("Content-Type", row.ContentType)
		}
		ctx.SetHeader(replayedHeader, "true")
		ctx.SetStatus(row.Status)
		_, _ = ctx.BodyWriter().Write(row.Body)
		return
	}

	rec := &recordingContext{wrapped: ctx}
	finished := false
	defer func() {
		if !finished { // the handler panicked: let a retry run
			if err := models.ForgetIdempotent(s.d.DB, row); err != nil {
				s.d.Logger.Error("api: idempotency key: forget", "err", err)
			}
		}
	}()
	next(rec)
	finished = true
	if rec.Status() >= 500 {
		err = models.ForgetIdempotent(s.d.DB, row)
	} else {
		err = models.FinishIdempotent(s.d.DB, row, rec.Status(), rec.contentType, rec.body.Bytes())
	}
	if err != nil {
		s.d.Logger.Error("api: idempotency key: store response", "err", err)
	}
}

// validIdempotencyKey allows what clients send in practice (UUIDs, random
// tokens) and nothing that would be awkward in a log line.
func validIdempotencyKey(k string) bool {
	if len(k) == 0 || len(k) > models.MaxIdempotencyKey {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// requestHash fingerprints what makes two requests the same one.
func requestHash(ctx huma.Context) string {
	h := sha256.New()
	u := ctx.URL()
	io.WriteString(h, ctx.Method()+" "+u.Path+"?"+u.RawQuery+"\n")
	h.Write(humafiber.Unwrap(ctx).Body())
	return hex.EncodeToString(h.Sum(nil))
}

// recordingContext passes the response through and keeps a copy of its
// status, content type and body, for storing under the key.
type recordingContext struct {
	wrapped
	contentType string
	body        bytes.Buffer
}

// wrapped names the embedded context (its own name would clash with the
// interface's Context method).
type wrapped = huma.Context

// Unwrap lets humafiber.Unwrap reach the Fiber context beneath.
func (r *recordingContext) Unwrap() huma.Context { return r.wrapped }

func (r *recordingContext) SetHeader(name, value string) {
	if strings.EqualFold(name, "Content-Type") {
		r.contentType = strings.Clone(value)
	}
	r.wrapped.SetHeader(name, value)
}

func (r *recordingContext) BodyWriter() io.Writer {
	return io.MultiWriter(r.wrapped.BodyWriter(), &r.body)
}
