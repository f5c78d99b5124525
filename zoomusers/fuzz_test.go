package zoomusers

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParseError: any body and headers give an *Error with the status, and never panic.
func FuzzParseError(f *testing.F) {
	f.Add(404, "application/json", `{"code":1001,"message":"User does not exist."}`, "", "")
	f.Add(400, "application/json", `{"code":300,"message":"Value "x" bad","errors":[{"field":"a","message":"b"}]}`, "", "")
	f.Add(429, "text/html", "<html>429</html>", "2026-01-01T00:00:00Z", "Daily-limit")
	f.Add(502, "", "", "5", "QPS")
	f.Add(500, "application/json", "{}", "", "")
	f.Add(400, "application/json", `{"code":"300","message":1}`, "Sat, 30 May 2026 12:00:10 GMT", "")
	f.Fuzz(func(t *testing.T, status int, contentType, body, retryAfter, limitType string) {
		h := http.Header{}
		h.Set("Content-Type", contentType)
		h.Set("Retry-After", retryAfter)
		h.Set("X-RateLimit-Type", limitType)
		e := parseError("GET", "/v2/users/x", status, h, []byte(body))
		if e.StatusCode != status || len(e.Body) > maxErrorBodyRetained {
			t.Fatalf("parseError lost the status or kept too much: %+v", e)
		}
		if strings.TrimSpace(body) != "" && e.Message == "" && e.Code == 0 {
			t.Fatalf("a non-empty body gave neither code nor message: %q", body)
		}
		_ = e.Error()
		_ = errors.Is(e, ErrNotFound)
	})
}

// FuzzParseRetryAfter: a parsed Retry-After never yields a negative wait.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "120", "-3", "Sat, 30 May 2026 12:00:10 GMT", "2026-05-31T00:00:00Z", "2026-05-31T00:00:00.123+02:00", "", "x", "99999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 5, 30, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, at, ok := parseRetryAfter(v, now)
		if !ok {
			if d != 0 || !at.IsZero() {
				t.Fatalf("rejected %q but returned %v, %v", v, d, at)
			}
			return
		}
		if d < 0 || at.IsZero() {
			t.Fatalf("parseRetryAfter(%q) = %v, %v", v, d, at)
		}
	})
}

// FuzzValidateID: an ID passes only if it is not a dot segment, not empty, and holds
// no control characters or invalid UTF-8.
func FuzzValidateID(f *testing.F) {
	for _, s := range []string{"", ".", "..", "me", "a+b@example.com", "a\nb", "x\x00", "\xff", "...", "a/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		err := validateID("user ID", id)
		bad := id == "" || id == "." || id == ".." || !utf8.ValidString(id) || strings.ContainsFunc(id, func(r rune) bool { return r < 0x20 || (r >= 0x7f && r < 0xa0) })
		if bad != (err != nil) {
			t.Fatalf("validateID(%q) = %v", id, err)
		}
		if err != nil && !errors.Is(err, ErrInvalidUserID) {
			t.Fatalf("validateID(%q) error %v is not ErrInvalidUserID", id, err)
		}
	})
}
