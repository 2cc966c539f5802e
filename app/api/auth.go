package api

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/agora-events/agora/models"
)

// securityScheme is the name of the bearer-token scheme in the document.
const securityScheme = "token"

type tokenKey struct{}

// needs is an operation's security requirement: the token scope it needs.
// An operation without one is public.
func needs(scope string) []map[string][]string {
	return []map[string][]string{{securityScheme: {scope}}}
}

// requiredScope reads the scope an operation declared with needs.
func requiredScope(op *huma.Operation) (string, bool) {
	for _, req := range op.Security {
		if scopes, ok := req[securityScheme]; ok && len(scopes) > 0 {
			return scopes[0], true
		}
	}
	return "", false
}

// authenticate lets an operation that needs a scope run only for a usable
// token holding it, and puts the token in the context for the handler.
func (s *Server) authenticate(ctx huma.Context, next func(huma.Context)) {
	scope, ok := requiredScope(ctx.Operation())
	if !ok {
		next(ctx)
		return
	}
	raw, found := strings.CutPrefix(ctx.Header("Authorization"), "Bearer ")
	if !found {
		ctx.SetHeader("WWW-Authenticate", `Bearer realm="agora"`)
		_ = huma.WriteErr(s.api, ctx, http.StatusUnauthorized, "Send an API token: Authorization: Bearer agora_…")
		return
	}
	tok, err := models.AuthenticateAPIToken(s.d.DB, strings.TrimSpace(raw), s.d.Now())
	if errors.Is(err, models.ErrAPITokenInvalid) {
		ctx.SetHeader("WWW-Authenticate", `Bearer realm="agora", error="invalid_token"`)
		_ = huma.WriteErr(s.api, ctx, http.StatusUnauthorized, "This API token is unknown, revoked or expired.")
		return
	}
	if err != nil {
		s.d.Logger.Error("api: token lookup", "err", err)
		_ = huma.WriteErr(s.api, ctx, http.StatusServiceUnavailable, "The database is not answering; try again shortly.")
		return
	}
	if !tok.HasScope(scope) {
		_ = huma.WriteErr(s.api, ctx, http.StatusForbidden, "This API token does not have the scope "+scope+".")
		return
	}
	next(huma.WithValue(ctx, tokenKey{}, tok))
}

// token returns the request's authenticated token (set by authenticate).
func token(ctx context.Context) *models.APIToken {
	t, _ := ctx.Value(tokenKey{}).(*models.APIToken)
	return t
}

// orgID is the organization the request's token belongs to.
func orgID(ctx context.Context) uint {
	if t := token(ctx); t != nil {
		return t.OrganizationID
	}
	return 0
}
