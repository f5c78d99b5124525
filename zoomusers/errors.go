package zoomusers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors for errors.Is. An *Error matches the sentinel of its HTTP status
// (and ErrNotFound also matches Zoom's code 1001, which Zoom has sent with other statuses).
var (
	ErrNotFound     = errors.New("zoomusers: not found")
	ErrUnauthorized = errors.New("zoomusers: unauthorized")
	ErrForbidden    = errors.New("zoomusers: forbidden")
	ErrConflict     = errors.New("zoomusers: conflict")
	ErrRateLimited  = errors.New("zoomusers: rate limited")
	// ErrInvalidUserID is returned, before any request is sent, for a user ID (or another
	// path ID) that is empty, "." or "..", or holds control characters.
	ErrInvalidUserID = errors.New("zoomusers: invalid user ID")
	// ErrPageTokenExpired is matched by the error Zoom returns for a next_page_token
	// older than 15 minutes (code 300): the listing has to start again.
	ErrPageTokenExpired = errors.New("zoomusers: next page token is invalid or expired")
)

// Zoom error codes the client acts on; see Error.Code.
const (
	CodeInvalidToken  = 124  // invalid or expired access token
	CodeNoPrivilege   = 200  // not a success: the caller lacks a privilege
	CodeValidation    = 300  // validation failed, also an expired next_page_token
	CodeUserNotFound  = 1001 // the user does not exist
	CodeEmailInUse    = 1005 // the email address is already taken
	CodeMissingScopes = 4700 // the token lacks the needed scopes
)

// Bounds on what is kept of an error answer: Zoom's own are a few hundred bytes, so
// anything longer is a proxy's page or a hostile server.
const (
	maxErrorBody         = 64 << 10 // read at most this much of an error body
	maxErrorBodyRetained = 4 << 10  // Error.Body
	maxMessageLen        = 1 << 10  // Error.Message and each field error's texts
	maxFieldErrors       = 50       // Error.FieldErrors
)

// Error is a non-2xx answer from Zoom. Use errors.As to reach it and errors.Is with the
// sentinels (ErrNotFound, ErrRateLimited, ...) to classify it.
type Error struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is Zoom's own error number (1001 user not found, 124 invalid token, ...);
	// 0 when the body carried none. It is not an HTTP status: 200 means "no privilege".
	Code int
	// Message is Zoom's message, or a description of the body when it was not Zoom's JSON.
	Message string
	// FieldErrors lists the fields that failed validation.
	FieldErrors []FieldError
	// TrackingID is the x-zm-trackingid header: quote it to Zoom support.
	TrackingID string
	// Method and Path identify the request.
	Method, Path string
	// RateLimit holds the rate-limit headers, when Zoom sent any.
	RateLimit RateLimit
	// RetryAfter is when Zoom said to come back (from Retry-After), or the zero time.
	RetryAfter time.Time
	// Body is the start of the raw body (at most 4 KiB), for diagnosis.
	Body []byte
	// LimitTrackingID is set on a call refused without a request because a daily limit
	// Zoom stated earlier still holds: it is the tracking ID of that earlier answer, which
	// the rest of the error repeats. TrackingID is then empty: this call sent nothing.
	LimitTrackingID string
	// AccountCap is set by the Client on a 429 to a call that an account-wide daily cap
	// Zoom documents covers (userCreate with action=create, Heavy and Resource-intensive
	// operations, any call of a client that WithPacing put on the Free plan), which the
	// answer alone cannot tell; DailyLimitScope reads it.
	AccountCap bool
}

// FieldError is one field that failed Zoom's validation.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// RateLimit is what Zoom's rate-limit headers said about a request.
type RateLimit struct {
	Category  string // X-RateLimit-Category: the label that applies, such as "Light"
	Type      string // X-RateLimit-Type: "QPS" or "Daily-limit"
	Limit     int    // X-RateLimit-Limit, or 0
	Remaining int    // X-RateLimit-Remaining, or -1 when absent
	Reset     string // X-RateLimit-Reset, as sent
}

// DailyLimit reports whether the answer was a daily-limit 429, which is not worth retrying
// before RetryAfter; DailyLimitScope says what it covers.
func (e *Error) DailyLimit() bool {
	return e.DailyLimitScope() != NoDailyLimit
}

