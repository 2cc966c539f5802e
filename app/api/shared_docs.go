package api

import (
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// documentShared adds to each operation's document what the API's
// middleware does for every operation, as each is registered (so operations
// added by any area's file are covered): the rate limit headers and the 429
// answer on all, and the Idempotency-Key header with its 409 and 422
// answers on every write that takes a token.
func documentShared(oapi *huma.OpenAPI, op *huma.Operation) {
	if op.Responses == nil {
		op.Responses = map[string]*huma.Response{}
	}
	errSchema := problemSchema(op)
	problem := func(desc string, headers map[string]*huma.Header) *huma.Response {
		return &huma.Response{Description: desc, Headers: headers,
			Content: map[string]*huma.MediaType{"application/problem+json": {Schema: errSchema}}}
	}
	limitHeaders := func() map[string]*huma.Header {
		return map[string]*huma.Header{
			"RateLimit-Policy": {Description: `The limit this request counts against, e.g. "token";q=600;w=60 (600 requests per 60 seconds per token; "address" for public operations, per client address).`, Schema: &huma.Schema{Type: "string"}},
			"RateLimit":        {Description: `Where the client stands, e.g. "token";r=599;t=42 (599 requests left, the window resets in 42 seconds).`, Schema: &huma.Schema{Type: "string"}},
		}
	}
	for code, r := range op.Responses {
		if strings.HasPrefix(code, "2") {
			if r.Headers == nil {
				r.Headers = map[string]*huma.Header{}
			}
			for k, h := range limitHeaders() {
				r.Headers[k] = h
			}
		}
	}
	too := limitHeaders()
	too["Retry-After"] = &huma.Header{Description: "Seconds until the window resets.", Schema: &huma.Schema{Type: "integer"}}
	op.Responses["429"] = problem("Too many requests in the current window; retry after Retry-After seconds.", too)

	if _, secured := requiredScope(op); !secured || !isWrite(op.Method) {
		return
	}
	if !hasHeaderParam(op, idempotencyHeader) {
		one, most := 1, 255
		op.Parameters = append(op.Parameters, &huma.Param{Name: idempotencyHeader, In: "header",
			Description: "Any unique text (a UUID is best) that makes retrying this write safe: for 24 hours, the same key with the same request replays the first response (with the header Idempotent-Replayed: true) instead of doing it again.",
			Schema:      &huma.Schema{Type: "string", MinLength: &one, MaxLength: &most}})
	}
	for code, r := range op.Responses {
		if strings.HasPrefix(code, "2") {
			r.Headers[replayedHeader] = &huma.Header{Description: "true when this is the stored response of an earlier request with the same Idempotency-Key.", Schema: &huma.Schema{Type: "string", Enum: []any{"true"}}}
		}
	}
	if op.Responses["409"] == nil {
		op.Responses["409"] = problem("A request with the same Idempotency-Key is still being processed (or another conflict this operation names).", nil)
	}
	if op.Responses["422"] == nil {
		op.Responses["422"] = problem("The request is not valid, or its Idempotency-Key was used for a different request.", nil)
	}
}

// problemSchema is the schema huma gave the operation's errors (RFC 9457
// problem details), so the added answers share it.
func problemSchema(op *huma.Operation) *huma.Schema {
	for _, r := range op.Responses {
		if mt := r.Content["application/problem+json"]; mt != nil && mt.Schema != nil {
			return mt.Schema
		}
	}
	return &huma.Schema{Ref: "#/components/schemas/ErrorModel"}
}

func hasHeaderParam(op *huma.Operation, name string) bool {
	for _, p := range op.Parameters {
		if p.In == "header" && strings.EqualFold(p.Name, name) {
			return true
		}
	}
	return false
}
