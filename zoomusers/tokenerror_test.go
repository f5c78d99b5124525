package zoomusers

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestTokenErrorMessage(t *testing.T) {
	for _, tc := range []struct {
		err  TokenError
		want string
	}{
		{TokenError{StatusCode: 400, ErrorCode: "invalid_grant", Reason: "Invalid Token!"}, "zoomusers: token request failed: 400 Bad Request: invalid_grant: Invalid Token!"},
		{TokenError{StatusCode: 401, ErrorCode: "invalid_client"}, "zoomusers: token request failed: 401 Unauthorized: invalid_client"},
		{TokenError{StatusCode: 400, Reason: "Invalid account_id"}, "zoomusers: token request failed: 400 Bad Request: Invalid account_id"},
		{TokenError{StatusCode: 503}, "zoomusers: token request failed: 503 Service Unavailable"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%+v.Error() = %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestTokenErrorMatchesUnauthorizedForRefusalsOnly(t *testing.T) {
	for status, want := range map[int]bool{400: true, 401: true, 403: false, 429: false, 500: false, 503: false} {
		err := error(&TokenError{StatusCode: status})
		if got := errors.Is(err, ErrUnauthorized); got != want {
			t.Errorf("a %d from the token endpoint is ErrUnauthorized: %v, want %v", status, got, want)
		}
		if errors.Is(err, ErrNotFound) {
			t.Errorf("a %d from the token endpoint is ErrNotFound", status)
		}
	}
}

func TestTokenErrorTakesZoomsFieldsFromTheBody(t *testing.T) {
	retrieve := func(errorCode string, body string) error {
		return &oauth2.RetrieveError{Response: &http.Response{StatusCode: 400}, Body: []byte(body), ErrorCode: errorCode}
	}
	var te *TokenError
	// oauth2 found no error code: Zoom's body supplies it, with the reason and the code.
	if err := tokenError(retrieve("", `{"error":"invalid_grant","reason":"Invalid Token!","code":4741}`), nil); !errors.As(err, &te) ||
		te.ErrorCode != "invalid_grant" || te.Reason != "Invalid Token!" || te.Code != 4741 || te.StatusCode != 400 {
		t.Errorf("tokenError = %#v", err)
	}
	// oauth2's own error code wins over the body's.
	if err := tokenError(retrieve("invalid_client", `{"error":"something_else"}`), nil); !errors.As(err, &te) || te.ErrorCode != "invalid_client" {
		t.Errorf("tokenError = %#v, want oauth2's error code kept", err)
	}
}

func TestEarlyRenewal(t *testing.T) {
	for lifetime, want := range map[time.Duration]time.Duration{
		100 * time.Second: 10 * time.Second, // a tenth of a short life
		10 * time.Minute:  time.Minute,
		time.Hour:         time.Minute, // at most a minute
	} {
		if got := earlyRenewal(lifetime); got != want {
			t.Errorf("earlyRenewal(%v) = %v, want %v", lifetime, got, want)
		}
	}
}

func TestParseRetryAfterBoundsDelaySeconds(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	const year = 365 * 24 * 60 * 60
	if d, at, ok := parseRetryAfter("31536000", now); !ok || d != year*time.Second || !at.Equal(now.Add(year*time.Second)) {
		t.Errorf("a year of seconds: %v %v %v, want accepted", d, at, ok)
	}
	// Longer delays, even ones too long to parse, still mean "not any time soon": a year.
	for _, v := range []string{"31536001", "99999999999999999999999"} {
		if d, _, ok := parseRetryAfter(v, now); !ok || d != year*time.Second {
			t.Errorf("Retry-After %s: %v %v, want a year", v, d, ok)
		}
	}
	if _, _, ok := parseRetryAfter("-1", now); ok {
		t.Error("Retry-After -1 accepted")
	}
}
