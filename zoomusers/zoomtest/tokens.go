package zoomtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/zoomkit/go-zoomusers/gen"
	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest/internal/zoomserver"
)

// AuthorizeUser issues an authorization code for the user with this ID or email, as
// Zoom's consent page would; exchange it at the token endpoint with
// grant_type=authorization_code. It returns "" if there is no such user.
func (s *Server) AuthorizeUser(idOrEmail string) string {
	u := s.state.find(idOrEmail)
	if u == nil {
		return ""
	}
	code := randomToken("code-")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = u.id
	return code
}

// tokenFailure is a refused token request, in Zoom's shape.
type tokenFailure struct {
	status          int
	errCode, reason string
	code            int
}

func (f *tokenFailure) write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.status)
	body := map[string]any{"error": f.errCode, "reason": f.reason}
	if f.code != 0 {
		body["code"] = f.code
	}
	json.NewEncoder(w).Encode(body)
}

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		// Evidence: RFC 6749 section 5.2 (invalid_request), which Zoom's token endpoint
		// follows (ZOOM_FACTS.md "Authentication").
		(&tokenFailure{http.StatusBadRequest, "invalid_request", "Malformed form body", 0}).write(w)
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok || id != ClientID || secret != ClientSecret {
		// Evidence: RFC 6749 section 5.2 (invalid_client, 401); ZOOM_FACTS.md "Authentication"
		// (Basic auth with client_id:client_secret).
		(&tokenFailure{http.StatusUnauthorized, "invalid_client", "Invalid client_id or client_secret", 0}).write(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	userID, fail := s.grant(r.Form) // query and body: Zoom takes account_id in either
	if fail != nil {
		fail.write(w)
		return
	}
	access := randomToken("fake-access-")
	s.tokens[access] = tokenGrant{userID: userID, expires: s.cfg.now().Add(s.cfg.tokenLifetime)}
	answer := map[string]any{
		"access_token": access,
		"token_type":   "bearer",
		"expires_in":   int(s.cfg.tokenLifetime.Seconds()),
		"scope":        "user:read:admin user:write:admin",
		"api_url":      "http://" + r.Host,
	}
	if userID != "" {
		refresh := randomToken("fake-refresh-")
		s.refreshes[refresh] = userID
		answer["refresh_token"] = refresh
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(answer)
}

// grant checks the grant in form and returns the user it is for ("" for the account).
// Codes and refresh tokens are single use. The caller holds s.mu.
func (s *Server) grant(form url.Values) (string, *tokenFailure) {
	switch form.Get("grant_type") {
	case "account_credentials":
		if form.Get("account_id") != AccountID {
			// Evidence: ZOOM_FACTS.md "Authentication" (account_id names the account); RFC 6749
			// section 5.2 (invalid_request).
			return "", &tokenFailure{http.StatusBadRequest, "invalid_request", "Invalid account_id", 0}
		}
		return "", nil
	case "authorization_code":
		uid, ok := s.codes[form.Get("code")]
		if !ok {
			// Evidence: ZOOM_FACTS.md "Authentication" (4735, re-authorize); RFC 6749 section
			// 5.2 (invalid_grant).
			return "", &tokenFailure{http.StatusBadRequest, "invalid_grant", "Invalid authorization code", 4735}
		}
		delete(s.codes, form.Get("code"))
		return uid, nil
	case "refresh_token":
		uid, ok := s.refreshes[form.Get("refresh_token")]
		if !ok {
			// Evidence: ZOOM_FACTS.md "Authentication" (refresh tokens rotate, the old one is
			// dead; 4741, re-authorize); RFC 6749 section 5.2 (invalid_grant).
			return "", &tokenFailure{http.StatusBadRequest, "invalid_grant", "Invalid Token!", 4741}
		}
		delete(s.refreshes, form.Get("refresh_token")) // rotation: a used refresh token is dead
		return uid, nil
	}
	// Evidence: RFC 6749 section 5.2 (unsupported_grant_type); ZOOM_FACTS.md "Authentication"
	// lists the grants Zoom takes.
	return "", &tokenFailure{http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type", 0}
}

// The fake's user tokens name what was asked for, so a test can check the request:
// "<type>-<user ID>", "-<ttl>s" when a ZAK's ttl was given, "-<meeting ID>" for an OBF
// token (userZak: "zak-<user ID>").

func (s *state) UserZAK(ctx context.Context, req zoomserver.UserZAKRequestObject) (zoomserver.UserZAKResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, "me")
	if err != nil {
		return nil, err
	}
	return zoomserver.UserZAK200JSONResponse{Body: gen.Token{Token: zoomusers.Ptr("zak-" + u.id)}}, nil
}

func (s *state) UserToken(ctx context.Context, req zoomserver.UserTokenRequestObject) (zoomserver.UserTokenResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	kind := gen.TokenTypeToken
	if req.Params.Type != nil {
		kind = *req.Params.Type
	}
	token := string(kind) + "-" + u.id
	switch kind {
	case gen.TokenTypeZAK:
		if ttl := req.Params.TTL; ttl != nil {
			token += fmt.Sprintf("-%ds", *ttl)
		}
	case gen.TokenTypeOnBehalf:
		if err := s.checkOnBehalf(ctx, u, req.Params.MeetingID); err != nil {
			return nil, err
		}
		token += "-" + *req.Params.MeetingID
	}
	// ttl with another type: Zoom documents ttl "in conjunction with" type zak (2021 spec)
	// and no refusal of it elsewhere, so the fake ignores it.
	return zoomserver.UserToken200JSONResponse{Body: gen.Token{Token: &token}}, nil
}

// checkOnBehalf refuses an On-Behalf-Of token that Zoom would not issue. Zoom documents
// who gets one (ZOOM_FACTS.md "Zoom keeps moving", 2026-03-02: user-level OAuth, for the
// authorizing user, with meeting_id; Meeting SDK authentication docs) but not the codes of
// its refusals, so each answer is the nearest code Zoom documents (ZOOM_FACTS.md "Errors").
func (s *state) checkOnBehalf(ctx context.Context, u *user, meetingID *string) error {
	tokenUser, _ := ctx.Value(userKey{}).(string)
	switch {
	case tokenUser == "":
		// Evidence: ZOOM_FACTS.md "Zoom keeps moving" 2026-03-02 (user-level OAuth, scope
		// user:read:token) and "Errors" (4711, the token lacks the operation's scopes).
		return apiError(http.StatusBadRequest, 4711, "Invalid access token, does not contain scopes:[user:read:token].")
	case u.id != tokenUser:
		// Evidence: ZOOM_FACTS.md "Zoom keeps moving" 2026-03-02 (for `me`, the authorizing
		// user); code: "Errors" 200, no privilege, the nearest Zoom documents.
		return apiError(http.StatusBadRequest, 200, "No privilege: an On-Behalf-Of token is issued for the authorizing user only.")
	case meetingID == nil || *meetingID == "":
		// Evidence: ZOOM_FACTS.md "Zoom keeps moving" 2026-03-02 (type=onbehalf takes
		// meeting_id); code: "Errors" 300, validation failed.
		return validationFailed(fieldError{Field: "meeting_id", Message: missingField})
	}
	return nil
}

func (s *state) UserSSOTokenDelete(ctx context.Context, req zoomserver.UserSSOTokenDeleteRequestObject) (zoomserver.UserSSOTokenDeleteResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.resolve(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	u.ssoRevocations++
	s.emitOperation(ctx, u, "sign_out_from_all_devices")
	return zoomserver.UserSSOTokenDelete204Response{}, nil
}
