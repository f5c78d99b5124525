package zoomtest

import (
	"encoding/json"
	"net/http"
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

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, errCode, reason string, code int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		body := map[string]any{"error": errCode, "reason": reason}
		if code != 0 {
			body["code"] = code
		}
		json.NewEncoder(w).Encode(body)
	}
	if err := r.ParseForm(); err != nil {
		fail(http.StatusBadRequest, "invalid_request", "Malformed form body", 0)
		return
	}
	form := r.Form // query and body: Zoom takes account_id in either
	id, secret, ok := r.BasicAuth()
	if !ok || id != ClientID || secret != ClientSecret {
		fail(http.StatusUnauthorized, "invalid_client", "Invalid client_id or client_secret", 0)
		return
	}
	var userID string
	s.mu.Lock()
	switch form.Get("grant_type") {
	case "account_credentials":
		if form.Get("account_id") != AccountID {
			s.mu.Unlock()
			fail(http.StatusBadRequest, "invalid_request", "Invalid account_id", 0)
			return
		}
	case "authorization_code":
		uid, ok := s.codes[form.Get("code")]
		if !ok {
			s.mu.Unlock()
			fail(http.StatusBadRequest, "invalid_grant", "Invalid authorization code", 4735)
			return
		}
		delete(s.codes, form.Get("code"))
		userID = uid
	case "refresh_token":
		uid, ok := s.refreshes[form.Get("refresh_token")]
		if !ok {
			s.mu.Unlock()
			fail(http.StatusBadRequest, "invalid_grant", "Invalid Token!", 4741)
			return
		}
		delete(s.refreshes, form.Get("refresh_token")) // rotation: a used refresh token is dead
		userID = uid
	default:
		s.mu.Unlock()
		fail(http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type", 0)
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
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(answer)
}