// Error describes the failure with Zoom's code, message and tracking ID.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "zoomusers: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != 0 {
		fmt.Fprintf(&b, ": code %d", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	for _, f := range e.FieldErrors {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.DailyLimit() && !e.RetryAfter.IsZero() {
		fmt.Fprintf(&b, " (daily limit; retry after %s)", e.RetryAfter.UTC().Format(time.RFC3339))
	}
	if e.TrackingID != "" {
		fmt.Fprintf(&b, " (tracking id %s)", e.TrackingID)
	}
	if e.LimitTrackingID != "" {
		fmt.Fprintf(&b, " (refused without a request; the limit was stated in the answer with tracking id %s)", e.LimitTrackingID)
	}
	return b.String()
}

// Is makes errors.Is match the sentinel errors.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound || e.Code == CodeUserNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrPageTokenExpired:
		return e.Code == CodeValidation && strings.Contains(strings.ToLower(e.Message), "next page token")
	}
	return false
}

// zoomErrorBody is Zoom's error JSON. Some endpoints send error_message instead of
// message (ZOOM_FACTS.md "Behaviour seen in the field"; ZoomNet reads both since March
// 2026): message wins when both are there.
type zoomErrorBody struct {
	Code         json.Number  `json:"code"`
	Message      string       `json:"message"`
	ErrorMessage string       `json:"error_message"`
	Errors       []FieldError `json:"errors"`
}

var (
	codePattern    = regexp.MustCompile(`"code"\s*:\s*"?(-?\d+)`) // Zoom has answered code -1
	messagePattern = regexp.MustCompile(`"(?:error_)?message"\s*:\s*"(.*)"\s*[,}]`)
)

// parseError builds an *Error from a non-2xx answer whose body has been read. It never
// fails: a body that is not Zoom's JSON still yields the status and a description.
func parseError(method, path string, status int, header http.Header, body []byte) *Error {
	e := &Error{
		StatusCode: status,
		Method:     method,
		Path:       path,
		TrackingID: header.Get("X-Zm-Trackingid"),
		RateLimit:  parseRateLimit(header),
	}
	if len(body) > maxErrorBodyRetained {
		e.Body = bytes.Clone(body[:maxErrorBodyRetained])
	} else if len(body) > 0 {
		e.Body = bytes.Clone(body)
	}
	if ra := header.Get("Retry-After"); ra != "" {
		if _, at, ok := parseRetryAfter(ra, time.Now()); ok {
			e.RetryAfter = at
		}
	}
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		e.Message = "empty body"
	case trimmed[0] == '{':
		var zb zoomErrorBody
		if err := json.Unmarshal(trimmed, &zb); err == nil {
			if n, err := zb.Code.Int64(); err == nil {
				e.Code = int(n)
			}
			msg := zb.Message
			if msg == "" {
				msg = zb.ErrorMessage
			}
			e.Message = truncate(msg, maxMessageLen)
			for _, f := range zb.Errors[:min(len(zb.Errors), maxFieldErrors)] {
				e.FieldErrors = append(e.FieldErrors, FieldError{Field: truncate(f.Field, maxMessageLen), Message: truncate(f.Message, maxMessageLen)})
			}
			if e.Message == "" && e.Code == 0 {
				e.Message = "error body without code or message"
			}
			break
		}
		// Zoom has sent messages with unescaped quotes: salvage what can be read.
		if m := codePattern.FindSubmatch(trimmed); m != nil {
			e.Code, _ = strconv.Atoi(string(m[1]))
		}
		if m := messagePattern.FindSubmatch(trimmed); m != nil {
			e.Message = truncate(string(m[1]), maxMessageLen)
		} else {
			e.Message = "malformed JSON error body"
		}
	default:
		e.Message = describeBody(header.Get("Content-Type"), trimmed)
	}
	return e
}

// describeBody summarizes a non-JSON body, such as an edge server's HTML page.
func describeBody(contentType string, body []byte) string {
	if contentType == "" {
		contentType = "no content type"
	}
	const max = 120
	snippet := string(body)
	if len(snippet) > max {
		snippet = snippet[:max] + "…"
	}
	snippet = strings.Join(strings.Fields(snippet), " ")
	return fmt.Sprintf("non-JSON body (%s): %s", contentType, snippet)
}

// truncate cuts s to at most n bytes on a character boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func parseRateLimit(h http.Header) RateLimit {
	rl := RateLimit{
		Category:  h.Get("X-RateLimit-Category"),
		Type:      h.Get("X-RateLimit-Type"),
		Reset:     h.Get("X-RateLimit-Reset"),
		Remaining: -1,
	}
	if v, err := strconv.Atoi(h.Get("X-RateLimit-Limit")); err == nil {
		rl.Limit = v
	}
	if v, err := strconv.Atoi(h.Get("X-RateLimit-Remaining")); err == nil {
		rl.Remaining = v
	}
	return rl
}
